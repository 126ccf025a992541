"""Members and households. Services validate, flush, and never commit.

For other domains:

- ``create_member(coop, *, member_no, name, kind, ...)`` validates like the
  form (an 18-character resident ID and a household number are required for
  villagers and cadres, not for the collective) and raises ``ValidationFailed``
  (field -> Chinese message).
- ``get_member(coop_id, member_id)`` raises ``MemberNotFound`` (a
  ``ServiceError``) when the member does not exist or belongs to another
  cooperative (``coop.tenancy.find_owned``).
- ``household_count(coop_id)``: households with a vote, i.e. with at least one
  active member (the grouping that representatives and proxies are counted by; votes are per person).

The roster's search and pages are in ``coop.members.roster``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from math import ceil
from operator import attrgetter
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select

from coop import clock
from coop.audit.api import check_version
from coop.cooperatives.api import (
    Cooperative,
    LegalRegime,
    closed_date_error,
    latest_closed_year,
    locked_record_error,
    period_error,
)
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.idcodes import mask_resident_id
from coop.members.bank import BANK_FIELDS, bank_errors, clean_bank
from coop.members.basis import clean_relation
from coop.members.constants import MemberKind, MembershipBasis, MemberStatus
from coop.members.counts import ACTIVE, member_counts
from coop.members.models import Member
from coop.members.roster import prefix_match
from coop.members.rules import (
    FIELD_LABELS,
    MEMBER_FIELDS,
    PAGE_SIZE,
    clean_member_values,
    id_tail,
    member_errors,
    name_initials,
)
from coop.members.signals import announce_status_change, holdings_of
from coop.members.status_history import REASON_MAX, set_status
from coop.money import format_mu
from coop.paging import Page
from coop.tenancy import find_owned


class MemberNotFound(ServiceError):
    def __init__(self) -> None:
        super().__init__("没有找到这个成员")


def today() -> date:
    return clock.today()


# -- reading --------------------------------------------------------------------

def get_member(coop_id: int, member_id: int) -> Member:
    """The member, or ``MemberNotFound`` when it is not in cooperative ``coop_id``."""
    member = find_owned(Member, member_id, coop_id)
    if member is None:
        raise MemberNotFound()
    return member


def get_by_member_no(coop_id: int, member_no: str) -> Member | None:
    return db.session.scalar(select(Member).where(
        Member.cooperative_id == coop_id, Member.member_no == (member_no or "").strip().upper()))


def member_total_shares(member_id: int) -> int:
    """Shares the member holds today (the share register answers; 0 without one)."""
    return holdings_of(member_id).shares


def describe_field(field: str, value: Any) -> tuple[str, str]:
    """(label, value as shown) of a member column, for the stale-save message."""
    label = FIELD_LABELS.get(field, field)
    if value in (None, ""):
        return label, "（空）"
    if field == "id_number":
        return label, mask_resident_id(value)
    if field == "kind":
        return label, MemberKind.label_of(value)
    if field == "status":
        return label, MemberStatus.label_of(value)
    if field == "is_party_member":
        return label, "是" if value else "否"
    return label, str(value)


# -- validating and writing -----------------------------------------------------

@cache
def _clash_statement(column: str, editing: bool):
    """Another member of the cooperative (``coop_id``) whose ``column`` is
    ``value`` (not the one being edited, ``own_id``, when ``editing``), built
    once: every member saved asks it."""
    query = select(Member).where(Member.cooperative_id == bindparam("coop_id"),
                                 getattr(Member, column) == bindparam("value"))
    if editing:
        query = query.where(Member.id != bindparam("own_id"))
    return query.limit(1)


def validate_member(coop_id: int, raw: dict[str, Any], member: Member | None = None,
                    ) -> tuple[dict[str, Any], dict[str, str]]:
    """(cleaned values, errors): every rule, including duplicates in the cooperative.

    ``member`` is the record being edited (it does not clash with itself).
    """
    values, errors = clean_member_values(raw)
    for field, message in member_errors(values, today()).items():
        errors.setdefault(field, message)
    if any(k in raw for k in BANK_FIELDS):
        errors.update(bank_errors(clean_bank(raw)))
    if "relation_to_head" in raw:
        # read as the import's column reads it (coop.members.basis)
        values["relation_to_head"], error = clean_relation(raw["relation_to_head"])
        if error:
            errors["relation_to_head"] = error
    own_id = member.id if member is not None else None

    def clash(column: str, value: Any) -> Member | None:
        return db.session.scalar(_clash_statement(column, own_id is not None),
                                 {"coop_id": coop_id, "value": value, "own_id": own_id})

    if "member_no" not in errors and (other := clash("member_no", values["member_no"])):
        errors["member_no"] = f"成员编号 {values['member_no']} 已被 {other.name} 使用"
    if values.get("id_number") and "id_number" not in errors:
        if other := clash("id_number", values["id_number"]):
            errors["id_number"] = f"这个身份证号已登记在成员 {other.member_no} {other.name} 名下"
    if "joined_on" not in errors and (message := join_date_error(
            latest_closed_year(coop_id), values.get("joined_on"),
            member.joined_on if member is not None else None)):
        errors["joined_on"] = message
    if values.get("kind") == MemberKind.COLLECTIVE and "kind" not in errors:
        if other := clash("kind", MemberKind.COLLECTIVE.value):
            errors["kind"] = f"本合作社已有村集体成员（{other.member_no} {other.name}），只能有一个"
    return values, errors


def join_date_error(latest_closed: int | None, new: date | None, old: date | None) -> str | None:
    """A join date is a dated record: a new one may not fall in the closed period,
    and one that lies there may not change."""
    if new == old:
        return None
    return (locked_record_error(latest_closed, old, "入社日期")
            or period_error(latest_closed, new))


def apply_values(member: Member, values: dict[str, Any]) -> None:
    """Write validated values (and the search keys derived from them) onto
    ``member``, setting only the attributes whose value changes."""
    for field in MEMBER_FIELDS:
        if getattr(member, field) != values[field]:
            setattr(member, field, values[field])
    initials = name_initials(values["name"])
    if member.name_initials != initials:
        member.name_initials = initials
    tail = id_tail(values["id_number"])
    if member.id_tail != tail:
        member.id_tail = tail


def create_member(coop: Cooperative, *, member_no: str, name: str, kind: str,
                  household_no: str = "", village_group: str = "", id_number: str | None = None,
                  phone: str = "", is_party_member: bool = False,
                  joined_on: date | None = None, status: str = MemberStatus.ACTIVE.value,
                  acquired_how: str = MembershipBasis.FOUNDING.value,
                  acquired_on: date | None = None, confirmed_on: date | None = None,
                  relation_to_head: str = "", bank_name: str | None = "",
                  bank_account: str | None = "", bank_holder: str | None = "") -> Member:
    """A new member of ``coop`` (active unless ``status`` says otherwise: a
    person recorded by a gain event is pending), with the bank account its
    dividends are paid to when one is given; ``ValidationFailed`` lists every
    problem."""
    raw = {"member_no": member_no, "name": name, "kind": kind, "household_no": household_no,
           "village_group": village_group, "id_number": id_number, "phone": phone,
           "is_party_member": is_party_member, "joined_on": joined_on,
           "relation_to_head": relation_to_head,
           "bank_name": bank_name, "bank_account": bank_account, "bank_holder": bank_holder}
    values, errors = validate_member(coop.id, raw)
    if errors:
        raise ValidationFailed(errors)
    member = Member(cooperative_id=coop.id, status=status, acquired_how=acquired_how,
                    acquired_on=acquired_on, confirmed_on=confirmed_on,
                    relation_to_head=values["relation_to_head"])
    apply_values(member, values)
    for field, value in clean_bank(raw)._asdict().items():
        setattr(member, field, value)
    db.session.add(member)
    db.session.flush()
    return member


def update_member(member: Member, raw: dict[str, Any],
                  expected_version: int | None = None) -> Member:
    """Save an edit; refuses a stale form (``StaleRecordError``) and bad values.
    The relation to the household head changes only when ``raw`` gives it."""
    values, errors = validate_member(member.cooperative_id, raw, member)
    bank = clean_bank(raw) if any(k in raw for k in BANK_FIELDS) else None
    if errors:
        raise ValidationFailed(errors)
    check_version(member, expected_version, describe_field)
    if member.kind != values["kind"] and member.kind == MemberKind.COLLECTIVE:
        if member_total_shares(member.id):
            raise ValidationFailed({"kind": "村集体持有集体股，不能改为其他类别"})
    apply_values(member, values)
    if "relation_to_head" in values and member.relation_to_head != values["relation_to_head"]:
        member.relation_to_head = values["relation_to_head"]
    if bank is not None:
        for field, value in bank._asdict().items():
            if getattr(member, field) != value:
                setattr(member, field, value)
    db.session.flush()
    return member


STATUS_CHOICES = {
    MemberStatus.ACTIVE.value: "恢复在册（重新入社）",
    MemberStatus.WITHDRAWN.value: "退社",
    MemberStatus.DECEASED.value: "已故",
}


RCEO_STATUS_MESSAGE = (
    "依照《农村集体经济组织法》第十二条、第十七条，成员身份的丧失须登记变动，经成员大会确认后才改变成员名册，"
    "不能在这里直接更改状态：请在本页“成员身份”中登记成员身份丧失。")


def is_specialized(coop: Cooperative) -> bool:
    """Whether ``coop`` is a farmers' specialized cooperative (农民专业合作社法)."""
    return coop.legal_regime == LegalRegime.SPECIALIZED


def direct_status_change(coop: Cooperative) -> bool:
    """Whether the member page changes a member's status directly: a
    farmers' specialized cooperative, yes; under the RCEO only a confirmed
    membership event changes the roster."""
    return is_specialized(coop)


def change_status(member: Member, status: str, on_date: date | None,
                  expected_version: int | None = None, *, reason: str = "",
                  user_id: int | None = None) -> Member:
    """Withdrawn, deceased, or back to active, with the date it happened; the
    change goes into the member's status history with ``reason`` and who
    recorded it."""
    if status not in STATUS_CHOICES:
        raise ServiceError("请选择新的状态", field="status")
    if status == member.status:
        raise ServiceError(f"{member.name} 现在已经是“{member.status_label}”状态", field="status")
    if member.kind == MemberKind.COLLECTIVE:
        raise ServiceError("村集体是合作社的出资成员，不能退社或登记为已故", field="status")
    if member.status == MemberStatus.DECEASED:
        raise ServiceError("已故成员的状态不能再更改；其股份请在股权页面办理继承", field="status")
    if on_date is None:
        raise ServiceError("请填写日期", field="on_date")
    if message := clock.future_error(on_date, "日期", today()):
        raise ServiceError(message, field="on_date")
    if member.joined_on and on_date < member.joined_on:
        raise ServiceError(f"日期不能早于入社日期 {member.joined_on:%Y-%m-%d}", field="on_date")
    if message := closed_date_error(member.cooperative_id, on_date):
        raise ServiceError(message, field="on_date")
    if status == MemberStatus.WITHDRAWN:
        held = holdings_of(member.id)
        if held.land_mu > 0:
            raise ServiceError(
                f"{member.name} 持有的股份附有入股土地 {format_mu(held.land_mu)} 亩，土地尚未退还，不能退社。"
                "请先在股权页面办理退股（所附土地随之退还），或把这些股份转让给其他成员"
                "（土地随股份转让），然后再办理退社。", field="status")
        if held.shares > 0:
            raise ServiceError(
                f"{member.name} 仍持有 {held.shares:,} 股，不能退社。请先在股权页面办理股份转让或退股"
                f"（赎回），持股为 0 后再办理退社。", field="status")
    if len((reason or "").strip()) > REASON_MAX:
        raise ServiceError(f"说明不能超过 {REASON_MAX} 个字", field="reason")
    check_version(member, expected_version, describe_field)
    set_status(member, status, on_date, reason=reason, user_id=user_id)
    db.session.flush()
    announce_status_change(member)
    return member


# -- households -------------------------------------------------------------------

def household_count(coop_id: int) -> int:
    """Households with a vote: at least one active member."""
    return member_counts(coop_id).households


def party_household_count(coop_id: int) -> int:
    """Households with at least one active party member."""
    return db.session.scalar(
        select(func.count(func.distinct(Member.household_no)))
        .where(Member.cooperative_id == coop_id, Member.household_no != "", ACTIVE,
               Member.is_party_member.is_(True))) or 0


def members_without_household(coop_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Member)
        .where(Member.cooperative_id == coop_id, Member.household_no == "", ACTIVE,
               Member.kind != MemberKind.COLLECTIVE.value)) or 0


@dataclass
class Household:
    household_no: str
    village_group: str
    members: int
    active: int
    party: int
    names: list[str]

    @property
    def has_vote(self) -> bool:
        return self.active > 0


def households(coop_id: int, q: str = "", page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of households (grouped in SQL), with the names of their members."""
    where = [Member.cooperative_id == coop_id, Member.household_no != ""]
    q = "".join((q or "").split()).upper()[:20]
    if q:
        where.append(prefix_match(Member.household_no, q))
    total = db.session.scalar(
        select(func.count(func.distinct(Member.household_no))).where(*where)) or 0
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    active = func.sum(case((ACTIVE, 1), else_=0))
    party = func.sum(case((and_(ACTIVE, Member.is_party_member.is_(True)), 1), else_=0))
    rows = db.session.execute(
        select(Member.household_no, func.min(Member.village_group), func.count(), active, party)
        .where(*where).group_by(Member.household_no).order_by(Member.household_no)
        .limit(per_page).offset((page - 1) * per_page)).all()
    names: dict[str, list[str]] = {}
    if rows:
        for no, name in db.session.execute(
                select(Member.household_no, Member.name)
                .where(Member.cooperative_id == coop_id,
                       Member.household_no.in_([r[0] for r in rows]))
                .order_by(Member.household_no, Member.member_no)):
            names.setdefault(no, []).append(name)
    items = [Household(no, group or "", n, int(a or 0), int(p or 0), names.get(no, []))
             for no, group, n, a, p in rows]
    return Page(items, page, per_page, total)


# built once: the member page reads it on every view
_HOUSEHOLD = select(Member).where(Member.cooperative_id == bindparam("coop_id"),
                                  Member.household_no == bindparam("household_no"))


def household_members(coop_id: int, household_no: str) -> list[Member]:
    """The members of one household by member number. Sorted here: a
    household has a handful of members, and an ORDER BY would lead SQLite
    (no statistics) to walk the cooperative's member-number index instead
    of the household index."""
    members = db.session.scalars(_HOUSEHOLD, {"coop_id": coop_id, "household_no": household_no})
    return sorted(members, key=attrgetter("member_no"))
