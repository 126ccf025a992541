import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login


@pytest.mark.now("2026-03-11 09:00")
def test_compute_approve_publish_and_see_the_notice(live_server, page: Page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server)
    page.get_by_role("navigation").get_by_role("link", name="分红").first.click()
    expect(page).to_have_url(live_server + "/dividends/")
    # 2024 is approved and paid, so the form proposes 2025
    expect(page.get_by_label("年度")).to_have_value("2025")
    page.get_by_role("button", name="计算草案").click()
    expect(page).to_have_url(re.compile(r"/dividends/\d+$"))
    expect(page.locator("h1")).to_contain_text("2025 年度分配方案")
    expect(page.locator(".flash-success")).to_contain_text("2025 年度分配方案草案")
    expect(page.locator("svg.dv-waterfall")).to_be_visible()

    # a vote short of two thirds is refused next to the field, nothing saved
    total = int(page.get_by_label("有表决权的户数").input_value())
    needed = -(-total * 2 // 3)
    page.get_by_label("成员（代表）大会日期").fill("2026-03-10")
    page.get_by_label("到会户数").fill(str(total))
    page.get_by_label("赞成").fill(str(needed - 1))
    page.get_by_label("反对").fill(str(total - needed + 1))
    page.get_by_label("弃权").fill("0")
    page.get_by_label("决议文号").fill("乌三股合〔2026〕1号")
    page.get_by_role("button", name="登记表决结果").click()
    expect(page.locator("#field-votes_for .error")).to_contain_text(f"至少需要 {needed} 户")

    page.get_by_label("赞成").fill(str(needed))
    page.get_by_label("反对").fill(str(total - needed))
    page.get_by_role("button", name="登记表决结果").click()
    expect(page.locator(".flash-success")).to_contain_text("表决通过")
    expect(page.locator(".dv-head")).to_contain_text("已表决通过")

    page.get_by_label("公示开始日期").fill("2026-03-11")
    page.get_by_role("button", name="开始公示").click()
    expect(page.locator(".dv-head")).to_contain_text("已公示")
    page.get_by_role("link", name="打印公示表").click()
    expect(page.locator(".dv-notice h1")).to_contain_text("2025 年度收益分配方案公示")
    expect(page.locator(".dv-notice")).to_contain_text("2026-03-11 至 2026-03-17")
    rows = page.locator("table.dv-notice-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 90
    expect(page.locator("table.dv-notice-table")).to_contain_text("乌兰计三村集体经济组织")
    # IDs are masked on the notice
    assert re.search(r"\d{4}\*{10}[\dX]{4}", page.locator("table.dv-notice-table").inner_text())
    assert not [e for e in errors if "Content Security Policy" in e], errors
