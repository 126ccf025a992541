import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login


def _logout_and_login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base, username)


@pytest.mark.now("2026-03-11 09:00")
def test_the_2025_plan_from_review_to_approval_through_a_meeting(live_server, page: Page, demo,
                                                                  app, set_clock):
    """The supervisor reviews the demo's 2025 draft, the secretary discloses it,
    convenes the member assembly ten days later, records the sign-in sheet and
    the secret ballot and decides; the plan is approved with the resolution
    number, then noticed."""
    from sqlalchemy import select

    from coop.dividends.models import DividendPlan
    from coop.extensions import db
    from coop.governance.api import Meeting, entitled_voters, sign_in_all

    with app.app_context():
        plan_id = db.session.scalar(select(DividendPlan.id).where(DividendPlan.year == 2025))
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "jianshi")
    page.goto(f"{live_server}/dividends/{plan_id}")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#field-note .error")).to_contain_text("请填写审核意见")
    page.get_by_label("审核意见").fill("方案与 2025 年度决算相符，提取比例符合章程")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".flash-success")).to_contain_text("监事已审核通过")

    _logout_and_login(page, live_server, "shuji")
    page.goto(f"{live_server}/dividends/{plan_id}")
    expect(page.locator("#workflow")).to_contain_text("审核通过：方案与 2025 年度决算相符")
    page.get_by_label("向成员公开的日期").fill("2026-03-11")
    page.get_by_role("button", name="公开", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text(
        "方案自 2026-03-11 起向成员公开。依照《农村集体经济组织法》第四十六条，表决此方案的会议"
        "须在公开满 10 日后召开，最早 2026-03-21。")

    page.get_by_role("link", name="会议").first.click()
    page.get_by_role("link", name="召集会议").click()
    page.get_by_label("会议名称").fill("2026年第一次成员大会")
    page.get_by_label("会议日期").fill("2026-03-21")
    page.get_by_label("通知日期").fill("2026-03-11")
    page.get_by_label("会议地点").fill("村委会大会议室")
    page.locator("#items-0-kind").select_option("distribution")
    page.locator("#items-0-title").fill("2025 年度收益分配方案")
    page.locator("#items-0-plan_id").select_option(str(plan_id))
    page.get_by_role("button", name="召集会议").click()
    expect(page.locator("h1")).to_have_text("2026年第一次成员大会")

    set_clock(date(2026, 3, 21))
    with app.app_context():   # the paper sign-in sheet of ~200 people, typed in one go
        meeting = db.session.scalar(select(Meeting).where(Meeting.meeting_on == date(2026, 3, 21)))
        voters = entitled_voters(meeting).voters
        present = len(voters) * 9 // 10
        sign_in_all(meeting, [m.id for m in voters[:present]])
        db.session.commit()
    page.reload()
    page.get_by_role("link", name="议题1 表决").click()
    page.get_by_label("同意票数").fill(str(present - 5))
    page.get_by_label("反对票数").fill("3")
    page.get_by_label("弃权票数").fill("2")
    page.get_by_label("废票数").fill("0")
    page.get_by_role("button", name="保存计票结果").click()
    expect(page.locator(".flash-success")).to_contain_text("计票结果")
    page.get_by_label("决议编号").fill("乌三股合〔2026〕1号")
    page.get_by_role("button", name="按法律核对并宣布结果").click()
    expect(page.locator(".flash-success")).to_contain_text("表决结果：通过，决议编号 乌三股合〔2026〕1号")

    page.goto(f"{live_server}/dividends/{plan_id}")
    expect(page.locator(".dv-head")).to_contain_text("已表决通过")
    expect(page.locator("#workflow")).to_contain_text("2026-03-21，决议文号 乌三股合〔2026〕1号")
    page.get_by_label("公示开始日期").fill("2026-03-21")
    page.get_by_role("button", name="开始公示").click()
    expect(page.locator(".dv-head")).to_contain_text("已公示")
    page.get_by_role("link", name="打印公示表").click()
    expect(page.locator(".dv-notice h1")).to_contain_text("2025 年度收益分配方案公示")
    expect(page.locator(".dv-notice")).to_contain_text("2026-03-21 至 2026-03-27")
    rows = page.locator("table.dv-notice-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 90
    expect(page.locator("table.dv-notice-table")).to_contain_text("乌兰计三村集体经济组织")
    # IDs are masked on the notice
    assert re.search(r"\d{4}\*{10}[\dX]{4}", page.locator("table.dv-notice-table").inner_text())
    assert not [e for e in errors if "Content Security Policy" in e], errors
