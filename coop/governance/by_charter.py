"""Governance under the cooperative's own charter: the regime, the bodies it
sets, the stricter majorities and notice, and the extra-vote rule, read from
the charter's fields (``coop.cooperatives``) into the pure ``Charter`` that
``check_resolution_under_charter`` applies. Services flush, never commit."""
from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any, Iterable

from sqlalchemy import distinct, func, select

from coop import clock
from coop.cooperatives.api import Cooperative, ResolutionKind
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.money import format_percent
from coop.governance.charter import Charter
from coop.governance.constants import Body, ItemKind, Regime
from coop.governance.meetings import ItemSpec, add_representative, convene_meeting
from coop.governance.models import Meeting, Representative
from coop.governance.roster import entitled_on, on_roster, representatives_on
from coop.governance.rules import (FSC, RCEO, RCEO_ASSEMBLY_ONLY, check_fsc_representatives,
                                   check_representatives)
from coop.members.api import Member, MemberKind


def regime_of(cooperative: Cooperative) -> Regime:
    """The legal regime the charter declares."""
    return Regime(cooperative.legal_regime)


def charter_of(cooperative: Cooperative) -> Charter:
    """The charter's rules for resolutions: its stricter majorities, its
    notice, and what a representative assembly (where it sets one) decides:
    under the RCEO everything but the assembly's own items (art 28), under
    the FSC everything (art 32)."""
    regime = regime_of(cooperative)
    majorities = {ItemKind(kind.value): Fraction(*share) for kind in ResolutionKind
                  if (share := cooperative.majority(kind)) is not None}
    delegated: frozenset[ItemKind] = frozenset()
    if cooperative.representative_assembly:
        delegated = frozenset(ItemKind) - (RCEO_ASSEMBLY_ONLY if regime is Regime.COLLECTIVE else frozenset())
    return Charter(regime=regime, majorities=majorities, notice_days=cooperative.notice_days,
                   representatives_decide=delegated)


def bodies_of(cooperative: Cooperative) -> list[Body]:
    """The bodies the charter sets: the member assembly, and the
    representative assembly where it sets one."""
    return [Body.ASSEMBLY, Body.REPRESENTATIVES] if cooperative.representative_assembly else [Body.ASSEMBLY]


def _charter_errors(cooperative: Cooperative, *, body: str, meeting_on: date | None,
                    extra_votes: Any) -> dict[str, str]:
    errors: dict[str, str] = {}
    regime = regime_of(cooperative)
    if body == Body.REPRESENTATIVES and not cooperative.representative_assembly:
        law = f"{RCEO}第二十八条" if regime is Regime.COLLECTIVE else f"{FSC}第三十二条"
        errors["body"] = f"{law}：成员代表大会依章程设立；本社章程未设成员代表大会，只能召开成员大会"
    if regime is Regime.SPECIALIZED and isinstance(extra_votes, int) and extra_votes > 0:
        if not cooperative.extra_votes_allowed:
            errors["extra_votes"] = f"{FSC}第二十二条：附加表决权依章程设立；本社章程未设附加表决权"
        elif meeting_on is not None and body in set(Body):
            basic = entitled_on(cooperative.id, regime, body, meeting_on).count
            cap = cooperative.extra_votes_cap_bp
            if extra_votes * 10000 > cap * basic:
                errors["extra_votes"] = (f"{FSC}第二十二条：本社章程规定附加表决权总票数不超过基本表决权的 "
                                         f"{format_percent(cap)}；会议当日基本表决权 {basic} 票，附加表决权最多 "
                                         f"{cap * basic // 10000} 票")
    return errors


def convene_under_charter(cooperative: Cooperative, *, body: str, meeting_on: date | None,
                          extra_votes: int = 0, items: Iterable[ItemSpec] = (), **values: Any) -> Meeting:
    """``convene_meeting`` under the charter's regime, refused when the
    charter sets no such body or no (or fewer) extra votes."""
    if errors := _charter_errors(cooperative, body=body, meeting_on=meeting_on, extra_votes=extra_votes):
        raise ValidationFailed(errors)
    return convene_meeting(cooperative.id, regime=regime_of(cooperative).value, body=body,
                           meeting_on=meeting_on, extra_votes=extra_votes, items=list(items), **values)


def add_representative_under_charter(cooperative: Cooperative, member_id: Any, **values: Any) -> Representative:
    """``add_representative`` under the charter's regime; refused when the
    charter sets no representative assembly."""
    if not cooperative.representative_assembly:
        law = f"{RCEO}第二十八条" if regime_of(cooperative) is Regime.COLLECTIVE else f"{FSC}第三十二条"
        raise ValidationFailed({"member_id": f"{law}：成员代表大会依章程设立；本社章程未设成员代表大会，"
                                             "请先在章程中设立"})
    return add_representative(cooperative.id, member_id, regime=regime_of(cooperative).value, **values)


def representative_warnings(cooperative: Cooperative, day: date | None = None) -> list[str]:
    """What the representatives in office on ``day`` (today) break of the law's
    bounds: RCEO art 28 (one per 5-15 households, more than 20, five-year
    terms), FSC art 32 (over 150 members, 10 %, at least 51). Empty when the
    charter sets no representative assembly."""
    if not cooperative.representative_assembly:
        return []
    day = day or clock.today()
    in_office = len(representatives_on(cooperative.id, day))
    people = (Member.cooperative_id == cooperative.id, on_roster(day), Member.kind != MemberKind.COLLECTIVE)
    if regime_of(cooperative) is Regime.COLLECTIVE:
        households = db.session.scalar(select(func.count(distinct(Member.household_no))).where(*people)) or 0
        return check_representatives(households, in_office, term_years=cooperative.representative_term_years)
    members = db.session.scalar(select(func.count(Member.id)).where(
        Member.cooperative_id == cooperative.id, on_roster(day))) or 0
    return check_fsc_representatives(members, min(in_office, members))


def forecast_charter(cooperative: Cooperative, meeting: Meeting) -> Charter | None:
    """The charter a meeting's forecast applies: the cooperative's, unless the
    meeting was convened under another regime (it is then decided under that
    regime's law, and deciding it says so)."""
    return charter_of(cooperative) if meeting.regime == cooperative.legal_regime else None
