"""What other domains may use of the roster.

Other domains import from this module only; what is not here is private to
``coop.members``."""
from __future__ import annotations

from coop.members.constants import (  # noqa: F401
    MemberKind,
    MembershipBasis,
    MemberStatus,
    StatusChangeSource,
)
from coop.members.groups import group_sort_key, sorted_groups  # noqa: F401
from coop.members.models import Member, MemberStatusChange  # noqa: F401
from coop.members.services import (  # noqa: F401
    change_status,
    create_member,
    household_members,
    update_member,
    validate_member,
)
from coop.members.signals import (  # noqa: F401
    Holdings,
    announce_status_change,
    class_holdings_requested,
    holdings_requested,
    panels_requested,
    reversal_refusals_requested,
    status_changed,
    status_reversed,
)
from coop.members.tallies import MemberTally, member_tallies  # noqa: F401
from coop.members.status_history import set_status  # noqa: F401

__all__ = [
    "MemberTally",
    "member_tallies",
    "Holdings",
    "Member",
    "MemberStatusChange",
    "StatusChangeSource",
    "class_holdings_requested",
    "reversal_refusals_requested",
    "set_status",
    "status_reversed",
    "announce_status_change",
    "MemberKind",
    "MemberStatus",
    "MembershipBasis",
    "change_status",
    "group_sort_key",
    "create_member",
    "holdings_requested",
    "panels_requested",
    "sorted_groups",
    "status_changed",
    "household_members",
    "update_member",
    "validate_member",
]
