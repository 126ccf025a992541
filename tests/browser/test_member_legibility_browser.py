"""Issue 21, the member's side: an elderly member reads every /me/ page and the
annual statement on a 390 px phone without text under 16 px, taps targets of
44x44 px, and with the browser's text size at 200% nothing scrolls sideways
(the statement's and the notices' tables reflow into labelled rows). The
public notice fits a phone and prints its total once, at the end; the
statement prints at about 12 pt with 10.5 pt notes on one A4 page."""
from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from coop.extensions import db
from tests.browser.helpers import page_width
from tests.conftest_dividends import pass_at_meeting

PHONE = 390
PASSWORD = "my-own-pass-2026"

# the text of every visible text node with its computed size (px), the
# smallest first
SMALL_TEXT = """(limit) => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim();
        const el = node.parentElement;
        if (!text || !el || !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < limit) out.push(`${size}px ${el.tagName}.${el.className}: ${text.slice(0, 30)}`);
    }
    return out;
}"""

# every visible link, button and form control smaller than ``limit`` px
SMALL_TARGETS = """(limit) => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        const r = el.getBoundingClientRect();
        if (r.width < limit - 0.01 || r.height < limit - 0.01)
            out.push(`${r.width.toFixed(1)}x${r.height.toFixed(1)} ${el.tagName}: ${el.textContent.trim().slice(0, 20)}`);
    }
    return out;
}"""

# a phone's layout viewport widens to the content (innerWidth too): the page's
# width is measured against the screen's


@pytest.fixture
def member_2025(app, demo):
    """The demo's 2025 plan approved at a meeting and published; the demo
    member's login with a password of their own."""
    from coop import clock
    from coop.auth.services import set_published_password
    from coop.cooperatives.api import get_by_code
    from coop.dividends import reading, workflow
    from coop.portal.demo import demo_member
    from coop.portal.services import issue_member_login

    with app.app_context():
        coop = get_by_code(demo)
        plan = reading.latest_draft(coop.id, 2025)
        pass_at_meeting(coop, plan, date(2026, 1, 15), resolution_no="乌三股合〔2026〕1号")
        with clock.replaying(date(2026, 1, 16)):
            workflow.publish_plan(plan, notice_start=date(2026, 1, 16), notice_days=7)
        member = demo_member(coop)
        set_published_password(issue_member_login(coop, member).user, PASSWORD)
        db.session.commit()
        return {"member_no": member.member_no, "name": member.name, "plan_id": plan.id}


def _context(browser, width: int, *, text_percent: int = 100):
    """A browser at ``width`` px (a phone under 600: touch, mobile viewport)
    whose text size setting is ``text_percent`` % (the default font 16 px
    scaled, as the browser's own text size setting does)."""
    phone = width < 600
    context = browser.new_context(viewport={"width": width, "height": 844 if phone else 800},
                                  is_mobile=phone, has_touch=phone, locale="zh-CN")
    return context


def _page(context, text_percent: int = 100) -> Page:
    page = context.new_page()
    if text_percent != 100:
        cdp = context.new_cdp_session(page)
        cdp.send("Page.enable")
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16 * text_percent // 100,
                                                     "fixed": 13 * text_percent // 100}})
    return page


def _login(page: Page, base: str, member_no: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名或成员编号").fill(member_no)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me/$"))


def _member_pages(page: Page, base: str) -> list[str]:
    """Every /me/ page a member reaches from the home page by links, two
    clicks deep (downloads aside): new pages are covered by default."""
    seen: list[str] = []
    todo = ["/me/"]
    for _depth in range(3):
        found = []
        for path in todo:
            page.goto(base + path)
            seen.append(path)
            for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
                url = urlparse(href)
                if (url.path.startswith("/me/") and not url.path.endswith(".pdf")
                        and url.path not in seen and url.path not in found and url.path not in todo):
                    found.append(url.path)
        todo = found
    return seen


def test_member_pages_on_a_phone_text_of_16px_and_targets_of_44px(live_server, browser,
                                                                   member_2025):
    context = _context(browser, PHONE)
    page = _page(context)
    _login(page, live_server, member_2025["member_no"])
    pages = _member_pages(page, live_server)
    assert {"/me/", "/me/statements/2025", "/me/notice", "/me/holdings"} <= set(pages)
    small_text, small_targets = {}, {}
    for path in pages + ["/password"]:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        if found := page.evaluate(SMALL_TEXT, 16):
            small_text[path] = found
        if found := page.evaluate(SMALL_TARGETS, 44):
            small_targets[path] = found
    assert (small_text, small_targets) == ({}, {})
    context.close()


def test_member_pages_at_200_percent_text_do_not_scroll_sideways(live_server, browser,
                                                                  member_2025):
    context = _context(browser, PHONE)
    page = _page(context, text_percent=200)
    _login(page, live_server, member_2025["member_no"])
    root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert root >= 32, "the text size setting reaches the page"
    pages = _member_pages(page, live_server)
    assert {"/me/", "/me/statements/2025", "/me/notice", "/me/holdings"} <= set(pages)
    too_wide = {}
    for path in pages:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
        if (width := page_width(page)) > PHONE:
            too_wide[path] = width
    assert too_wide == {}

    # the member's own amount on the notice is on screen, not in a table
    # scrolled inside its box
    page.goto(live_server + "/me/notice")
    total = page.locator("tr.pt-mine td[data-label='合计（元）']")
    box = total.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    assert page.evaluate("[...document.querySelectorAll('.table-wrap')]"
                         ".every(w => w.scrollWidth <= w.clientWidth)")
    context.close()


def test_statement_tables_reflow_into_labelled_rows_on_a_phone(live_server, browser,
                                                               member_2025):
    context = _context(browser, PHONE)
    page = _page(context)
    _login(page, live_server, member_2025["member_no"])
    page.goto(live_server + "/me/statements/2025")
    page.wait_for_load_state("load")
    labels = page.evaluate("""() => [...document.querySelectorAll('.st-reflow td')]
        .filter(c => c.colSpan === 1)
        .map(c => [c.dataset.label || '', getComputedStyle(c, '::before').content,
                   getComputedStyle(c).display])""")
    assert len(labels) >= 8
    for label, before, display in labels:
        assert label and before == f'"{label}"' and display != "table-cell"
    # a class of shares reads on one line
    cls = page.locator(".st-reflow td", has_text="村民股").first
    height = cls.evaluate("el => el.getBoundingClientRect().height")
    line = cls.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert height < 2 * line
    # the PC: the same template as a table
    context.close()
    context = _context(browser, 1280)
    page = _page(context)
    _login(page, live_server, member_2025["member_no"])
    page.goto(live_server + "/me/statements/2025")
    page.wait_for_load_state("load")
    assert page.evaluate("getComputedStyle(document.querySelector('.st-reflow td')).display") \
        == "table-cell"
    assert page.evaluate(SMALL_TEXT, 16) == []
    context.close()


def test_the_members_own_row_on_the_notice_says_benren(live_server, browser, member_2025):
    context = _context(browser, PHONE)
    page = _page(context)
    _login(page, live_server, member_2025["member_no"])
    page.goto(live_server + "/me/notice")
    mine = page.locator("table.pt-notice tr.pt-mine")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("本人")
    expect(mine).to_contain_text(member_2025["name"])
    assert page.locator("table.pt-notice tbody tr", has_text="本人").count() == 1
    context.close()


def test_statement_prints_at_12pt_with_notes_at_10_5pt_on_one_a4_page(live_server, browser,
                                                                       member_2025):
    context = _context(browser, 1280)
    page = _page(context)
    _login(page, live_server, member_2025["member_no"])
    page.goto(live_server + "/me/statements/2025")
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    pt = page.evaluate("""() => {
        const pt = (sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize) * 0.75;
        return {body: pt('.st-statement'), cell: pt('.st-table td'), note: pt('.st-note'),
                meta: pt('.st-meta'), small: pt('.st-small td')};
    }""")
    assert pt["body"] == pytest.approx(12, abs=0.01)
    assert pt["cell"] >= 10.5 and pt["small"] >= 10.5
    assert pt["note"] == pytest.approx(10.5, abs=0.01) and pt["meta"] >= 10.5
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    context.close()


@pytest.mark.parametrize("kind", ["notice", "disclosure"])
def test_public_notice_fits_a_phone_and_prints_its_total_once(live_server, browser, member_2025,
                                                              kind):
    from tests.browser.helpers import login

    context = _context(browser, PHONE)
    page = _page(context, text_percent=200)
    login(page, live_server)
    page.goto(f"{live_server}/dividends/{member_2025['plan_id']}/{kind}")
    page.wait_for_load_state("load")
    assert page_width(page) <= PHONE
    cell = page.locator("table.dv-notice-table tbody td[data-label]").first
    assert cell.evaluate("el => getComputedStyle(el, '::before').content") \
        == f'"{cell.get_attribute("data-label")}"'
    context.close()

    context = _context(browser, 1280)
    page = _page(context)
    login(page, live_server)
    page.goto(f"{live_server}/dividends/{member_2025['plan_id']}/{kind}")
    page.wait_for_load_state("load")
    page.emulate_media(media="print")
    total = page.evaluate("""() => {
        const table = document.querySelector('table.dv-notice-table');
        const foot = table.querySelector('tfoot');
        const rows = table.querySelectorAll('tr');
        return {foot: foot ? getComputedStyle(foot).display : null,
                last: rows[rows.length - 1].textContent};
    }""")
    assert total["foot"] in (None, "table-row-group")
    assert "合计" in total["last"]
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 1, "the lines run over more than one page"
    assert len(re.findall(r"合计\s*\d+\s*名", text)) == 1
    context.close()
