"""The share structure: per class shares, value, holders and ratio against
the charter's bands, for the structure page (from the sums kept current as
entries are written)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coop.cooperatives.api import Cooperative, ShareClass
from coop.shares.register import CLASSES
from coop.shares.rules import HAND_KINDS, ClassBand, ContributionKind, EntryKind, ratio_bp
from coop.shares.sums import ANY_CLASS, holders_on, sums_on


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


def _figures(coop_id: int, on: date) -> dict[str, int]:
    """Every sum the structure page shows, from the sums kept as entries are
    written (``coop.shares.sums``): a few thousand rows at 1,000,000 entries."""
    figures = {f"class_{sc}": 0 for sc in CLASSES}
    figures |= {f"kind_{k.value}": 0 for k in ContributionKind}
    figures |= {"redeemed": 0, "land": 0, "machinery": 0}
    for row in sums_on(coop_id, on):
        figures[f"class_{row.share_class}"] += row.shares
        figures["land"] += row.land_mu
        if row.entry_kind == EntryKind.REDEEM.value:
            figures["redeemed"] += row.value_fen
        if row.entry_kind == EntryKind.SUBSCRIBE.value:
            if row.contribution_kind:
                figures[f"kind_{row.contribution_kind}"] += row.value_fen
            if row.machine:
                figures["machinery"] += row.value_fen
    return figures


def structure(coop: Cooperative, on: date) -> Structure:
    """The share structure on ``on``: per class shares, value, holders and ratio."""
    sums = _figures(coop.id, on)
    holders_by_class = holders_on(coop.id, on)
    holders = holders_by_class.get(ANY_CLASS, 0)
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
