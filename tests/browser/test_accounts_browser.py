"""The member accounts in Chromium: the office's table at 1280 px and the
member's own account on a 390 px phone, without JavaScript errors and
without a page wider than the screen. ACCOUNTS_SHOTS=<dir> keeps screenshots."""
from __future__ import annotations

import os

from playwright.sync_api import expect

from tests.browser.helpers import login, page_width
from tests.conftest import PASSWORD
from tests.test_accounts_views import _statement_2024, fsc, member_login  # noqa: F401  (fixtures)

SHOTS = os.environ.get("ACCOUNTS_SHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _watch(page) -> list[str]:
    """Console errors, and every answer of 400 or more but the favicon's."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return errors


def test_the_office_reads_the_accounts_at_1280(live_server, browser, fsc):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors = _watch(page)
    login(page, live_server, "admin", PASSWORD)
    page.get_by_role("link", name="成员账户").click()
    expect(page.get_by_role("heading", name="成员账户", exact=True)).to_be_visible()
    # the heading is drawn before htmx has set up the form: a change made
    # then would not be sent
    page.wait_for_load_state("load")
    page.get_by_label("年度").select_option("2024")
    expect(page.locator(".result-count")).to_contain_text("2024 年度")
    expect(page.locator("table.ac-table tfoot")).to_contain_text("3,000.00")
    _shot(page, "accounts-index-1280")
    page.get_by_label("搜索").fill("村民1")
    expect(page.locator(".result-count")).to_contain_text("1 名成员")
    assert "q=" in page.url and "year=2024" in page.url
    page.get_by_role("link", name="村民1").click()
    expect(page.get_by_role("heading", name="成员账户 · 村民1")).to_be_visible()
    expect(page.locator("table.ac-years")).to_contain_text("1,030.00")
    _shot(page, "accounts-detail-1280")
    assert page_width(page) <= 1280
    assert errors == []
    context.close()


def test_a_member_reads_their_account_on_a_phone(live_server, phone_context, member_login):  # noqa: F811
    page = phone_context.new_page()
    errors = _watch(page)
    login(page, live_server, "member", PASSWORD)
    page.get_by_role("link", name="我的账户").click()
    expect(page.get_by_role("heading", name="我的成员账户")).to_be_visible()
    expect(page.locator(".pt-big").first).to_have_text("1,030.00 元")
    _shot(page, "accounts-me-390")
    assert page_width(page) <= 390
    assert errors == []


def test_the_office_table_on_a_phone_scrolls_inside_its_box(live_server, phone_context, fsc):  # noqa: F811
    page = phone_context.new_page()
    login(page, live_server, "supervisor", PASSWORD)
    page.goto(live_server + "/accounts/?year=2024")
    _shot(page, "accounts-index-390")
    assert page_width(page) <= 390
    page.goto(live_server + f"/accounts/{fsc.ids['V001']}")
    _shot(page, "accounts-detail-390")
    assert page_width(page) <= 390


def test_the_statements_account_fits_a_phone(live_server, phone_context, member_login):  # noqa: F811
    _statement_2024(member_login)
    page = phone_context.new_page()
    login(page, live_server, "member", PASSWORD)
    page.goto(live_server + "/me/statements/2024")
    expect(page.locator(".st-account")).to_contain_text("1,000.00")
    _shot(page, "accounts-statement-390")
    assert page_width(page) <= 390
