"""Share rules as pure functions over plain values (no Flask, no database).

Valuation of contributions, whole shares, class bands, the single-member cap,
holdings that must never go below zero, and share-days. The services ask these
functions; so do the previews, so a preview and a save can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable, Mapping, NamedTuple, Protocol

from coop.labels import LabelledEnum
from coop.members.constants import MemberKind
from coop.cooperatives.constants import ShareClass
from coop.limits import (
    MAX_CONTRIBUTION_FEN,
    MAX_DAY_PRICE_FEN,
    MAX_LABOUR_DAYS,
    MAX_LAND_CMU,
    MAX_LAND_PRICE_FEN,
)
from coop.money import FULL_BP, format_mu, format_percent, format_yuan

# -- vocabulary -------------------------------------------------------------


class EntryKind(LabelledEnum):
    SUBSCRIBE = "subscribe", "入股"
    TRANSFER_IN = "transfer_in", "转让转入"
    TRANSFER_OUT = "transfer_out", "转让转出"
    INHERIT_IN = "inherit_in", "继承转入"
    INHERIT_OUT = "inherit_out", "继承转出"
    REDEEM = "redeem", "退股"


class ContributionKind(LabelledEnum):
    CASH = "cash", "货币"
    LAND = "land", "土地"
    IN_KIND = "in_kind", "实物"
    LABOUR = "labour", "劳动"
    # a specialized cooperative's distributable surplus turned into capital by
    # the assembly (FSC art 44 para 3): written on a plan's payment only
    SURPLUS = "surplus", "盈余转增"


# what a secretary may record by hand (the surplus is converted on payment)
HAND_KINDS = tuple(k for k in ContributionKind if k is not ContributionKind.SURPLUS)


# member kind (coop.members.models.MemberKind values) -> classes it may hold
HOLDER_KINDS: dict[ShareClass, frozenset[str]] = {
    ShareClass.COLLECTIVE: frozenset({"collective"}),
    ShareClass.VILLAGER: frozenset({"villager", "cadre"}),
    ShareClass.CADRE: frozenset({"cadre"}),
}



class RuleError(ValueError):
    """A rule is broken; ``field`` names the input it concerns (or None)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# -- formatting -------------------------------------------------------------


def holder_kind_error(share_class: ShareClass | str, member_kind: str) -> str | None:
    sc = ShareClass(share_class)
    if member_kind in HOLDER_KINDS[sc]:
        return None
    who = MemberKind.label_of(member_kind)
    if sc == ShareClass.COLLECTIVE:
        return f"集体股只能由村集体持有，该成员是{who}"
    if sc == ShareClass.CADRE:
        return f"干部股只能由干部持有，该成员是{who}"
    return "村集体只能持有集体股，不能持有村民股"


# -- valuation --------------------------------------------------------------


@dataclass(frozen=True)
class Valuation:
    """A contribution's value and the whole shares it buys."""

    value_fen: int
    shares: int
    description: str  # how the value was reached, in Chinese


def _yuan_text(hundredths_of_fen: int) -> str:
    """A value in 1/100 fen shown in yuan, with as many decimals as it needs."""
    value = Decimal(hundredths_of_fen) / Decimal(10_000)
    text = f"{value:,.4f}".rstrip("0")
    if text.endswith("."):
        text += "00"
    elif len(text.split(".")[1]) == 1:
        text += "0"
    return text


def whole_shares(units: int, par_units: int, what: str, hint: str, field: str) -> int:
    """units / par_units when it divides exactly; otherwise name the nearest valid values.

    Both are in hundredths of a fen, so that a land valuation (hundredths of
    a mu x fen per mu) needs no rounding.
    """
    shares, remainder = divmod(units, par_units)
    if remainder == 0:
        return shares
    lower, upper = shares * par_units, (shares + 1) * par_units
    options = []
    if shares > 0:
        options.append(f"{_yuan_text(lower)} 元（{shares:,} 股）")
    options.append(f"{_yuan_text(upper)} 元（{shares + 1:,} 股）")
    raise RuleError(
        f"{what} {_yuan_text(units)} 元不是每股面值 {_yuan_text(par_units)} 元的整数倍，"
        f"余下 {_yuan_text(remainder)} 元不足一股。最接近的有效值是 " + "或 ".join(options)
        + (f"，{hint}" if hint else "") + "。",
        field,
    )


def _positive(value: int | None, field: str, label: str, maximum: int, maximum_text: str) -> None:
    """RuleError on ``field`` unless 0 < value <= maximum."""
    if not value or value <= 0:
        raise RuleError(f"请填写大于 0 的{label}", field)
    if value > maximum:
        raise RuleError(f"{label}不能超过 {maximum_text}，请核对", field)


def value_contribution(kind: ContributionKind | str, par_value_fen: int, *,
                       amount_fen: int | None = None, land_mu: int | None = None,
                       price_per_mu_fen: int | None = None, labour_days: int | None = None,
                       price_per_day_fen: int | None = None) -> Valuation:
    """Value and whole shares of one contribution (docs/rules.md, "The share register")."""
    kind = ContributionKind(kind)
    if kind is ContributionKind.SURPLUS:
        raise RuleError("盈余转增出资只能在发放分配方案时按大会决议登记（《农民专业合作社法》第四十四条），"
                        "不能手工登记", "contribution_kind")
    par = par_value_fen * 100  # hundredths of a fen
    if kind in (ContributionKind.CASH, ContributionKind.IN_KIND):
        what = "出资金额" if kind == ContributionKind.CASH else "实物折价"
        if amount_fen is None:
            raise RuleError(f"请填写{what}", "amount_fen")
        if amount_fen <= 0:
            raise RuleError(f"{what}必须大于 0", "amount_fen")
        if amount_fen > MAX_CONTRIBUTION_FEN:
            raise RuleError(f"{what}不能超过 {format_yuan(MAX_CONTRIBUTION_FEN)} 元，请核对",
                            "amount_fen")
        shares = whole_shares(amount_fen * 100, par, what, "请调整金额", "amount_fen")
        return Valuation(amount_fen, shares, f"{kind.label}出资 {format_yuan(amount_fen)} 元")
    if kind == ContributionKind.LAND:
        _positive(land_mu, "land_mu", "土地亩数", MAX_LAND_CMU, f"{format_mu(MAX_LAND_CMU)} 亩")
        _positive(price_per_mu_fen, "price_per_mu_fen", "每亩折价", MAX_LAND_PRICE_FEN,
                  f"{format_yuan(MAX_LAND_PRICE_FEN)} 元")
        units = land_mu * price_per_mu_fen  # hundredths of a mu x fen = hundredths of a fen
        shares = whole_shares(units, par, "土地折价", "请调整亩数或每亩折价", "price_per_mu_fen")
        value = units // 100
        desc = (f"土地 {format_mu(land_mu)} 亩 × {format_yuan(price_per_mu_fen)} 元/亩 = "
                f"{format_yuan(value)} 元")
        return Valuation(value, shares, desc)
    _positive(labour_days, "labour_days", "劳动天数", MAX_LABOUR_DAYS, f"{MAX_LABOUR_DAYS:,} 天")
    _positive(price_per_day_fen, "price_per_day_fen", "每天折价", MAX_DAY_PRICE_FEN,
              f"{format_yuan(MAX_DAY_PRICE_FEN)} 元")
    value = labour_days * price_per_day_fen
    shares = whole_shares(value * 100, par, "劳动折价", "请调整天数或每天折价",
                          "price_per_day_fen")
    desc = f"劳动 {labour_days} 天 × {format_yuan(price_per_day_fen)} 元/天 = {format_yuan(value)} 元"
    return Valuation(value, shares, desc)


# -- ratios -----------------------------------------------------------------


def ratio_bp(part: int, whole: int) -> int | None:
    """part / whole in basis points, half-up; None when there is no whole."""
    if whole <= 0:
        return None
    q, r = divmod(part * FULL_BP, whole)
    return q + (1 if 2 * r >= whole else 0)


def _distance(part: int, whole: int, lo_bp: int, hi_bp: int) -> tuple[int, int]:
    """Distance of part/whole outside [lo, hi] as a fraction (num, den); (0, 1) inside."""
    if whole <= 0:
        return (0, 1)
    scaled = part * FULL_BP  # compare against bp * whole
    if scaled < lo_bp * whole:
        return (lo_bp * whole - scaled, whole * FULL_BP)
    if scaled > hi_bp * whole:
        return (scaled - hi_bp * whole, whole * FULL_BP)
    return (0, 1)


def _greater(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] * b[1] > b[0] * a[1]


@dataclass(frozen=True)
class ClassBand:
    share_class: ShareClass
    target_bp: int
    min_bp: int
    max_bp: int


def band_errors(before: Mapping[str, int], after: Mapping[str, int],
                bands: Iterable[ClassBand], when: date | None = None) -> list[str]:
    """Messages for each class that the change takes out of its band, or further out.

    Every class is checked after every change (any entry moves every class's
    ratio). A class already outside its band may move back towards it (the
    band was left by a recorded resolution). An empty register counts as
    inside every band: the first entries are checked on the state they
    create, so a new cooperative records its founding subscriptions together
    (one batch, checked on its end state).
    """
    total_before = sum(before.values())
    total_after = sum(after.values())
    if total_after <= 0:
        return []
    messages = []
    for band in bands:
        sc = band.share_class.value
        b, a = before.get(sc, 0), after.get(sc, 0)
        d_after = _distance(a, total_after, band.min_bp, band.max_bp)
        if d_after[0] == 0:
            continue
        d_before = _distance(b, total_before, band.min_bp, band.max_bp)
        if not _greater(d_after, d_before):
            continue
        at = f"（{when.isoformat()}）" if when else ""
        was = (f"登记前 {format_percent(ratio_bp(b, total_before))}" if total_before > 0
               else "登记前尚无股份")
        messages.append(
            f"登记后{band.share_class.label}占比{at}将为 "
            f"{format_percent(ratio_bp(a, total_after))}（{a:,} / {total_after:,} 股），"
            f"超出章程允许区间 {format_percent(band.min_bp)}–{format_percent(band.max_bp)}"
            f"（{was}）"
        )
    return messages


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _prior_bounds(after: Mapping[str, int], bands: Iterable[ClassBand],
                  share_class: str) -> tuple[int, int | None]:
    """(least, most) shares of ``share_class`` that, added to ``after``, leave
    every class inside its band (most None: no upper bound; least > most:
    none does)."""
    total = sum(after.values())
    least, most = 1, None

    def at_most(value: int) -> None:
        nonlocal most
        most = value if most is None else min(most, value)

    for band in bands:
        sc, part = band.share_class.value, after.get(band.share_class.value, 0)
        if sc == share_class:
            # (part + x) / (total + x) inside [min, max]
            if band.min_bp < FULL_BP:
                least = max(least, _ceil_div(band.min_bp * total - part * FULL_BP,
                                             FULL_BP - band.min_bp))
            if band.max_bp < FULL_BP:
                at_most((band.max_bp * total - part * FULL_BP) // (FULL_BP - band.max_bp))
        else:
            # part / (total + x) inside [min, max]
            if band.max_bp > 0:
                least = max(least, _ceil_div(part * FULL_BP - band.max_bp * total, band.max_bp))
            elif part > 0:
                at_most(0)
            if band.min_bp > 0:
                at_most((part * FULL_BP - band.min_bp * total) // band.min_bp)
    return least, most


def _lets_through(before: Mapping[str, int], delta: Mapping[str, int],
                  bands: list[ClassBand], share_class: str, shares: int) -> bool:
    """``shares`` of ``share_class`` recorded first pass, and so does the entry then."""
    first = {**before, share_class: before.get(share_class, 0) + shares}
    then = {k: first.get(k, 0) + delta.get(k, 0) for k in set(first) | set(delta)}
    return not band_errors(before, first, bands) and not band_errors(first, then, bands)


def entry_order_hint(before: Mapping[str, int], after: Mapping[str, int],
                     bands: Iterable[ClassBand]) -> str:
    """For one entry (``before`` -> ``after``) that takes a class out of its
    band: the subscription of one class which, recorded first, passes on its
    own and lets the entry through (both inside every band), in words; ""
    when no single class's does. The least such number of shares is named."""
    bands = list(bands)
    delta = {sc: after.get(sc, 0) - before.get(sc, 0) for sc in set(before) | set(after)}
    for band in bands:
        sc = band.share_class.value
        least, most = _prior_bounds(after, bands, sc)
        alone_least, alone_most = _prior_bounds(before, bands, sc)  # the first entry alone
        least = max(least, alone_least)
        if alone_most is not None:
            most = alone_most if most is None else min(most, alone_most)
        if most is not None and least > most:
            continue
        if not all(_lets_through(before, delta, bands, sc, x)
                   for x in (least, most) if x is not None):
            continue
        upto = f"，至多 {most:,} 股" if most is not None else ""
        return (f"若还有{band.share_class.label}要入股，先登记{band.share_class.label}"
                f"（至少 {least:,} 股{upto}），再登记本笔：两笔各类股份都在章程区间内")
    return ""


def batch_hint(after: Mapping[str, int], bands: Iterable[ClassBand]) -> str:
    """For a founding batch whose end state ``after`` leaves a class outside its
    band: the rows of one class that, added to the batch, bring every class
    inside (the order of the rows changes nothing), in words; "" when no
    single class's do."""
    bands = list(bands)
    options = []
    for band in bands:
        sc = band.share_class.value
        least, most = _prior_bounds(after, bands, sc)
        if most is not None and least > most:
            continue
        if band_errors({}, {**after, sc: after.get(sc, 0) + least}, bands):
            continue
        upto = f"（至多 {most:,} 股）" if most is not None else ""
        options.append(f"{band.share_class.label}至少 {least:,} 股{upto}")
    if not options:
        return ""
    return ("整批按登记完成后的股权结构检查，与行的先后顺序无关：本批再加入"
            + "，或".join(options) + "，各类股份即都在章程区间内")


def cap_hint(held_after: int, total_after: int, cap_bp: int) -> str:
    """How many shares in all would keep ``held_after`` within the cap, in words."""
    if cap_bp <= 0:
        return ""
    needed = _ceil_div(held_after * FULL_BP, cap_bp)
    return (f"全部股份达到 {needed:,} 股以上时本笔即不超过上限：若还有其他成员要入股，"
            f"先登记其他成员的入股（至少 {needed - total_after:,} 股）再登记本笔")


def cap_error(name: str, held_before: int, total_before: int, held_after: int,
              total_after: int, cap_bp: int) -> str | None:
    """The single-member cap: refused when the member ends over it and their
    share of all shares grew (from nothing, when the register was empty)."""
    if total_after <= 0 or held_after * FULL_BP <= cap_bp * total_after:
        return None
    if total_before > 0 and held_after * total_before <= held_before * total_after:
        return None  # over the cap already (by a resolution), and not growing
    return (
        f"登记后{name}持股将占全部股份的 {format_percent(ratio_bp(held_after, total_after))}"
        f"（{held_after:,} / {total_after:,} 股），"
        f"超过章程规定的单一成员持股上限 {format_percent(cap_bp)}（村集体不受此限）"
    )


def land_moved(land_mu: int, held: int, shares: int) -> int:
    """Hundredths of a mu of contributed land that go with ``shares`` of a
    holding of ``held`` shares (one member, one class) carrying ``land_mu``.

    The land guarantee belongs to the land-contribution shares, and shares of
    a class are interchangeable: the land goes pro rata to the shares moved,
    rounded half up to the hundredth of a mu, and all of it with the last
    share. Integers only, so the same entries always give the same mu, and
    what moves plus what stays is exactly what was held.
    """
    if land_mu <= 0 or held <= 0 or shares <= 0:
        return 0
    if shares >= held:
        return land_mu
    q, r = divmod(land_mu * shares, held)
    return q + (1 if 2 * r >= held else 0)


def first_negative(opening: int, deltas: Iterable[tuple[date, int]]) -> tuple[date, int] | None:
    """The first (date, holding) below zero of a running sum; deltas sorted by date."""
    running = opening
    for day, delta in deltas:
        running += delta
        if running < 0:
            return day, running
    return None


class ClassLand(NamedTuple):
    shares: int  # held in the class
    land_mu: int  # hundredths of a mu carried by those shares


class EntryFigures(Protocol):
    share_class: str
    effective_on: date
    shares: int
    land_mu: int | None


def class_lands(entries: Iterable[EntryFigures], on: date | None = None) -> dict[str, ClassLand]:
    """Per class, the shares and the land of ``entries`` effective up to ``on``
    (every entry when None): what one member holds in each class that day."""
    sums: dict[str, ClassLand] = {}
    for e in entries:
        if on is None or e.effective_on <= on:
            held = sums.get(e.share_class, ClassLand(0, 0))
            sums[e.share_class] = ClassLand(held.shares + e.shares, held.land_mu + (e.land_mu or 0))
    return sums


def land_carried(held: Iterable[ClassLand]) -> int:
    """Hundredths of a mu carried by a member's holdings: a class's land
    counts while shares of the class are held (``coop.shares.land``)."""
    return sum(c.land_mu for c in held if c.shares > 0 and c.land_mu > 0)
