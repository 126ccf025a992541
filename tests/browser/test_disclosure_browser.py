"""A member on a phone (390 px) reads the demo's financial disclosures: the
list newest first, a quarter's statement whose tables reflow into labelled
rows in text of at least 16 px, nothing wider than the screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coop.extensions import db
from tests.browser.helpers import page_width


@pytest.fixture
def demo_member_login(app, demo):
    from coop.auth.api import set_published_password
    from coop.cooperatives.services import get_by_code
    from coop.portal.demo import demo_member
    from coop.portal.services import issue_member_login

    with app.app_context():
        coop = get_by_code(demo)
        member = demo_member(coop)
        set_published_password(issue_member_login(coop, member).user, "my-own-pass-2026")
        db.session.commit()
        return member.member_no


def test_member_on_a_phone_reads_the_quarters_disclosure(live_server, phone_context, demo_member_login):
    page = phone_context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server + "/login")
    page.get_by_label("用户名或成员编号").fill(demo_member_login)
    page.get_by_label("密码").fill("my-own-pass-2026")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    page.locator(".pt-nav").get_by_role("link", name="财务公开").click()
    expect(page).to_have_url(re.compile(r"/me/disclosures$"))
    cards = page.locator("a.ds-list-item")
    expect(cards.first).to_contain_text("2026 年第一季度")  # newest first (the clock: 2026-06-15)
    assert page_width(page) <= 390
    cards.first.click()
    expect(page.locator("h1")).to_contain_text("2026 年第一季度财务公开")
    cell = page.locator("#ds-income-total")
    expect(cell).to_be_visible()
    style = cell.evaluate("c => [getComputedStyle(c).display, parseFloat(getComputedStyle(c).fontSize),"
                          " getComputedStyle(c, '::before').content]")
    assert style[0] == "block" and style[1] >= 16 and "金额" in style[2]
    assert page_width(page) <= 390
    assert not [e for e in errors if "Content Security Policy" in e], errors
