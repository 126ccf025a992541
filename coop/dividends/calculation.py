"""The distribution plan as a pure calculation (docs/rules.md, "The distribution").

No Flask, no database: the services gather the figures (surplus from the
closed year's ledger, the charter's rates, each holder's guaranteed land
payment, share weights from the register, transactions from the service
ledger), build a :class:`PlanInputs` and call :func:`calculate_plan`.

The waterfall, all integer fen:

1. S = surplus. S <= 0: nothing is distributed (a result that says so).
2. reserve / welfare / risk = S x rate, half-up to the fen
   (:func:`coop.money.apply_rate`); D = S - the three funds.
3. Guaranteed land payments are paid first, as given per holder; their sum
   G may not exceed D (:class:`GuaranteedExceedsPoolError`).
4. Joint-stock mode: the whole D - G is the capital pool, split by share
   weight (shares on the record date, or share-days). Specialized mode:
   P = ceil((S - reserve) x patronage rate): the law's distributable surplus
   is what is left after covering losses and the reserve (农民专业合作社法
   art 44), and its floor is a share of that, before the welfare and risk
   funds and the guaranteed payments, none of which may push P below it
   (D - G < P is refused, :class:`PatronageFloorError`). P is split by each
   member's transactions with the cooperative, the capital pool D - G - P by
   share weight.
5. Every pool is split with :func:`coop.dividends.allocation.allocate`, so
   the lines of each pool add up to it to the fen.

Keys are whatever identifies a holder for the caller (member numbers as
strings, ids, tuples) and must be mutually comparable: ties in the split go
to the smaller key (member numbers in natural order, "9" before "10": see
:func:`coop.dividends.allocation.natural_key`), and the lines come out sorted
by key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import repeat
from operator import add
from types import MappingProxyType
from typing import Any, Generic, Hashable, Mapping, NamedTuple, TypeVar

from coop.cooperatives.constants import MIN_PATRONAGE_BP, DistributionMode
from coop.dividends.allocation import allocate
from coop.money import FEN_PER_YUAN, FULL_BP, apply_rate, format_percent, format_yuan

K = TypeVar("K", bound=Hashable)


class PlanError(ValueError):
    """The plan cannot be calculated from these inputs (message in Chinese)."""


class GuaranteedExceedsPoolError(PlanError):
    """The guaranteed land payments add up to more than D after the funds."""


class PatronageFloorError(PlanError):
    """Specialized mode: the guaranteed payments leave less than the patronage
    floor (art 44: a share of the distributable surplus itself)."""


class NoTransactionsError(PlanError):
    """Specialized mode has a patronage pool but no member transactions to split it by."""


class NoHoldersError(PlanError):
    """There is a capital pool but no shares (total weight zero) to split it by."""


def _frozen(mapping: Mapping[Any, int] | None) -> Mapping[Any, int]:
    return MappingProxyType(dict(mapping or {}))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class PlanInputs(Generic[K]):
    """Everything the calculation needs; the snapshot a draft plan keeps.

    ``share_weights``: holder -> shares on the record date, or share-days.
    ``guaranteed_fen``: holder -> guaranteed land payment (mu x rate, already
    rounded by the caller). ``transactions_fen``: member -> that year's
    transactions with the cooperative (used in specialized mode only).
    ``patronage_rate_bp`` is used in specialized mode only.
    """

    surplus_fen: int
    reserve_rate_bp: int
    welfare_rate_bp: int
    risk_rate_bp: int
    mode: str
    share_weights: Mapping[K, int]
    guaranteed_fen: Mapping[K, int] = field(default_factory=dict)
    patronage_rate_bp: int = 0
    transactions_fen: Mapping[K, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only copies: a snapshot must not change behind the plan's back.
        for name in ("share_weights", "guaranteed_fen", "transactions_fen"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))


@dataclass(frozen=True)
class Waterfall:
    """From the surplus to each pool, in fen."""

    surplus_fen: int
    reserve_fen: int
    welfare_fen: int
    risk_fen: int
    after_funds_fen: int  # D after the three funds
    guaranteed_fen: int  # sum of the guaranteed land payments
    after_guaranteed_fen: int  # D after the guaranteed payments
    patronage_fen: int  # P, specialized mode; 0 in joint-stock mode
    capital_fen: int  # the pool split by shares: D - P

    @property
    def distributed_fen(self) -> int:
        """What reaches the members: guaranteed + patronage + capital."""
        return self.guaranteed_fen + self.patronage_fen + self.capital_fen


class MemberLine(NamedTuple, Generic[K]):
    """One holder's line; immutable. A named tuple rather than a dataclass so
    that 100,000 of them are made quickly. ``total_fen`` = guaranteed +
    patronage + capital (made so by :func:`calculate_plan`)."""

    key: K
    weight: int
    transactions_fen: int
    guaranteed_fen: int
    patronage_fen: int
    capital_fen: int
    total_fen: int


class LineColumns(NamedTuple, Generic[K]):
    """The lines as columns, each in key order: what the services write in bulk
    (zipping columns is done in C; building 100,000 line objects is not)."""

    keys: tuple[K, ...]
    weight: tuple[int, ...]
    transactions_fen: tuple[int, ...]
    guaranteed_fen: tuple[int, ...]
    patronage_fen: tuple[int, ...]
    capital_fen: tuple[int, ...]
    total_fen: tuple[int, ...]


NO_LINES: LineColumns[Any] = LineColumns((), (), (), (), (), (), ())


@dataclass(frozen=True)
class PlanResult(Generic[K]):
    inputs: PlanInputs[K]
    waterfall: Waterfall
    columns: LineColumns[K]
    total_weight: int
    total_transactions_fen: int
    nothing_to_distribute: bool = False
    message: str = ""

    @property
    def line_count(self) -> int:
        return len(self.columns.keys)

    @cached_property
    def lines(self) -> tuple[MemberLine[K], ...]:
        """One :class:`MemberLine` per holder, sorted by key."""
        return tuple(map(MemberLine, *self.columns))

    @cached_property
    def lines_by_key(self) -> Mapping[K, MemberLine[K]]:
        return MappingProxyType({line.key: line for line in self.lines})

    def line(self, key: K) -> MemberLine[K] | None:
        return self.lines_by_key.get(key)

    def capital_per_weight_yuan(self, places: int = 4) -> Decimal | None:
        """Capital pool per share (or per share-day) in yuan, for display only."""
        if not self.total_weight:
            return None
        value = Decimal(self.waterfall.capital_fen) / FEN_PER_YUAN / self.total_weight
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def patronage_per_yuan(self, places: int = 4) -> Decimal | None:
        """Patronage refund per yuan of transactions, for display only."""
        if not self.total_transactions_fen:
            return None
        value = Decimal(self.waterfall.patronage_fen) / self.total_transactions_fen
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _check_amounts(mapping: Mapping[Any, int], what: str) -> int:
    values = mapping.values()
    # C-level checks first (100,000 holders); the precise message only on failure.
    if not set(map(type, values)) <= {int} or (values and min(values) < 0):
        for key, value in mapping.items():
            if not _is_int(value):
                raise PlanError(f"{key} 的{what}必须是整数（分），收到 {value!r}")
            if value < 0:
                raise PlanError(f"{key} 的{what}不能为负数（{value}）")
    return sum(values)


def _check_inputs(inputs: PlanInputs[Any]) -> DistributionMode:
    if not _is_int(inputs.surplus_fen):
        raise PlanError(f"盈余必须是整数（分），收到 {inputs.surplus_fen!r}")
    try:
        mode = DistributionMode(inputs.mode)
    except ValueError:
        raise PlanError(f"未知的分配方式：{inputs.mode!r}") from None
    labels = {
        "reserve_rate_bp": "公积金提取比例",
        "welfare_rate_bp": "公益金提取比例",
        "risk_rate_bp": "风险金提取比例",
        "patronage_rate_bp": "按交易量返还比例",
    }
    for name, label in labels.items():
        value = getattr(inputs, name)
        if not _is_int(value) or not 0 <= value <= FULL_BP:
            raise PlanError(f"{label}必须在 0% 到 100% 之间（以万分之一为单位的整数），收到 {value!r}")
    funds = inputs.reserve_rate_bp + inputs.welfare_rate_bp + inputs.risk_rate_bp
    if funds > FULL_BP:
        raise PlanError(f"公积金、公益金、风险金比例合计 {format_percent(funds)}，不能超过 100%")
    if mode is DistributionMode.SPECIALIZED and inputs.patronage_rate_bp < MIN_PATRONAGE_BP:
        raise PlanError(
            f"按交易量返还比例 {format_percent(inputs.patronage_rate_bp)} 低于 60%"
            "（农民专业合作社法第四十四条），不能计算"
        )
    return mode


def _ceil_rate(amount_fen: int, rate_bp: int) -> int:
    """amount x rate rounded up to the fen (amount >= 0)."""
    return -(-amount_fen * rate_bp // FULL_BP)


def calculate_plan(inputs: PlanInputs[K]) -> PlanResult[K]:
    """The waterfall and one line per holder; see the module docstring.

    Raises PlanError (a ValueError) with a Chinese message when the plan
    cannot stand: bad rates or amounts, guaranteed payments above D
    (GuaranteedExceedsPoolError), a patronage pool with no transactions
    (NoTransactionsError), a capital pool with no shares (NoHoldersError).
    A surplus <= 0 is not an error: the result says there is nothing to
    distribute, with no funds drawn and no lines.
    """
    mode = _check_inputs(inputs)
    total_weight = _check_amounts(inputs.share_weights, "股份权重")
    guaranteed_total = _check_amounts(inputs.guaranteed_fen, "保底收益")
    total_transactions = _check_amounts(inputs.transactions_fen, "交易额")
    s = inputs.surplus_fen

    if s <= 0:
        return PlanResult(
            inputs=inputs,
            waterfall=Waterfall(s, 0, 0, 0, 0, 0, 0, 0, 0),
            columns=NO_LINES,
            total_weight=total_weight,
            total_transactions_fen=total_transactions,
            nothing_to_distribute=True,
            message=(
                f"本年度盈余为 {format_yuan(s)} 元，没有可分配盈余："
                "不提取公积金、公益金、风险金，不支付保底收益，不分红。"
            ),
        )

    reserve = apply_rate(s, inputs.reserve_rate_bp)
    welfare = apply_rate(s, inputs.welfare_rate_bp)
    risk = apply_rate(s, inputs.risk_rate_bp)
    after_funds = s - reserve - welfare - risk
    if after_funds < 0:  # only when the rates add up to (almost) 100% on a few fen
        raise PlanError(
            f"提取公积金、公益金、风险金后可分配盈余为 {format_yuan(after_funds)} 元，"
            "请核对提取比例"
        )
    if guaranteed_total > after_funds:
        raise GuaranteedExceedsPoolError(
            f"保底收益合计 {format_yuan(guaranteed_total)} 元，超过提取公积金、公益金、"
            f"风险金后的可分配盈余 {format_yuan(after_funds)} 元，分配方案不能成立。"
            "请核对保底标准或本年度盈余。"
        )
    after_guaranteed = after_funds - guaranteed_total

    if mode is DistributionMode.SPECIALIZED:
        distributable = s - reserve
        patronage = _ceil_rate(distributable, inputs.patronage_rate_bp)
        floor = (f"可分配盈余（弥补亏损、提取公积金后）{format_yuan(distributable)} 元，"
                 f"按交易量返还不得低于其 {format_percent(inputs.patronage_rate_bp)}，"
                 f"即 {format_yuan(patronage)} 元（农民专业合作社法第四十四条）")
        if after_funds < patronage:
            raise PatronageFloorError(
                f"{floor}；提取公益金 {format_yuan(welfare)} 元、风险金 {format_yuan(risk)} 元"
                f"后只剩 {format_yuan(after_funds)} 元，不够返还，分配方案不能成立。"
                "请降低公益金、风险金的提取比例。")
        if guaranteed_total > after_funds - patronage:
            raise PatronageFloorError(
                f"{floor}；保底收益最多只能支付 {format_yuan(after_funds - patronage)} 元，"
                f"而保底收益合计 {format_yuan(guaranteed_total)} 元，分配方案不能成立。"
                "请核对保底标准。")
    else:
        patronage = 0
    capital = after_guaranteed - patronage

    if patronage and not total_transactions:
        raise NoTransactionsError(
            f"专业合作社模式应按交易量返还 {format_yuan(patronage)} 元，"
            "但本年度成员与合作社的交易额合计为零，无法返还。"
            "请先登记本年度成员的作业和交易，或改用按股分红方式。"
        )
    if capital and not total_weight:
        raise NoHoldersError(
            f"应按股分配 {format_yuan(capital)} 元，但成员持股合计为零，无法按股分配。"
        )

    patronage_lines = allocate(patronage, inputs.transactions_fen) if patronage else {}
    capital_lines = allocate(capital, inputs.share_weights) if capital else {}

    # The keys in the order given (callers usually give them nearly sorted,
    # which Timsort finishes in one pass; a set's order would make it sort afresh).
    keys = dict.fromkeys(inputs.share_weights)
    keys.update(dict.fromkeys(inputs.guaranteed_fen))
    if mode is DistributionMode.SPECIALIZED:
        keys.update(dict.fromkeys(inputs.transactions_fen))
    order = tuple(sorted(keys))
    # Column by column with C-level maps (100,000 holders): a missing key is 0.
    zeros = repeat(0)

    def column(mapping: Mapping[K, int]) -> tuple[int, ...]:
        return tuple(map(dict(mapping).get, order, zeros)) if mapping else (0,) * len(order)

    guaranteed_col = column(inputs.guaranteed_fen)
    patronage_col = column(patronage_lines)
    capital_col = column(capital_lines)
    columns = LineColumns(
        order, column(inputs.share_weights), column(inputs.transactions_fen), guaranteed_col,
        patronage_col, capital_col,
        tuple(map(add, map(add, guaranteed_col, patronage_col), capital_col)))
    waterfall = Waterfall(
        surplus_fen=s,
        reserve_fen=reserve,
        welfare_fen=welfare,
        risk_fen=risk,
        after_funds_fen=after_funds,
        guaranteed_fen=guaranteed_total,
        after_guaranteed_fen=after_guaranteed,
        patronage_fen=patronage,
        capital_fen=capital,
    )
    return PlanResult(
        inputs=inputs,
        waterfall=waterfall,
        columns=columns,
        total_weight=total_weight,
        total_transactions_fen=total_transactions,
    )
