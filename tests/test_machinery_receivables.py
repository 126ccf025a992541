"""The receivables report read from the balances each order keeps
(``unpaid_fen``) gives the figures of the report read from the payments;
as of a past date, the kept balances with what was paid and reversed after
it added back give what the payments and reversals up to it give, order by
order; a client's order lines are loaded when the client is opened (issue 19)."""
from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from coop.extensions import db
from coop.machinery import receivables as report
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.orders import OrderInput, create_order, outstanding_fen, reverse_order
from coop.machinery.payments import record_payment, reverse_payment
from coop.machinery.receivables import client_lines, paid_after, receivables
from coop.tenancy import find_owned

HX = {"HX-Request": "true"}
TODAY = date(2026, 6, 1)


def _commit(app, fn):
    with app.app_context():
        result = fn()
        db.session.commit()
        return result


@pytest.fixture
def book(app, mach, monkeypatch):
    """Orders of four clients with a partial payment, a payment reversed, a
    closed year's order partly reversed and a payment reversed in 2026.
    As of 2026-06-01: 哈业胡同村 250.00, 张三 160.00, 李四 300.00, the
    company 420.00 (1,130.00); as of 2026-03-01 (before the company's
    payment of 03-02): 935.00."""
    monkeypatch.setattr("coop.clock.today", lambda: TODAY)
    ledger = mach.ledger
    village, zhang, li = f"c:{mach.village}", f"m:{mach.zhang}", f"m:{mach.li}"
    company = f"c:{mach.company}"
    a = ledger.order(date(2025, 5, 3), village, "sowing", 1000)        # 350.00
    ledger.pay(a, date(2025, 6, 1), 10_000)                              # 250.00 left
    b = ledger.order(date(2025, 9, 20), zhang, "harvesting", 100)       # 60.00
    paid_b = ledger.pay(b, date(2025, 9, 25), 6_000)                     # paid ...
    c = ledger.order(date(2025, 10, 1), li, "sowing", 2000)             # 500.00
    ledger.pay(c, date(2025, 10, 2), 10_000)
    ledger.close(2025)
    coop = mach.coop_id
    _commit(app, lambda: reverse_payment(coop, find_owned(ServicePayment, paid_b, coop),
                                         date(2026, 1, 10), "收款记错"))  # ... and reversed
    _commit(app, lambda: reverse_order(coop, find_owned(ServiceOrder, c, coop), date(2026, 2, 1),
                                       500, "面积多算"))                 # -125.00: 275.00 left
    d = ledger.order(date(2026, 3, 1), company, "sowing", 1000)         # 350.00
    ledger.pay(d, date(2026, 3, 2), 5_000)                               # 300.00 left
    ledger.order(date(2026, 3, 30), company, "spraying", 1000)          # 120.00
    e = ledger.order(date(2026, 4, 1), li, "sowing", 100)               # 25.00
    paid_e = ledger.pay(e, date(2026, 4, 2), 2_500)
    _commit(app, lambda: reverse_payment(coop, find_owned(ServicePayment, paid_e, coop),
                                         date(2026, 4, 3), "票据作废"))
    ledger.order(date(2026, 5, 20), zhang, "sowing", 400)               # 100.00
    return mach


def _from_payments(monkeypatch):
    """Make the report read the payments whatever the date."""
    monkeypatch.setattr(report, "paid_after", lambda coop_id, as_of: True)


def _both(app, coop_id, as_of, monkeypatch):
    with app.app_context():
        assert not paid_after(coop_id, as_of)
        kept = receivables(coop_id, as_of)
        kept_lines = {c.ref: client_lines(coop_id, **_who(c.ref), as_of=as_of) for c in kept.clients}
    with monkeypatch.context() as patch:
        _from_payments(patch)
        with app.app_context():
            read = receivables(coop_id, as_of)
            read_lines = {c.ref: client_lines(coop_id, **_who(c.ref), as_of=as_of)
                          for c in read.clients}
    return (kept, kept_lines), (read, read_lines)


def _by_definition(coop_id: int, as_of: date) -> dict[str, list[tuple[int, int]]]:
    """client ref -> (order id, what it owed on ``as_of``) of each order that
    owed something then, oldest first: its amount, less its reversals dated
    up to the day and the payments (and their reversals) dated up to it,
    added up in Python from the records."""
    orders = db.session.scalars(select(ServiceOrder).where(
        ServiceOrder.cooperative_id == coop_id).order_by(ServiceOrder.service_on, ServiceOrder.id)).all()
    payments = db.session.scalars(select(ServicePayment).where(
        ServicePayment.cooperative_id == coop_id)).all()
    owed: dict[int, int] = {o.id: o.amount_fen for o in orders
                            if o.reverses_id is None and o.service_on <= as_of}
    for o in orders:
        if o.reverses_id in owed and o.service_on <= as_of:
            owed[o.reverses_id] += o.amount_fen
    for p in payments:
        if p.order_id in owed and p.paid_on <= as_of:
            owed[p.order_id] -= p.amount_fen
    out: dict[str, list[tuple[int, int]]] = {}
    for o in orders:
        if owed.get(o.id, 0) > 0:
            ref = f"m:{o.member_id}" if o.member_id else f"c:{o.client_id}"
            out.setdefault(ref, []).append((o.id, owed[o.id]))
    return out


def _as_reported(coop_id: int, as_of: date) -> dict[str, list[tuple[int, int]]]:
    """The same read through the report and each client's lines."""
    rec = receivables(coop_id, as_of)
    out = {c.ref: [(o.order.id, o.outstanding_fen)
                   for o in client_lines(coop_id, **_who(c.ref), as_of=as_of).orders]
           for c in rec.clients}
    assert {ref: sum(fen for _, fen in lines) for ref, lines in out.items()} == {
        c.ref: c.total_fen for c in rec.clients}
    return out


def _who(ref: str) -> dict[str, int]:
    kind, _, raw = ref.partition(":")
    return {"member_id": int(raw)} if kind == "m" else {"client_id": int(raw)}


@pytest.mark.parametrize("as_of", [date(2026, 4, 3), date(2026, 5, 20), TODAY, date(2026, 12, 31)])
def test_the_kept_balances_give_the_figures_of_the_payments(app, book, monkeypatch, as_of):
    (kept, kept_lines), (read, read_lines) = _both(app, book.coop_id, as_of, monkeypatch)
    assert kept.clients == read.clients and kept.totals == read.totals
    assert kept_lines == read_lines
    assert kept.clients and all(lines.orders for lines in kept_lines.values())


def test_the_figures_as_of_today(app, book):
    with app.app_context():
        rec = receivables(book.coop_id)
        by_name = {c.name: c for c in rec.clients}
        li = client_lines(book.coop_id, member_id=book.li)
    assert rec.as_of == TODAY and rec.total_fen == 113_000 and rec.client_count == 4
    assert [c.name for c in rec.clients] == ["包头北方农牧业有限公司", "李四", "哈业胡同村", "张三"]
    assert by_name["包头北方农牧业有限公司"].buckets == {"0_30": 0, "31_90": 12_000,
                                                  "over_90": 30_000}
    assert by_name["张三"].buckets == {"0_30": 10_000, "31_90": 0, "over_90": 6_000}
    assert by_name["李四"].buckets == {"0_30": 0, "31_90": 2_500, "over_90": 27_500}
    assert (by_name["李四"].order_count, by_name["李四"].oldest_days) == (2, 243)
    assert by_name["哈业胡同村"].kind_label == "外村" and by_name["张三"].kind_label == "本社成员"
    assert [(o.outstanding_fen, o.bucket, o.days) for o in li.orders] == [
        (27_500, "over_90", 243), (2_500, "31_90", 61)]


def test_a_past_date_reads_the_payments_and_ignores_later_ones(app, book):
    on = date(2026, 3, 1)
    with app.app_context():
        assert paid_after(book.coop_id, on)
        rec = receivables(book.coop_id, on)
        company = client_lines(book.coop_id, client_id=book.company, as_of=on)
    assert rec.total_fen == 93_500
    assert {c.name: c.total_fen for c in rec.clients} == {
        "哈业胡同村": 25_000, "张三": 6_000, "李四": 27_500, "包头北方农牧业有限公司": 35_000}
    assert [o.outstanding_fen for o in company.orders] == [35_000]  # the 03-02 payment not yet


_CLIENTS = st.sampled_from(["village", "company", "zhang", "li"])
_STEPS = st.lists(st.tuples(st.sampled_from(["order", "pay", "settle", "reverse"]), _CLIENTS,
                            st.integers(1, 3000), st.integers(0, 90)), min_size=1, max_size=12)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=_STEPS)
def test_any_orders_payments_and_reversals_give_the_same_report_both_ways(app, mach, monkeypatch,
                                                                           steps):
    """Orders, partial and full payments and reversed payments in an open year, in
    any order: as of any day on or after the last payment the kept balances
    give what the payments give; as of any day, what the records up to it
    give, order by order."""
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 12, 31))
    coop = mach.coop_id
    refs = {"village": f"c:{mach.village}", "company": f"c:{mach.company}",
            "zhang": f"m:{mach.zhang}", "li": f"m:{mach.li}"}
    start = date(2026, 3, 1)
    with app.app_context():
        for kind, who, size, day in steps:
            on = start + timedelta(days=day)
            if kind == "order":
                create_order(coop, OrderInput(service_on=on, client_ref=refs[who],
                                              service="sowing", area_cmu=size))
                continue
            orders = db.session.scalars(select(ServiceOrder).where(
                ServiceOrder.cooperative_id == coop, ServiceOrder.reverses_id.is_(None))
                .order_by(ServiceOrder.id)).all()
            if kind in ("pay", "settle"):
                owing = [o for o in orders if outstanding_fen(o) > 0]
                if owing:
                    order = owing[size % len(owing)]
                    owes = outstanding_fen(order)
                    record_payment(coop, order, max(on, order.service_on),
                                   owes if kind == "settle" else 1 + size * 7 % owes, "cash")
            else:
                payments = db.session.scalars(select(ServicePayment).where(
                    ServicePayment.cooperative_id == coop, ServicePayment.reverses_id.is_(None),
                    ~ServicePayment.id.in_(select(ServicePayment.reverses_id).where(
                        ServicePayment.reverses_id.is_not(None))))).all()
                if payments:
                    payment = payments[size % len(payments)]
                    reverse_payment(coop, payment, max(on, payment.paid_on), "冲销")
        db.session.commit()
        last = db.session.scalar(select(db.func.max(ServicePayment.paid_on)).where(
            ServicePayment.cooperative_id == coop)) or start
    for as_of in (last, last + timedelta(days=45), date(2026, 12, 31)):
        (kept, kept_lines), (read, read_lines) = _both(app, coop, as_of, monkeypatch)
        assert kept.clients == read.clients and kept.totals == read.totals
        assert kept_lines == read_lines
    with app.app_context():
        for day in range(0, 95, 5):
            as_of = start + timedelta(days=day)
            assert _as_reported(coop, as_of) == _by_definition(coop, as_of), as_of


# ---------------------------------------------------------------- the page


def test_the_page_shows_the_clients_and_loads_a_clients_lines_when_opened(client, auth, app, book):
    with app.app_context():
        numbers = dict(db.session.execute(select(ServiceOrder.id, ServiceOrder.order_no).where(
            ServiceOrder.cooperative_id == book.coop_id)).all())
    auth.login("supervisor")
    page = client.get("/machinery/receivables").get_data(as_text=True)
    assert "共有 <strong>4</strong> 个客户欠款，合计 <strong id=\"receivables-total\">1,130.00</strong>" in page
    assert not any(no in page for no in numbers.values())  # no order line until asked
    url = f"/machinery/receivables/members/{book.li}?as_of=2026-06-01"
    assert f'hx-get="{url}" hx-trigger="toggle once from:closest details"' in page
    assert f'href="{url}#rec-m-{book.li}"' in page  # without JavaScript: a plain link
    assert "李四</strong> <span class=\"muted small\">2 张单</span>" in page

    fragment = client.get(url, headers=HX)
    assert fragment.status_code == 200
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "共有" not in html
    rows = re.findall(r"<tr><td><a href=\"/machinery/orders/(\d+)\">([^<]+)</a>", html)
    assert [no for _, no in rows] == ["2025-00003", "2026-00004"]
    assert "275.00" in html and "25.00" in html and ">243<" in html

    whole = client.get(url).get_data(as_text=True)
    assert "<html" in whole and "1,130.00" in whole
    opened = whole.split(f'id="rec-m-{book.li}"')[1].split("</tr>\n", 1)[0]
    assert "<details open>" in opened and "275.00" in whole
    for _, number in rows:
        assert number in whole
    others = [no for no in numbers.values() if no not in {n for _, n in rows}]
    assert not any(f">{no}<" in whole for no in others)


def test_the_clients_come_a_page_at_a_time_and_an_opened_client_on_its_page(client, auth, book,
                                                                          monkeypatch):
    monkeypatch.setattr("coop.machinery.views.cash.CLIENTS_PER_PAGE", 2)
    auth.login("accountant")
    first = client.get("/machinery/receivables").get_data(as_text=True)
    assert "第 1 / 2 页，共 4 个客户" in first and "1,130.00" in first
    assert f'id="rec-c-{book.company}"' in first and f'id="rec-m-{book.li}"' in first
    assert f'id="rec-m-{book.zhang}"' not in first
    second = client.get("/machinery/receivables?page=2", headers=HX).get_data(as_text=True)
    assert f'id="rec-m-{book.zhang}"' in second and f'id="rec-c-{book.company}"' not in second
    assert "<html" not in second and "1,130.00" in second

    opened = client.get(f"/machinery/receivables/members/{book.zhang}").get_data(as_text=True)
    assert "第 2 / 2 页" in opened and "<details open>" in opened and "100.00" in opened

    # a refused payment opens its client, on the client's page, with the lines
    resp = client.post("/machinery/receivables/pay", data={
        "client_ref": f"m:{book.zhang}", "paid_on": "2026-06-01", "amount_fen": "9999",
        "method": "cash"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "超过了该客户的未收总额 160.00 元" in html and "第 2 / 2 页" in html
    row = html.split(f'id="rec-m-{book.zhang}"')[1]
    assert row.split("<details", 1)[1].startswith(" open>") and "2026-05-20" in row


def test_the_export_lists_every_client_whatever_the_page(client, auth, book, monkeypatch):
    monkeypatch.setattr("coop.machinery.views.cash.CLIENTS_PER_PAGE", 1)
    auth.login("accountant")
    resp = client.get("/machinery/reports/2026/receivables.xlsx?as_of=2026-06-01")
    ws = load_workbook(BytesIO(resp.data)).active
    names = [row[0] for row in ws.iter_rows(min_row=4, values_only=True)]
    assert names == ["包头北方农牧业有限公司", "李四", "哈业胡同村", "张三", "合计"]


def test_a_past_dates_page_and_lines_ignore_later_payments(client, auth, book):
    auth.login("supervisor")
    page = client.get("/machinery/receivables?as_of=2026-03-01").get_data(as_text=True)
    assert "合计 <strong id=\"receivables-total\">935.00</strong>" in page
    url = f"/machinery/receivables/clients/{book.company}?as_of=2026-03-01"
    assert f'hx-get="{url}"' in page
    lines = client.get(url, headers=HX).get_data(as_text=True)
    assert "350.00" in lines and "2026-03-30" not in lines
    today = client.get(f"/machinery/receivables/clients/{book.company}", headers=HX)
    assert "300.00" in today.get_data(as_text=True)


def test_another_cooperatives_client_is_not_found(client, auth, book):
    auth.login("supervisor")
    assert client.get("/machinery/receivables/members/999999").status_code == 404
    assert client.get("/machinery/receivables/clients/999999", headers=HX).status_code == 404


def test_an_order_reversed_later_was_owed_on_an_earlier_day(app, book):
    """李四's 2025 order (500.00, 100.00 paid) is reversed by 125.00 on
    2026-02-01: on 2026-01-20 the full 400.00 was owed, as the share
    register's holdings on a day are the entries up to that day."""
    on = date(2026, 1, 20)
    with app.app_context():
        assert paid_after(book.coop_id, on)
        rec = receivables(book.coop_id, on)
        li = client_lines(book.coop_id, member_id=book.li, as_of=on)
        page = report.receivables_page(book.coop_id, on)
    assert {c.name: c.total_fen for c in rec.clients}["李四"] == 40_000
    assert [o.outstanding_fen for o in li.orders] == [40_000]
    assert page.total_fen == rec.total_fen == 25_000 + 6_000 + 40_000


def test_a_later_order_reversal_alone_makes_the_report_read_the_orders(app, mach, monkeypatch):
    """No payment after the day, only an order reversal: the kept balances
    already count the reversal, so the day's report reads the orders."""
    monkeypatch.setattr("coop.clock.today", lambda: TODAY)
    order = mach.ledger.order(date(2025, 10, 1), f"m:{mach.li}", "sowing", 2000)   # 500.00
    mach.ledger.close(2025)
    coop = mach.coop_id
    _commit(app, lambda: reverse_order(coop, find_owned(ServiceOrder, order, coop),
                                       date(2026, 2, 1), 500, "面积多算"))       # -125.00
    with app.app_context():
        before, after = date(2026, 1, 31), date(2026, 2, 1)
        assert paid_after(coop, before) and not paid_after(coop, after)
        assert receivables(coop, before).total_fen == 50_000
        assert receivables(coop, after).total_fen == 37_500
        assert [o.outstanding_fen for o in client_lines(coop, member_id=mach.li,
                                                        as_of=before).orders] == [50_000]
