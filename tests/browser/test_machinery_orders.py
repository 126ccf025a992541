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


def test_the_client_box_chooses_what_the_keys_say(live_server, page: Page, mach):
    """↓↑ 选择，回车 确定: the suggestions arrive with none chosen, so ↓ from the
    typed text chooses the first; Enter with none chosen takes the one whose
    name is exactly what was typed, and otherwise picks nothing and saves
    nothing (an order billed to 张三妻王芳 for 张三 was the bug)."""
    from coop.extensions import db
    from coop.members.models import Member
    from tests.conftest_machinery import make_member

    wife = make_member(mach.ledger.app, mach.coop_id, "M0003", "张三妻王芳")
    with mach.ledger.app.app_context():
        db.session.get(Member, wife).name_initials = "zswf"
        db.session.commit()
    login(page, live_server)
    page.goto(live_server + "/machinery/orders")
    client = page.locator("#client_text")
    options = page.locator("#client-options [role=option]")

    def typed(text: str) -> None:
        client.fill("")
        client.press_sequentially(text, delay=40)
        expect(options).to_have_count(2)
        expect(options.nth(0)).to_contain_text("张三")
        expect(options.nth(1)).to_contain_text("张三妻王芳")
        expect(page.locator('#client-options [aria-selected="true"]')).to_have_count(0)
        assert client.get_attribute("aria-activedescendant") is None
        expect(client).to_have_attribute("aria-expanded", "true")

    def chosen(name: str, ref: str) -> None:
        expect(client).to_have_value(name)
        expect(page.locator("#client_ref")).to_have_value(ref)
        expect(page.locator("#service")).to_be_focused()
        page.locator("#client_text").focus()

    # ↓ from the typed text chooses the first match, Enter takes it
    typed("张三")
    client.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(client).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    client.press("Enter")
    chosen("张三", f"m:{mach.zhang}")

    # ↓ ↓ chooses the second; ↑ goes back to the first
    typed("zs")
    client.press("ArrowDown")
    client.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(client).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    client.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    client.press("ArrowDown")
    client.press("Enter")
    chosen("张三妻王芳", f"m:{wife}")

    # Enter with none chosen: the exact name is taken
    typed("张三")
    client.press("Enter")
    chosen("张三", f"m:{mach.zhang}")

    # Enter with none chosen and no exact name: nothing picked, nothing saved
    typed("zs")
    client.press("Enter")
    expect(client).to_have_value("zs")
    expect(page.locator("#client_ref")).to_have_value("")
    expect(client).to_be_focused()
    expect(options).to_have_count(2)
    expect(page.locator("#order-saved")).to_have_count(0)
    expect(page.locator("#order-list tbody tr")).to_contain_text(f"{clock.today().year} 年还没有作业单")
