"""The orders as the list pages show them (the order list, a client's page):
each order's own columns, its client's name and kind, its machine's name and
what was paid and reversed against it, read as plain rows.

The page's statement is built once for each shape of filter (which filters
are set, and for a client whether a member or an outside client); the
cooperative, the filters' values, LIMIT and OFFSET are bound parameters.
Loading the page as ServiceOrder objects with their member, client and
machine cost the order list about a quarter of its time (issue 19)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from coop.cooperatives.api import outside_village_word
from coop.extensions import db
from coop.machinery.constants import Service, client_kind_label
from coop.machinery.models import Machine, OutsideClient, ServiceOrder, owed
from coop.machinery.order_figures import (PAID_AND_REVERSED, FilterShape, filter_shape,
                                          filter_values, filtered, order_count, order_filter)
from coop.members.api import Member
from coop.paging import Page


@dataclass(frozen=True, slots=True)
class OrderLine:
    """An order of a list page."""

    id: int
    order_no: str
    service_on: date
    member_id: int | None
    client_name: str
    client_kind_label: str  # an outside client's kind in the charter's words; "" for a member
    service: str
    plot: str
    area_cmu: int
    unit_price_fen: int
    amount_fen: int
    machine_name: str  # "" without a machine
    operator: str
    reverses_id: int | None
    paid_fen: int
    reversed_fen: int

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def service_label(self) -> str:
        return Service(self.service).label

    @property
    def outstanding_fen(self) -> int:
        """What is still owed (0 for a reversal)."""
        return owed(self.amount_fen, self.reversed_fen, self.paid_fen, self.reverses_id)

    @property
    def owes(self) -> bool:
        return self.outstanding_fen > 0


_COLUMNS = (
    ServiceOrder.id, ServiceOrder.order_no, ServiceOrder.service_on, ServiceOrder.member_id,
    func.coalesce(Member.name, OutsideClient.name, "").label("client_name"),
    OutsideClient.kind.label("client_kind"), ServiceOrder.service, ServiceOrder.plot,
    ServiceOrder.area_cmu, ServiceOrder.unit_price_fen, ServiceOrder.amount_fen,
    func.coalesce(Machine.name, "").label("machine_name"), ServiceOrder.operator,
    ServiceOrder.reverses_id, PAID_AND_REVERSED.paid.label("paid_fen"),
    PAID_AND_REVERSED.reversed.label("reversed_fen"))


@lru_cache(maxsize=32)
def _page_statement(shape: FilterShape):
    """A page of the orders of ``shape``, newest first (``page_limit`` rows
    from ``page_offset``)."""
    query = (select(*_COLUMNS)
             .outerjoin(Member, Member.id == ServiceOrder.member_id)
             .outerjoin(OutsideClient, OutsideClient.id == ServiceOrder.client_id)
             .outerjoin(Machine, Machine.id == ServiceOrder.machine_id))
    return (filtered(query, shape).order_by(ServiceOrder.service_on.desc(), ServiceOrder.id.desc())
            .limit(bindparam("page_limit")).offset(bindparam("page_offset")))


def order_lines(coop_id: int, year: int | None = None, service: str | None = None,
                client_ref: str | None = None, unpaid_only: bool = False,
                page: int = 1, per_page: int = 50) -> Page:
    """A page of the orders the filters give, newest first, as OrderLines;
    the total is the list's kept count (``order_figures.order_count``)."""
    by = order_filter(year, service, client_ref, unpaid_only)
    total = order_count(coop_id, by)
    page = max(1, page)
    rows = db.session.execute(_page_statement(filter_shape(by)), {
        **filter_values(coop_id, by), "page_limit": per_page, "page_offset": (page - 1) * per_page})
    word = outside_village_word(coop_id)
    return Page([_line(row, word) for row in rows], page, per_page, total)


def _line(row, word: str) -> OrderLine:
    values = dict(row._mapping)
    kind = values.pop("client_kind")
    return OrderLine(client_kind_label=client_kind_label(kind, word) if kind else "", **values)
