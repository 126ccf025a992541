"""Scenario 7: the receivables report and the order list at county size.

Each figure is measured beside its floor in the same run: the report (as of
a day after the last payment: the kept balances; as of a past day: the kept
balances with the payments and reversals dated after it added back) beside
one raw GROUP BY of the unpaid amounts by client, both the kept one and the
one summed from the payments; the page's request through
the test client; the unpaid-only order list with its kept count, in
another process after a payment (the count carried with the mark) and
counted afresh; the order list filtered by a service with no orders with and
without its index."""
from __future__ import annotations

import time
from datetime import date
from typing import Callable

from sqlalchemy import select, text

from benchmarks.common import Row, login, make_app, median, ms, timed
from benchmarks.generate import World
from coop import clock
from coop.extensions import db
from coop.machinery.constants import Service
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.order_figures import ORDER_COUNTS
from coop.machinery.orders import browse_orders
from coop.machinery.payments import record_payment, reverse_payment
from coop.machinery.receivables import client_index, client_lines, paid_after, receivables, receivables_page

UNPAID_BY_CLIENT = """
SELECT o.member_id, o.client_id,
       SUM(o.amount_fen + COALESCE(r.rev, 0) - COALESCE(p.paid, 0))
FROM service_orders o
LEFT JOIN (SELECT order_id, SUM(amount_fen) AS paid FROM service_payments
           WHERE paid_on <= :on GROUP BY order_id) p ON p.order_id = o.id
LEFT JOIN (SELECT reverses_id, SUM(amount_fen) AS rev FROM service_orders
           WHERE reverses_id IS NOT NULL GROUP BY reverses_id) r ON r.reverses_id = o.id
WHERE o.cooperative_id = :c AND o.reverses_id IS NULL AND o.service_on <= :on
  AND o.amount_fen + COALESCE(r.rev, 0) - COALESCE(p.paid, 0) > 0
GROUP BY o.member_id, o.client_id
"""
KEPT_BY_CLIENT = """
SELECT member_id, client_id, SUM(unpaid_fen) FROM service_orders
WHERE cooperative_id = :c AND reverses_id IS NULL AND service_on <= :on AND unpaid_fen > 0
GROUP BY member_id, client_id
"""
SERVICE_INDEX = "ix_service_orders_coop_service_date"


def receivables_and_orders(url: str, world: World, repeat: int = 3) -> list[Row]:
    app = make_app(url)
    on = date(world.order_years[1], 12, 31)
    rows: list[Row] = []
    past = date(world.order_years[1], 6, 30)
    with app.app_context():
        c = world.coop_id
        how = {True: "the kept balances with later payments added back",
               False: "reads the kept balances"}
        def report_page(day: date) -> None:
            receivables_page(c, day, 1).total_fen

        report, report_cpu = cpu_timed(lambda: report_page(on), repeat)
        kept, kept_cpu = cpu_timed(
            lambda: db.session.execute(text(KEPT_BY_CLIENT), {"c": c, "on": on}).all(), repeat)
        floor = timed(lambda: db.session.execute(text(UNPAID_BY_CLIENT), {"c": c, "on": on}).all(),
                      repeat)
        rows.append(_row("7a", f"receivables report as of {on.isoformat()}, {how[paid_after(c, on)]} "
                               "(service: totals and the first page of clients)",
                         median(report), median(kept), 1000, 3, "raw GROUP BY of the kept unpaid_fen",
                         cpu=(median(report_cpu), median(kept_cpu))))
        rows.append(_row("7a", "the same against the GROUP BY summing the payments (the old floor)",
                         median(report), median(floor), 1000, 3))
        last = receivables_page(c, on, 1).clients.items[-1].ref
        index, index_cpu = cpu_timed(lambda: client_index(c, last, on), repeat)
        rows.append(_row("7a", "a client's place in the report (a refused payment, a client opened "
                               "without JavaScript)", median(index), median(kept), 1000, 3,
                         "raw GROUP BY of the kept unpaid_fen", cpu=(median(index_cpu), median(kept_cpu))))
        every, every_cpu = cpu_timed(lambda: receivables(c, on).clients, 1)
        rows.append(_row("7a", "every client (the export's rows)", median(every), median(kept), 10_000, 10,
                         "raw GROUP BY of the kept unpaid_fen", cpu=(median(every_cpu), median(kept_cpu))))
        client = app.test_client()
        login(client, world.coop_code, world.admin, world.password)
        url = f"/machinery/receivables?as_of={on.isoformat()}"
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} did not answer 200")
        page, page_cpu = cpu_timed(lambda: client.get(url), repeat)
        rows.append(_row("7a", "the report page through the test client (100 clients)",
                         median(page), median(kept), 1000, 3, "raw GROUP BY of the kept unpaid_fen",
                         cpu=(median(page_cpu), median(kept_cpu))))
        shown = receivables_page(c, on, 1).clients.items
        biggest = shown[0]
        member = next((x for x in shown if x.ref.startswith("m:")), biggest)
        for what, x in (("the largest debtor", biggest), ("a member", member)):
            who = ({"member_id": int(x.ref[2:])} if x.ref.startswith("m:")
                   else {"client_id": int(x.ref[2:])})
            lines = timed(lambda: client_lines(c, as_of=on, **who), repeat)
            rows.append(Row("7a", f"opening a client: {what}'s {x.order_count:,} order lines",
                            ms(median(lines)), target="", ok=None))
        old = timed(lambda: report_page(past), 1)
        past_floor = timed(lambda: db.session.execute(text(UNPAID_BY_CLIENT),
                                                      {"c": c, "on": past}).all(), repeat)
        rows.append(_row("7a", f"receivables report as of {past.isoformat()}, {how[paid_after(c, past)]}",
                         median(old), median(past_floor), 1000, 3))
        browse_orders(c, unpaid_only=True)  # the count kept for the order mark (coop.cooperatives.marks)
        db.session.commit()
        unpaid, unpaid_cpu = cpu_timed(lambda: browse_orders(c, unpaid_only=True), repeat)
        rows.append(Row("7b", "order list, unpaid only (count + first page), the count kept",
                        f"{ms(median(unpaid))} (CPU {ms(median(unpaid_cpu))})",
                        target="< 50 ms", ok=median(unpaid) < 50))

        paying, viewing = [], []
        owing = db.session.scalar(select(ServiceOrder.id).where(
            ServiceOrder.cooperative_id == c, ServiceOrder.reverses_id.is_(None),
            ServiceOrder.unpaid_fen > 0).order_by(ServiceOrder.id.desc()).limit(1))
        for _ in range(repeat):
            # a payment of 1 fen and its reversal, each committed: the owing count
            # moves with the order mark; another process, which keeps nothing
            # for the new mark, opens the unpaid-only list
            paid: list[ServicePayment] = []
            for write in (lambda: paid.append(record_payment(
                              c, db.session.get(ServiceOrder, owing), clock.today(), 1, "cash")),
                          lambda: reverse_payment(c, paid[0], clock.today(), "基准测试")):
                paying += timed(lambda: (write(), db.session.commit()), 1)
                ORDER_COUNTS._kept.clear()
                viewing += timed(lambda: browse_orders(c, unpaid_only=True), 1)
                db.session.commit()
        rows.append(Row("7b", "the same, the first view after a payment is written (in a process "
                              "that keeps nothing for the new mark)", ms(median(viewing)),
                        target="< 50 ms", ok=median(viewing) < 50,
                        note=f"the payment's or its reversal's write and commit, the owing "
                             f"count moved with the mark: {ms(median(paying))}"))

        def counted_afresh() -> None:
            ORDER_COUNTS.wrote([c])  # inside a writing transaction: nothing kept
            browse_orders(c, unpaid_only=True)
            db.session.rollback()

        fresh, fresh_cpu = cpu_timed(counted_afresh, repeat)
        rows.append(Row("7b", "the same counted afresh (inside a transaction that wrote orders; "
                              "what an order's edit counts as it commits)",
                        f"{ms(median(fresh))} (CPU {ms(median(fresh_cpu))})", target="", ok=None))
        used = {s for (s,) in db.session.execute(text(
            "SELECT DISTINCT service FROM service_orders WHERE cooperative_id = :c"), {"c": c})}
        empty = next((s.value for s in Service if s.value not in used), "none")
        with_index = timed(lambda: browse_orders(c, service=empty), repeat)
        db.session.execute(text(f"DROP INDEX {SERVICE_INDEX}"))
        without = timed(lambda: browse_orders(c, service=empty), repeat)
        db.session.rollback()
        if db.engine.dialect.name == "sqlite":  # SQLite's DDL is not rolled back by the driver
            db.session.execute(text(
                f"CREATE INDEX IF NOT EXISTS {SERVICE_INDEX} ON service_orders "
                "(cooperative_id, service, service_on)"))
            db.session.commit()
        rows.append(Row("7c", f"order list, a service with no orders ({empty})",
                        ms(median(with_index)), floor=f"{ms(median(without))} without its index",
                        target="< 50 ms", ok=median(with_index) < 50))
    return rows


def cpu_timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU times (this process: on SQLite the query's work too) in
    milliseconds of ``repeat`` calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    return wall, cpu


def _row(number: str, what: str, figure: float, floor: float, limit_ms: float,
         limit_ratio: float, floor_name: str = "raw GROUP BY by client",
         cpu: tuple[float, float] | None = None) -> Row:
    ratio = figure / floor if floor else None
    if cpu is not None:
        cpu_ratio = cpu[0] / cpu[1] if cpu[1] else float("nan")
        return Row(number, what, f"{ms(figure)} (CPU {ms(cpu[0])})",
                   floor=f"{ms(floor)} (CPU {ms(cpu[1])}) {floor_name}",
                   ratio=ratio, target=f"< {limit_ms:.0f} ms, <= {limit_ratio:g}x",
                   note=f"CPU ratio {cpu_ratio:.1f}x",
                   ok=figure < limit_ms and ratio is not None and ratio <= limit_ratio)
    return Row(number, what, ms(figure), floor=f"{ms(floor)} {floor_name}",
               ratio=ratio, target=f"< {limit_ms:.0f} ms, <= {limit_ratio:g}x",
               ok=figure < limit_ms and ratio is not None and ratio <= limit_ratio)
