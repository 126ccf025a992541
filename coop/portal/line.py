"""A member's own line of a year's plan, as their page (/me/dividends/<id>)
shows it: how much, and why. Each part the plan gives (its pools,
coop.dividends.api.pools: the land guarantee, patronage, the rest by shares
or by the book) comes after the figures it follows, and the surplus the plan
distributes comes first; where the plan turns part of each line into
capital (FSC art 44 para 3), that part and the cash follow. Only money the
member receives is a payout (shown in bold); the basis figures are not.

Each part is written as the plan page's arithmetic finds it: pool x the
member's weight / everyone's weight, to the fen (the fen left over go to
the largest remainders, so a part may be one fen above its floor)."""
from __future__ import annotations

from dataclasses import dataclass

from coop.dividends.api import DividendLine, DividendPlan, Pool, pools
from coop.money import format_mu, format_yuan
from coop.statements.api import per_unit_text

FSC_ART_44 = "《农民专业合作社法》第四十四条"


@dataclass(frozen=True)
class Figure:
    """One row of the member's line: a label, its value ready to show (with
    its unit), how it was found in words, and whether it is money the member
    receives."""

    label: str
    value: str
    note: str = ""
    payout: bool = False


def _yuan(fen: int) -> str:
    return f"{format_yuan(fen)} 元"


def _surplus(plan: DividendPlan) -> Figure:
    """The surplus the plan distributes and what the funds took before the pools."""
    funds = [(name, fen) for name, fen in (("公积金", plan.reserve_fen), ("公益金", plan.welfare_fen),
                                           ("风险金", plan.risk_fen)) if fen]
    if plan.is_specialized:  # FSC art 44: distributable is what the reserve leaves
        others = [f"{name} {_yuan(fen)}" for name, fen in funds if name != "公积金"]
        note = (f"本年盈余（弥补亏损后）{_yuan(plan.to_distribute_fen)}，提取公积金 {_yuan(plan.reserve_fen)}"
                f"后（{FSC_ART_44}）" + (f"；再提取{'、'.join(others)}" if others else ""))
        return Figure("本年可分配盈余", _yuan(plan.after_reserve_fen), note)
    note = (f"提取{'、'.join(f'{name} {_yuan(fen)}' for name, fen in funds)}后分配"
            if funds else "")
    return Figure("本年可分配盈余", _yuan(plan.to_distribute_fen), note)


def _by_shares(plan: DividendPlan, line: DividendLine, pool: Pool) -> list[Figure]:
    days = plan.by_share_days
    unit, weight = ("股·天", "持股天数") if days else ("股", "登记日持股")
    rate = per_unit_text(plan.capital_pool_fen, plan.total_weight, 6 if days else 4)
    return [
        Figure(f"每{unit}分红", f"{rate} 元",
               f"{pool.label} {_yuan(plan.capital_pool_fen)} ÷ 全体{weight} {plan.total_weight:,} {unit}"),
        Figure(weight, f"{line.weight:,} {unit}"),
        Figure(pool.part_label, _yuan(line.capital_fen),
               f"{_yuan(plan.capital_pool_fen)} × 本人 {line.weight:,} {unit} ÷ 全体 "
               f"{plan.total_weight:,} {unit}", payout=True)]


def _pool_figures(plan: DividendPlan, line: DividendLine, pool: Pool) -> list[Figure]:
    """The figures a pool's part follows, then the part."""
    if pool.key == "guaranteed_fen":
        note = (f"入股土地 {format_mu(line.land_mu_hundredths)} 亩 × 每亩 "
                f"{_yuan(plan.guaranteed_fen_per_mu)}")
        return [Figure(pool.part_label, _yuan(line.guaranteed_fen), note, payout=True)]
    if pool.key == "patronage_fen":
        return [Figure("本人与本社交易额", _yuan(line.transactions_fen)),
                Figure(pool.part_label, _yuan(line.patronage_fen),
                       f"返还总额 {_yuan(plan.patronage_pool_fen)} × 本人交易额 "
                       f"{_yuan(line.transactions_fen)} ÷ 全体成员交易额 "
                       f"{_yuan(plan.total_transactions_fen)}", payout=True)]
    if plan.is_by_the_book:
        return [Figure("本人返还依据", _yuan(line.rest_weight_fen),
                       f"出资额 {_yuan(line.capital_basis_fen)} + 公积金份额 "
                       f"{_yuan(line.reserve_total_fen)} + 补助量化 {_yuan(line.grants_total_fen)}"),
                Figure(pool.part_label, _yuan(line.capital_fen),
                       f"其余部分 {_yuan(plan.capital_pool_fen)} × 本人返还依据 "
                       f"{_yuan(line.rest_weight_fen)} ÷ 全体成员 {_yuan(plan.rest_weight_fen)}",
                       payout=True)]
    return _by_shares(plan, line, pool)


def line_figures(plan: DividendPlan, line: DividendLine) -> list[Figure]:
    """The rows of the member's line, in the order the plan takes them."""
    out = [_surplus(plan)]
    for pool in pools(plan):
        out += _pool_figures(plan, line, pool)
    if plan.is_by_the_book and (line.reserve_share_fen or line.grant_share_fen):
        out.append(Figure("本年量化到我的成员账户",
                          f"公积金 {_yuan(line.reserve_share_fen)}，补助和捐赠 {_yuan(line.grant_share_fen)}"))
    if line.converted_fen:
        out += [Figure(f"其中转为出资（{line.converted_shares:,} 股）", _yuan(line.converted_fen),
                       f"盈余转增（{FSC_ART_44}第三款）", payout=True),
                Figure("现金发放", _yuan(line.cash_fen), payout=True)]
    return out
