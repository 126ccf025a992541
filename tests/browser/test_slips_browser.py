"""The secretary issues members' logins a round at a time and prints the slips:
on a phone (390 px) one slip a row without sideways scrolling, on a desk
(1280 px) two slips a row as on the A4 paper, each with the public address
and its QR code."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login, page_width

PUBLIC = "https://coop.example.cn"


@pytest.mark.parametrize("width", [390, 1280])
def test_bulk_slips_page(live_server, browser, app, demo, width):
    app.config["COOP_PUBLIC_URL"] = PUBLIC
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page: Page = context.new_page()
    try:
        login(page, live_server)
        page.goto(f"{live_server}/member-logins")
        expect(page.get_by_role("heading", name="批量开通并打印密码条（每张 A4 纸 8 张）")).to_be_visible()
        # the demo village has more members than one round opens (coop.portal.slips)
        expect(page.locator("#logins-waiting")).to_contain_text("每次按成员编号顺序开通 200 位")
        page.get_by_role("button", name="开通 200 位并打印").click()
        expect(page.get_by_text("初始密码只显示这一次")).to_be_visible()
        page.wait_for_load_state("load")  # the hint shows before the last of the slips is parsed
        slips = page.locator("article.login-slip")
        count = slips.count()
        assert count == 200
        expect(page.locator(".slips-hint")).to_contain_text("位在册成员没有登录账号")
        assert page.locator("section.slips-page").count() == (count + 7) // 8
        first, second = slips.nth(0), slips.nth(1)
        expect(first.locator(".login-slip-url")).to_have_text(PUBLIC)
        expect(first.locator("img.login-slip-qr")).to_be_visible()
        assert page_width(page) <= width
        a, b = first.bounding_box(), second.bounding_box()
        if width == 390:
            assert b["y"] >= a["y"] + a["height"] - 1  # one a row
            assert a["x"] >= 0 and a["x"] + a["width"] <= width
        else:
            assert abs(a["y"] - b["y"]) < 1 and b["x"] > a["x"]  # two a row, as on paper
        assert "127.0.0.1" not in page.locator("body").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("scripts", [True, False])
def test_the_print_button_shows_only_where_it_works(live_server, browser, app, demo, scripts):
    """A print button needs app.js: with JavaScript it is shown and prints;
    without, it is not there to do nothing (the browser's own 打印 is)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  java_script_enabled=scripts)
    page: Page = context.new_page()
    try:
        login(page, live_server)
        page.goto(f"{live_server}/machinery/reports")
        button = page.get_by_role("button", name="打印", exact=True)
        if scripts:
            expect(button).to_be_visible()
            page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
            button.click()
            assert page.evaluate("window.printed") == 1
        else:
            assert page.locator("[data-print]").count() == 1
            expect(page.locator("[data-print]")).to_be_hidden()
    finally:
        context.close()
