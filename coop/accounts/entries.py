"""Writing and adding up the member-account entries: the reserve and the state
grants and donations quantified to each member when a year's plan is approved
(农民专业合作社法第四十二、四十三条). Services only flush."""
from __future__ import annotations

from typing import Mapping, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from coop.accounts.constants import AccountEntryKind
from coop.accounts.models import AccountEntry
from coop.errors import ServiceError
from coop.extensions import db
from coop.members.api import Member


class AccountBalance(NamedTuple):
    """What has been quantified to one member: reserve and grants (fen)."""

    reserve_fen: int = 0
    grants_fen: int = 0


def balances_where(coop_id: int, *where) -> dict[int, AccountBalance]:
    """member id -> the sums of the entries ``where`` selects (both zero: left out)."""
    rows = db.session.execute(
        select(AccountEntry.member_id, AccountEntry.kind, func.sum(AccountEntry.amount_fen))
        .where(AccountEntry.cooperative_id == coop_id, *where)
        .group_by(AccountEntry.member_id, AccountEntry.kind))
    sums: dict[int, dict[str, int]] = {}
    for member_id, kind, total in rows:
        sums.setdefault(member_id, {})[kind] = int(total or 0)
    balances = {member_id: AccountBalance(by_kind.get(AccountEntryKind.RESERVE, 0),
                                          by_kind.get(AccountEntryKind.GRANT, 0))
                for member_id, by_kind in sums.items()}
    return {member_id: b for member_id, b in balances.items() if b.reserve_fen or b.grants_fen}


def balances_before(coop_id: int, year: int) -> dict[int, AccountBalance]:
    """member id -> the sums of the entries of the years before ``year``
    (members whose sums are both zero are left out)."""
    return balances_where(coop_id, AccountEntry.year < year)


def balances_through(coop_id: int, year: int) -> dict[int, AccountBalance]:
    """member id -> the sums of the entries up to and including ``year``."""
    return balances_where(coop_id, AccountEntry.year <= year)


def year_movements(coop_id: int, year: int) -> dict[int, AccountBalance]:
    """member id -> the net amounts quantified in ``year`` (reversals included)."""
    return balances_where(coop_id, AccountEntry.year == year)


def live_entries(coop_id: int, year: int) -> list[AccountEntry]:
    """The entries of ``year`` that stand: neither a reversal nor reversed."""
    reversal = aliased(AccountEntry)
    return list(db.session.scalars(
        select(AccountEntry)
        .outerjoin(reversal, reversal.reverses_id == AccountEntry.id)
        .where(AccountEntry.cooperative_id == coop_id, AccountEntry.year == year,
               AccountEntry.reverses_id.is_(None), reversal.id.is_(None))
        .order_by(AccountEntry.id)))


def _check_members(coop_id: int, member_ids: set[int]) -> None:
    if not member_ids:
        return
    known = set(db.session.scalars(select(Member.id).where(
        Member.cooperative_id == coop_id, Member.id.in_(member_ids))))
    if member_ids - known:
        raise ServiceError("量化对象不是本社成员（农民专业合作社法第四十三条：成员账户只为本社成员设立）")


def record_quantification(coop_id: int, year: int, *, plan_id: int,
                          reserve: Mapping[int, int], grants: Mapping[int, int],
                          user_id: int | None) -> None:
    """One entry per member and kind with a non-zero amount, all of ``plan_id``.

    Refused while the year already has live entries: a replaced plan's
    quantification is reversed first (:func:`reverse_quantification`)."""
    if live_entries(coop_id, year):
        raise ServiceError(f"{year} 年度的公积金和补助已量化到成员账户，须先冲销原方案的量化"
                           "（农民专业合作社法第四十二、四十三条）")
    amounts = {AccountEntryKind.RESERVE: reserve, AccountEntryKind.GRANT: grants}
    for by_member in amounts.values():
        if any(not isinstance(v, int) or isinstance(v, bool) for v in by_member.values()):
            raise ServiceError("量化金额须为整数（分）")
    _check_members(coop_id, {m for by_member in amounts.values()
                             for m, amount in by_member.items() if amount})
    for kind, by_member in amounts.items():
        for member_id in sorted(by_member):
            amount = by_member[member_id]
            if amount:
                db.session.add(AccountEntry(
                    cooperative_id=coop_id, member_id=member_id, year=year, kind=kind.value,
                    amount_fen=amount, plan_id=plan_id, recorded_by_id=user_id))
    db.session.flush()


def reverse_quantification(coop_id: int, year: int, *, plan_id: int,
                           user_id: int | None) -> None:
    """A reversing entry (opposite amount, ``reverses_id`` set, of ``plan_id``)
    for every live entry of ``year``; nothing when there is none."""
    for entry in live_entries(coop_id, year):
        db.session.add(AccountEntry(
            cooperative_id=coop_id, member_id=entry.member_id, year=year, kind=entry.kind,
            amount_fen=-entry.amount_fen, plan_id=plan_id, reverses_id=entry.id,
            recorded_by_id=user_id))
    db.session.flush()
