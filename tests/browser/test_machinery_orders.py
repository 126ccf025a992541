"""Busy-season order entry from the keyboard alone, then the receivables page."""
import re

from playwright.sync_api import Page, expect

from coop import clock
from tests.conftest import PASSWORD


def login(page: Page, base: str, username: str = "accountant") -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名或成员编号").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/")


def enter_order(page: Page, search: str, name: str, area: str, amount: str) -> None:
    """One order with the keyboard: client, service by its number, plot, area, Enter."""
    client = page.locator("#client_text")
    expect(client).to_be_focused()
    client.press_sequentially(search, delay=40)
    option = page.locator("#client-options [role=option]").first
    expect(option).to_contain_text(name)
    page.keyboard.press("Enter")                 # pick the highlighted client
    expect(client).to_have_value(name)
    expect(page.locator("#service")).to_be_focused()
    page.keyboard.press("3")                     # "3 播种"
    expect(page.locator("#service")).to_have_value("sowing")
    expect(page.locator("#price-amount .price-basis")).to_contain_text(name)  # price filled
    page.keyboard.press("Tab")
    page.keyboard.type("东滩 1 号地")
    page.keyboard.press("Tab")
    page.keyboard.type(area)
    expect(page.locator("#order-amount")).to_contain_text(amount)  # live, before saving
    page.keyboard.press("Enter")                 # save; a fresh form comes back
    expect(page.locator("#order-saved")).to_contain_text(f"{name} 播种 ")
    expect(page.locator("#order-saved")).to_contain_text(f"金额 {amount} 元")


def test_three_orders_in_a_row_then_receivables(live_server, page: Page, mach):
    year = clock.today().year
    mach.ledger.set_prices(year, {"sowing": (2500, 3500)})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server)
    page.goto(live_server + "/machinery/orders")

    enter_order(page, "zs", "张三", "10", "250.00")          # member price 25.00
    enter_order(page, "hy", "哈业胡同村", "20", "700.00")     # market price 35.00
    enter_order(page, "ls", "李四", "5.5", "137.50")

    rows = page.locator("#order-list tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("李四")
    expect(page).to_have_url(re.compile(r"/machinery/orders$"))  # never left the page

    # on a phone each order is a card: nothing to scroll sideways, figures labelled
    page.set_viewport_size({"width": 390, "height": 844})
    wrap = page.locator("#order-list .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
    amount = rows.first.locator("td[data-label=金额]")
    expect(amount).to_have_text("137.50")
    assert amount.evaluate("td => getComputedStyle(td, '::before').content") == '"金额："'
    assert rows.first.evaluate("tr => tr.getBoundingClientRect().width") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name="应收款").click()
    expect(page.locator("#receivables-total")).to_have_text("1,087.50")
    village = page.locator(f"#rec-c-{mach.village}")
    expect(village).to_contain_text("700.00")

    # a payment from the receivables page, still from the keyboard
    village.locator("summary").click()
    amount = village.get_by_label("收款金额")
    amount.fill("700")
    amount.press("Enter")
    expect(page.locator("#receivables-total")).to_have_text("387.50")
    expect(page.locator(f"#rec-c-{mach.village}")).to_have_count(0)
    assert not [e for e in errors if "Content Security Policy" in e], errors
