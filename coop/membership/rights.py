"""Distribution rights for a non-member (《农村集体经济组织法》第十五条).

A person who is not a member but has long worked for the collective and
contributed to it may be granted rights such as a share of the income, by a
member-assembly resolution with three quarters or more of ALL members for.
The resolution is either a passed item of a member assembly recorded in the
meetings (its roster count and votes are the ones checked) or, for an
assembly held before the app kept its meetings, a recorded resolution
number and date with its votes.

The person gets a Member row with ``distribution_rights_only``: active, so
the share register and the distribution plans include them (they may hold
shares), but never a voter (coop.governance.roster leaves them out, and out
of the two thirds of ALL members) and not on the filed member roster.
Services only flush."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.governance.api import AgendaItem, Body, Outcome
from coop.members.api import (Member, MemberKind, MembershipBasis, MemberStatus, create_member,
                              validate_member)
from coop.membership.models import DistributionRight
from coop.membership.people_rules import ART15, check_distribution_right
from coop.tenancy import find_owned

RESOLUTION_MAX = 40


@dataclass(frozen=True)
class Person:
    """Who is granted the rights: the roster's fields of a new record."""

    member_no: str
    name: str
    id_number: str | None = None
    household_no: str = ""
    village_group: str = ""
    phone: str = ""


@dataclass(frozen=True)
class RecordedResolution:
    """A member-assembly resolution recorded by its number, date and votes."""

    resolution_no: str
    resolved_on: date | None
    votes_for: int | None
    all_members: int | None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _from_item(coop_id: int, item_id: Any, errors: dict[str, str]) -> RecordedResolution | None:
    item = find_owned(AgendaItem, item_id, coop_id)
    if item is None or item.outcome != Outcome.PASSED:
        errors["item_id"] = "请选择本社成员大会已通过的决议"
        return None
    reasons = check_distribution_right(body=item.meeting.body, all_members=item.entitled or 0,
                                       votes_for=item.votes_for or 0)
    if reasons:
        errors["item_id"] = reasons[0]
        return None
    return RecordedResolution(item.resolution_no or "", item.meeting.meeting_on, item.votes_for,
                              item.entitled)


def _from_record(given: RecordedResolution, errors: dict[str, str]) -> RecordedResolution | None:
    before = len(errors)
    resolution_no = (given.resolution_no or "").strip()
    if not resolution_no:
        errors["resolution_no"] = "请选择已记录的决议，或填写成员大会决议文号"
    elif len(resolution_no) > RESOLUTION_MAX:
        errors["resolution_no"] = f"决议文号不能超过 {RESOLUTION_MAX} 个字"
    if given.resolved_on is None:
        errors["resolved_on"] = "请填写决议日期"
    elif given.resolved_on > clock.today():
        errors["resolved_on"] = "决议日期晚于今天"
    votes_for, all_members = _int(given.votes_for), _int(given.all_members)
    if all_members is None:
        errors["all_members"] = f"{ART15}：请填写成员大会全体成员人数"
    if votes_for is None:
        errors["votes_for"] = "请填写同意人数"
    if votes_for is not None and all_members is not None:
        reasons = check_distribution_right(body=Body.ASSEMBLY.value, all_members=all_members,
                                           votes_for=votes_for)
        if reasons:
            errors["votes_for"] = reasons[0]
    if len(errors) > before:
        return None
    return RecordedResolution(resolution_no, given.resolved_on, votes_for, all_members)


def grant_rights(cooperative: Cooperative, person: Person, *, item_id: Any = None,
                 recorded: RecordedResolution | None = None, granted_on: date | None = None,
                 user_id: int | None = None) -> DistributionRight:
    """Grant art 15 distribution rights to ``person`` (a new record of the
    roster) by the passed item ``item_id`` of a member assembly, or by the
    ``recorded`` resolution when no item is given."""
    errors: dict[str, str] = {}
    if item_id not in (None, ""):
        resolution = _from_item(cooperative.id, item_id, errors)
    else:
        resolution = _from_record(recorded or RecordedResolution("", None, None, None), errors)
    if granted_on is None:
        errors["granted_on"] = "请填写享有权利的起始日期"
    elif resolution is not None and resolution.resolved_on and granted_on < resolution.resolved_on:
        errors["granted_on"] = f"起始日期早于决议日期 {resolution.resolved_on:%Y-%m-%d}"
    raw = {"member_no": person.member_no, "name": person.name, "kind": MemberKind.VILLAGER.value,
           "household_no": person.household_no, "village_group": person.village_group,
           "id_number": person.id_number, "phone": person.phone, "joined_on": granted_on}
    _, person_errors = validate_member(cooperative.id, raw)
    if "joined_on" in person_errors:   # the roster's join date is the day the rights begin
        errors.setdefault("granted_on", person_errors.pop("joined_on"))
    errors = {**person_errors, **errors}
    if errors or resolution is None:
        raise ValidationFailed(errors)
    member = create_member(cooperative, **raw)
    member.status = MemberStatus.ACTIVE.value
    member.distribution_rights_only = True
    member.acquired_how = MembershipBasis.OTHER.value
    member.acquired_on = resolution.resolved_on
    right = DistributionRight(
        cooperative_id=cooperative.id, member_id=member.id,
        agenda_item_id=int(item_id) if item_id not in (None, "") else None,
        resolution_no=resolution.resolution_no, resolved_on=resolution.resolved_on,
        votes_for=resolution.votes_for, all_members=resolution.all_members,
        granted_on=granted_on, recorded_by_id=user_id)
    db.session.add(right)
    db.session.flush()
    return right


def rights_of(member: Member) -> DistributionRight | None:
    return db.session.scalar(select(DistributionRight).where(
        DistributionRight.cooperative_id == member.cooperative_id,
        DistributionRight.member_id == member.id).order_by(DistributionRight.id.desc()).limit(1))


@dataclass(frozen=True)
class RightRow:
    right: DistributionRight
    member: Member


def rights_list(coop_id: int) -> list[RightRow]:
    rows = db.session.execute(select(DistributionRight, Member)
                              .join(Member, Member.id == DistributionRight.member_id)
                              .where(DistributionRight.cooperative_id == coop_id)
                              .order_by(DistributionRight.granted_on.desc(), DistributionRight.id.desc()))
    return [RightRow(right, member) for right, member in rows]
