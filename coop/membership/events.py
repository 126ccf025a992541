"""Recording the events that change who is a member. Services validate,
flush, and never commit.

- ``record_gain`` records a person gained by birth, marriage, adoption, policy
  migration or another basis: the person's Member row is created as PENDING
  (on no roster, in no plan, no vote) with a new member number, in the
  household the event names.
- ``record_loss`` records a loss (第十七条) or a withdrawal (第十六条) of an
  active member; the refused grounds of 第十八条 are refused with the article.
- ``cancel_event`` withdraws a pending event; ``review_event`` is the art 8
  review; ``update_evidence`` adds or corrects the document and its scan.
- ``confirm_event`` (coop.membership.api.apply_confirmed) is what the member
  assembly's confirmation does to the member; ``reject_event`` what its
  refusal does.
Only the rules of coop.membership.rules decide; this module finds the facts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from coop import clock
from coop.audit.api import check_version
from coop.cooperatives.api import Cooperative, LegalRegime
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.idcodes import birth_date
from coop.members.api import (
    Member,
    MemberKind,
    MemberStatus,
    StatusChangeSource,
    announce_status_change,
    create_member,
    set_status,
    update_member,
    validate_member,
)
from coop.membership import rules
from coop.membership.constants import EventReason, EventStatus
from coop.membership.evidence import Scan, check_scan, display_name, store_scan
from coop.membership.models import MembershipEvent
from coop.membership.rules import GainFacts, LossFacts

OPEN = (EventStatus.PENDING.value, EventStatus.LISTED.value)
EVENT = StatusChangeSource.EVENT.value  # a membership event's line in the member's status history
MEMBER_NO_PREFIX = "CY"

SPECIALIZED_MESSAGE = ("本社按《农民专业合作社法》设立：成员入社、退社在成员页面直接办理。成员身份的取得与丧失"
                       "须经成员大会确认，适用于农村集体经济组织（《农村集体经济组织法》第十二条）。")


@dataclass(frozen=True)
class Evidence:
    """The document an event rests on, and optionally its scan."""

    doc_type: str = ""
    doc_no: str = ""
    doc_date: date | None = None
    scan: Scan | None = None


@dataclass(frozen=True)
class Person:
    """Who a gain event brings in, as the form gives it."""

    name: str
    id_number: str
    member_no: str = ""
    household_no: str = ""
    village_group: str = ""
    relation_to_head: str = ""
    phone: str = ""


def _describe(field: str, value: Any) -> tuple[str, str]:
    labels = {"status": "状态", "review_note": "复核意见", "doc_type": "证明材料",
              "doc_no": "文号", "doc_date": "材料日期", "scan_name": "扫描件"}
    if field == "status":
        return labels[field], EventStatus.label_of(value)
    return labels.get(field, field), "（空）" if value in (None, "") else str(value)


def _check_regime(coop: Cooperative) -> None:
    if coop.legal_regime == LegalRegime.SPECIALIZED:
        raise ServiceError(SPECIALIZED_MESSAGE, field="reason")


def _text(value: str | None, limit: int, label: str, errors: dict[str, str], field: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors[field] = f"{label}不能超过 {limit} 个字"
    return text


def _evidence_errors(evidence: Evidence, errors: dict[str, str]) -> tuple[str, str]:
    doc_type = _text(evidence.doc_type, 40, "证明材料名称", errors, "doc_type")
    doc_no = _text(evidence.doc_no, 60, "文号", errors, "doc_no")
    if message := clock.future_error(evidence.doc_date, "材料日期"):
        errors["doc_date"] = message
    if evidence.scan is not None and (message := _scan_message(evidence.scan)):
        errors["scan"] = message
    return doc_type, doc_no


def _scan_message(scan: Scan) -> str | None:
    try:
        check_scan(scan)
    except ServiceError as exc:
        return exc.message
    return None


def _store(event: MembershipEvent, evidence: Evidence, folder: Path | None) -> None:
    if evidence.scan is None:
        return
    if folder is None:
        raise ServiceError("没有保存扫描件的位置", field="scan")
    event.scan_file = store_scan(folder, event.cooperative_id, evidence.scan)
    event.scan_name = display_name(evidence.scan.filename)


def open_event_of(member_id: int) -> MembershipEvent | None:
    return db.session.scalar(select(MembershipEvent).where(
        MembershipEvent.member_id == member_id, MembershipEvent.status.in_(OPEN)).limit(1))


def _member_by_no(coop_id: int, member_no: str) -> Member | None:
    no = "".join((member_no or "").split()).upper()
    if not no:
        return None
    return db.session.scalar(select(Member).where(Member.cooperative_id == coop_id,
                                                  Member.member_no == no))


def _member_by_id_number(coop_id: int, id_number: str) -> Member | None:
    value = "".join((id_number or "").split()).upper()
    if not value:
        return None
    return db.session.scalar(select(Member).where(Member.cooperative_id == coop_id,
                                                  Member.id_number == value))


def suggest_member_no(coop_id: int) -> str:
    used = list(db.session.scalars(select(Member.member_no).where(
        Member.cooperative_id == coop_id, Member.member_no.startswith(MEMBER_NO_PREFIX))))
    return rules.next_number(used, MEMBER_NO_PREFIX)


def suggest_household_no(coop_id: int, like: str = "") -> str:
    """A household number not yet used: the next in the series of ``like``
    (its characters but the last three), else after the highest."""
    prefix = like[:-3] if len(like) > 3 else ""
    query = select(func.distinct(Member.household_no)).where(
        Member.cooperative_id == coop_id, Member.household_no != "")
    if prefix:
        query = query.where(Member.household_no.startswith(prefix))
    used = list(db.session.scalars(query))
    width = len(like) - len(prefix) if like else 3
    return rules.next_number(used, prefix, width=width)


# -- gains --------------------------------------------------------------------------

def record_gain(coop: Cooperative, *, reason: str, occurs_on: date | None, person: Person,
                relative_no: str = "", detail: str = "", marital: bool = False,
                evidence: Evidence = Evidence(), user_id: int | None = None,
                folder: Path | None = None) -> MembershipEvent:
    """A person gained by ``reason``: their PENDING Member row and the event."""
    _check_regime(coop)
    errors: dict[str, str] = {}
    detail = _text(detail, 2000, "说明", errors, "detail")
    relative = _member_by_no(coop.id, relative_no)
    id_number = "".join((person.id_number or "").split()).upper()
    facts = GainFacts(
        reason=reason, occurs_on=occurs_on, detail=detail,
        birth_date=birth_date(id_number) if len(id_number) == 18 else None,
        relative_is_member=(None if not (relative_no or "").strip() else
                            relative is not None and relative.status == MemberStatus.ACTIVE),
        relative_born=birth_date(relative.id_number) if relative and relative.id_number else None)
    for field, message in rules.gain_errors(facts, clock.today()).items():
        errors.setdefault(field, message)
    doc_type, doc_no = _evidence_errors(evidence, errors)
    relation = _text(person.relation_to_head, 10, "与户主关系", errors, "relation_to_head")

    existing = _member_by_id_number(coop.id, id_number)
    if existing is not None and existing.status != MemberStatus.NOT_CONFIRMED:
        errors["id_number"] = (rules.reconfirmation_message(
            existing.member_no, existing.name, existing.acquired_how == "confirmed_before_law")
            if existing.status == MemberStatus.ACTIVE else
            f"这个身份证号已登记在 {existing.member_no} {existing.name} 名下"
            f"（{existing.status_label}）")
    household = "".join((person.household_no or "").split()).upper()
    group = (person.village_group or "").strip()
    if relative is not None and relative.status == MemberStatus.ACTIVE:
        household = household or relative.household_no
        group = group or relative.village_group
        if not relation and reason == EventReason.MARRIAGE_IN:
            relation = "配偶"
    if not household:
        household = suggest_household_no(coop.id)
        relation = relation or "户主"
    raw = {"member_no": person.member_no or (existing.member_no if existing else "")
           or suggest_member_no(coop.id),
           "name": person.name, "kind": MemberKind.VILLAGER.value, "household_no": household,
           "village_group": group, "id_number": id_number, "phone": person.phone,
           "is_party_member": False, "joined_on": None}
    _, person_errors = validate_member(coop.id, raw, existing)
    for field, message in person_errors.items():
        errors.setdefault(field, message)
    if errors:
        raise ValidationFailed(errors)
    basis = rules.basis_of(reason)
    if existing is not None:  # asked before and not confirmed: the same person again
        member = update_member(existing, raw)
        set_status(existing, MemberStatus.PENDING.value, occurs_on, source=EVENT,
                   reason=f"再次登记取得成员身份（{EventReason.label_of(reason)}）", user_id=user_id,
                   dated=False)
        existing.acquired_how, existing.acquired_on = basis, occurs_on
        existing.relation_to_head = relation
    else:
        member = create_member(coop, **raw, status=MemberStatus.PENDING.value,
                               acquired_how=basis, acquired_on=occurs_on,
                               relation_to_head=relation)
    event = MembershipEvent(
        cooperative_id=coop.id, member_id=member.id, reason=reason, occurs_on=occurs_on,
        detail=detail, household_to=member.household_no,
        women_review=rules.needs_women_review(reason, rules.gender_of(id_number), marital),
        doc_type=doc_type, doc_no=doc_no, doc_date=evidence.doc_date,
        status=EventStatus.PENDING.value, recorded_by_id=user_id, recorded_at=clock.utcnow())
    _store(event, evidence, folder)
    db.session.add(event)
    db.session.flush()
    return event


# -- losses -------------------------------------------------------------------------

def record_loss(member: Member, coop: Cooperative, *, facts: LossFacts, marital: bool = False,
                evidence: Evidence = Evidence(), user_id: int | None = None,
                folder: Path | None = None) -> MembershipEvent:
    """An active member's loss of membership, pending the assembly's confirmation."""
    _check_regime(coop)
    if member.kind == MemberKind.COLLECTIVE:
        raise ServiceError("村集体是合作社的出资成员，不登记成员身份的丧失", field="reason")
    if member.status == MemberStatus.PENDING:
        raise ServiceError(f"{member.name} 尚待确认，还不是成员：如登记有误，请撤回其取得成员身份的登记",
                           field="reason")
    if member.status != MemberStatus.ACTIVE:
        raise ServiceError(f"{member.name} 已不是在册成员（{member.status_label}）", field="reason")
    if (other := open_event_of(member.id)) is not None:
        raise ServiceError(f"{member.name} 已有一项待确认的变动（{other.reason_label}，"
                           f"{other.occurs_on:%Y-%m-%d}），请先处理或撤回", field="reason")
    errors = rules.loss_errors(facts, clock.today())
    if "occurs_on" not in errors and member.joined_on and facts.occurs_on \
            and facts.occurs_on < member.joined_on:
        errors["occurs_on"] = f"事由发生日期不能早于入社日期 {member.joined_on:%Y-%m-%d}"
    detail = _text(facts.detail, 2000, "说明", errors, "detail")
    elsewhere = _text(facts.membership_elsewhere, 120, "取得成员身份的集体经济组织", errors,
                      "membership_elsewhere")
    doc_type, doc_no = _evidence_errors(evidence, errors)
    if errors:
        raise ValidationFailed(errors)
    reason = EventReason(facts.reason)
    withdrawal = reason == EventReason.WITHDRAWAL
    event = MembershipEvent(
        cooperative_id=member.cooperative_id, member_id=member.id, reason=reason.value,
        occurs_on=facts.occurs_on, detail=detail, membership_elsewhere=elsewhere,
        withdrawal_terms=facts.withdrawal_terms if withdrawal else None,
        rights_kept_until=facts.rights_kept_until, household_from=member.household_no,
        women_review=rules.needs_women_review(reason, rules.gender_of(member.id_number), marital),
        doc_type=doc_type, doc_no=doc_no, doc_date=evidence.doc_date,
        status=EventStatus.PENDING.value, recorded_by_id=user_id, recorded_at=clock.utcnow())
    _store(event, evidence, folder)
    db.session.add(event)
    db.session.flush()
    return event


# -- after recording ------------------------------------------------------------------

def _member(event: MembershipEvent) -> Member:
    member = db.session.get(Member, event.member_id)
    assert member is not None
    return member


def cancel_event(event: MembershipEvent, expected_version: int | None = None) -> MembershipEvent:
    """Withdraw a pending event (recorded by mistake, or the application was
    withdrawn); a gained person is then no member."""
    check_version(event, expected_version, _describe)
    if event.status == EventStatus.LISTED:
        raise ServiceError("此变动已列入确认名单，请先从名单中移出再撤回", field="status")
    if event.status != EventStatus.PENDING:
        raise ServiceError(f"此变动已经是“{event.status_label}”，不能撤回", field="status")
    event.status = EventStatus.CANCELLED.value
    if event.is_gain:
        set_status(_member(event), MemberStatus.NOT_CONFIRMED.value, clock.today(), source=EVENT,
                   reason=f"撤回取得成员身份的登记（{event.reason_label}）", dated=False)
    db.session.flush()
    return event


def review_event(event: MembershipEvent, note: str, user_id: int | None,
                 expected_version: int | None = None) -> MembershipEvent:
    """The supervisor's or the secretary's art 8 review, with their note."""
    check_version(event, expected_version, _describe)
    if not event.women_review:
        raise ServiceError("此变动不需要妇女权益复核", field="review_note")
    if event.status not in OPEN:
        raise ServiceError(f"此变动已经是“{event.status_label}”，不能再复核", field="review_note")
    text = (note or "").strip()
    if len(text) < 4:
        raise ServiceError("请写明复核意见（例如：已核实其在何处取得成员身份，未损害其权益）",
                           field="review_note")
    if len(text) > 2000:
        raise ServiceError("复核意见不能超过 2000 个字", field="review_note")
    event.review_note = text
    event.reviewed_by_id = user_id
    event.reviewed_at = clock.utcnow()
    db.session.flush()
    return event


def update_evidence(event: MembershipEvent, evidence: Evidence, folder: Path | None,
                    expected_version: int | None = None) -> MembershipEvent:
    """Add or correct the document an open event rests on, and its scan."""
    check_version(event, expected_version, _describe)
    if event.status not in OPEN:
        raise ServiceError(f"此变动已经是“{event.status_label}”，证明材料不能再更改", field="doc_type")
    errors: dict[str, str] = {}
    doc_type, doc_no = _evidence_errors(evidence, errors)
    if errors:
        raise ValidationFailed(errors)
    event.doc_type, event.doc_no, event.doc_date = doc_type, doc_no, evidence.doc_date
    _store(event, evidence, folder)
    db.session.flush()
    return event


def confirm_event(event: MembershipEvent, on: date) -> Member:
    """What the member assembly's confirmation on ``on`` does: a gain makes
    the person an active member from that day (basis, dates, household); a
    loss makes the member deceased, withdrawn or lost. Refused while the event
    awaits its art 8 review, and for an event no longer open."""
    if event.status not in OPEN:
        raise ServiceError(f"此变动是“{event.status_label}”，不能确认", field="status")
    if event.awaits_review:
        raise ServiceError(rules.UNREVIEWED_MESSAGE, field="status")
    member = _member(event)
    if event.is_gain:
        if member.status != MemberStatus.PENDING:
            raise ServiceError(f"{member.name} 不是待确认的人员（{member.status_label}）", field="status")
        set_status(member, MemberStatus.ACTIVE.value, on, source=EVENT,
                   reason=f"成员大会确认取得成员身份（{event.reason_label}）")
        member.joined_on = on
        member.confirmed_on = on
        member.acquired_how = rules.basis_of(event.reason)
        member.acquired_on = event.occurs_on
        if event.household_to:
            member.household_no = event.household_to
    else:
        if member.status != MemberStatus.ACTIVE:
            raise ServiceError(f"{member.name} 已不是在册成员（{member.status_label}）", field="status")
        set_status(member, rules.status_after_loss(event.reason),
                   event.occurs_on if event.reason == EventReason.DEATH else on,
                   source=EVENT, reason=f"成员大会确认成员身份丧失（{event.reason_label}）")
    event.status = EventStatus.CONFIRMED.value
    db.session.flush()
    announce_status_change(member)
    return member


def reject_event(event: MembershipEvent) -> MembershipEvent:
    """The assembly did not confirm: a gained person is no member, a member
    whose loss was not confirmed stays one."""
    if event.status not in OPEN:
        raise ServiceError(f"此变动是“{event.status_label}”，不能再作决定", field="status")
    event.status = EventStatus.REJECTED.value
    if event.is_gain:
        set_status(_member(event), MemberStatus.NOT_CONFIRMED.value, clock.today(), source=EVENT,
                   reason=f"成员大会未确认（{event.reason_label}）", dated=False)
    db.session.flush()
    return event
