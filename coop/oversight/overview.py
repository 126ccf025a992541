"""The overview of an area: per cooperative and in total, the figures an
overseer compares (members, households, shares and capital by class, land,
surplus, dividends, receivables). Every figure comes from its domain's api
in a handful of set-based queries over all the area's cooperatives at once
(GROUP BY cooperative_id), never a query per cooperative."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coop.cooperatives.api import Cooperative, ShareClass, cooperatives_under_query
from coop.dividends.api import dividend_tallies
from coop.machinery.api import receivable_tallies, years_figures_of
from coop.extensions import db
from coop.members.api import member_tallies
from coop.shares.api import register_tallies

CLASSES = tuple(ShareClass)


@dataclass
class Figures:
    """The figures of one cooperative, or of several added up."""

    members: int = 0
    households: int = 0
    shares_by_class: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in CLASSES})
    capital_by_class: dict[str, int] = field(default_factory=lambda: {c.value: 0 for c in CLASSES})
    land_mu: int = 0                # hundredths of a mu
    # a year's own surplus, before anything carried into it (its
    # ``operating_result_fen``: computed while open, kept at the close); what
    # last year left undistributed is carried into this one and counted apart,
    # so that no amount is in two columns
    surplus_fen: int = 0            # this year's own
    carried_fen: int = 0            # carried into this year from the last (a loss below 0)
    last_surplus_fen: int = 0       # last year's own
    dividends_approved_fen: int = 0  # last year's effective plan, its lines
    dividends_paid_fen: int = 0
    collective_fen: int = 0          # the collective entity's lines
    receivables_fen: int = 0
    old_receivables_fen: int = 0     # of them, over a year old

    @property
    def shares(self) -> int:
        return sum(self.shares_by_class.values())

    @property
    def capital_fen(self) -> int:
        return sum(self.capital_by_class.values())

    def value(self, key: str) -> int:
        """The figure a column (COLUMNS) shows."""
        by_class = {"shares_": self.shares_by_class, "capital_": self.capital_by_class}
        for prefix, figures in by_class.items():
            if key.startswith(prefix) and key.removeprefix(prefix) in figures:
                return figures[key.removeprefix(prefix)]
        return getattr(self, key)

    def add(self, other: Figures) -> None:
        for f in fields(self):
            mine = getattr(self, f.name)
            if isinstance(mine, dict):
                for key, value in getattr(other, f.name).items():
                    mine[key] = mine.get(key, 0) + value
            else:
                setattr(self, f.name, mine + getattr(other, f.name))


@dataclass
class Row:
    cooperative: Cooperative
    figures: Figures
    plan_status: str = ""  # the effective plan's status, "" without one

    @property
    def township(self) -> str:
        """The township of the cooperative's village area, else its town as typed."""
        area = self.cooperative.area
        if area is not None and area.parent is not None:
            return area.parent.name
        return self.cooperative.town

    @property
    def village(self) -> str:
        area = self.cooperative.area
        return area.name if area is not None else self.cooperative.village


@dataclass
class Overview:
    year: int          # this year; last year's plan is the one paid out in it
    on: date
    rows: list[Row]
    total: Figures

    @property
    def plan_year(self) -> int:
        return self.year - 1


def _sort_value(row: Row, key: str):
    f = row.figures
    if key == "code":
        return row.cooperative.code
    if key == "name":
        return row.cooperative.name
    if key == "town":
        return (row.township, row.village)
    return f.value(key)


class Column(NamedTuple):
    key: str
    label: str
    unit: str  # "count", "shares", "yuan" or "mu"


# the totals a township reads first, then the share classes apart (a table
# wider than the screen scrolls: what is read most is on its first screen)
COLUMNS = (
    Column("members", "成员（人）", "count"), Column("households", "户数", "count"),
    Column("shares", "股数合计", "shares"),
    Column("capital_fen", "股本金合计（元）", "yuan"),
    Column("surplus_fen", "本年盈余（元）", "yuan"), Column("carried_fen", "上年结转（元）", "yuan"),
    Column("last_surplus_fen", "上年盈余（元）", "yuan"),
    Column("dividends_approved_fen", "上年度分红·已通过（元）", "yuan"),
    Column("dividends_paid_fen", "上年度分红·已发放（元）", "yuan"),
    Column("collective_fen", "集体分红收入（元）", "yuan"),
    Column("receivables_fen", "应收款（元）", "yuan"),
    *(Column(f"shares_{c.value}", f"{c.label}（股）", "shares") for c in CLASSES),
    *(Column(f"capital_{c.value}", f"{c.label}股本金（元）", "yuan") for c in CLASSES),
    Column("land_mu", "入股土地（亩）", "mu"),
)

SORT_KEYS = ("code", "name", "town", *(c.key for c in COLUMNS))


def sort_rows(rows: list[Row], key: str, descending: bool = False) -> list[Row]:
    """The rows by ``key`` (one of SORT_KEYS; ties by code)."""
    if key not in SORT_KEYS:
        key = "code"
    ordered = sorted(rows, key=lambda r: r.cooperative.code)
    return sorted(ordered, key=lambda r: _sort_value(r, key), reverse=descending)


def as_of(year: int, today: date) -> date:
    """The day holdings and receivables are read on for ``year``: today, or
    the last day of a past year."""
    return min(today, date(year, 12, 31))


def overview_of(cooperatives: list[Cooperative], year: int, on: date) -> Overview:
    """The figures of ``cooperatives`` for ``year`` (the own surplus of
    ``year`` and ``year - 1``, and what ``year - 1`` carried into ``year``; dividends of the plan for ``year - 1``, which is approved and
    paid in ``year``), holdings and receivables as on ``on``."""
    ids = [c.id for c in cooperatives]
    tallies = member_tallies(ids)
    registers = register_tallies(ids, on)
    by_year = years_figures_of(ids, (year - 1, year))
    this_year, last_year = by_year[year], by_year[year - 1]
    dividends = dividend_tallies(ids, year - 1)
    receivables = receivable_tallies(ids, on)
    rows: list[Row] = []
    total = Figures()
    for coop in cooperatives:
        figures = Figures()
        if (tally := tallies.get(coop.id)) is not None:
            figures.members, figures.households = tally.members, tally.households
        if (register := registers.get(coop.id)) is not None:
            for share_class, shares in register.shares_by_class.items():
                figures.shares_by_class[share_class] = shares
                figures.capital_by_class[share_class] = shares * coop.par_value_fen
            figures.land_mu = register.land_mu
        current, previous = this_year[coop.id], last_year[coop.id]
        figures.surplus_fen = current.operating_result_fen
        figures.carried_fen = current.carried_surplus_fen - current.carried_loss_fen
        figures.last_surplus_fen = previous.operating_result_fen
        plan = dividends.get(coop.id)
        if plan is not None:
            figures.dividends_approved_fen = plan.approved_fen
            figures.dividends_paid_fen = plan.paid_fen
            figures.collective_fen = plan.collective_fen
        if (owed := receivables.get(coop.id)) is not None:
            figures.receivables_fen, figures.old_receivables_fen = owed.total_fen, owed.old_fen
        rows.append(Row(coop, figures, plan.status if plan is not None else ""))
        total.add(figures)
    return Overview(year, on, rows, total)


def area_cooperatives(area_id: int) -> list[Cooperative]:
    """The cooperatives of the area and every area below it, by code."""
    return list(db.session.scalars(
        select(Cooperative).options(joinedload(Cooperative.area))
        .where(Cooperative.id.in_(cooperatives_under_query(area_id)))
        .order_by(Cooperative.code)))


def area_overview(area_id: int, year: int, on: date) -> Overview:
    return overview_of(area_cooperatives(area_id), year, on)
