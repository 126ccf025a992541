"""The order list's counts are kept per cooperative, order mark and filter
(issue 19: counting half a million owing orders took 30-70 ms on
PostgreSQL), and are right after any write of an order or a payment, in the
writing transaction and in every later one."""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, literal_column, select, update

from coop.cooperatives.services import get_by_code
from coop.errors import ServiceError
from coop.extensions import db
from coop.machinery.clients import create_client
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.order_figures import ORDER_COUNTS, order_filter, owed_fen
from coop.machinery.orders import browse_orders, refresh_unpaid, reverse_order, unpaid_now
from coop.machinery.payments import reverse_payment
from coop.machinery.prices import set_prices
from coop.tenancy import get_owned
from tests.conftest_machinery import Ledger
from tests.query_plans import statements_run
from tests.test_machinery_unpaid import STEPS, _apply, _closed_2025

OPEN_DAY = date(2026, 6, 1)


def _filters(mach) -> list[dict]:
    return [{}, {"unpaid_only": True}, {"year": 2026}, {"year": 2025, "unpaid_only": True},
            {"service": "sowing", "unpaid_only": True}, {"service": "harvesting"},
            {"client_ref": f"m:{mach.zhang}", "unpaid_only": True},
            {"client_ref": f"c:{mach.village}"}, {"client_ref": f"m:{mach.li}", "year": 2026}]


def _fresh(c: int, year=None, service=None, client_ref=None, unpaid_only=False) -> int:
    """The count computed from every order's payments and reversals, not
    from the kept ``unpaid_fen`` nor through the list's query."""
    query = select(func.count()).select_from(ServiceOrder).where(ServiceOrder.cooperative_id == c)
    if year:
        query = query.where(ServiceOrder.service_on.between(date(year, 1, 1), date(year, 12, 31)))
    if service:
        query = query.where(ServiceOrder.service == service)
    if client_ref:
        kind, _, ref_id = client_ref.partition(":")
        column = ServiceOrder.member_id if kind == "m" else ServiceOrder.client_id
        query = query.where(column == int(ref_id))
    if unpaid_only:
        query = query.where(unpaid_now() > 0)
    return db.session.scalar(query)


def _counts(c: int, filters: list[dict]) -> list[int]:
    return [browse_orders(c, **f).total for f in filters]


def _fresh_owed(c: int) -> int:
    """What the owing orders owe, computed from every order's payments and
    reversals, not from the kept ``unpaid_fen``."""
    owed = unpaid_now()
    return db.session.scalar(select(func.coalesce(func.sum(owed), 0))
                             .where(ServiceOrder.cooperative_id == c, owed > 0))


def _fresh_counts(c: int, filters: list[dict]) -> list[int]:
    return [_fresh(c, **f) for f in filters]


def _order_counts_read(app):
    """The statements that count orders, run while inside the block."""
    return statements_run(app, lambda s: "count(" in s.lower() and "service_orders" in s)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_counts_are_right_after_any_writes_in_the_same_and_later_transactions(mach, steps):
    _closed_2025(mach)
    filters = _filters(mach)

    def figures(c):
        return _counts(c, filters), owed_fen(c)

    def fresh(c):
        return _fresh_counts(c, filters), _fresh_owed(c)

    def run(c):
        wrong = []
        figures(c)  # kept for the current mark
        db.session.commit()
        for step in steps:
            try:
                _apply(c, step, f"m:{mach.zhang}")
            except ServiceError:
                db.session.rollback()
                continue
            if figures(c) != fresh(c):
                wrong.append(("same transaction", step))
            db.session.commit()
            if figures(c) != fresh(c):
                wrong.append(("later transaction", step))
            db.session.commit()
        return wrong

    assert mach.ledger.run(run) == []


def test_an_order_a_payment_and_their_reversals_change_the_counts(mach):
    _closed_2025(mach)
    old = mach.ledger.run(lambda c: db.session.scalar(
        select(ServiceOrder.id).where(ServiceOrder.cooperative_id == c,
                                      ServiceOrder.service_on < date(2026, 1, 1))
        .order_by(ServiceOrder.id)))  # 2025's first order: nothing paid
    filters = [{}, {"unpaid_only": True}, {"client_ref": f"m:{mach.zhang}", "unpaid_only": True},
               {"year": 2026, "unpaid_only": True}]

    def totals():
        counts = mach.ledger.run(lambda c: (_counts(c, filters), _fresh_counts(c, filters)))
        assert counts[0] == counts[1]
        return counts[0]

    start = totals()
    assert totals() == start  # kept
    order = mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    added = totals()
    assert added == [start[0] + 1, start[1] + 1, start[2] + 1, start[3] + 1]
    payment = mach.ledger.pay(order, OPEN_DAY, 25000)
    assert totals() == [added[0], start[1], start[2], start[3]]
    mach.ledger.run(lambda c: (reverse_payment(c, get_owned(ServicePayment, payment, c),
                                               OPEN_DAY, "退款"), db.session.commit()))
    assert totals() == added
    mach.ledger.run(lambda c: (reverse_order(c, get_owned(ServiceOrder, old, c), OPEN_DAY, None,
                                             "面积多报"), db.session.commit()))
    # the reversal is an order of 2026 that owes nothing; the reversed order owes nothing either
    assert totals() == [added[0] + 1, added[1] - 1, added[2] - 1, added[3]]


def test_counts_are_kept_until_an_order_or_payment_is_written(app, mach):
    order = mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    filters = _filters(mach)
    with app.app_context():
        first = _counts(mach.coop_id, filters)
        db.session.commit()
    with _order_counts_read(app) as seen, app.app_context():
        assert _counts(mach.coop_id, filters) == first
        assert seen == []  # only the mark was read
    mach.ledger.pay(order, OPEN_DAY, 100)
    with _order_counts_read(app) as seen, app.app_context():
        assert _counts(mach.coop_id, filters) == _fresh_counts(mach.coop_id, filters)
        assert seen  # counted again after the payment


def test_nothing_is_kept_inside_a_writing_transaction(app, mach):
    mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    c, unpaid = mach.coop_id, order_filter(None, None, None, True)
    with app.app_context():
        before = browse_orders(c, unpaid_only=True).total
        db.session.commit()
        mark = ORDER_COUNTS.mark(c)
        order = ServiceOrder(
            cooperative_id=c, order_no="2026-90000", service_on=OPEN_DAY, member_id=mach.zhang,
            service="sowing", area_cmu=100, unit_price_fen=2500, amount_fen=2500, unpaid_fen=2500)
        db.session.add(order)
        assert browse_orders(c, unpaid_only=True).total == before + 1
        assert ORDER_COUNTS.written(c)
        assert ORDER_COUNTS.kept(c, mark, unpaid) == before  # the uncommitted count is not kept
        db.session.rollback()
        assert ORDER_COUNTS.mark(c) == mark
        assert browse_orders(c, unpaid_only=True).total == before


def test_the_bulk_refresh_of_unpaid_balances_renews_the_mark(app, mach):
    order = mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    c = mach.coop_id
    with app.app_context():
        assert browse_orders(c, unpaid_only=True).total == 1
        db.session.commit()
        mark = ORDER_COUNTS.mark(c)
        # a balance put wrong past the ORM, which nothing marks ...
        db.session.execute(update(ServiceOrder).where(ServiceOrder.id == order)
                           .values(unpaid_fen=literal_column("0")))
        db.session.commit()
        assert ORDER_COUNTS.mark(c) == mark
        assert browse_orders(c, unpaid_only=True).total == 1  # the kept count: stale by design
        # ... until the writer says it wrote: counted afresh as it commits
        ORDER_COUNTS.wrote([c])
        db.session.commit()
        assert ORDER_COUNTS.mark(c) not in (None, mark)
        assert browse_orders(c, unpaid_only=True).total == 0  # as the (wrong) balances say
        db.session.commit()
        mark = ORDER_COUNTS.mark(c)
        refresh_unpaid([order])  # alone: it renews the mark and moves the carried count
        assert ORDER_COUNTS.written(c)
        db.session.commit()
        assert ORDER_COUNTS.mark(c) not in (None, mark)
        assert browse_orders(c, unpaid_only=True).total == 1 == _fresh(c, unpaid_only=True)


def _second_ledger(app, create_coop) -> Ledger:
    """Cooperative t2 with an outside village and 2026's prices."""
    code = create_coop("t2")
    with app.app_context():
        coop_id = get_by_code(code).id
        village = create_client(coop_id, {"kind": "village", "name": "东村"})
        set_prices(coop_id, 2026, {"sowing": (2500, 3500)})
        db.session.commit()
        ledger = Ledger(app, coop_id)
        ledger.village = village.id
    return ledger


def test_another_cooperatives_write_leaves_the_counts_alone(app, mach, create_coop):
    """Each cooperative's count is its own, and a write renews only the
    writer's mark."""
    mach.ledger.order(OPEN_DAY, f"m:{mach.zhang}", area_cmu=1000)
    mach.ledger.order(OPEN_DAY, f"c:{mach.village}", area_cmu=1000)
    other = _second_ledger(app, create_coop)
    other.order(OPEN_DAY, f"c:{other.village}", area_cmu=1000)
    with app.app_context():
        assert browse_orders(mach.coop_id).total == 2
        assert browse_orders(other.coop_id).total == 1
        db.session.commit()
        mark = ORDER_COUNTS.mark(mach.coop_id)
        other_mark = ORDER_COUNTS.mark(other.coop_id)
    other.order(OPEN_DAY, f"c:{other.village}", area_cmu=1000)
    with _order_counts_read(app) as seen, app.app_context():
        assert ORDER_COUNTS.mark(mach.coop_id) == mark
        assert ORDER_COUNTS.mark(other.coop_id) != other_mark
        assert browse_orders(mach.coop_id).total == 2
        assert seen == []  # kept
        assert browse_orders(other.coop_id).total == 2


def test_a_savepoint_rolled_back_keeps_the_transactions_earlier_writes_marked(app, mach):
    """The order number's savepoint (or any other) rolled back does not
    forget the orders the transaction wrote before it; a savepoint released
    writes no mark before the transaction commits."""
    c = mach.coop_id
    with app.app_context():
        assert browse_orders(c).total == 0
        db.session.commit()
        mark = ORDER_COUNTS.mark(c)
        db.session.add(ServiceOrder(
            cooperative_id=c, order_no="2026-90000", service_on=OPEN_DAY, member_id=mach.zhang,
            service="sowing", area_cmu=100, unit_price_fen=2500, amount_fen=2500, unpaid_fen=2500))
        db.session.flush()
        savepoint = db.session.begin_nested()
        savepoint.rollback()
        with db.session.begin_nested():
            pass
        assert ORDER_COUNTS.mark(c) == mark  # not yet
        db.session.commit()
        assert ORDER_COUNTS.mark(c) not in (None, mark)
        assert browse_orders(c).total == 1
