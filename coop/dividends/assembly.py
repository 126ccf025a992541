"""The assembly that approved a plan, by its name: the body of the meeting
whose agenda item passed it (成员大会 or 成员代表大会: RCEO arts 26-28, FSC
arts 30, 32). A plan approved before approvals went through a meeting (the
old rule, its households typed) or not approved yet names the two together."""
from __future__ import annotations

from coop.dividends.models import DividendPlan
from coop.governance.api import AgendaItem
from coop.tenancy import find_owned

EITHER = "成员（代表）大会"


def approving_assembly(plan: DividendPlan) -> str:
    """'成员大会' or '成员代表大会' as the meeting that approved ``plan`` was;
    '成员（代表）大会' when no meeting is recorded as approving it."""
    item = find_owned(AgendaItem, plan.resolution_item_id, plan.cooperative_id)
    return item.meeting.body_label if item is not None else EITHER
