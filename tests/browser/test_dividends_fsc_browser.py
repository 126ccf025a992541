"""A specialized cooperative's plan by the book in Chromium at 1280 px: the
waterfall with the losses covered first, the accounts' quantification and the
lines with their weight parts and the converted shares, without JavaScript
errors and without a page wider than the screen; the conversion set from the
plan's own form. FSC_SHOTS=<dir> keeps screenshots."""
from __future__ import annotations

import os
import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.helpers import page_width
from tests.conftest import PASSWORD
from tests.conftest_dividends import YEAR
from tests.test_dividends_fsc import fsc  # noqa: F401  (fixture)

SHOTS = os.environ.get("FSC_SHOTS")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_the_plan_by_the_book_at_1280(live_server, browser, fsc):  # noqa: F811
    w = fsc
    w.income(date(YEAR, 7, 1), 600, kind="government_grant")
    w.ledger("create_expense", date(YEAR - 1, 6, 1), "repair", 300_000)
    w.close(YEAR - 1)
    w.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(live_server + "/dividends/")
    page.get_by_role("button", name=re.compile("计算")).first.click()
    expect(page.locator("#waterfall")).to_contain_text("弥补亏损")
    page.get_by_label("可分配盈余转为出资的比例").fill("50")
    page.get_by_role("button", name="保存并重算").click()
    expect(page.locator("#lines")).to_contain_text("转增股数")
    expect(page.locator("#accounts-quantified")).to_be_visible()
    expect(page.locator("#waterfall")).to_contain_text("按出资额、公积金份额和补助量化返还")
    _shot(page, "fsc-plan-1280")
    assert page_width(page) <= 1280
    page.get_by_role("link", name="村民1").first.click()
    expect(page.locator(".dv-arith")).to_contain_text("本年公积金量化")
    expect(page.locator(".dv-arith")).to_contain_text("盈余转为出资")
    _shot(page, "fsc-line-1280")
    assert page_width(page) <= 1280
    assert errors == []
    context.close()
