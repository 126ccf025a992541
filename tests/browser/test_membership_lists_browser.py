"""The confirmation list and roster pages in the browser (issue 15): a list
gathered, published and its notice printed (A4, one page, IDs masked), read
on a phone at 390 px; version 1 of the roster and its page."""
from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.helpers import login, overflows
from tests.conftest import PASSWORD
from tests.membership_roster_world import Village

SHOTS = os.environ.get("COOP_SHOTS")  # a directory to keep screenshots in, when set


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_list_noticed_printed_and_read_on_a_phone(live_server, page: Page, browser, app, staff):
    with app.app_context():
        Village("t1")
    errors, missing = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    login(page, live_server, "admin", PASSWORD)
    page.goto(live_server + "/membership/lists")
    expect(page.locator("#new-list")).to_contain_text("待确认的变动（3 项）")
    for label in page.locator(".event-choices input[type=checkbox]").all():
        label.check()
    page.get_by_role("button", name="生成确认名单（草稿）").click()
    expect(page.locator("h1")).to_contain_text("2026年第1批成员身份确认名单")
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator(".flash-success")).to_contain_text("名单已公示：2026-06-15 起 7 日")
    shot(page, "list-1280")

    page.get_by_role("link", name="打印公示（A4）").click()
    expect(page.locator("h1")).to_have_text("成员身份确认公示")
    text = page.locator("article").inner_text()
    assert not re.search(r"\d{17}[\dX]", text) and "1502**********" in text
    shot(page, "notice-1280")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page\r") + len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1          # one A4 page
    assert not page.locator(".paper-tools").is_visible()               # the tools are not printed
    notice_url = page.url

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2, locale="zh-CN")
    mobile = phone.new_page()
    login(mobile, live_server, "admin", PASSWORD)
    mobile.goto(notice_url)
    expect(mobile.locator("h1")).to_have_text("成员身份确认公示")
    assert not overflows(mobile), "the notice is wider than the phone"
    shot(mobile, "notice-390")
    mobile.goto(live_server + "/membership/lists")
    mobile.get_by_role("link", name="2026年第1批成员身份确认名单").click()
    expect(mobile.locator("h1")).to_contain_text("2026年第1批成员身份确认名单")
    mobile.wait_for_load_state("load")
    assert not overflows(mobile), "the list page is wider than the phone"
    shot(mobile, "list-390")
    phone.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert not missing, missing      # every stylesheet and script was there


def test_version_one_of_the_roster(live_server, page: Page, app, staff):
    with app.app_context():
        Village("t1")
    login(page, live_server, "admin", PASSWORD)
    page.goto(live_server + "/membership/rosters")
    page.get_by_role("button", name="编制第 1 版").click()
    expect(page.locator("h1")).to_have_text("成员名册第 1 版")
    expect(page.locator("#diff")).to_contain_text("这是第 1 版")
    expect(page.locator("#entries")).to_contain_text("名册（9 人）")
    shot(page, "roster-1280")
    page.get_by_role("link", name="打印备案表（A4）").click()
    expect(page.locator("h1")).to_have_text("成员名册")
    shot(page, "filing-1280")
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
