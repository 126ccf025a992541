"""What other domains may use of membership confirmation.

Other domains import from this module only; what is not here is private to
``coop.membership``.

``apply_confirmed(event, on)`` is what the member assembly's confirmation on
``on`` does to the person (a gain: active from that day, with the basis and
the household; a loss: deceased, withdrawn or lost); it refuses an event
still awaiting its art 8 review (``event.awaits_review``). ``reject_event``
is what a refusal does (a gained person is then no member)."""
from __future__ import annotations

from coop.membership.constants import (  # noqa: F401
    GAIN_REASONS,
    LOSS_REASONS,
    EventReason,
    EventStatus,
)
from coop.membership.disputes import OpenDispute, open_disputes_by_member  # noqa: F401
from coop.membership.events import confirm_event as apply_confirmed  # noqa: F401
from coop.membership.events import open_event_of, reject_event  # noqa: F401
from coop.membership.models import MembershipEvent  # noqa: F401
from coop.membership.rosters import filing_rule  # noqa: F401
from coop.membership.standing import MemberStanding, standing_of  # noqa: F401
from coop.membership.tallies import UnfiledRoster, unfiled_rosters  # noqa: F401

__all__ = [
    "UnfiledRoster",
    "filing_rule",
    "unfiled_rosters",
    "GAIN_REASONS",
    "LOSS_REASONS",
    "EventReason",
    "EventStatus",
    "MemberStanding",
    "MembershipEvent",
    "OpenDispute",
    "apply_confirmed",
    "open_disputes_by_member",
    "open_event_of",
    "reject_event",
    "standing_of",
]
