"""What other domains may use of governance.

Other domains import from this module only; what is not here is private to
``coop.governance``."""
from __future__ import annotations

from coop.governance.agenda_sources import (ListChoice, PlanChoice, PlanDisclosure,  # noqa: F401
                                            item_decided, list_choices_requested,
                                            list_refusal_requested, plan_choices_requested,
                                            plan_disclosure_requested)
from coop.governance.attendance import sign_in_all  # noqa: F401
from coop.governance.by_charter import convene_under_charter, regime_of  # noqa: F401
from coop.governance.charter import Charter, check_resolution_under_charter  # noqa: F401
from coop.governance.constants import Body, ItemKind, Outcome, Regime  # noqa: F401
from coop.governance.decisions import (  # noqa: F401
    Resolution,
    decide_item,
    decided_item_for_plan,
    find_resolution,
    record_tally,
    resolutions,
)
from coop.governance.meetings import ItemSpec, convene_meeting  # noqa: F401
from coop.governance.roster import entitled_voters  # noqa: F401
from coop.governance.vote_sources import MemberCapital, MemberTransactions, vote_basis_requested  # noqa: F401
from coop.governance.models import AgendaItem, Meeting  # noqa: F401
from coop.governance.reading import (MemberMeeting, member_meetings,  # noqa: F401
                                     upcoming_meetings)
from coop.governance.recorded import record_unanimous_resolution  # noqa: F401
from coop.governance.rules import (DisclosureWait, Reason, Verdict,  # noqa: F401
                                   check_fsc_representatives, check_representatives,
                                   check_resolution, disclosure_wait)
from coop.governance.tallies import FailedItem, failed_items  # noqa: F401

__all__ = [
    "FailedItem",
    "failed_items",
    "convene_under_charter",
    "ItemSpec",
    "MemberCapital",
    "MemberTransactions",
    "convene_meeting",
    "decide_item",
    "entitled_voters",
    "record_tally",
    "regime_of",
    "sign_in_all",
    "AgendaItem",
    "Body",
    "Charter",
    "ItemKind",
    "Meeting",
    "MemberMeeting",
    "ListChoice",
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
    "DisclosureWait",
    "disclosure_wait",
    "find_resolution",
    "member_meetings",
    "upcoming_meetings",
    "item_decided",
    "list_choices_requested",
    "list_refusal_requested",
    "plan_choices_requested",
    "plan_disclosure_requested",
    "record_unanimous_resolution",
    "resolutions",
    "vote_basis_requested",
]
