"""The order list's rows (``machinery.order_lines``): plain rows that say what
the orders themselves say, one statement built for each shape of filter, and
the pages that show them (the order list, a client's page)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from coop.cooperatives.models import Cooperative
from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.machinery.models import ServiceOrder
from coop.machinery.order_lines import _page_statement, order_lines
from coop.machinery.orders import browse_orders, reverse_order
from coop.tenancy import get_owned

FILTERS = [
    {}, {"year": 2025}, {"year": 2026}, {"service": "harvesting"},
    {"year": 2026, "service": "sowing"}, {"unpaid_only": True},
    {"year": 2025, "unpaid_only": True}, {"client_ref": "c:{village}"},
    {"client_ref": "m:{zhang}"}, {"client_ref": "m:{zhang}", "unpaid_only": True},
    {"year": 2026, "page": 2, "per_page": 2}, {"page": 9, "per_page": 2},
]


@pytest.fixture
def orders(app, mach):
    """2025 (closed): orders of a member with the machine, of a village and of a
    company, one partly paid, one paid in full, one reversed in part in 2026;
    2026: orders of each, one partly paid. The village's kind is 外嘎查村."""
    ledger = mach.ledger
    first = ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", area_cmu=1000,
                         machine_id=mach.machine, operator="老王")
    ledger.pay(first, date(2025, 6, 1), 1000)
    paid = ledger.order(date(2025, 7, 9), f"c:{mach.village}", "harvesting", 2000, plot="东大滩")
    ledger.pay(paid, date(2025, 8, 1), 160_000)
    ledger.order(date(2025, 9, 2), f"c:{mach.company}", "spraying", 550)
    ledger.close(2025)
    for on, ref, service in ((date(2026, 4, 1), f"m:{mach.li}", "sowing"),
                             (date(2026, 4, 2), f"c:{mach.village}", "sowing"),
                             (date(2026, 5, 6), f"m:{mach.zhang}", "harvesting")):
        order_id = ledger.order(on, ref, service, 1200, machine_id=mach.machine)
    ledger.pay(order_id, date(2026, 5, 7), 500)
    with app.app_context():
        db.session.get(Cooperative, mach.coop_id).outside_village_word = "外嘎查村"
        reverse_order(mach.coop_id, get_owned(ServiceOrder, first, mach.coop_id),
                      date(2026, 3, 1), 400, "面积多报")
        db.session.commit()
    return mach


def _expected(row) -> dict:
    o = row.order
    return {"id": o.id, "order_no": o.order_no, "service_on": o.service_on,
            "client_name": o.client_name,
            "client_kind_label": "" if o.member_id else o.client.kind_label,
            "service_label": o.service_label, "plot": o.plot, "area_cmu": o.area_cmu,
            "amount_fen": o.amount_fen, "unit_price_fen": o.unit_price_fen,
            "machine_name": o.machine.name if o.machine else "", "operator": o.operator,
            "is_reversal": o.is_reversal, "paid_fen": row.paid_fen,
            "outstanding_fen": row.outstanding_fen, "owes": row.owes}


def _shown(line) -> dict:
    return {key: getattr(line, key) for key in (
        "id", "order_no", "service_on", "client_name", "client_kind_label", "service_label",
        "plot", "area_cmu", "amount_fen", "unit_price_fen", "machine_name", "operator",
        "is_reversal", "paid_fen", "outstanding_fen", "owes")}


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_a_page_of_lines_says_what_its_orders_say(app, orders, f):
    f = {k: v.format(village=orders.village, zhang=orders.zhang) if isinstance(v, str) else v
         for k, v in f.items()}
    with app.app_context():
        lines = order_lines(orders.coop_id, **f)
        rows = browse_orders(orders.coop_id, **f)
        assert (lines.total, lines.page, lines.per_page) == (rows.total, rows.page, rows.per_page)
        assert [_shown(line) for line in lines.items] == [
            _expected(row) for row in rows.items]
    if not f:
        assert len(lines.items) == 7
        kinds = {line.client_name: line.client_kind_label for line in lines.items}
        assert kinds == {"张三": "", "李四": "", "哈业胡同村": "外嘎查村",
                         "包头北方农牧业有限公司": "企业"}
        reversal = next(line for line in lines.items if line.is_reversal)
        assert reversal.amount_fen < 0 and reversal.outstanding_fen == 0 and not reversal.owes
        assert {line.machine_name for line in lines.items} == {"约翰迪尔拖拉机", ""}


def test_each_shape_is_built_once_and_each_search_binds_its_own_values(app, orders):
    _page_statement.cache_clear()
    with app.app_context():
        years = {year: order_lines(orders.coop_id, year=year) for year in (2025, 2026)}
        assert _page_statement.cache_info().misses == 1
        assert {line.service_on.year for line in years[2025].items} == {2025}
        assert {line.service_on.year for line in years[2026].items} == {2026}
        village = order_lines(orders.coop_id, client_ref=f"c:{orders.village}")
        company = order_lines(orders.coop_id, client_ref=f"c:{orders.company}")
        assert _page_statement.cache_info().misses == 2
        assert {line.client_name for line in village.items} == {"哈业胡同村"}
        assert {line.client_name for line in company.items} == {"包头北方农牧业有限公司"}
        member = order_lines(orders.coop_id, client_ref=f"m:{orders.zhang}")
        assert {line.client_name for line in member.items} == {"张三"} and len(member.items) == 3
        assert _page_statement.cache_info().misses == 3


def test_another_cooperatives_orders_are_not_in_its_lines(app, orders, create_coop):
    with app.app_context():
        other = get_by_code(create_coop("t9")).id
        assert order_lines(other).items == [] and order_lines(other).total == 0
        assert len(order_lines(orders.coop_id).items) == 7


def test_the_list_shows_each_orders_client_kind_machine_and_reversal(client, auth, orders):
    auth.login("admin")
    html = client.get("/machinery/orders?year=2026").get_data(as_text=True)
    rows = re.findall(r"<tr(?: class=\"reversal\")?>\s*<td class=\"nowrap o-no\">.*?</tr>", html, re.S)
    assert len(rows) == 4
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert text == [
        "2026-00003 2026-05-06 张三 收获 12.00 60.00 720.00 5.00 715.00 约翰迪尔拖拉机",
        "2026-00002 2026-04-02 哈业胡同村 外嘎查村 播种 12.00 35.00 420.00 0.00 420.00 约翰迪尔拖拉机",
        "2026-00001 2026-04-01 李四 播种 12.00 25.00 300.00 0.00 300.00 约翰迪尔拖拉机",
        "2026-00004 2026-03-01 张三 播种 冲销 -4.00 25.00 -100.00 约翰迪尔拖拉机 / 老王"]
    assert 'class="reversal"' in rows[3] and '<span class="badge">冲销</span>' in rows[3]
    assert [('class="num owed"' in row) for row in rows] == [True, True, True, False]
    page = client.get(f"/machinery/clients/{orders.village}").get_data(as_text=True)
    cells = [re.sub(r"<[^>]+>", " ", row).split() for row in re.findall(
        r"<tr><td><a href=\"/machinery/orders/\d+\">.*?</tr>", page, re.S)]
    assert cells == [["2026-00002", "2026-04-02", "播种", "12.00", "420.00", "0.00", "420.00"],
                     ["2025-00002", "2025-07-09", "收获", "20.00", "1,600.00", "1,600.00", "0.00"]]
