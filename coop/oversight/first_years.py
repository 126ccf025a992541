"""The first year each cooperative is known to have existed, from its own
records rather than from the day its row was entered into the system: a
cooperative entered this year with last year's orders, shares, close or
plan existed last year, and owes last year's close and plan.

The earliest of: its ledger's first day (an entry or a machine's
acquisition, ``machinery.api.first_ledger_days``), its share register's
first entry, its first closed year, its first distribution plan, and the
day it was entered (it existed then). Two queries for any number of
cooperatives: the ledger's, and one with a MIN a kind (each reads one end
of a cooperative's index)."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from sqlalchemy import bindparam, func, select

from coop import clock
from coop.cooperatives.api import Cooperative, YearClose
from coop.dividends.api import DividendPlan
from coop.extensions import db
from coop.machinery.api import first_ledger_days
from coop.shares.api import ShareEntry


def _firsts():
    coop = Cooperative.__table__
    return select(
        coop.c.id,
        select(func.min(ShareEntry.effective_on)).where(ShareEntry.cooperative_id == coop.c.id)
        .scalar_subquery(),
        select(func.min(YearClose.year)).where(YearClose.cooperative_id == coop.c.id).scalar_subquery(),
        select(func.min(DividendPlan.year)).where(DividendPlan.cooperative_id == coop.c.id)
        .scalar_subquery(),
    ).where(coop.c.id.in_(bindparam("coop_ids", expanding=True)))


_FIRSTS = _firsts()


def _year_of(value) -> int:
    return (value if isinstance(value, date) else date.fromisoformat(str(value))).year


def first_years(cooperatives: Iterable[Cooperative]) -> dict[int, int]:
    """cooperative id -> the first year its records (or its entry into the
    system) show it existing; every cooperative asked is in it."""
    coops = list(cooperatives)
    if not coops:
        return {}
    ids = [c.id for c in coops]
    out = {c.id: clock.local_day(c.created_at).year if c.created_at else clock.today().year
           for c in coops}
    for coop_id, day in first_ledger_days(ids).items():
        out[coop_id] = min(out[coop_id], day.year)
    for coop_id, shares_on, closed_year, plan_year in db.session.execute(_FIRSTS, {"coop_ids": ids}):
        years = [_year_of(shares_on) if shares_on is not None else None, closed_year, plan_year]
        out[coop_id] = min([out[coop_id], *(int(y) for y in years if y is not None)])
    return out
