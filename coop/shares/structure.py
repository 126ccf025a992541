"""The share structure: per class shares, value, holders and ratio against
the charter's bands, for the structure page (one pass over the register,
cached per state of the register)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select

from coop.cooperatives.api import Cooperative, ShareClass
from coop.extensions import cache, db
from coop.shares.models import ShareEntry
from coop.shares.register import CLASSES
from coop.shares.rules import HAND_KINDS, ClassBand, ContributionKind, EntryKind, ratio_bp


def charter_bands(coop: Cooperative) -> list[ClassBand]:
    return [ClassBand(sc, *coop.class_band(sc)) for sc in ShareClass]


@dataclass
class ClassStructure:
    share_class: str
    label: str
    shares: int
    value_fen: int
    holders: int
    ratio_bp: int | None
    target_bp: int
    min_bp: int
    max_bp: int

    @property
    def in_band(self) -> bool:
        return self.ratio_bp is None or self.min_bp <= self.ratio_bp <= self.max_bp


@dataclass
class Structure:
    on: date
    classes: list[ClassStructure]
    total_shares: int
    total_value_fen: int
    holders: int
    contributions: list[tuple[str, str, int]]  # (kind, label, value_fen)
    redeemed_fen: int
    land_mu: int
    machinery_fen: int  # in-kind contributions linked to a machine record

    @property
    def warnings(self) -> list[ClassStructure]:
        return [c for c in self.classes if self.total_shares and not c.in_band]


SCAN_ABOVE = 20_000  # register entries of a cooperative read by a scan, not the index


def _register_sums(coop_id: int, on: date, size: int) -> dict[str, int]:
    """Every sum the structure page shows, in one pass over the register.

    Conditional sums in one statement instead of a query per figure. A
    county-size cooperative's register (``size`` entries) is read as a
    sequential scan (the ``+ 0`` keeps SQLite from walking the date index and
    fetching each of its million rows one by one: 1,000,000 entries, 2.5 s ->
    0.4 s); a small one through the index.
    """
    e = ShareEntry.__table__
    subscribe = e.c.entry_kind == EntryKind.SUBSCRIBE.value

    def total(column, *when):
        return func.coalesce(func.sum(case((and_(*when), column), else_=0)), 0)

    figures = {f"class_{sc}": total(e.c.shares, e.c.share_class == sc) for sc in CLASSES}
    figures |= {f"kind_{k.value}": total(e.c.value_fen, subscribe, e.c.contribution_kind == k.value)
                for k in ContributionKind}
    figures["redeemed"] = total(e.c.value_fen, e.c.entry_kind == EntryKind.REDEEM.value)
    figures["land"] = total(func.coalesce(e.c.land_mu, 0), e.c.id.is_not(None))
    figures["machinery"] = total(e.c.value_fen, subscribe, e.c.machine_id.is_not(None))
    coop_column = e.c.cooperative_id + 0 if size > SCAN_ABOVE else e.c.cooperative_id
    row = db.session.execute(
        select(*(expr.label(name) for name, expr in figures.items()))
        .where(coop_column == coop_id, e.c.effective_on <= on)).one()
    return {name: int(value or 0) for name, value in row._mapping.items()}


def register_stamp(coop_id: int) -> tuple[int, int, str]:
    """What identifies the state of a cooperative's register: its number of
    entries, the last entry's id and when that entry was recorded. The
    register is append-only (corrections are reversing entries), so any
    change gives a new stamp; the time tells apart a register restored from
    a backup and then written differently."""
    count, last = db.session.execute(
        select(func.count(), func.max(ShareEntry.id))
        .where(ShareEntry.cooperative_id == coop_id)).one()
    recorded = db.session.scalar(select(ShareEntry.recorded_at).where(ShareEntry.id == last)) \
        if last else None
    return int(count), int(last or 0), recorded.isoformat() if recorded else ""


@cache.memoize()
def _structure_figures(coop_id: int, on: date, stamp: tuple[int, int, str]
                       ) -> tuple[dict[str, int], dict[str, int], int]:
    """The register's sums and holder counts on ``on``, for one state of the
    register (``stamp``): at 1,000,000 entries a second of SQL, computed once
    per worker process until the register changes."""
    sums = _register_sums(coop_id, on, size=stamp[0])
    # holders by class and in all from one grouping of the register (a CTE
    # used twice is materialized once: 1,000,000 entries, 484 -> 280 ms)
    held = (
        select(ShareEntry.member_id, ShareEntry.share_class)
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
        .group_by(ShareEntry.member_id, ShareEntry.share_class)
        .having(func.sum(ShareEntry.shares) > 0)
        .cte("held")
    )
    rows = db.session.execute(
        select(held.c.share_class, func.count(),
               select(func.count(func.distinct(held.c.member_id))).scalar_subquery())
        .group_by(held.c.share_class)).all()
    return sums, {share_class: int(n) for share_class, n, _ in rows}, int(rows[0][2]) if rows else 0


def structure(coop: Cooperative, on: date) -> Structure:
    """The share structure on ``on``: per class shares, value, holders and ratio."""
    sums, holders_by_class, holders = _structure_figures(coop.id, on, register_stamp(coop.id))
    totals = {sc: sums[f"class_{sc}"] for sc in CLASSES}
    total = sum(totals.values())
    classes = []
    for band in charter_bands(coop):
        sc = band.share_class.value
        classes.append(ClassStructure(
            sc, band.share_class.label, totals[sc], totals[sc] * coop.par_value_fen,
            int(holders_by_class.get(sc, 0)), ratio_bp(totals[sc], total),
            band.target_bp, band.min_bp, band.max_bp))
    # surplus turned into capital only where a plan converted some (specialized mode)
    contributions = [(k.value, k.label, sums[f"kind_{k.value}"]) for k in ContributionKind
                     if k in HAND_KINDS or sums[f"kind_{k.value}"]]
    redeemed = -sums["redeemed"]
    land = sums["land"]
    machinery = sums["machinery"]
    return Structure(on, classes, total, total * coop.par_value_fen, int(holders),
                     contributions, redeemed, land, machinery)
