"""The overview of an area in Chromium: at 1280 px sorting by a column
swaps the table in place (htmx) and keeps the URL; on a 390 px phone the page
never scrolls sideways, the table scrolls inside a focusable, labelled region."""
from __future__ import annotations

import re

import pytest
from flask_login.utils import _create_identifier
from playwright.sync_api import expect

from coop.auth.api import Role, User
from coop.extensions import db
from tests.browser.helpers import page_width
from tests.oversight_world import place

UA = "Mozilla/5.0 (coop browser test)"


@pytest.fixture
def county(app, create_coop):
    for code, name in (("a1", "甲村股份经济合作社"), ("b1", "乙村股份经济合作社"), ("c1", "丙村股份经济合作社")):
        create_coop(code, name=name)
    return place(app, {"a1": "VA", "b1": "VA", "c1": "VB"})


def _signed_in(app, context, base: str, area_id: int) -> None:
    """The overseer's session cookie (their login page is the areas' work)."""
    with app.app_context():
        user = User(area_id=area_id, username="ov", display_name="县农业农村局", role=Role.OVERSEER.value,
                    password_hash="x", must_change_password=False)
        db.session.add(user)
        db.session.commit()
        session_id = user.get_id()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": UA}):
        identifier = _create_identifier()
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": session_id, "_fresh": True, "_id": identifier})
    context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": base}])


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    return errors


def _names(page) -> list[str]:
    return page.locator("table.ov-table tbody th[scope=row]").all_inner_texts()


def test_the_overview_sorts_in_place_at_1280(app, live_server, browser, county):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", user_agent=UA)
    _signed_in(app, context, live_server, county["C"])
    page = context.new_page()
    errors = _watch(page)
    page.goto(live_server + "/oversight/")
    expect(page.get_by_role("heading", name=re.compile("辖区总览"))).to_be_visible()
    assert _names(page) == ["甲村股份经济合作社", "乙村股份经济合作社", "丙村股份经济合作社"]
    page.evaluate("window.__kept = true")  # gone if the page were reloaded
    page.locator("table.ov-table thead").get_by_role("link", name="合作社").click()
    expect(page.locator("th[aria-sort]")).to_contain_text("合作社")
    page.locator("table.ov-table thead").get_by_role("link", name=re.compile("合作社")).click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("合作社")
    assert page.evaluate("window.__kept") is True
    assert "sort=name" in page.url and "dir=desc" in page.url
    assert _names(page) == sorted(_names(page), reverse=True)
    expect(page.locator("table.ov-table tfoot")).to_contain_text("合计（3 个）")
    assert page_width(page) <= 1280
    assert errors == []
    context.close()


def test_the_overview_fits_a_phone(app, live_server, browser, county):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN", user_agent=UA)
    _signed_in(app, context, live_server, county["C"])
    page = context.new_page()
    errors = _watch(page)
    page.goto(live_server + "/oversight/")
    region = page.get_by_role("region", name="各合作社主要指标（点表头排序）")
    expect(region).to_be_visible()
    assert page_width(page) <= 390
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls in its box
    region.focus()
    expect(region).to_be_focused()
    page.goto(live_server + "/oversight/county")
    expect(page.get_by_role("img").first).to_be_visible()
    assert page_width(page) <= 390
    assert errors == []
    context.close()
