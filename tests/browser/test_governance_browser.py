"""A meeting walked in the browser (issue 13): convened, its people signed
in row by row (htmx), their votes recorded, the item decided with its
verdict and resolution number."""
from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect

from coop.cooperatives.api import get_by_code
from coop.extensions import db
from coop.members.api import create_member
from tests.browser.helpers import login
from tests.conftest import PASSWORD
from tests.conftest_members import make_id


def test_a_meeting_from_convening_to_a_decided_item(live_server, page: Page, app, staff, set_clock):
    with app.app_context():
        for n in range(1, 4):
            create_member(get_by_code("t1"), member_no=f"A0{n}", name=f"村民{n}", kind="villager",
                          household_no=f"H0{n}", id_number=make_id(n), phone=f"1380000000{n}",
                          joined_on=date(2023, 3, 15))
        db.session.commit()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "admin", PASSWORD)
    page.get_by_role("link", name="会议").click()
    page.get_by_role("link", name="召集会议").click()
    page.get_by_label("会议名称").fill("2026年第一次成员大会")
    page.get_by_label("会议地点").fill("村委会会议室")
    page.locator("#items-0-kind").select_option("other")
    page.locator("#items-0-title").fill("村道硬化")
    page.get_by_role("button", name="召集会议").click()
    expect(page.locator("h1")).to_have_text("2026年第一次成员大会")
    expect(page.locator("#forecast")).to_contain_text("还差 2 人")
    expect(page.locator("#forecast a[href='tel:13800000001']")).to_be_visible()

    set_clock(date(2026, 7, 1))
    page.get_by_role("link", name="签到表", exact=True).click()
    for n in range(1, 4):
        row = page.locator(".sign-row", has_text=f"村民{n}")
        row.get_by_role("button", name="签到").click()
        expect(page.locator(".sign-row", has_text=f"村民{n}")).to_contain_text("已签到")
        expect(page.locator("#sign-counts")).to_contain_text(f"已签到 {n} 人")
    expect(page.locator("#sign-counts")).to_contain_text("已达到")

    page.get_by_role("link", name="议题1 表决").click()
    for n in range(1, 4):
        page.locator(".vote-row", has_text=f"村民{n}").get_by_role("button", name="赞成").click()
        expect(page.locator("#vote-counts")).to_contain_text(f"赞成 {n}")
    page.get_by_role("button", name="按法律核对并宣布结果").click()
    expect(page.locator(".flash-success")).to_contain_text("表决结果：通过，决议编号 2026-001")
    expect(page.locator(".outcome")).to_contain_text("通过")
    expect(page.locator(".reasons li.reason-ok").first).to_contain_text("《农村集体经济组织法》")
    expect(page.locator(".reason-fail")).to_have_count(0)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_a_meetings_wide_papers_scroll_in_their_box_on_a_phone(live_server, phone_context, demo):
    """The sign-in sheet (517 px) and the tally (600-692 px) made a phone's
    whole page scroll sideways; their tables now scroll in a box of their own."""
    from tests.browser.helpers import overflows

    page = phone_context.new_page()
    login(page, live_server)
    page.goto(f"{live_server}/meetings/")
    href = page.locator("main a[href^='/meetings/']").filter(has_text="成员大会").first.get_attribute("href")
    meeting = href.rstrip("/").rsplit("/", 1)[1]
    for paper in ("sign-in", "tally"):
        page.goto(f"{live_server}/meetings/{meeting}/papers/{paper}")
        expect(page.locator("table.paper-table")).to_be_visible()
        assert not overflows(page), paper
