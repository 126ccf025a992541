"""Governance's answers to the charter's signal (coop.cooperatives.signals)
and the member page's (coop.members.signals): the charter and the roster
sit below governance and cannot ask it directly. Connected when
the module is imported, which the app factory does for every domain's
``receivers`` module (coop.domains)."""
from __future__ import annotations

from typing import Any

from coop import clock
from coop.cooperatives.api import Cooperative, charter_review_requested
from coop.governance.extra_votes import cap_error_on, rule_of
from coop.governance.member_votes import is_specialized
from coop.members.api import Member, panels_requested

AMEND_RULE = "请提高每增加一票的金额或起点、降低每名成员的上限，或提高总票数上限（不超过 20%）"


@charter_review_requested.connect
def extra_votes_within_cap(coop: Cooperative, *, values: dict[str, Any], **_: object) -> dict[str, str]:
    """The new charter's extra-vote rule applied to today's figures (capital
    today, transactions of last year) must keep all extra votes within the
    cap (农民专业合作社法第二十二条)."""
    rule = rule_of(values)
    if rule is None:
        return {}
    message = cap_error_on(coop.id, rule, clock.today(), what=AMEND_RULE)
    return {"extra_votes_cap_bp": message} if message else {}


@panels_requested.connect
def votes_panel(member: Member, **_: object) -> str | None:
    """A specialized cooperative's member page shows the member's basic and
    extra votes (农民专业合作社法第二十二条)."""
    return "governance/_member_votes_panel.html" if is_specialized(member.cooperative_id) else None
