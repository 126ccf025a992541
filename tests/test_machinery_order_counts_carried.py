"""The order list's count as it opens (the year's orders, unfiltered)
travels with the order mark: a transaction that only adds orders adds them
to it, a payment, reversal or edit counts it afresh as it commits, and a
reader in any process takes it from the mark without counting (issue 19:
every process counted the year's 84,000 orders again after each new order,
9-11 ms on SQLite)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coop.cooperatives.models import CooperativeMark
from coop.extensions import db
from coop.machinery.orders import ORDER_COUNTS, OrderFilter, browse_orders, reverse_order
from coop.machinery.models import ServiceOrder
from tests.test_machinery_order_counts import _fresh, _order_counts_read
from tests.test_machinery_unpaid import _closed_2025

THIS_YEAR = OrderFilter(2026, None, None, False)  # the tests' clock: 15 June 2026
OPEN_DAY = date(2026, 6, 1)


def _carried(app, c: int) -> dict[str, int]:
    with app.app_context():
        return db.session.scalar(select(CooperativeMark.figures).where(
            CooperativeMark.cooperative_id == c, CooperativeMark.topic == "orders"))


def _key(by: OrderFilter) -> str:
    return ORDER_COUNTS.carry.key(by)


def test_a_new_order_adds_itself_to_the_years_count_without_counting(app, mach):
    c = mach.coop_id
    mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)  # the first counts: no figures yet
    assert _carried(app, c) == {_key(THIS_YEAR): 1}
    with _order_counts_read(app) as seen:
        mach.ledger.order(OPEN_DAY, f"c:{mach.village}", area_cmu=500)
        mach.ledger.order(date(2026, 1, 2), f"m:{mach.li}", area_cmu=800)
    assert seen == []  # added, not counted
    assert _carried(app, c) == {_key(THIS_YEAR): 3}
    with app.app_context():
        assert _fresh(c, year=2026) == 3


def test_an_order_of_another_year_leaves_the_years_count(app, mach):
    c = mach.coop_id
    mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    mach.ledger.order(date(2025, 12, 30), f"m:{mach.zhang}", area_cmu=1000)
    assert _carried(app, c) == {_key(THIS_YEAR): 1}
    with app.app_context():
        assert browse_orders(c, year=2025).total == 1
        assert browse_orders(c, year=2026).total == 1


def test_a_payment_or_a_reversal_counts_afresh(app, mach):
    c = mach.coop_id
    order = mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    mach.ledger.order(OPEN_DAY, f"c:{mach.village}", area_cmu=500)
    with _order_counts_read(app) as seen:
        mach.ledger.pay(order, OPEN_DAY, 100)
    assert seen  # counted as the payment committed
    assert _carried(app, c) == {_key(THIS_YEAR): 2}
    _closed_2025(mach)
    with app.app_context():
        of_2025 = db.session.scalars(select(ServiceOrder).where(
            ServiceOrder.cooperative_id == c, ServiceOrder.service_on < date(2026, 1, 1))).first()
        reverse_order(c, of_2025, OPEN_DAY, None, "面积报错")
        db.session.commit()
        assert _carried(app, c) == {_key(THIS_YEAR): 3} and _fresh(c, year=2026) == 3


def test_a_reader_takes_the_count_from_the_mark(app, mach):
    """Another process, which keeps nothing for the new mark, reads the
    mark's row and counts no order; any other filter is counted."""
    c = mach.coop_id
    mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    mach.ledger.order(OPEN_DAY, f"c:{mach.village}", area_cmu=500)
    ORDER_COUNTS._kept.clear()  # as in a process that has not seen this cooperative
    with _order_counts_read(app) as seen, app.app_context():
        assert browse_orders(c, year=2026).total == 2
        assert seen == []
        assert browse_orders(c, year=2026, unpaid_only=True).total == 2
        assert len(seen) == 1


def test_keys_name_every_filter_and_back():
    for by in (THIS_YEAR, OrderFilter(2025, "sowing", ("m", 7), True),
               OrderFilter(None, None, ("c", 3), False)):
        assert ORDER_COUNTS.carry.unkey(ORDER_COUNTS.carry.key(by)) == by
