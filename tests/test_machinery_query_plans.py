"""The order list filtered by a service reads that service's orders through
their own index (cooperative, service, date); a payment's reversal asks for
an earlier one through the index of the reversals.

Through the cooperative's date index SQLite walked every order of the
cooperative looking for the service: 0.46 s at 1,000,000 orders for a
service with none (issue 19). These tests read the plans SQLite chooses, and
the last PostgreSQL's: a page of the list, newest first and ties by id, is
read from a date index in that order, not sorted.
"""
from __future__ import annotations

from datetime import date

import pytest

from coop.machinery.models import ServicePayment
from coop.machinery.order_figures import OWING, count_orders, sum_owed
from coop.machinery.order_lines import order_lines
from coop.machinery.orders import browse_orders
from coop.machinery.payments import reverse_payment
from coop.tenancy import get_owned
from tests.query_plans import captured_pg_plans, captured_plans

SERVICE_INDEX = "ix_service_orders_coop_service_date (cooperative_id=? AND service=?"


def _orders_read_by_service(plan: list[str]) -> bool:
    orders = [step for step in plan if step.startswith(("SEARCH service_orders ",
                                                        "SCAN service_orders"))]
    return bool(orders) and all(SERVICE_INDEX in step for step in orders)


def test_the_order_list_of_one_service_reads_that_services_orders(mach, app):
    mach.ledger.order(date(2026, 3, 1), f"m:{mach.zhang}", "sowing", 1000)
    with app.app_context():
        with captured_plans("service_orders") as plans:
            page = browse_orders(mach.ledger.coop_id, service="harvesting")
            assert page.total == 0 and page.items == []
            page = browse_orders(mach.ledger.coop_id, year=2026, service="sowing")
            assert page.total == 1
    assert len(plans) == 4
    assert all(_orders_read_by_service(plan) for plan in plans), plans


def test_the_unpaid_only_list_reads_the_partial_index_of_orders_that_owe(mach, app):
    """The unpaid-only page, its count as a writer counts it afresh and the
    fen owed as a writer sums it afresh read ix_service_orders_unpaid, not
    every order with its payments and reversals (3.6 s at 1,000,000 orders)."""
    mach.ledger.order(date(2026, 3, 1), f"m:{mach.zhang}", "sowing", 1000)
    with app.app_context():
        with captured_plans("service_orders") as plans:
            assert browse_orders(mach.ledger.coop_id, unpaid_only=True).total == 1
            assert count_orders(mach.ledger.coop_id, OWING) == 1
            assert sum_owed(mach.ledger.coop_id) == 25000
    outer = [[step for step in plan if step.startswith(("SEARCH service_orders ",
                                                        "SCAN service_orders"))][0]
             for plan in plans]
    assert len(outer) == 3 and all("ix_service_orders_unpaid" in step for step in outer), plans


def test_a_payments_reversal_finds_an_earlier_reversal_through_its_index(mach, app):
    """Whether a payment was reversed already is read through
    ix_service_payments_reverses, not every payment of the county (50 ms at
    522,900 payments)."""
    order = mach.ledger.order(date(2026, 3, 1), f"m:{mach.zhang}", "sowing", 1000)
    payment = mach.ledger.pay(order, date(2026, 3, 2), 100)
    with app.app_context():
        with captured_plans("service_payments") as plans:
            reverse_payment(mach.ledger.coop_id,
                            get_owned(ServicePayment, payment, mach.ledger.coop_id),
                            date(2026, 3, 3), "录错")
    asked = [step for plan in plans for step in plan if "reverses_id" in step]
    assert asked and all("ix_service_payments_reverses" in step for step in asked), plans


ALL_DATES = "ix_service_orders_coop_date"


@pytest.mark.parametrize("filters, indexes", [
    ({"year": 2026}, [ALL_DATES]),
    ({}, [ALL_DATES]),
    ({"service": "sowing"}, ["ix_service_orders_coop_service_date", ALL_DATES]),
    ({"unpaid_only": True}, ["ix_service_orders_unpaid", ALL_DATES]),
])
def test_a_page_of_the_order_list_is_read_from_its_date_index_in_order(mach, app, filters, indexes):
    """The date indexes end with the order's id, the list's tie-breaker, so
    PostgreSQL walks one backwards and stops at the page's last row. Without
    the id it read every order of the newest day, joined each to its client
    and sorted them: 14-18 ms a page at 1,000,000 orders, the database's
    costliest statement in the load test (issue 19). Planned with sorting
    disabled, so that a handful of orders is not simply sorted in memory; a
    filtered list may walk its own index or all the orders' (the handful's
    statistics decide), either in order."""
    for day in (1, 1, 1, 2):
        mach.ledger.order(date(2026, 3, day), f"m:{mach.zhang}", "sowing", 1000)
    with app.app_context():
        with captured_pg_plans("service_orders", enable_sort="off",
                               enable_incremental_sort="off") as plans:
            page = order_lines(mach.ledger.coop_id, per_page=2, **filters)
    assert [line.service_on.day for line in page.items] == [2, 1]
    assert page.items[0].id > page.items[1].id
    reads = [plan for plan in plans if plan[0].lstrip().startswith("Limit")]
    assert len(reads) == 1, plans
    assert not any("Sort" in step for step in reads[0]), "\n".join(reads[0])
    assert any(f"Index Scan Backward using {index} " in step
               for step in reads[0] for index in indexes), "\n".join(reads[0])
