"""What other domains may use of governance.

Other domains import from this module only; what is not here is private to
``coop.governance``."""
from __future__ import annotations

from coop.governance.agenda_sources import (PlanChoice, PlanDisclosure, item_decided,  # noqa: F401
                                            plan_choices_requested, plan_disclosure_requested)
from coop.governance.charter import Charter, check_resolution_under_charter  # noqa: F401
from coop.governance.constants import Body, ItemKind, Outcome, Regime  # noqa: F401
from coop.governance.decisions import (  # noqa: F401
    Resolution,
    decided_item_for_plan,
    find_resolution,
    resolutions,
)
from coop.governance.models import AgendaItem, Meeting  # noqa: F401
from coop.governance.reading import MemberMeeting, member_meetings  # noqa: F401
from coop.governance.recorded import record_unanimous_resolution  # noqa: F401
from coop.governance.rules import (Reason, Verdict, check_fsc_representatives,  # noqa: F401
                                   check_representatives, check_resolution)

__all__ = [
    "AgendaItem",
    "Body",
    "Charter",
    "ItemKind",
    "Meeting",
    "MemberMeeting",
    "Outcome",
    "PlanChoice",
    "PlanDisclosure",
    "Reason",
    "Regime",
    "Resolution",
    "Verdict",
    "check_fsc_representatives",
    "check_representatives",
    "check_resolution",
    "check_resolution_under_charter",
    "decided_item_for_plan",
    "find_resolution",
    "member_meetings",
    "item_decided",
    "plan_choices_requested",
    "plan_disclosure_requested",
    "record_unanimous_resolution",
    "resolutions",
]
