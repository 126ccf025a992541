"""A member on a phone: first login with the slip's password, the forced
change, the 2025 dividend and its statement. The secretary prints the
year's statements: one A4 page each (the print stylesheet's page breaks)."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from coop.extensions import db
from tests.browser.helpers import page_width
from tests.conftest_dividends import pass_at_meeting


@pytest.fixture
def demo_2025(app, demo):
    """The demo with its 2025 draft approved at a meeting and published through
    the services, and a fresh one-time password for the demo member's login."""
    from coop import clock
    from coop.cooperatives.services import get_by_code
    from coop.dividends import reading, workflow
    from coop.dividends.models import DividendLine
    from coop.portal.demo import demo_member
    from coop.portal.services import issue_member_login

    with app.app_context():
        coop = get_by_code(demo)
        plan = reading.latest_draft(coop.id, 2025)
        assert plan is not None, "the demo has a 2025 draft"
        pass_at_meeting(coop, plan, date(2026, 1, 15), resolution_no="乌三股合〔2026〕1号")
        with clock.replaying(date(2026, 1, 16)):
            workflow.publish_plan(plan, notice_start=date(2026, 1, 16), notice_days=7)
        member = demo_member(coop)
        _user, password, _created = issue_member_login(coop, member)
        line = db.session.scalar(db.select(DividendLine).where(
            DividendLine.plan_id == plan.id, DividendLine.member_id == member.id))
        db.session.commit()
        return {"member_no": member.member_no, "name": member.name, "password": password,
                "total": line.total_fen, "lines": plan.line_count}


def test_member_on_a_phone_first_login_dividend_and_statement(live_server, phone_context,
                                                              demo_2025):
    from coop.money import format_yuan
    from coop.statements.numerals import capital_yuan

    page = phone_context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill(demo_2025["member_no"].lower())
    page.get_by_label("密码").fill(demo_2025["password"])
    page.get_by_role("button", name="登录").click()

    # the one-time password must be changed first
    expect(page).to_have_url(re.compile(r"/password$"))
    expect(page.locator(".flash-warning")).to_contain_text("请先修改密码")
    page.get_by_label("当前密码").fill(demo_2025["password"])
    page.get_by_label("新密码", exact=True).fill("my-own-pass-2026")
    page.get_by_label("再次输入新密码").fill("my-own-pass-2026")
    page.get_by_role("button", name="保存新密码").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("h1")).to_contain_text(f"{demo_2025['name']}，您好")

    # the 2025 dividend, large, with its status
    total = format_yuan(demo_2025["total"])
    card = page.locator("a.pt-card[href*=\"/me/dividends/\"]", has_text="2025 年度分红")
    expect(card).to_contain_text(f"{total} 元")
    expect(card).to_contain_text("已公示，待发放")
    assert page_width(page) <= 390
    card.click()
    expect(page.locator("h1")).to_contain_text("2025 年度分红")
    expect(page.locator(".pt-steps")).to_contain_text("公示：2026-01-16 至 2026-01-22")

    page.get_by_role("link", name="查看 2025 年度对账单").click()
    expect(page).to_have_url(re.compile(r"/me/statements/2025$"))
    statement = page.locator("article.st-statement")
    expect(statement).to_contain_text("2025 年度股金分红对账单")
    expect(statement).to_contain_text(demo_2025["member_no"])
    expect(statement.locator(".st-capital")).to_contain_text(capital_yuan(demo_2025["total"]))
    expect(statement.locator("tr.st-total")).to_contain_text(total)
    # one column on the phone: nothing wider than the screen
    assert page_width(page) <= 390
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # the PDF link serves this member's statement
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF").click()
    data = open(info.value.path(), "rb").read()
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert demo_2025["name"] in text and total in text


def test_secretary_prints_the_batch_one_a4_page_per_statement(live_server, page: Page,
                                                              demo_2025):
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill("shuji")
    page.get_by_label("密码").fill("wljs2023")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.get_by_role("link", name="对账单").first.click()
    expect(page.locator("h2")).to_contain_text("2025 年度（已公示）")
    page.get_by_role("link", name="批量打印（浏览器，A4 分页）").click()
    articles = page.locator("article.st-statement")
    expect(articles).to_have_count(demo_2025["lines"])
    page.wait_for_load_state("load")  # statements.css applied before styles are read

    page.emulate_media(media="print")
    styles = page.evaluate("""() => {
        const all = document.querySelectorAll('article.st-statement');
        const s = (el) => getComputedStyle(el);
        return {first: s(all[0]).breakAfter, last: s(all[all.length - 1]).breakAfter,
                inside: s(all[0]).breakInside, toolbar: s(document.querySelector('.no-print')).display,
                topbar: s(document.querySelector('.topbar')).display};
    }""")
    assert styles == {"first": "page", "last": "auto", "inside": "avoid", "toolbar": "none",
                      "topbar": "none"}
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == demo_2025["lines"]


@pytest.fixture
def demo_meetings(app, demo, set_clock):
    """The demo with a meeting held (the demo member signed in and voted
    against item 1) and one to come; a fresh password for the demo member's
    login, already changed. Today: 2026-06-01."""
    from coop.auth.services import set_published_password
    from coop.cooperatives.api import get_by_code
    from coop.governance import attendance, decisions, meetings
    from coop.governance.meetings import ItemSpec
    from coop.governance.roster import entitled_voters
    from coop.portal.demo import demo_member
    from coop.portal.services import issue_member_login

    def convene(coop_id, title, notice_on, meeting_on, items):
        return meetings.convene_meeting(
            coop_id, regime="collective", body="assembly", title=title, meeting_on=meeting_on,
            place="乌兰计三村村委会二楼会议室", convened_by="理事会", notice_on=notice_on,
            items=[ItemSpec(kind="other", title=t) for t in items])

    with app.app_context():
        coop = get_by_code(demo)
        member = demo_member(coop)
        set_clock(date(2026, 5, 20))
        held = convene(coop.id, "2026年第一次成员大会", date(2026, 5, 1), date(2026, 5, 20),
                       ["关于修建村东头水泥路的议案", "关于 2026 年度集体土地发包的议案"])
        voters = sorted(entitled_voters(held).ids)
        for member_id in voters:
            attendance.record_attendance(held, member_id, mode="in_person")
        for member_id in voters:
            decisions.record_vote(held.items[0], member_id,
                                  "against" if member_id == member.id else "for")
        decisions.record_tally(held.items[1], votes_for=len(voters), votes_against=0,
                               votes_abstain=0)
        for item in held.items:
            decisions.decide_item(item)
        set_clock(date(2026, 6, 1))
        convene(coop.id, "2026年第二次成员大会", date(2026, 6, 10), date(2026, 6, 25),
                ["确认新增成员资格", "村集体资产清查结果报告"])
        set_published_password(issue_member_login(coop, member).user, "my-own-pass-2026")
        db.session.commit()
        return {"member_no": member.member_no, "name": member.name, "password": "my-own-pass-2026"}


def test_member_on_a_phone_reads_meetings_and_own_votes(live_server, phone_context,
                                                        demo_meetings):
    page = phone_context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill(demo_meetings["member_no"])
    page.get_by_label("密码").fill(demo_meetings["password"])
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    card = page.locator("a.pt-card", has_text="会议和表决")
    expect(card).to_contain_text("即将召开 1 次会议")
    card.click()
    expect(page).to_have_url(re.compile(r"/me/meetings$"))
    assert page_width(page) <= 390

    page.locator("a.pt-card", has_text="2026年第二次成员大会").click()
    expect(page.locator("section.pt-card").first).to_contain_text("2026-06-25")
    expect(page.locator("ol.pt-items")).to_contain_text("确认新增成员资格")
    assert page_width(page) <= 390

    page.get_by_role("link", name="返回会议列表").click()
    page.locator("a.pt-card", has_text="2026年第一次成员大会").click()
    expect(page.locator(".pt-attended")).to_contain_text("现场参会")
    items = page.locator("ol.pt-items > li")
    expect(items.nth(0)).to_contain_text("您投了：反对")
    expect(items.nth(0)).to_contain_text("决议编号")
    expect(items.nth(1)).to_contain_text("无记名投票，您已参加")
    expect(page.locator("ol.pt-items")).not_to_contain_text("赞成")
    assert page_width(page) <= 390

