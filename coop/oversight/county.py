"""The county figures of an area on one page: villages with a cooperative,
households, land pooled and dividends paid this year, in total and by
township. Built from the overview's rows and one more set-based query
(dividends paid in the year)."""
from __future__ import annotations

from dataclasses import dataclass, field

from coop.dividends.api import paid_in_year
from coop.oversight.overview import Overview


@dataclass
class Township:
    name: str
    cooperatives: int = 0
    villages: set[str] = field(default_factory=set)
    households: int = 0
    land_mu: int = 0
    paid_fen: int = 0

    @property
    def village_count(self) -> int:
        return len(self.villages)


@dataclass
class County:
    year: int
    townships: list[Township]
    total: Township


def county_figures(overview: Overview) -> County:
    paid = paid_in_year([r.cooperative.id for r in overview.rows], overview.year)
    by_name: dict[str, Township] = {}
    total = Township("合计")
    for row in overview.rows:
        town = by_name.setdefault(row.township or "（未填乡镇）", Township(row.township or "（未填乡镇）"))
        for t in (town, total):
            t.cooperatives += 1
            t.villages.add(f"{row.township}/{row.village}")
            t.households += row.figures.households
            t.land_mu += row.figures.land_mu
            t.paid_fen += paid.get(row.cooperative.id, 0)
    return County(overview.year, sorted(by_name.values(), key=lambda t: t.name), total)
