"""Reading a specialized cooperative's plan by the book (农民专业合作社法 arts
42-44): the losses covered first, the reserve and the grants quantified to
the members' accounts, the rest pool's weights and the conversion to
capital, for the plan's page and each member's line. Reads only."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from coop.cooperatives.api import ReserveBasis
from coop.dividends.fsc import conversion_text
from coop.dividends.models import DividendLine, DividendPlan
from coop.dividends.rules import PoolShare
from coop.extensions import db
from coop.machinery.api import grants_received
from coop.money import format_percent, format_yuan

ART_42 = "《农民专业合作社法》第四十二条"
ART_43 = "《农民专业合作社法》第四十三条"
ART_44 = "《农民专业合作社法》第四十四条"


@dataclass(frozen=True)
class AccountTotals:
    """The sums of the plan's lines: the rest pool's weight parts and what
    the plan quantifies and converts."""

    capital_basis_fen: int
    reserve_share_fen: int
    reserve_total_fen: int
    grant_share_fen: int
    grants_total_fen: int
    converted_fen: int
    converted_shares: int

    @property
    def rest_weight_fen(self) -> int:
        return self.capital_basis_fen + self.reserve_total_fen + self.grants_total_fen


def account_totals(plan: DividendPlan) -> AccountTotals:
    c = DividendLine
    row = db.session.execute(select(*(
        func.coalesce(func.sum(column), 0) for column in (
            c.capital_basis_fen, c.reserve_share_fen, c.reserve_total_fen, c.grant_share_fen,
            c.grants_total_fen, c.converted_fen, c.converted_shares)))
        .where(c.plan_id == plan.id)).one()
    return AccountTotals(*(int(v) for v in row))


def reserve_note(plan: DividendPlan) -> str:
    """How the reserve is quantified, for the waterfall's row."""
    return f"{format_percent(plan.reserve_rate_bp)}，{plan.reserve_basis_label}量化到成员账户（{ART_42}）"


def grants_note(plan: DividendPlan) -> str:
    """Where the year's grants quantified by the plan come from, and a warning
    when the ledger has both a grant received as income and a machine with a
    grant as its source: one grant recorded twice is quantified twice."""
    got = grants_received(plan.cooperative_id, plan.year)
    if not (got.income_fen and got.machines_fen) or got.total_fen != plan.year_grants_fen:
        return ""
    return (f"其中其他收入记载的补助和捐赠 {format_yuan(got.income_fen)} 元，来源为“政府补助”的农机"
            f"原值 {format_yuan(got.machines_fen)} 元。如果这些农机是用已记为其他收入的补助款购置的，"
            "同一笔补助就量化了两次：请把这些农机的来源改为“合作社购置”，再重新计算方案"
            f"（{ART_43}：量化的是国家财政直接补助形成的财产）。")


def plan_conversion_text(plan: DividendPlan) -> str:
    return conversion_text(plan.conversion_bp)


@dataclass(frozen=True)
class Conversion:
    """One line's part turned into capital: whole shares at par."""

    total_fen: int
    conversion_bp: int
    par_value_fen: int
    shares: int
    converted_fen: int
    cash_fen: int


@dataclass(frozen=True)
class FscArithmetic:
    """How a line's account figures were found (the member's line page)."""

    reserve: PoolShare | None  # this year's reserve by the charter's basis
    reserve_basis: str
    reserve_before_fen: int
    reserve_share_fen: int
    grants: PoolShare | None  # this year's grants, equally
    grants_before_fen: int
    grant_share_fen: int
    rest: PoolShare | None  # the rest pool by capital + reserve + grants
    capital_basis_fen: int
    reserve_total_fen: int
    grants_total_fen: int
    conversion: Conversion | None

    @property
    def basis_label(self) -> str:
        return ReserveBasis.label_of(self.reserve_basis, "").removesuffix("（默认）")

    @property
    def reserve_by_count(self) -> bool:
        """Equal quantification: the weights are heads, not yuan."""
        return self.reserve_basis == ReserveBasis.EQUAL

    @property
    def reserve_weight_words(self) -> tuple[str, str]:
        """(the member's weight, everyone's) as the arithmetic names them."""
        if self.reserve_basis == ReserveBasis.CAPITAL:
            return "本人出资额", "全体成员出资额"
        if self.reserve_basis == ReserveBasis.EQUAL:
            return "本人", "登记日成员人数"
        return "本人交易额", "全体成员交易额"


def _reserve_share(plan: DividendPlan, line: DividendLine) -> PoolShare | None:
    if not plan.reserve_fen:
        return None
    if plan.reserve_basis == ReserveBasis.CAPITAL:
        total = db.session.scalar(select(func.coalesce(func.sum(DividendLine.capital_basis_fen), 0))
                                  .where(DividendLine.plan_id == plan.id)) or 0
        weight = line.capital_basis_fen
    elif plan.reserve_basis == ReserveBasis.EQUAL:
        total, weight = plan.member_count, 1 if line.reserve_share_fen else 0
    else:
        total, weight = plan.total_transactions_fen, line.transactions_fen
    return PoolShare(plan.reserve_fen, weight, int(total), line.reserve_share_fen)


def line_arithmetic(plan: DividendPlan, line: DividendLine) -> FscArithmetic | None:
    """None for a plan not computed by the book (joint-stock, or before it)."""
    if not plan.is_by_the_book:
        return None
    grants = None
    if plan.year_grants_fen:
        grants = PoolShare(plan.year_grants_fen, 1 if line.grant_share_fen else 0,
                           plan.member_count, line.grant_share_fen)
    rest = None
    if plan.capital_pool_fen:
        rest = PoolShare(plan.capital_pool_fen, line.rest_weight_fen, plan.rest_weight_fen,
                         line.capital_fen)
    conversion = None
    if plan.conversion_bp:
        conversion = Conversion(line.total_fen, plan.conversion_bp, plan.par_value_fen,
                                line.converted_shares, line.converted_fen, line.cash_fen)
    return FscArithmetic(
        reserve=_reserve_share(plan, line), reserve_basis=plan.reserve_basis,
        reserve_before_fen=line.reserve_total_fen - line.reserve_share_fen,
        reserve_share_fen=line.reserve_share_fen, grants=grants,
        grants_before_fen=line.grants_total_fen - line.grant_share_fen,
        grant_share_fen=line.grant_share_fen, rest=rest,
        capital_basis_fen=line.capital_basis_fen, reserve_total_fen=line.reserve_total_fen,
        grants_total_fen=line.grants_total_fen, conversion=conversion)
