"""Household changes that do not change who is a member: a member moving to
another household (a marriage between two members), a household splitting
into two (the leaving part gets a new number) and two households merging
(one number remains). Each keeps one head (户主) per household. Gains and
losses move household numbers themselves (coop.membership.events: a birth or
a marriage in joins the relative's household, a confirmed loss leaves the
person's number as the record of where they were). Services only flush."""
from __future__ import annotations

from dataclasses import dataclass

from coop.errors import ServiceError, ValidationFailed
from coop.members.api import Member, MemberStatus, household_members, update_member
from coop.membership.events import suggest_household_no

HEAD = "户主"
RELATIONS = ("户主", "配偶", "子", "女", "父母", "儿媳", "女婿", "孙子女", "兄弟姐妹", "其他")


@dataclass(frozen=True)
class HouseholdChange:
    household_no: str
    moved: int


def _values(member: Member, household_no: str) -> dict:
    return {"member_no": member.member_no, "name": member.name, "kind": member.kind,
            "household_no": household_no, "village_group": member.village_group,
            "id_number": member.id_number, "phone": member.phone,
            "is_party_member": member.is_party_member, "joined_on": member.joined_on}


def _move(member: Member, household_no: str, relation: str) -> None:
    try:
        update_member(member, _values(member, household_no))
    except ValidationFailed as exc:
        raise ValidationFailed({"household_no": exc.errors.get("household_no")
                                or "；".join(exc.errors.values())}) from None
    if member.relation_to_head != relation:
        member.relation_to_head = relation


def _relation(value: str) -> str:
    value = (value or "").strip()
    if value not in RELATIONS:
        raise ServiceError("请从列表中选择与户主关系", field="relation_to_head")
    return value


def _head_of(members: list[Member]) -> Member | None:
    return next((m for m in members if m.relation_to_head == HEAD
                 and m.status in (MemberStatus.ACTIVE, MemberStatus.PENDING)), None)


def move_member(member: Member, household_no: str, relation_to_head: str) -> HouseholdChange:
    """``member`` joins household ``household_no`` (which must exist) as ``relation_to_head``."""
    relation = _relation(relation_to_head)
    target = "".join((household_no or "").split()).upper()
    if not target:
        raise ServiceError("请填写要迁入的户号", field="household_no")
    if target == member.household_no:
        raise ServiceError(f"{member.name} 已在户 {target}", field="household_no")
    there = household_members(member.cooperative_id, target)
    if not there:
        raise ServiceError(f"户号 {target} 不存在：分户请用“分户”", field="household_no")
    if relation == HEAD and (head := _head_of(there)) is not None:
        raise ServiceError(f"户 {target} 已有户主 {head.name}：一户只有一位户主",
                           field="relation_to_head")
    _move(member, target, relation)
    return HouseholdChange(target, 1)


def split_household(coop_id: int, household_no: str, member_ids: list[int], head_id: int | None,
                    new_no: str = "") -> HouseholdChange:
    """The members ``member_ids`` of ``household_no`` leave it as a new
    household (``new_no``, or the next free number), ``head_id`` its head."""
    members = household_members(coop_id, household_no)
    if not members:
        raise ServiceError(f"户号 {household_no} 不存在", field="member_ids")
    ids = set(member_ids)
    leaving = [m for m in members if m.id in ids]
    if not leaving:
        raise ServiceError("请勾选分出去的成员", field="member_ids")
    if len(leaving) != len(ids):
        raise ServiceError("勾选的人不都在这一户", field="member_ids")
    if len(leaving) == len(members):
        raise ServiceError("不能把全户都分出去：至少留下一人", field="member_ids")
    head = next((m for m in leaving if m.id == head_id), None)
    if head is None:
        raise ServiceError("请在分出去的成员中指定新户的户主", field="head_id")
    target = "".join((new_no or "").split()).upper() or suggest_household_no(coop_id, household_no)
    if household_members(coop_id, target):
        raise ServiceError(f"户号 {target} 已被使用，请换一个", field="new_no")
    for member in leaving:
        _move(member, target, HEAD if member is head else
              ("其他" if member.relation_to_head == HEAD else member.relation_to_head))
    return HouseholdChange(target, len(leaving))


def merge_households(coop_id: int, into_no: str, from_no: str) -> HouseholdChange:
    """Every member of ``from_no`` joins ``into_no``; its head becomes 其他."""
    into = "".join((into_no or "").split()).upper()
    if into == from_no:
        raise ServiceError("不能与本户合并", field="into_no")
    if not household_members(coop_id, into):
        raise ServiceError(f"户号 {into} 不存在", field="into_no")
    moving = household_members(coop_id, from_no)
    if not moving:
        raise ServiceError(f"户号 {from_no} 不存在", field="into_no")
    for member in moving:
        _move(member, into, "其他" if member.relation_to_head == HEAD else member.relation_to_head)
    return HouseholdChange(into, len(moving))
