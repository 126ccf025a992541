"""Where the keyboard focus goes when htmx swaps part of a staff page (issue
21): to the error summary (role=alert) after a refused submit, back to the
sort or paging link after the table is swapped; and the search result is
announced by a status region outside the swapped table."""
from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coop.cooperatives.api import get_by_code
from coop.dividends.models import DividendPlan
from coop.extensions import db
from coop.governance.api import AgendaItem, ItemSpec, Meeting, convene_meeting, record_tally, sign_in_all
from coop.members.api import create_member
from tests.browser.helpers import login
from tests.conftest import PASSWORD
from tests.conftest_members import make_id


def expect_focus_on_the_summary(page: Page, scope: str, *texts: str) -> None:
    """After the refused submit the focus is on the one error summary of
    ``scope`` (role=alert), which says ``texts``."""
    summary = page.locator(f"{scope} .error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    for text in texts:
        expect(summary).to_contain_text(text)
    assert page.evaluate("document.activeElement.closest('[role=alert]') !== null")
    assert page.locator(f"{scope} [role=alert]").count() == 1


def test_a_refused_password_change_puts_the_focus_on_its_errors(live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/password")
    page.get_by_label("当前密码").fill("not-my-password")
    page.get_by_role("button", name="保存新密码").click()
    expect_focus_on_the_summary(page, "#password-panel", "处需要修改")
    first = page.locator("#password-panel .error-summary a").first
    target = first.get_attribute("href")
    expect(page.locator(target)).to_have_attribute("aria-invalid", "true")
    first.click()  # the summary's link takes the user to the field
    expect(page.locator(target)).to_be_focused()


def test_a_refused_new_member_puts_the_focus_on_its_errors(live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/members/")
    page.get_by_role("link", name="新增成员").click()
    form = page.locator("#member-form")
    form.get_by_label("姓名").fill("吕志强")
    form.get_by_role("button", name="添加成员").click()
    expect_focus_on_the_summary(page, "#member-form-panel", "成员编号：")
    expect(form.get_by_label("成员编号")).to_have_attribute("aria-describedby", "member_no-help member_no-error")


def test_a_refused_new_client_puts_the_focus_on_its_errors(live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/machinery/clients")
    panel = page.locator("#client-new")
    panel.get_by_role("button", name="登记").click()
    expect_focus_on_the_summary(page, "#client-new", "名称：")
    expect(panel.get_by_label("名称")).to_have_attribute("aria-invalid", "true")


def test_a_refused_share_transfer_puts_the_focus_on_its_errors(live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/shares/transfer")
    page.get_by_label("转出成员编号").fill("NOBODY")
    page.get_by_role("button", name=re.compile("保存")).click()
    expect_focus_on_the_summary(page, "#movement-form", "没有保存任何内容")


def test_a_refused_vote_puts_the_focus_on_its_error(live_server, page: Page, app, staff,
                                                  set_clock):
    with app.app_context():
        coop = get_by_code("t1")
        ids = [create_member(coop, member_no=f"A0{n}", name=f"村民{n}", kind="villager",
                             household_no=f"H0{n}", id_number=make_id(n), phone=f"1380000000{n}",
                             joined_on=date(2023, 3, 15)).id for n in (1, 2)]
        meeting = convene_meeting(coop.id, regime="collective", body="assembly", title="成员大会",
                                  meeting_on=date(2026, 7, 1), place="村委会", convened_by="理事会",
                                  notice_on=date(2026, 6, 15),
                                  items=[ItemSpec(kind="other", title="修路")])
        db.session.commit()
        meeting_id, item_id = meeting.id, meeting.items[0].id
    set_clock(date(2026, 7, 1))
    with app.app_context():
        sign_in_all(db.session.get(Meeting, meeting_id), ids)
        db.session.commit()
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server}/meetings/items/{item_id}")
    row = page.locator(".vote-row", has_text="村民1")
    expect(row.get_by_role("button", name="赞成")).to_be_visible()
    with app.app_context():  # meanwhile the secret ballot is counted
        record_tally(db.session.get(AgendaItem, item_id), votes_for=2, votes_against=0,
                     votes_abstain=0)
        db.session.commit()
    row.get_by_role("button", name="赞成").click()
    expect_focus_on_the_summary(page, f"#v{ids[0]}", "已按无记名投票记录了计票结果")


def test_sorting_and_paging_the_roster_keep_the_focus_and_a_search_is_announced(
        live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/members/")
    status = page.locator("#member-search-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    assert page.evaluate("!document.getElementById('results')"
                         ".contains(document.getElementById('member-search-status'))")

    page.locator("#sort-name").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("th[aria-sort] #sort-name")).to_be_visible()
    expect(page.locator("#sort-name")).to_be_focused()

    page.locator("#roster-pager-next").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator(".pager")).to_contain_text("第 2 /")
    expect(page.locator("#roster-pager-next")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # 上一页
    expect(page.locator("#roster-pager-prev")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".pager")).to_contain_text("第 1 /")
    # the first page has no 上一页: the focus goes to 下一页, not to <body>
    expect(page.locator("#roster-pager-next")).to_be_focused()

    # the same element stays: a live region that is replaced is not announced
    page.evaluate("window.statusRegion = document.getElementById('member-search-status')")
    page.get_by_label("搜索").press_sequentially("wjg", delay=60)
    expect(page.locator("table.roster tbody tr")).to_have_count(1)
    expect(status).to_have_text("搜索“wjg”：找到 1 名成员")
    assert page.evaluate("window.statusRegion === document.getElementById('member-search-status')")


def test_paging_the_dividend_lines_keeps_the_focus_and_a_search_is_announced(
        live_server, page: Page, demo, app):
    with app.app_context():
        plan_id = db.session.scalar(select(DividendPlan.id).where(DividendPlan.year == 2025))
    login(page, live_server)
    page.goto(f"{live_server}/dividends/{plan_id}")
    status = page.locator("#lines-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("条明细")
    page.locator("#lines-pager-next").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#lines .pager")).to_contain_text("第 2 /")
    expect(page.locator("#lines-pager-next, #lines-pager-prev").first).to_be_focused()

    page.evaluate("window.statusRegion = document.getElementById('lines-status')")
    page.get_by_label("成员编号或姓名").fill("王建国")
    expect(page.locator("table.dv-lines tbody tr")).to_have_count(1)
    expect(status).to_have_text("查找“王建国”：找到 1 条明细")
    assert page.evaluate("window.statusRegion === document.getElementById('lines-status')")


def test_without_javascript_the_forms_sorting_paging_and_search_still_work(
        live_server, browser, demo):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server)
        page.goto(live_server + "/machinery/clients")
        page.locator("#client-new").get_by_role("button", name="登记").click()
        summary = page.locator("#client-new .error-summary")
        expect(summary).to_have_attribute("role", "alert")
        expect(summary).to_contain_text("名称：")
        expect(page.locator("#client-new").get_by_label("名称")).to_have_attribute(
            "aria-invalid", "true")

        page.goto(live_server + "/members/")
        page.locator("#sort-name").click()
        expect(page).to_have_url(re.compile(r"sort=name"))
        expect(page.locator("th[aria-sort] #sort-name")).to_be_visible()
        page.locator("#roster-pager-next").click()
        expect(page).to_have_url(re.compile(r"page=2"))
        expect(page.locator(".pager")).to_contain_text("第 2 /")
        page.get_by_label("搜索").fill("wjg")
        page.locator("#member-search").get_by_role("button", name="搜索").click()
        expect(page.locator("#member-search-status")).to_have_text("搜索“wjg”：找到 1 名成员")
        expect(page.locator("table.roster tbody tr")).to_have_count(1)
    finally:
        context.close()


def test_a_form_refused_by_a_plain_post_focuses_its_summary_on_load(live_server, page: Page,
                                                                    demo):
    login(page, live_server)
    page.goto(live_server + "/shares/import")
    page.get_by_role("button", name="上传并检查").click()  # no file chosen
    summary = page.locator("#import-form .error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    page.goto(live_server + "/shares/import")  # opened again: nothing refused, no summary
    expect(page.locator(".error-summary")).to_have_count(0)
