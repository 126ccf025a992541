"""The member roster (成员名册) in versions: version 1 is the roster as it
stands when first made (a button, once). In a collective each list the
member assembly decides makes the next, with the resolution that confirmed
it; a farmers' specialized cooperative, whose members join and leave on the
member pages, makes the next by the same button once its members changed
(《农民专业合作社法》第十九条第二款). A version is
a full snapshot (``RosterEntry``); its differences are computed from the
previous version's. Its filing with the township and the county
agriculture bureau (《农村集体经济组织法》第十二条) is recorded on it, and
a version unfiled 30 days after its making is overdue. Services flush,
never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from coop import clock
from coop.audit.api import check_version
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.governance.api import Regime, regime_of
from coop.idcodes import birth_date, gender
from coop.members.api import Member, MemberKind, MembershipBasis, MemberStatus
from coop.membership.models import RosterEntry, RosterVersion
from coop.membership.roster_rules import (RCEO, RosterDiff, RosterRow, filing_due_on, filing_errors,
                                          filing_overdue, roster_diff)
from coop.tenancy import get_owned

FIELD_LABELS = {"filed_on": "备案日期", "filed_with": "受理机关", "receipt_no": "回执编号"}
BASIS_LABELS = {basis.value: basis.label for basis in MembershipBasis}
CONFIRMED_BASES = frozenset({MembershipBasis.BIRTH, MembershipBasis.MARRIAGE, MembershipBasis.ADOPTION,
                             MembershipBasis.MIGRATION, MembershipBasis.OTHER})


FSC_19 = "《农民专业合作社法》第十九条第二款"


def filing_rule(cooperative: Any) -> str:
    """Where the roster is filed, by the cooperative's regime."""
    if regime_of(cooperative) is Regime.COLLECTIVE:
        return (f"{RCEO}第十二条：农村集体经济组织应当制作或者变更成员名册，成员名册报乡镇人民政府和"
                "县级人民政府农业农村主管部门备案")
    return f"{FSC_19}：农民专业合作社应当置备成员名册，并报登记机关"


def describe_field(field: str, value: Any) -> tuple[str, str]:
    return FIELD_LABELS.get(field, field), "（空）" if value in (None, "") else str(value)


def _remark(member: Member) -> str:
    if member.acquired_how == MembershipBasis.CONFIRMED_BEFORE_LAW:
        return f"{RCEO}第六十六条：施行前已确认，不再重新确认"
    if member.acquired_how in CONFIRMED_BASES and member.confirmed_on is not None:
        return f"{member.confirmed_on:%Y-%m-%d} 成员大会确认"
    return ""


def current_rows(coop_id: int) -> list[RosterRow]:
    """The members on the roster now: confirmed and not lost, people (not the
    collective entity), without those who only hold distribution rights
    (art 15: not members)."""
    members = db.session.scalars(select(Member).where(
        Member.cooperative_id == coop_id, Member.status == MemberStatus.ACTIVE.value,
        Member.kind != MemberKind.COLLECTIVE.value,
        Member.distribution_rights_only.is_(False)).order_by(Member.member_no))
    return [RosterRow(member_id=m.id, member_no=m.member_no, name=m.name,
                      gender=gender(m.id_number), birth_date=birth_date(m.id_number),
                      id_number=m.id_number or "", household_no=m.household_no,
                      relation_to_head=m.relation_to_head, village_group=m.village_group,
                      acquired_how=m.acquired_how, acquired_label=BASIS_LABELS.get(m.acquired_how, ""),
                      acquired_on=m.acquired_on, remark=_remark(m)) for m in members]


def _row(entry: RosterEntry) -> RosterRow:
    return RosterRow(member_id=entry.member_id, member_no=entry.member_no, name=entry.name,
                     gender=entry.gender, birth_date=entry.birth_date, id_number=entry.id_number or "",
                     household_no=entry.household_no, relation_to_head=entry.relation_to_head,
                     village_group=entry.village_group, acquired_how=entry.acquired_how,
                     acquired_label=BASIS_LABELS.get(entry.acquired_how, ""),
                     acquired_on=entry.acquired_on, remark=entry.remark)


# -- reading ------------------------------------------------------------------------

def versions_of(coop_id: int) -> list[RosterVersion]:
    """Every version, latest first."""
    return list(db.session.scalars(select(RosterVersion).where(
        RosterVersion.cooperative_id == coop_id).order_by(RosterVersion.number.desc())))


def version_by_number(coop_id: int, number: int | None) -> RosterVersion | None:
    """Version ``number``, or the latest when None."""
    query = select(RosterVersion).where(RosterVersion.cooperative_id == coop_id)
    if number is not None:
        query = query.where(RosterVersion.number == number)
    return db.session.scalar(query.order_by(RosterVersion.number.desc()).limit(1))


def rows_of(version: RosterVersion) -> list[RosterRow]:
    return [_row(entry) for entry in db.session.scalars(
        select(RosterEntry).where(RosterEntry.roster_id == version.id)
        .order_by(RosterEntry.member_no, RosterEntry.id))]


def previous_of(version: RosterVersion) -> RosterVersion | None:
    return db.session.scalar(select(RosterVersion).where(
        RosterVersion.cooperative_id == version.cooperative_id,
        RosterVersion.number < version.number).order_by(RosterVersion.number.desc()).limit(1))


def diff_of(version: RosterVersion) -> RosterDiff:
    """What the version changed from the one before (everyone added, for version 1)."""
    previous = previous_of(version)
    return roster_diff(rows_of(previous) if previous else [], rows_of(version))


@dataclass(frozen=True)
class Filing:
    """Where a version stands with its filing."""

    due_on: date
    overdue: bool
    filed: bool

    @property
    def label(self) -> str:
        if self.filed:
            return "已备案"
        return "逾期未备案" if self.overdue else "待备案"


def filing_of(version: RosterVersion, today: date | None = None) -> Filing:
    return Filing(filing_due_on(version.made_on),
                  filing_overdue(version.made_on, version.filed_on, today or clock.today()),
                  version.filed_on is not None)


def overdue_versions(coop_id: int, today: date | None = None) -> list[RosterVersion]:
    """Versions not filed within 30 days of their making."""
    today = today or clock.today()
    return [v for v in db.session.scalars(select(RosterVersion).where(
        RosterVersion.cooperative_id == coop_id, RosterVersion.filed_on.is_(None))
        .order_by(RosterVersion.number)) if filing_overdue(v.made_on, None, today)]


# -- making -------------------------------------------------------------------------

def _make(coop_id: int, *, made_on: date, list_id: int | None, resolution_no: str | None,
          user_id: int | None) -> RosterVersion:
    rows = current_rows(coop_id)
    number = (db.session.scalar(select(func.max(RosterVersion.number)).where(
        RosterVersion.cooperative_id == coop_id)) or 0) + 1
    version = RosterVersion(cooperative_id=coop_id, number=number, made_on=made_on, list_id=list_id,
                            resolution_no=resolution_no, member_count=len(rows),
                            created_by_id=user_id)
    db.session.add(version)
    db.session.flush()
    db.session.add_all(RosterEntry(
        roster_id=version.id, member_id=r.member_id, member_no=r.member_no, name=r.name,
        gender=r.gender, birth_date=r.birth_date, id_number=r.id_number or None,
        household_no=r.household_no, relation_to_head=r.relation_to_head,
        village_group=r.village_group, acquired_how=r.acquired_how, acquired_on=r.acquired_on,
        remark=r.remark) for r in rows)
    db.session.flush()
    return version


def make_first_version(coop_id: int, *, user_id: int | None = None) -> RosterVersion:
    """Version 1: the roster as it stands today. Made once; later versions
    come from the lists the member assembly decides."""
    if db.session.scalar(select(func.count()).select_from(RosterVersion).where(
            RosterVersion.cooperative_id == coop_id)):
        raise ServiceError("成员名册第 1 版已经编制；此后每份确认名单经成员大会表决通过后自动生成新版本")
    if not current_rows(coop_id):
        raise ServiceError("名册上还没有在册成员，不能编制成员名册")
    return _make(coop_id, made_on=clock.today(), list_id=None, resolution_no=None, user_id=user_id)


def make_next_version(cooperative: Any, *, user_id: int | None = None) -> RosterVersion:
    """The next version made by hand: version 1 for any cooperative; a later
    one only for a farmers' specialized cooperative whose members changed since
    its latest version (a collective's come from the lists its member assembly
    decides, RCEO art 12)."""
    latest = version_by_number(cooperative.id, None)
    if latest is None:
        return make_first_version(cooperative.id, user_id=user_id)
    if regime_of(cooperative) is Regime.COLLECTIVE:
        raise ServiceError(f"成员名册第 1 版已经编制；依照{RCEO}第十二条，此后每份确认名单经成员大会"
                           "表决通过后自动生成新版本")
    rows = current_rows(cooperative.id)
    if not rows:
        raise ServiceError("名册上没有在册成员，不能编制成员名册")
    if roster_diff(rows_of(latest), rows).is_empty:
        raise ServiceError(f"在册成员与第 {latest.number} 版名册相同，无须编制新版本；"
                           "成员入社、退社或信息变更后再编制")
    return _make(cooperative.id, made_on=clock.today(), list_id=None, resolution_no=None,
                 user_id=user_id)


def make_version_for_list(coop_id: int, *, list_id: int, resolution_no: str | None,
                          made_on: date, user_id: int | None = None) -> RosterVersion:
    """The version a decided list makes (the roster after its events were confirmed)."""
    return _make(coop_id, made_on=made_on, list_id=list_id, resolution_no=resolution_no,
                 user_id=user_id)


def record_filing(version: RosterVersion, *, filed_on: date | None, filed_with: str,
                  receipt_no: str, expected_version: int | None = None) -> RosterVersion:
    """The day a version was filed, with whom, and the receipt number (a
    correction rewrites them, its version checked)."""
    filed_with, receipt_no = (filed_with or "").strip(), (receipt_no or "").strip()
    errors = filing_errors(version.made_on, filed_on, filed_with, receipt_no, clock.today())
    if errors:
        raise ValidationFailed(errors)
    check_version(version, expected_version, describe_field)
    for field, value in (("filed_on", filed_on), ("filed_with", filed_with),
                         ("receipt_no", receipt_no or None)):
        if getattr(version, field) != value:
            setattr(version, field, value)
    db.session.flush()
    return version


def get_version(coop_id: int, version_id: Any) -> RosterVersion:
    return get_owned(RosterVersion, version_id, coop_id)
