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
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance.charter import Charter
from coop.governance.constants import Body, ItemKind, Regime
from coop.governance.extra_votes import assembly_count, figures_words, rule_of
from coop.governance.meetings import ItemSpec, add_representative, convene_meeting, update_meeting
from coop.governance.models import Meeting, Representative
from coop.governance.roster import on_roster, representatives_on
from coop.governance.rules import (FSC, RCEO, RCEO_ASSEMBLY_ONLY, check_fsc_representatives,
                                   check_representatives)
from coop.governance.votes import MemberExtraVotes, cap_error
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


def _charter_errors(cooperative: Cooperative, *, body: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    regime = regime_of(cooperative)
    if body == Body.REPRESENTATIVES and not cooperative.representative_assembly:
        law = f"{RCEO}第二十八条" if regime is Regime.COLLECTIVE else f"{FSC}第三十二条"
        errors["body"] = f"{law}：成员代表大会依章程设立；本社章程未设成员代表大会，只能召开成员大会"
    return errors


AMEND_CHARTER = "请先修改章程的附加表决权规则（《农民专业合作社法》第二十二条），再召集会议"


def extra_votes_for(cooperative: Cooperative, *, body: str, meeting_on: date | None
                    ) -> tuple[MemberExtraVotes, ...]:
    """The extra votes of a member assembly of a specialized cooperative on
    ``meeting_on``, by the charter's rule and that day's figures; none for a
    rural collective (one person one vote), for a representative assembly,
    or where the charter grants none. ValidationFailed when they would
    exceed the cap: the charter must be amended first (art 22)."""
    rule = rule_of(cooperative)
    if rule is None or meeting_on is None or body != Body.ASSEMBLY:
        return ()
    tally = assembly_count(cooperative.id, rule, meeting_on)
    if message := cap_error(tally, figures_of=figures_words(rule, meeting_on)):
        raise ValidationFailed({"extra_votes": f"{message}。{AMEND_CHARTER}"})
    return tally.members


def extra_rule_text(cooperative: Cooperative) -> str:
    """The charter's extra-vote rule in words ("" where it grants none)."""
    try:
        rule = rule_of(cooperative)
    except ServiceError as exc:
        return exc.message
    return rule.describe() if rule else ""


def convene_under_charter(cooperative: Cooperative, *, body: str, meeting_on: date | None,
                          items: Iterable[ItemSpec] = (), **values: Any) -> Meeting:
    """``convene_meeting`` under the charter's regime, refused when the
    charter sets no such body; a specialized cooperative's member assembly
    gets each member's extra votes computed for the meeting day."""
    if errors := _charter_errors(cooperative, body=body):
        raise ValidationFailed(errors)
    extra = extra_votes_for(cooperative, body=body, meeting_on=meeting_on)
    return convene_meeting(cooperative.id, regime=regime_of(cooperative).value, body=body,
                           meeting_on=meeting_on, extra_votes=extra, items=list(items), **values)


def update_under_charter(cooperative: Cooperative, meeting: Meeting, *, meeting_on: date | None,
                         **values: Any) -> Meeting:
    """``update_meeting``, the extra votes computed again for the (new) day."""
    extra = (extra_votes_for(cooperative, body=meeting.body, meeting_on=meeting_on)
             if meeting.regime == cooperative.legal_regime else None)
    return update_meeting(meeting, meeting_on=meeting_on, extra_votes=extra, **values)


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
