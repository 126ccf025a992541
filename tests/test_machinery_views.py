"""The machinery pages as a user meets them: order entry (htmx), live quote,
client search, payments, receivables, year close, reports and exports."""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coop.extensions import db
from coop.machinery.orders import browse_orders, outstanding_fen
from coop.machinery.periods import is_year_closed
from coop.machinery.prices import prices_for_year
from coop.machinery.receivables import receivables
from coop.machinery.models import Expense, OtherIncome, ServiceOrder, ServicePayment
from coop.tenancy import find_owned

HX = {"HX-Request": "true"}


def order_data(mach, **overrides):
    data = {"service_on": "2026-05-03", "client_text": "哈业胡同村",
            "client_ref": f"c:{mach.village}", "service": "sowing", "plot": "东滩 3 号地",
            "area_cmu": "12.35", "unit_price_fen": "", "machine_id": str(mach.machine),
            "operator": "赵永刚", "fuel_cl": "8.5", "note": ""}
    data.update(overrides)
    return data


def test_order_entry_saves_and_returns_a_fresh_form(client, auth, mach):
    auth.login("accountant")
    resp = client.post("/machinery/orders", data=order_data(mach), headers=HX)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    # 12.35 mu x 35.00 (market price) = 432.25
    assert "已保存作业单 2026-00001：哈业胡同村 播种 12.35 亩，金额 432.25 元" in html
    # sticky fields stay for the next order, the client is empty and focused
    assert 'value="2026-05-03"' in html
    assert '<option selected value="sowing">3 播种</option>' in html
    assert 'value="赵永刚"' in html
    assert 'name="client_text" value=""' in html
    assert "autofocus" in html.split('id="client_text"')[1].split(">")[0]
    # the order list is swapped out of band with the new order in it
    assert 'id="order-list" class="panel" hx-swap-oob="true"' in html
    assert "2026-00001" in html.split('id="order-list"')[1]
    order = mach.ledger.run(lambda c: find_owned(ServiceOrder, 1, c))
    assert (order.area_cmu, order.unit_price_fen, order.amount_fen, order.fuel_cl) == (
        1235, 3500, 43225, 850)


def test_the_order_list_and_a_clients_page_link_each_order_to_its_page(client, auth, mach):
    first = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    second = mach.ledger.order(date(2026, 5, 4), f"c:{mach.village}", "sowing", 500)
    auth.login("accountant")
    for page in ("/machinery/orders", f"/machinery/clients/{mach.village}"):
        html = client.get(page).get_data(as_text=True)
        for order_id, order_no in ((first, "2026-00001"), (second, "2026-00002")):
            assert f'<a href="/machinery/orders/{order_id}">{order_no}</a>' in html, page
            assert client.get(f"/machinery/orders/{order_id}").status_code == 200


def test_three_orders_in_a_row_for_a_member_use_the_member_price(client, auth, mach):
    auth.login("admin")
    for area in ("10", "20.5", "0.01"):
        resp = client.post("/machinery/orders", headers=HX, data=order_data(
            mach, client_text="张三", client_ref=f"m:{mach.zhang}", area_cmu=area))
        assert resp.status_code == 200
    amounts = mach.ledger.run(lambda c: [
        o.amount_fen for o, *_ in browse_orders(c, year=2026).items])
    # 0.01 x 25 = 0.25; 20.5 x 25 = 512.50; 10 x 25 = 250.00 (newest first)
    assert amounts == [25, 51250, 25000]


def test_order_errors_come_back_in_the_form_and_nothing_is_saved(client, auth, mach, fingerprint):
    auth.login("accountant")
    before = fingerprint()
    resp = client.post("/machinery/orders", headers=HX, data=order_data(
        mach, client_text="王五", client_ref="", area_cmu="12.345", service=""))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "面积最多保留 2 位小数" in html
    # in the same round, what the ledger checks: the client and the service
    assert "没有名为“王五”的成员或客户" in html and "请选择作业项目" in html
    assert fingerprint() == before
    # the ledger would take the rest (the fuel may be left out): what it wrote is undone
    resp = client.post("/machinery/orders", headers=HX, data=order_data(mach, fuel_cl="八升"))
    assert resp.status_code == 422 and "油耗" in resp.get_data(as_text=True)
    assert fingerprint() == before
    resp = client.post("/machinery/orders", headers=HX, data=order_data(
        mach, client_text="王五", client_ref="", service=""))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "没有名为“王五”的成员或客户" in html
    assert "请选择作业项目" in html
    assert 'value="王五"' in html  # what was typed stays
    assert fingerprint() == before


def test_order_in_a_closed_year_is_refused(client, auth, mach, fingerprint, monkeypatch):
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 6, 1))
    mach.ledger.close(2025)
    auth.login("accountant")
    before = fingerprint()
    resp = client.post("/machinery/orders", headers=HX,
                       data=order_data(mach, service_on="2025-10-01"))
    assert resp.status_code == 422
    assert ("2025 年度已结账，不能登记 2025-12-31 及以前的日期；请按本年度（2026）的日期登记"
            in resp.get_data(as_text=True))
    assert fingerprint() == before


def test_order_without_js_redirects(client, auth, mach):
    auth.login("accountant")
    resp = client.post("/machinery/orders", data=order_data(mach, client_ref=""))
    assert resp.status_code == 302  # resolved from the exact name typed
    page = client.get("/machinery/orders?year=2026").get_data(as_text=True)
    assert "已保存作业单 2026-00001" in page


def test_quote_fills_the_price_by_client_type_and_shows_the_amount(client, auth, mach):
    auth.login("accountant")
    resp = client.get("/machinery/orders/quote", headers=HX, query_string={
        "fill": "1", "client_ref": f"m:{mach.zhang}", "service": "harvesting",
        "service_on": "2026-09-01", "area_cmu": "12.35"})
    html = resp.get_data(as_text=True)
    assert 'value="60.00"' in html and "张三：成员价 60.00 元/亩" in html
    assert "<strong>741.00</strong>" in html  # 12.35 x 60
    resp = client.get("/machinery/orders/quote", headers=HX, query_string={
        "client_ref": f"c:{mach.village}", "service": "harvesting", "service_on": "2026-09-01",
        "area_cmu": "1235", "unit_price_fen": "0.5"})
    html = resp.get_data(as_text=True)
    assert html.strip().startswith('<output id="order-amount"')
    assert "<strong>617.50</strong>" in html


def test_client_search_lists_members_and_outside_clients(client, auth, mach):
    auth.login("supervisor")
    html = client.get("/machinery/clients/search?client_text=zs").get_data(as_text=True)
    assert f'data-ref="m:{mach.zhang}"' in html and "本社成员" in html
    html = client.get("/machinery/clients/search?client_text=胡同").get_data(as_text=True)
    assert f'data-ref="c:{mach.village}"' in html and "外村" in html  # the charter's default word
    html = client.get("/machinery/clients/search?client_text=不存在").get_data(as_text=True)
    assert "没有找到“不存在”" in html


def test_payment_over_the_amount_owed_is_refused(client, auth, mach, fingerprint):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)  # 350
    auth.login("accountant")
    before = fingerprint()
    resp = client.post(f"/machinery/orders/{order_id}/payments", headers=HX, data={
        "paid_on": "2026-05-04", "amount_fen": "350.01", "method": "cash"})
    assert resp.status_code == 422
    assert "收款 350.01 元超过了未收金额 350.00 元" in resp.get_data(as_text=True)
    assert fingerprint() == before
    resp = client.post(f"/machinery/orders/{order_id}/payments", headers=HX, data={
        "paid_on": "2026-05-04", "amount_fen": "100", "method": "wechat"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "登记收款（最多 250.00 元）" in html


def test_a_payment_swaps_what_the_order_has_received_and_owes_too(client, auth, mach):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)  # 350
    auth.login("accountant")
    resp = client.post(f"/machinery/orders/{order_id}/payments", headers=HX, data={
        "paid_on": "2026-05-04", "amount_fen": "350", "method": "cash"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    receipts = html[html.index('<section class="card" id="receipts" hx-swap-oob="true">'):]
    receipts = receipts[:receipts.index("</section>")]
    assert "<dt>已收</dt><dd class=\"num\">350.00 元</dd>" in receipts
    assert "<strong>0.00</strong>" in receipts
    assert 'id="payment-form"' not in html  # paid in full: nothing more to receive
    page = client.get(f"/machinery/orders/{order_id}").get_data(as_text=True)
    assert page.count('id="receipts"') == 1 and "hx-swap-oob" not in page


def test_receivables_page_and_lump_sum_payment(client, auth, mach):
    first = mach.ledger.order(date(2026, 1, 3), f"c:{mach.village}", "sowing", 1000)  # 350.00
    mach.ledger.order(date(2026, 3, 20), f"c:{mach.village}", "spraying", 1000)        # 120.00
    mach.ledger.order(date(2026, 3, 25), f"m:{mach.zhang}", "sowing", 1000)            # 250.00
    auth.login("supervisor")
    html = client.get("/machinery/receivables?as_of=2026-03-31").get_data(as_text=True)
    assert "共有 <strong>2</strong> 个客户欠款，合计 <strong id=\"receivables-total\">720.00</strong> 元" in html
    assert "登记收款" not in html  # the supervisor only reads
    auth.logout()
    auth.login("accountant")
    resp = client.post("/machinery/receivables/pay", headers=HX, data={
        "client_ref": f"c:{mach.village}", "paid_on": "2026-04-01", "amount_fen": "400",
        "method": "bank"})
    assert resp.status_code == 200
    out = mach.ledger.run(lambda c: outstanding_fen(find_owned(ServiceOrder, first, c)))
    assert out == 0
    rec = mach.ledger.run(lambda c: receivables(c, date(2026, 4, 1)))
    assert {c.name: c.total_fen for c in rec.clients} == {"哈业胡同村": 7_000, "张三": 25_000}


def test_supervisor_cannot_write(client, auth, mach, fingerprint):
    auth.login("supervisor")
    before = fingerprint()
    assert client.post("/machinery/orders", data=order_data(mach)).status_code == 403
    assert client.post("/machinery/years/2025/close",
                       data={"expected_surplus_fen": "0"}).status_code == 403
    assert fingerprint() == before
    page = client.get("/machinery/orders").get_data(as_text=True)
    assert 'id="order-form"' not in page


def test_year_close_through_the_page(client, auth, mach):
    mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 100000)  # 80,000.00
    auth.login("accountant")
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    # 80,000.00 - 11,400.00 depreciation
    assert 'id="surplus"><strong>68,600.00</strong>' in page
    assert 'name="expected_surplus_fen" type="hidden" value="6860000"' in page
    resp = client.post("/machinery/years/2025/close", data={"expected_surplus_fen": "6860000",
                                                            "carry_forward_fen": ""})
    assert resp.status_code == 302
    assert mach.ledger.run(lambda c: is_year_closed(c, 2025))
    page = client.get("/machinery/years/2025").get_data(as_text=True)
    assert "已结账锁定" in page and "确认结账" not in page


def test_year_close_without_reviewing_the_figures_is_refused(client, auth, mach, fingerprint):
    auth.login("admin")
    before = fingerprint()
    resp = client.post("/machinery/years/2025/close", data={}, headers=HX)
    assert resp.status_code == 422
    assert "请在结账页面核对本年数字后再确认结账" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_other_cooperatives_records_are_404(client, auth, mach, create_coop, create_user):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    create_coop("t2")
    create_user("t2", "acc2", role="accountant")
    auth.login("acc2", coop="t2")
    assert client.get(f"/machinery/orders/{order_id}").status_code == 404
    assert client.get(f"/machinery/machines/{mach.machine}").status_code == 404
    assert client.get(f"/machinery/clients/{mach.village}").status_code == 404
    assert client.post(f"/machinery/orders/{order_id}/payments",
                       data={"amount_fen": "1"}).status_code == 404
    html = client.get("/machinery/clients/search?client_text=zs").get_data(as_text=True)
    assert "data-ref" not in html


def test_prices_page_errors_and_save(client, auth, mach):
    auth.login("accountant")
    resp = client.post("/machinery/prices/2027", headers=HX, data={
        "sowing-member": "25", "sowing-market": "三十五", "harvesting-member": "60"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "播种市场价不是有效的数字" in html
    assert ('id="sowing-market" name="sowing-market" value="三十五" inputmode="decimal" '
            'aria-invalid="true" aria-describedby="sowing-market-error"') in html
    assert '<p class="error" id="sowing-market-error">' in html
    resp = client.post("/machinery/prices/2027", headers=HX, data={
        "sowing-member": "25", "sowing-market": "35", "harvesting-member": "60"})
    assert resp.status_code == 422
    assert "收获：成员价和市场价要么都填，要么都不填" in resp.get_data(as_text=True)
    resp = client.post("/machinery/prices/2027", data={"sowing-member": "26",
                                                       "sowing-market": "36.5"})
    assert resp.status_code == 302
    prices = mach.ledger.run(lambda c: {s: (p.member_price_fen, p.market_price_fen)
                                        for s, p in prices_for_year(c, 2027).items()})
    assert prices == {"sowing": (2600, 3650)}


def test_prices_page_says_it_filled_in_last_years_prices_only_when_it_did(client, auth, mach):
    auth.login("accountant")
    html = client.get("/machinery/prices?year=2027").get_data(as_text=True)  # 2026 has prices
    assert "下面先填入了上一年的价格" in html and 'name="sowing-member" value="25.00"' in html
    html = client.get("/machinery/prices?year=2025").get_data(as_text=True)  # its own
    assert "下面先填入了上一年的价格" not in html
    resp = client.post("/machinery/prices/2027", headers=HX, data={"sowing-member": "二十"})
    assert resp.status_code == 422  # what was typed, not last year's
    assert "下面先填入了上一年的价格" not in resp.get_data(as_text=True)
    html = client.get("/machinery/prices?year=2030").get_data(as_text=True)  # 2029 has none
    assert "2030 年还没有价格表。" in html and "下面先填入" not in html


def test_machine_and_client_registration(client, auth, mach):
    auth.login("accountant")
    resp = client.post("/machinery/machines", headers=HX, data={
        "name": "", "category": "seeder", "acquired_on": "2026-02-30", "original_value_fen": "-1",
        "source": "purchased", "useful_life_months": "abc", "salvage_rate_bp": "5",
        "status": "in_service"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "购置（入股）日期格式应为 2025-05-03" in html
    assert "使用年限（月）应为整数" in html
    # the service's own checks come in the same round, on the fields the form could read
    assert "请填写农机名称" in html and "使用年限应在" not in html
    resp = client.post("/machinery/machines", headers=HX, data={
        "name": "旋耕机", "category": "seeder", "acquired_on": "2026-13-01", "original_value_fen": "100",
        "source": "purchased", "useful_life_months": "96", "salvage_rate_bp": "5",
        "status": "in_service", "disposed_on": "2026-03-01"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "购置（入股）日期格式应为" in html
    assert "只有状态为“已处置”的农机才填写处置日期" in html
    assert "旋耕机" not in client.get("/machinery/machines?year=2026").get_data(as_text=True)
    resp = client.post("/machinery/machines", data={
        "name": "免耕播种机", "category": "seeder", "acquired_on": "2026-02-10",
        "original_value_fen": "48,000", "source": "purchased", "useful_life_months": "96",
        "salvage_rate_bp": "5", "status": "in_service"})
    assert resp.status_code == 302
    page = client.get("/machinery/machines?year=2026").get_data(as_text=True)
    assert "免耕播种机" in page and "48,000.00" in page
    resp = client.post("/machinery/clients", headers=HX, data={"kind": "village",
                                                               "name": "哈业胡同村"})
    assert resp.status_code == 422
    assert "客户“哈业胡同村”已存在" in resp.get_data(as_text=True)


def test_reports_page_has_charts_and_exports(client, auth, mach):
    mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1000,
                      machine_id=mach.machine)                                       # 250.00
    mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 10050,
                      machine_id=mach.machine)                                       # 8,040.00
    mach.ledger.create_expense(date(2025, 9, 30), "fuel", 100_000, mach.machine)
    auth.login("supervisor")
    page = client.get("/machinery/reports?year=2025").get_data(as_text=True)
    assert page.count('<svg class="chart"') == 4
    assert "<script" not in page.split("<main")[1]
    assert "张三" in page and "8,290.00" in page
    resp = client.get("/machinery/reports/2025/members.xlsx")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ws = load_workbook(BytesIO(resp.data)).active
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    assert rows[0][:2] == ["M0001", "张三"]
    assert Decimal(str(rows[0][5])) == Decimal("250")  # yuan (exact: test_workbooks_written)
    resp = client.get("/machinery/reports/2025/machines.xlsx")
    ws = load_workbook(BytesIO(resp.data)).active
    row = next(ws.iter_rows(min_row=4, values_only=True))
    # income 8,290.00 - fuel 1,000.00 - depreciation 11,400.00 = -4,110.00
    assert row[0] == "约翰迪尔拖拉机" and Decimal(str(row[9])) == Decimal("-4110")
    assert client.get("/machinery/reports/2025/nothing.xlsx").status_code == 404


@pytest.mark.parametrize("url", ["/machinery/orders", "/machinery/receivables",
                                 "/machinery/reports", "/machinery/years"])
def test_member_login_is_refused(client, auth, mach, url):
    auth.login("member")
    assert client.get(url).status_code == 403


def test_delete_an_unpaid_open_year_order_through_the_page(client, auth, mach, fingerprint):
    """An open year's order entered by mistake may be deleted (asked to confirm,
    audited); once money was received the page offers no delete and the
    service refuses it; a closed year's order offers only a reversal."""
    paid = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    mach.ledger.pay(paid, date(2026, 5, 4), 100)
    unpaid = mach.ledger.order(date(2026, 5, 6), f"c:{mach.village}", "sowing", 1000)
    auth.login("supervisor")
    assert "删除此作业单" not in client.get(f"/machinery/orders/{unpaid}").get_data(as_text=True)
    auth.logout()
    auth.login("accountant")
    page = client.get(f"/machinery/orders/{unpaid}").get_data(as_text=True)
    assert "删除此作业单" in page
    assert 'hx-confirm="确定删除作业单 2026-00002（哈业胡同村，350.00 元）吗？' in page
    page = client.get(f"/machinery/orders/{paid}").get_data(as_text=True)
    assert "删除此作业单" not in page and "已有收款记录，不能删除" in page
    before = fingerprint()
    resp = client.post(f"/machinery/orders/{paid}/delete", headers=HX)
    assert resp.status_code == 422
    assert "该作业单已有收款记录（包括已冲销的收款），不能删除" in resp.get_data(as_text=True)
    assert fingerprint() == before
    resp = client.post(f"/machinery/orders/{unpaid}/delete", headers=HX)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/machinery/orders"
    assert mach.ledger.run(lambda c: find_owned(ServiceOrder, unpaid, c)) is None
    assert client.get(f"/machinery/orders/{unpaid}").status_code == 404
    auth.logout()
    auth.login("supervisor")  # the audit log keeps what was deleted
    audit = client.get("/audit/").get_data(as_text=True)
    assert "删除" in audit and "2026-00002" in audit


@pytest.mark.parametrize("kind", ["expense", "income", "payment"])
def test_a_refused_reversal_is_shown_on_its_page_and_changes_nothing(client, auth, mach,
                                                                     fingerprint, monkeypatch,
                                                                     kind):
    """A reverse button posts no form of its own: the service's refusal (a
    second reversal, no reason) comes back as one message on the page it was
    pressed on, with 422, and nothing is written."""
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 6, 1))
    if kind == "expense":
        entry = mach.ledger.create_expense(date(2026, 5, 3), "fuel", 10_000, mach.machine)
        url, page, what = f"/machinery/expenses/{entry}/reverse", "expense-new", "该费用已冲销过"
    elif kind == "income":
        entry = mach.ledger.create_income(date(2026, 5, 3), "rent", 10_000)
        url, page, what = f"/machinery/incomes/{entry}/reverse", "income-new", "该收入已冲销过"
    else:
        order = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
        entry = mach.ledger.pay(order, date(2026, 5, 4), 10_000)
        url, page, what = f"/machinery/payments/{entry}/reverse", "payments", "该收款已冲销过"
    auth.login("accountant")
    before = fingerprint()
    resp = client.post(url, headers=HX, data={"on": "2026-06-01", "reason": " "})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "请填写冲销原因" in html and f'id="{page}"' in html
    assert fingerprint() == before
    resp = client.post(url, headers=HX, data={"on": "2026-06-01", "reason": "录错"})
    assert resp.status_code == 204
    before = fingerprint()
    resp = client.post(url, headers=HX, data={"on": "2026-06-01", "reason": "再来一次"})
    assert resp.status_code == 422 and what in resp.get_data(as_text=True)
    assert fingerprint() == before



@pytest.mark.parametrize("kind", ["expense", "income", "payment"])
def test_a_reversal_is_dated_the_day_chosen_today_unless_another(client, auth, mach, fingerprint,
                                                                  monkeypatch, kind):
    """A wrong entry found in an open year is reversed in that year: the
    reverse box asks the day (today by default, no later); a day it cannot
    read is refused with the format, and nothing is written."""
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 6, 1))
    if kind == "expense":
        entry = mach.ledger.create_expense(date(2026, 5, 3), "fuel", 10_000, mach.machine)
        url, page, model, day = f"/machinery/expenses/{entry}/reverse", "/machinery/expenses", \
            Expense, Expense.spent_on
    elif kind == "income":
        entry = mach.ledger.create_income(date(2026, 5, 3), "rent", 10_000)
        url, page, model, day = f"/machinery/incomes/{entry}/reverse", "/machinery/incomes", \
            OtherIncome, OtherIncome.received_on
    else:
        order = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
        entry = mach.ledger.pay(order, date(2026, 5, 4), 10_000)
        url, page, model, day = f"/machinery/payments/{entry}/reverse", \
            f"/machinery/orders/{order}", ServicePayment, ServicePayment.paid_on
    auth.login("accountant")
    html = client.get(page).get_data(as_text=True)
    assert 'name="on" type="date" value="2026-06-01" max="2026-06-01" required' in html
    before = fingerprint()
    for posted, message in (("5月20日", "请填写冲销日期，例如 2025-05-03"),
                            ("2026-06-02", "冲销日期不能晚于今天")):
        resp = client.post(url, headers=HX, data={"on": posted, "reason": "录错"})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True)
        assert fingerprint() == before
    assert client.post(url, headers=HX, data={"on": "2026-05-20", "reason": "录错"}).status_code == 204
    dated = mach.ledger.run(lambda c: db.session.scalar(select(day).where(model.reverses_id == entry)))
    assert dated == date(2026, 5, 20)


def test_an_expense_records_how_it_was_paid(client, auth, mach, fingerprint):
    auth.login("accountant")
    page = client.get("/machinery/expenses").get_data(as_text=True)
    assert '<option selected value="cash">现金</option>' in page  # 付款方式, cash unless changed
    before = fingerprint()
    resp = client.post("/machinery/expenses", headers=HX, data={
        "spent_on": "2026-05-04", "kind": "fuel", "amount_fen": "80000", "payee": "石油公司", "method": "gold"})
    assert resp.status_code == 422 and "请选择付款方式" in resp.get_data(as_text=True)
    assert fingerprint() == before
    resp = client.post("/machinery/expenses", headers=HX, data={
        "spent_on": "2026-05-04", "kind": "fuel", "amount_fen": "八百", "payee": "石油公司", "method": "gold"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请选择付款方式" in html and "金额" in html  # both in one round
    assert fingerprint() == before
    resp = client.post("/machinery/expenses", data={
        "spent_on": "2026-05-04", "kind": "fuel", "amount_fen": "80000", "payee": "石油公司", "method": "bank"})
    assert resp.status_code == 302
    page = client.get("/machinery/expenses").get_data(as_text=True)
    assert "<td>石油公司</td><td>银行转账</td>" in page


def test_the_years_page_shows_which_year_to_close_next(client, auth, mach):
    mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}")
    auth.login("accountant")
    page = client.get("/machinery/years").get_data(as_text=True)
    assert 'href="/machinery/years/2025">去结账</a>' in page
    assert "年度结束后结账" in page  # 2026, the year under way
    mach.ledger.close(2025)
    page = client.get("/machinery/years").get_data(as_text=True)
    assert "去结账" not in page and "年度结束后结账" in page


def test_the_list_shows_the_year_of_the_order_just_saved(client, auth, mach):
    """Saving an order of last year shows last year's list, where it is,
    not this year's (with htmx and without)."""
    auth.login("accountant")
    resp = client.post("/machinery/orders", data=order_data(mach, service_on="2025-10-10"),
                       headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "已保存作业单 2025-00001" in html
    assert "2025 年作业单" in html and "2026 年作业单" not in html
    resp = client.post("/machinery/orders", data=order_data(mach, service_on="2025-10-11"))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/machinery/orders?year=2025")
    resp = client.post("/machinery/orders", data=order_data(mach))  # this year's: the plain list
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/machinery/orders")
