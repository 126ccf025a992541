"""The home page in Chromium at 390 px and 1280 px: the demo's checklist and
figures, each role's own list, and the getting-started guide of a new,
empty cooperative. Nothing overflows the screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login, page_width
from tests.conftest import PASSWORD

WIDTHS = (390, 1280)


def _page(browser, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                  is_mobile=width < 600, has_touch=width < 600)
    return context.new_page()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.clientWidth")
    assert page_width(page) <= width
    for box in page.locator("#checklist li, #figures .figure, #guide li").all():
        rect = box.bounding_box()
        assert rect is not None and rect["x"] >= 0 and rect["x"] + rect["width"] <= width + 1


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_secretary_reads_the_checklist(live_server, browser, demo, width):
    page = _page(browser, width)
    login(page, live_server)
    checklist = page.locator("#checklist")
    expect(checklist.get_by_role("heading")).to_contain_text("2026 年工作清单")
    for label in ("章程", "成员名册", "名册备案", "2026 年入股登记", "2025 年度结账",
                  "2025 年度分配：方案计算", "2025 年度分配：分红发放", "2025 年度成员对账单打印"):
        expect(checklist.get_by_role("link", name=re.compile(label)).first).to_be_visible()
    expect(checklist.locator('li[data-state="done"]').first).to_contain_text("已完成")
    expect(checklist.locator('li[data-state="todo"]').first).to_contain_text("待办")
    figures = page.locator("#figures")
    for label in ("在册成员", "户数", "总股数", "收入（至今）", "可分配盈余（至今，含上年结转）", "应收款"):
        expect(figures.get_by_text(label)).to_be_visible()
    expect(figures.locator('[data-key="shares"]')).to_contain_text("1,000,000")
    _fits(page)
    checklist.get_by_role("link", name="2025 年度结账").click()
    expect(page).to_have_url(re.compile(r"/machinery/years$"))
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_demo_accountant_and_supervisor_lists(live_server, browser, demo, width):
    page = _page(browser, width)
    login(page, live_server, "kuaiji", "wljs2023")
    checklist = page.locator("#checklist")
    expect(checklist.get_by_role("link", name="应收款清收")).to_be_visible()
    expect(checklist.get_by_role("link", name="成员名册")).to_have_count(0)
    _fits(page)
    page.context.clear_cookies()
    login(page, live_server, "jianshi", "wljs2023")
    expect(checklist.get_by_role("link", name="2025 年度分配：监事审核")).to_be_visible()
    expect(checklist.get_by_role("link", name="查阅操作日志")).to_be_visible()
    expect(checklist.get_by_role("link", name="应收款清收")).to_have_count(0)
    _fits(page)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_new_cooperative_gets_the_guide(live_server, browser, create_coop, create_user, width):
    create_coop("t1")
    create_user("t1", "admin")
    page = _page(browser, width)
    page.goto(live_server + "/login")
    login_form(page)
    guide = page.locator("#guide")
    expect(guide.get_by_role("heading")).to_have_text("开始使用")
    expect(page.locator("#checklist")).to_have_count(0)
    expect(page.locator("#figures")).to_have_count(0)
    steps = guide.locator("li")
    expect(steps).to_have_count(5)
    for n, label in enumerate(("完善章程", "导入成员", "登记设立时股份", "登记农机与作业价格",
                               "录入第一批作业订单"), start=1):
        expect(steps.nth(n - 1).get_by_role("link")).to_have_text(f"{n}. {label}")
    _fits(page)
    guide.get_by_role("link", name="2. 导入成员").click()
    expect(page).to_have_url(re.compile(r"/members/import$"))
    page.context.close()


def login_form(page: Page) -> None:
    page.get_by_label("用户名或成员编号").fill("admin")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))
