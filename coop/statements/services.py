"""Annual statements (年度股金分红对账单): one per member with a line in a year's
effective dividend plan (approved or later, not superseded; never a draft).

A statement is assembled from the plan and its line (the frozen figures) and
from the share register (holdings at the start and end of the year, the
movements in between, the member's contributions). ``build_statements`` does
it for many members with a fixed number of queries, so a batch of thousands
costs the same few queries as one statement. Services read only.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import lazyload

from coop.accounts.api import AccountYear, accounts_of_year, keeps_accounts
from coop.cooperatives.api import Cooperative, ShareClass
from coop.dividends.api import (
    DividendLine,
    DividendPlan,
    Paid,
    PlanStatus,
    Pool,
    approving_assembly,
    effective_plan,
    paid_of,
    pools,
)
from coop.errors import RecordNotFound
from coop.extensions import db
from coop.members.api import Member
from coop.money import format_mu, format_yuan, round_half_up_div
from coop.shares.api import CLASSES, ContributionKind, ShareEntry
from coop.statements.numerals import capital_yuan

VISIBLE_STATUSES = (PlanStatus.APPROVED.value, PlanStatus.PUBLISHED.value, PlanStatus.PAID.value)


# -- which plan a year's statements come from ---------------------------------


def year_plan(coop_id: int, year: int) -> DividendPlan:
    """The effective plan of ``year`` (``effective_plan``), or RecordNotFound
    (a 404 in a request) when the year has none."""
    plan = effective_plan(coop_id, year)
    if plan is None:
        raise RecordNotFound("DividendPlan")
    return plan


# built once: a member's home page reads these on every view
_EFFECTIVE_PLANS = (
    select(DividendPlan).where(
        DividendPlan.cooperative_id == bindparam("coop_id"),
        DividendPlan.status.in_(VISIBLE_STATUSES), DividendPlan.superseded_by_id.is_(None))
    .order_by(DividendPlan.year.desc(), DividendPlan.version_no.desc()))
_MEMBER_LINES = (
    select(DividendPlan, DividendLine)
    .join(DividendLine, DividendLine.plan_id == DividendPlan.id)
    .where(DividendLine.member_id == bindparam("member_id"),
           DividendPlan.status.in_(VISIBLE_STATUSES), DividendPlan.superseded_by_id.is_(None))
    .order_by(DividendPlan.year.desc(), DividendPlan.version_no.desc()))


def effective_plans(coop_id: int) -> list[DividendPlan]:
    """The effective plan of every year that has one, newest year first."""
    return list(db.session.scalars(_EFFECTIVE_PLANS, {"coop_id": coop_id}))


def statement_years(coop_id: int) -> list[int]:
    seen: list[int] = []
    for plan in effective_plans(coop_id):
        if plan.year not in seen:
            seen.append(plan.year)
    return seen


class MemberLine(NamedTuple):
    """A member's line in a year's effective plan."""

    plan: DividendPlan
    line: DividendLine

    @property
    def paid(self) -> Paid | None:
        """How the line was paid (the cash and the part turned into capital apart), or None."""
        return paid_of(self.line)


def member_lines(member_id: int) -> list[MemberLine]:
    """A member's lines in effective plans, newest year first (never a draft)."""
    rows = db.session.execute(_MEMBER_LINES, {"member_id": member_id})
    out: list[MemberLine] = []
    years: set[int] = set()
    for plan, line in rows:
        if plan.year not in years:
            years.add(plan.year)
            out.append(MemberLine(plan, line))
    return out


def member_line(member_id: int, line_id: int) -> MemberLine:
    """The member's own line ``line_id`` of an effective plan, or RecordNotFound
    (another member's line, a draft's, a superseded plan's or none at all)."""
    for entry in member_lines(member_id):
        if entry.line.id == line_id:
            return entry
    raise RecordNotFound("DividendLine")


def plan_lines(plan: DividendPlan) -> list[DividendLine]:
    return list(db.session.scalars(
        select(DividendLine).where(DividendLine.plan_id == plan.id)
        .order_by(DividendLine.member_no)))


def current_notice(coop_id: int) -> DividendPlan | None:
    """The newest effective plan that has been published (公示)."""
    for plan in effective_plans(coop_id):
        if plan.is_noticed and plan.notice_start:
            return plan
    return None


@dataclass(frozen=True)
class Payout:
    """What a year's plan gives the members, part by part as the plan names
    them, and how much of it has been paid: ``paid_fen`` the paid lines'
    totals, ``paid_cash_fen`` of it in cash (the rest turned into capital)."""

    plan: DividendPlan
    parts: list[Pool]
    lines: int
    paid_lines: int
    paid_fen: int
    paid_cash_fen: int

    @property
    def total_fen(self) -> int:
        return sum(p.pool_fen for p in self.parts)

    @property
    def split(self) -> bool:
        """More than one part: the total is named apart from them."""
        return len(self.parts) > 1


def payout(plan: DividendPlan) -> Payout:
    paid = db.session.execute(
        select(func.count(DividendLine.id), func.coalesce(func.sum(DividendLine.total_fen), 0),
               func.coalesce(func.sum(DividendLine.converted_fen), 0))
        .where(DividendLine.plan_id == plan.id, DividendLine.paid_on.is_not(None))).one()
    count, total, converted = (int(v) for v in paid)
    return Payout(plan, pools(plan), plan.line_count, count, total, total - converted)


# -- the statement ------------------------------------------------------------


def per_unit_text(pool_fen: int, weight: int, places: int = 4) -> str:
    """Yuan per unit of weight, ``places`` decimals, half-up; integers only.
    A rounded rate reads '约 …': a member multiplying it by their shares
    would not get their dividend, which is their share of the pool to the fen."""
    if weight <= 0:
        return "—"
    scale = 10 ** places
    units = round_half_up_div(pool_fen * scale, weight * 100)
    whole, part = divmod(units, scale)
    about = "" if (pool_fen * scale) % (weight * 100) == 0 else "约 "
    return f"{about}{whole:,}.{part:0{places}d}"


@dataclass
class ClassRow:
    share_class: str
    label: str
    opening: int
    change: int
    closing: int


@dataclass
class Contribution:
    effective_on: date
    share_class_label: str
    kind_label: str
    shares: int
    value_fen: int
    valuation: str  # how the value was reached, in words


@dataclass
class Movement:
    effective_on: date
    kind_label: str
    share_class_label: str
    shares: int
    counterparty: str
    note: str


@dataclass
class Statement:
    coop: Cooperative
    plan: DividendPlan
    line: DividendLine
    member: Member
    rows: list[ClassRow] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    # a specialized cooperative's member account of the year (第四十三条)
    account: AccountYear | None = None
    # the assembly that approved the plan, by its name (成员大会 or 成员代表大会)
    assembly: str = "成员（代表）大会"

    @property
    def year(self) -> int:
        return self.plan.year

    @property
    def number(self) -> str:
        suffix = f"-V{self.plan.version_no}" if self.plan.version_no > 1 else ""
        return f"DZ{self.plan.year}-{self.line.member_no}{suffix}"

    @property
    def year_start(self) -> date:
        return date(self.plan.year, 1, 1)

    @property
    def year_end(self) -> date:
        return date(self.plan.year, 12, 31)

    @property
    def opening_total(self) -> int:
        return sum(r.opening for r in self.rows)

    @property
    def closing_total(self) -> int:
        return sum(r.closing for r in self.rows)

    @property
    def change_total(self) -> int:
        return sum(r.change for r in self.rows)

    @property
    def total_capital(self) -> str:
        return capital_yuan(self.line.total_fen)

    @property
    def share_days(self) -> bool:
        return self.plan.by_share_days

    @property
    def per_share(self) -> str:
        """The capital pool per share (or per share-day) in yuan."""
        places = 6 if self.share_days else 4
        return per_unit_text(self.plan.capital_pool_fen, self.plan.total_weight, places)

    @property
    def specialized(self) -> bool:
        return self.plan.patronage_pool_fen > 0 or self.line.patronage_fen > 0

    @property
    def guaranteed(self) -> bool:
        return self.plan.guaranteed_total_fen > 0 or self.line.guaranteed_fen > 0

    @property
    def paid(self) -> bool:
        return self.line.paid_on is not None

    @property
    def payment_text(self) -> str:
        """The day and the method; where part of the line became capital, the
        cash and that part apart (the method paid only the cash)."""
        paid = paid_of(self.line)
        return paid.text if paid is not None else "尚未发放"


def valuation(e: ShareEntry) -> str:
    """How a contribution was valued, in words (its kind is shown beside it)."""
    kind = e.contribution_kind
    if kind == ContributionKind.LAND and e.land_mu:
        text = f"{format_mu(e.land_mu)} 亩"
        if e.unit_price_fen:
            text += f" × {format_yuan(e.unit_price_fen)} 元/亩"
        return text + f" = {format_yuan(e.value_fen)} 元"
    if kind == ContributionKind.LABOUR and e.labour_days:
        text = f"{e.labour_days} 天"
        if e.unit_price_fen:
            text += f" × {format_yuan(e.unit_price_fen)} 元/天"
        return text + f" = {format_yuan(e.value_fen)} 元"
    if kind == ContributionKind.IN_KIND:
        return f"{e.asset_name or '实物'}，评估作价 {format_yuan(e.value_fen)} 元"
    return f"{format_yuan(e.value_fen)} 元"


def _chunks(values: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def build_statements(coop: Cooperative, plan: DividendPlan,
                     member_ids: Iterable[int] | None = None) -> list[Statement]:
    """The statements of ``plan`` (all its lines, or those of ``member_ids``), by member number."""
    query = select(DividendLine).where(DividendLine.plan_id == plan.id)
    if member_ids is not None:
        wanted = list(member_ids)
        if not wanted:
            return []
        query = query.where(DividendLine.member_id.in_(wanted))
    lines = list(db.session.scalars(query.order_by(DividendLine.member_no)))
    if not lines:
        return []
    ids = [line.member_id for line in lines]
    start, end = date(plan.year, 1, 1), date(plan.year, 12, 31)

    members: dict[int, Member] = {}
    opening: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0))
    closing: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(CLASSES, 0))
    entries: dict[int, list[ShareEntry]] = defaultdict(list)
    for chunk in _chunks(ids):
        for m in db.session.scalars(select(Member).where(Member.id.in_(chunk))):
            members[m.id] = m
        for target, until in ((opening, start - timedelta(days=1)), (closing, end)):
            rows = db.session.execute(
                select(ShareEntry.member_id, ShareEntry.share_class, func.sum(ShareEntry.shares))
                .where(ShareEntry.cooperative_id == coop.id, ShareEntry.member_id.in_(chunk),
                       ShareEntry.effective_on <= until)
                .group_by(ShareEntry.member_id, ShareEntry.share_class))
            for member_id, share_class, n in rows:
                target[member_id][share_class] = int(n or 0)
        # By member only (the members are the plan's, so the cooperative's):
        # with the cooperative in the WHERE clause too, SQLite chooses to walk
        # every entry of the cooperative by date for each chunk of 500
        # members.
        for e in db.session.scalars(
                select(ShareEntry).where(ShareEntry.member_id.in_(chunk),
                                         ShareEntry.effective_on <= end)
                # the member is known already and who recorded it is not printed
                .options(lazyload(ShareEntry.member), lazyload(ShareEntry.recorded_by))
                .order_by(ShareEntry.member_id, ShareEntry.effective_on, ShareEntry.id)):
            entries[e.member_id].append(e)

    accounts = accounts_of_year(coop.id, plan.year, ids) if keeps_accounts(coop) else {}
    assembly = approving_assembly(plan)
    statements = []
    for line in lines:
        member = members[line.member_id]
        st = Statement(coop=coop, plan=plan, line=line, member=member,
                       account=accounts.get(member.id), assembly=assembly)
        for sc in CLASSES:
            o, c = opening[member.id][sc], closing[member.id][sc]
            if o or c:
                st.rows.append(ClassRow(sc, ShareClass(sc).label, o, c - o, c))
        mine = entries[member.id]
        reversed_ids = {e.reverses_id for e in mine if e.reverses_id}
        for e in mine:
            if (e.contribution_kind and e.reverses_id is None and e.id not in reversed_ids
                    and e.shares > 0):
                st.contributions.append(Contribution(
                    e.effective_on, e.class_label, e.contribution_label, e.shares, e.value_fen,
                    valuation(e)))
            if start <= e.effective_on <= end:
                label = e.kind_label + ("（冲销）" if e.reverses_id else "")
                st.movements.append(Movement(
                    e.effective_on, label, e.class_label, e.shares,
                    e.counterparty.name if e.counterparty is not None else "",
                    e.resolution_no))
        statements.append(st)
    return statements


def statement_for(coop: Cooperative, year: int, member_id: int) -> Statement | None:
    """One member's statement of ``year``, or None when there is none to show."""
    plan = effective_plan(coop.id, year)
    if plan is None:
        return None
    found = build_statements(coop, plan, [member_id])
    return found[0] if found else None


def statement_of(coop: Cooperative, year: int, member: Member) -> Statement:
    """The statement of ``year`` of ``member`` (already loaded through the tenant
    guard), or RecordNotFound (a 404 in a request) when there is none to show."""
    statement = statement_for(coop, year, member.id)
    if statement is None:
        raise RecordNotFound("Statement")
    return statement
