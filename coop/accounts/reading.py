"""Reading the member accounts (成员账户, 农民专业合作社法第四十三条): each
member's capital, the reserve and the grants and donations quantified to them,
and their business with the cooperative, year by year with running balances;
the cooperative's member and non-member business apart (第四十一条).

Only a farmers' specialized cooperative keeps member accounts; the joint-stock
cooperative of the RCEO law distributes by shares. Nothing here writes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Collection

from sqlalchemy import func, or_, select

from coop import clock
from coop.accounts.constants import AccountEntryKind
from coop.accounts.entries import AccountBalance, balances_where
from coop.accounts.models import AccountEntry
from coop.accounts.sources import capital_of, first_share_year, total_capital_fen
from coop.cooperatives.api import Cooperative, DistributionMode
from coop.extensions import db
from coop.machinery.api import (Business, BusinessSplit, business_split, ledger_years,
                                member_business, member_business_by_year)
from coop.members.api import Member
from coop.paging import Page

NOT_KEPT = ("成员账户是农民专业合作社的制度（《农民专业合作社法》第四十三条）；"
            "本社为股份经济合作社，按股份分红，不设成员账户。")


def keeps_accounts(coop: Cooperative) -> bool:
    """Only a farmers' specialized cooperative keeps member accounts."""
    return coop.distribution_mode == DistributionMode.SPECIALIZED.value


def year_end(year: int) -> date:
    return date(year, 12, 31)


@dataclass(frozen=True)
class AccountYear:
    """One year of one member's account. Capital at the year's end and its
    change in the year; the reserve and the grants quantified in the year and
    their balances at its end; the member's orders of the year."""

    year: int
    capital_fen: int
    capital_change_fen: int
    reserve_fen: int
    reserve_balance_fen: int
    grants_fen: int
    grants_balance_fen: int
    business: Business

    @property
    def total_fen(self) -> int:
        """The account at the year's end: capital + reserve share + grants share."""
        return self.capital_fen + self.reserve_balance_fen + self.grants_balance_fen


@dataclass(frozen=True)
class MemberAccount:
    member: Member
    years: list[AccountYear]  # oldest first
    entries: list[AccountEntry]  # newest first

    @property
    def latest(self) -> AccountYear:
        return self.years[-1]


@dataclass(frozen=True)
class AccountRow:
    """A member's line in the table of every account for one year."""

    member: Member
    account: AccountYear


@dataclass(frozen=True)
class YearBusiness:
    year: int
    split: BusinessSplit

    @property
    def total_fen(self) -> int:
        return self.split.members.amount_fen + self.split.nonmembers.amount_fen

    @property
    def members_share_bp(self) -> int | None:
        """The members' part of the year's business, in basis points (floor)."""
        total = self.total_fen
        return self.split.members.amount_fen * 10_000 // total if total > 0 else None


# -- one member -------------------------------------------------------------------


def _account_years(coop_id: int, years: list[int], member_ids: Collection[int],
                   ) -> dict[int, dict[int, AccountYear]]:
    """member id -> year -> AccountYear, for consecutive ``years``."""
    first = years[0]
    capital = {y: capital_of(coop_id, year_end(y), member_ids) for y in [first - 1, *years]}
    ids = list(member_ids)
    before = balances_where(coop_id, AccountEntry.year < first, AccountEntry.member_id.in_(ids))
    moves = {y: balances_where(coop_id, AccountEntry.year == y, AccountEntry.member_id.in_(ids))
             for y in years}
    business = {y: member_business(coop_id, y) for y in years}
    result: dict[int, dict[int, AccountYear]] = {}
    for member_id in ids:
        running = before.get(member_id, AccountBalance())
        result[member_id] = {}
        for y in years:
            move = moves[y].get(member_id, AccountBalance())
            running = AccountBalance(running.reserve_fen + move.reserve_fen,
                                     running.grants_fen + move.grants_fen)
            end = capital[y].get(member_id, 0)
            result[member_id][y] = AccountYear(
                year=y, capital_fen=end,
                capital_change_fen=end - capital[y - 1].get(member_id, 0),
                reserve_fen=move.reserve_fen, reserve_balance_fen=running.reserve_fen,
                grants_fen=move.grants_fen, grants_balance_fen=running.grants_fen,
                business=business[y].get(member_id, Business()))
    return result


def accounts_of_year(coop_id: int, year: int, member_ids: Collection[int]
                     ) -> dict[int, AccountYear]:
    """member id -> the member's account of ``year`` (the annual statement)."""
    ids = list(member_ids)
    result: dict[int, AccountYear] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        result.update({m: years[year] for m, years in
                       _account_years(coop_id, [year], chunk).items()})
    return result


def _member_first_year(member: Member) -> int | None:
    coop_id = member.cooperative_id
    years = [first_share_year(coop_id, member.id), *member_business_by_year(coop_id, member.id),
             db.session.scalar(select(func.min(AccountEntry.year)).where(
                 AccountEntry.member_id == member.id))]
    if member.joined_on is not None:
        years.append(member.joined_on.year)
    return min((y for y in years if y is not None), default=None)


def member_account(member: Member) -> MemberAccount:
    """The member's account from the first year with anything in it (or the
    year they joined) to this year."""
    this_year = clock.today().year
    first = min(_member_first_year(member) or this_year, this_year)
    years = list(range(first, this_year + 1))
    by_year = _account_years(member.cooperative_id, years, [member.id])[member.id]
    entries = list(db.session.scalars(
        select(AccountEntry).where(AccountEntry.member_id == member.id)
        .order_by(AccountEntry.year.desc(), AccountEntry.id.desc())))
    return MemberAccount(member, [by_year[y] for y in years], entries)


# -- every member, one year ---------------------------------------------------------


def account_years(coop_id: int) -> list[int]:
    """The years the accounts page offers, newest first: the ledger's years,
    from the first register entry on, to this year."""
    years = set(ledger_years(coop_id))
    first = first_share_year(coop_id)
    if first is not None:
        years.update(range(first, max(years) + 1))
    return sorted(years, reverse=True)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(q: str | None) -> str:
    """A search as typed, without control characters (PostgreSQL refuses a
    NUL in a string), trimmed to the longest thing worth searching for."""
    return _CONTROL.sub("", q or "").strip()[:60]


def _roster(coop_id: int, q: str):
    query = select(Member).where(Member.cooperative_id == coop_id)
    q = clean_query(q)
    if q:
        query = query.where(or_(func.lower(Member.member_no).startswith(q.lower(), autoescape=True),
                                Member.name.contains(q, autoescape=True),
                                Member.name_initials.startswith(q.lower(), autoescape=True)))
    return query


def _rows(coop_id: int, year: int, members: list[Member]) -> list[AccountRow]:
    accounts = accounts_of_year(coop_id, year, [m.id for m in members])
    return [AccountRow(m, accounts[m.id]) for m in members]


def accounts_page(coop_id: int, year: int, q: str, page: int, per_page: int) -> Page:
    """One page of the accounts of ``year``, by member number; ``q`` a member
    number, part of a name or pinyin initials."""
    query = _roster(coop_id, q)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    members = list(db.session.scalars(
        query.order_by(func.length(Member.member_no), Member.member_no)
        .limit(per_page).offset((page - 1) * per_page)))
    return Page(_rows(coop_id, year, members), page, per_page, total)


def all_accounts(coop_id: int, year: int) -> list[AccountRow]:
    """Every member's account of ``year``, by member number (the export)."""
    return _rows(coop_id, year, list(db.session.scalars(_roster(coop_id, "").order_by(
        func.length(Member.member_no), Member.member_no))))


@dataclass(frozen=True)
class AccountTotals(AccountYear):
    """All the accounts of a year added up (the figures of one account)."""


def account_totals(coop_id: int, year: int) -> AccountTotals:
    def summed(*where) -> AccountBalance:
        rows = db.session.execute(
            select(AccountEntry.kind, func.sum(AccountEntry.amount_fen))
            .where(AccountEntry.cooperative_id == coop_id, *where)
            .group_by(AccountEntry.kind))
        sums = {kind: int(total or 0) for kind, total in rows}
        return AccountBalance(sums.get(AccountEntryKind.RESERVE.value, 0),
                              sums.get(AccountEntryKind.GRANT.value, 0))

    move, balance = summed(AccountEntry.year == year), summed(AccountEntry.year <= year)
    capital = total_capital_fen(coop_id, year_end(year))
    return AccountTotals(
        year=year, capital_fen=capital,
        capital_change_fen=capital - total_capital_fen(coop_id, year_end(year - 1)),
        reserve_fen=move.reserve_fen, reserve_balance_fen=balance.reserve_fen,
        grants_fen=move.grants_fen, grants_balance_fen=balance.grants_fen,
        business=business_split(coop_id, year).members)


def business_by_year(coop_id: int) -> list[YearBusiness]:
    """Member and non-member business of every ledger year, newest first (第四十一条)."""
    return [YearBusiness(y, business_split(coop_id, y)) for y in account_years(coop_id)]
