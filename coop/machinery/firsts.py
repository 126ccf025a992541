"""The first day each cooperative's ledger has anything on: its first entry
(an order, a payment, an expense, another income) and its first machine's
acquisition, for any number of cooperatives in one statement (each MIN
reads one end of a cooperative's date index). The years the ledger shows,
the first period a disclosure covers and the township's overview all start
from it."""
from __future__ import annotations

from datetime import date
from typing import Iterable, NamedTuple

from sqlalchemy import bindparam, func, select

from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.machinery.models import Expense, Machine, OtherIncome, ServiceOrder, ServicePayment

_ENTRY_DATES = ((ServiceOrder.service_on, ServiceOrder.cooperative_id),
                (ServicePayment.paid_on, ServicePayment.cooperative_id),
                (Expense.spent_on, Expense.cooperative_id),
                (OtherIncome.received_on, OtherIncome.cooperative_id))


class LedgerFirsts(NamedTuple):
    entry: date | None  # the first day of any entry
    acquired: date | None  # the first machine's acquisition

    @property
    def day(self) -> date | None:
        """The first day of either."""
        return min((d for d in self if d is not None), default=None)


def _firsts():
    coop = Cooperative.__table__
    firsts = [select(func.min(column)).where(coop_col == coop.c.id).scalar_subquery()
              for column, coop_col in (*_ENTRY_DATES, (Machine.acquired_on, Machine.cooperative_id))]
    return select(coop.c.id, *firsts).where(coop.c.id.in_(bindparam("coop_ids", expanding=True)))


# built once: every machinery page asks for its cooperative's years
_FIRSTS = _firsts()


def ledger_firsts(coop_ids: Iterable[int]) -> dict[int, LedgerFirsts]:
    """cooperative id -> its ledger's first days; cooperatives with nothing
    on their ledger are left out."""
    ids = list(coop_ids)
    if not ids:
        return {}
    out: dict[int, LedgerFirsts] = {}
    for coop_id, *days in db.session.execute(_FIRSTS, {"coop_ids": ids}):
        entries = [_as_date(d) for d in days[:-1] if d is not None]
        found = LedgerFirsts(min(entries, default=None), _as_date(days[-1]) if days[-1] else None)
        if found.day is not None:
            out[coop_id] = found
    return out


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
