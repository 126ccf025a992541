"""The distribution of a farmers' specialized cooperative by the book
(农民专业合作社法 arts 42-44), as a pure calculation: no Flask, no database.

On top of :func:`coop.dividends.calculation.calculate_plan` (losses are
already covered in S, the year's figures carry them; the funds, the land
guarantee and the patronage pool P >= 60 % of D are as there):

1. The reserve R0 = S x reserve rate is quantified to the members' accounts
   (art 42) by the charter's rule (:class:`ReserveBasis`): by each member's
   member-business transactions of the year (the default), by capital, or
   equally among the members on the record date.
2. The year's state grants and donations are quantified equally among the
   members on the record date (平均量化, art 43).
3. The rest of D (after the guarantee and P) goes in proportion to each
   member's capital + reserve share + quantified grants, the shares being
   accumulated: the account's balance before the year plus this year's.
4. Conversion to capital (art 44 para 3): ``conversion_bp`` of every
   member's distributable total becomes capital, in whole shares at par; the
   remainder below one share stays cash. Members who cannot take shares
   (``convertible`` leaves them out) are paid all in cash.

Every split goes through :func:`coop.dividends.allocation.allocate`, so the
reserve shares add up to the reserve and the grant shares to the grants, to
the fen. Column-wise throughout (100,000 holders).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import compress, repeat
from operator import add, floordiv, mul
from types import MappingProxyType
from typing import Any, Generic, Hashable, Iterable, Mapping, NamedTuple, TypeVar

from coop.cooperatives.constants import DistributionMode, ReserveBasis
from coop.dividends.allocation import allocate
from coop.dividends.calculation import (NoHoldersError, PlanError, PlanInputs, PlanResult,
                                        calculate_plan)
from coop.money import FULL_BP, apply_rate, format_percent, format_yuan

K = TypeVar("K", bound=Hashable)

LAW = "《农民专业合作社法》"


def _frozen(mapping: Mapping[Any, int] | None) -> Mapping[Any, int]:
    return MappingProxyType({k: v for k, v in (mapping or {}).items() if v})


@dataclass(frozen=True)
class FscInputs(Generic[K]):
    """What the specialized cooperative's distribution needs beyond
    :class:`PlanInputs` (keys as there).

    ``capital_fen``: capital contributed on the record date.
    ``reserve_before_fen`` / ``grants_before_fen``: the members' account
    balances from earlier years. ``members``: the members on the record date
    (the equal splits). ``convertible``: who may take converted shares (None:
    every key)."""

    reserve_basis: str = ReserveBasis.TRANSACTIONS.value
    capital_fen: Mapping[K, int] = field(default_factory=dict)
    reserve_before_fen: Mapping[K, int] = field(default_factory=dict)
    grants_before_fen: Mapping[K, int] = field(default_factory=dict)
    year_grants_fen: int = 0
    members: tuple[K, ...] = ()
    conversion_bp: int = 0
    par_value_fen: int = 100
    convertible: frozenset[K] | None = None

    def __post_init__(self) -> None:
        for name in ("capital_fen", "reserve_before_fen", "grants_before_fen"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "members", tuple(self.members))


class FscColumns(NamedTuple):
    """The specialized parts of each line, in the order of the plan's keys."""

    capital_basis_fen: tuple[int, ...]
    reserve_share_fen: tuple[int, ...]  # this year's reserve quantified
    reserve_total_fen: tuple[int, ...]  # the account's reserve share, this year's included
    grant_share_fen: tuple[int, ...]  # this year's grants quantified
    grants_total_fen: tuple[int, ...]  # the account's grants, this year's included
    converted_fen: tuple[int, ...]  # the part turned into capital (whole shares at par)
    converted_shares: tuple[int, ...]


class FscLine(NamedTuple):
    key: Any
    capital_basis_fen: int
    reserve_share_fen: int
    reserve_total_fen: int
    grant_share_fen: int
    grants_total_fen: int
    converted_fen: int
    converted_shares: int

    @property
    def rest_weight_fen(self) -> int:
        """The weight of the rest pool: capital + reserve share + grants."""
        return self.capital_basis_fen + self.reserve_total_fen + self.grants_total_fen


@dataclass(frozen=True)
class FscResult(Generic[K]):
    """The plan (its ``capital`` pool is the rest, split by the rest weights,
    which are its ``weight`` column) and the specialized columns."""

    plan: PlanResult[K]
    inputs: FscInputs[K]
    columns: FscColumns
    reserve_quantified_fen: int
    grants_quantified_fen: int
    rest_weight_fen: int
    converted_fen: int
    converted_shares: int

    @property
    def cash_fen(self) -> int:
        return self.plan.waterfall.distributed_fen - self.converted_fen

    def lines(self) -> tuple[FscLine, ...]:
        return tuple(map(FscLine, self.plan.columns.keys, *self.columns))

    def line(self, key: K) -> FscLine | None:
        return next((line for line in self.lines() if line.key == key), None)


def _check(fsc: FscInputs[Any]) -> ReserveBasis:
    try:
        basis = ReserveBasis(fsc.reserve_basis)
    except ValueError:
        raise PlanError(f"未知的公积金量化方式：{fsc.reserve_basis!r}") from None
    if not isinstance(fsc.conversion_bp, int) or not 0 <= fsc.conversion_bp <= FULL_BP:
        raise PlanError(f"转为出资的比例必须在 0% 到 100% 之间，收到 {fsc.conversion_bp!r}")
    if not isinstance(fsc.par_value_fen, int) or fsc.par_value_fen <= 0:
        raise PlanError(f"每股面值必须是正整数（分），收到 {fsc.par_value_fen!r}")
    if not isinstance(fsc.year_grants_fen, int) or fsc.year_grants_fen < 0:
        raise PlanError(f"本年国家财政补助和捐赠必须是非负整数（分），收到 {fsc.year_grants_fen!r}")
    for name, what in (("capital_fen", "出资额"), ("reserve_before_fen", "公积金份额"),
                       ("grants_before_fen", "补助量化")):
        values = getattr(fsc, name).values()
        if not set(map(type, values)) <= {int} or (values and min(values) < 0):
            raise PlanError(f"成员账户的{what}必须是非负整数（分）")
    return basis


def _equal(members: Iterable[K]) -> dict[K, int]:
    return dict(zip(members, repeat(1)))


def reserve_weights(basis: ReserveBasis, inputs: PlanInputs[K], fsc: FscInputs[K]
                    ) -> Mapping[K, int]:
    """Whose part of the reserve grows by how much (the charter's rule)."""
    if basis is ReserveBasis.CAPITAL:
        return fsc.capital_fen
    if basis is ReserveBasis.EQUAL:
        return _equal(fsc.members)
    return inputs.transactions_fen


def _quantify_reserve(reserve: int, basis: ReserveBasis, inputs: PlanInputs[K],
                      fsc: FscInputs[K]) -> dict[K, int]:
    if not reserve:
        return {}
    weights = reserve_weights(basis, inputs, fsc)
    if not any(weights.values()):
        raise PlanError(
            f"本年提取公积金 {format_yuan(reserve)} 元，应{basis.label.removesuffix('（默认）')}"
            f"量化到成员账户（{LAW}第四十二条），但成员的"
            f"{ {ReserveBasis.CAPITAL: '出资额', ReserveBasis.EQUAL: '人数'}.get(basis, '交易额')}"
            "合计为零，无法量化。")
    return allocate(reserve, weights)


def _quantify_grants(grants: int, fsc: FscInputs[K]) -> dict[K, int]:
    if not grants:
        return {}
    if not fsc.members:
        raise PlanError(f"本年国家财政补助和捐赠 {format_yuan(grants)} 元应平均量化到成员"
                        f"（{LAW}第四十三条），但股权登记日没有成员，无法量化。")
    return allocate(grants, _equal(fsc.members))


def calculate_fsc_plan(inputs: PlanInputs[K], fsc: FscInputs[K]) -> FscResult[K]:
    """The plan of a specialized cooperative: see the module docstring.
    Raises PlanError (Chinese message) where the plan cannot stand."""
    if inputs.mode != DistributionMode.SPECIALIZED:
        raise PlanError("成员账户量化只适用于农民专业合作社的分配方式")
    basis = _check(fsc)
    s = inputs.surplus_fen
    if not isinstance(s, int) or s <= 0:  # nothing to distribute, nothing quantified
        plan = calculate_plan(replace(inputs, share_weights={}))
        zeros = (0,) * plan.line_count
        return FscResult(plan, fsc, FscColumns(*repeat(zeros, len(FscColumns._fields))),
                         0, 0, 0, 0, 0)
    reserve = apply_rate(s, inputs.reserve_rate_bp)
    reserve_share = _quantify_reserve(reserve, basis, inputs, fsc)
    grant_share = _quantify_grants(fsc.year_grants_fen, fsc)

    # One column per part over every key that has any, in key order.
    order = tuple(sorted({**dict.fromkeys(fsc.capital_fen), **dict.fromkeys(reserve_share),
                          **dict.fromkeys(fsc.reserve_before_fen),
                          **dict.fromkeys(grant_share), **dict.fromkeys(fsc.grants_before_fen)}))

    def column(mapping: Mapping[K, int]) -> list[int]:
        return list(map(mapping.get, order, repeat(0))) if mapping else [0] * len(order)

    capital = column(fsc.capital_fen)
    reserve_total = list(map(add, column(fsc.reserve_before_fen), column(reserve_share)))
    grants_total = list(map(add, column(fsc.grants_before_fen), column(grant_share)))
    rest = list(map(add, map(add, capital, reserve_total), grants_total))
    rest_weights = dict(zip(compress(order, rest), compress(rest, rest)))
    try:
        plan = calculate_plan(replace(inputs, share_weights=rest_weights))
    except NoHoldersError:
        raise NoHoldersError(
            "按出资额、公积金份额和量化的补助返还的部分不为零，但成员的出资额、公积金份额和补助量化"
            f"合计为零，无法分配（{LAW}第四十四条）。") from None

    keys = plan.columns.keys

    same_keys = order == keys  # everyone has capital, reserve or grants: usually

    def aligned(values: list[int] | Mapping[K, int]) -> tuple[int, ...]:
        if same_keys and not isinstance(values, Mapping):
            return tuple(values)
        by_key = values if isinstance(values, Mapping) else dict(zip(order, values))
        return tuple(map(by_key.get, keys, repeat(0)))

    converted_shares = _converted_shares(plan.columns.total_fen, keys, fsc)
    converted = tuple(map(mul, converted_shares, repeat(fsc.par_value_fen)))
    columns = FscColumns(
        aligned(capital), aligned(reserve_share), aligned(reserve_total), aligned(grant_share),
        aligned(grants_total), converted,
        converted_shares)
    return FscResult(plan, fsc, columns, reserve_quantified_fen=sum(reserve_share.values()),
                     grants_quantified_fen=sum(grant_share.values()),
                     rest_weight_fen=sum(rest), converted_fen=sum(converted),
                     converted_shares=sum(converted_shares))


def _converted_shares(totals: tuple[int, ...], keys: tuple[K, ...], fsc: FscInputs[K]
                      ) -> tuple[int, ...]:
    """Whole shares at par of ``conversion_bp`` of each line's total."""
    if not fsc.conversion_bp:
        return (0,) * len(keys)
    unit = FULL_BP * fsc.par_value_fen
    shares = map(floordiv, map(mul, totals, repeat(fsc.conversion_bp)), repeat(unit))
    if fsc.convertible is None:
        return tuple(shares)
    return tuple(map(mul, shares, map(fsc.convertible.__contains__, keys)))


def conversion_text(conversion_bp: int) -> str:
    """How much of the distributable surplus the plan turns into capital."""
    if not conversion_bp:
        return "全部以现金发放"
    return (f"每位成员应分盈余的 {format_percent(conversion_bp)} 按每股面值折为整股，转为出资"
            f"（{LAW}第四十四条第三款），不足一股的部分以现金发放")
