"""Keyboard and screen-reader basics of the staff layout in Chromium, beside
the axe run (axe_run.py): the skip link, the idle loading indicator,
the focus ring, 24 px checkboxes and tables that scroll in a named region."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.helpers import login, overflows


def staff_page(browser: Browser, base: str, width: int, height: int = 800):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    login(page, base)
    return context, page


def until(page, script: str) -> None:
    """Wait until ``script`` (an arrow function) is true in the page: the CSP
    forbids the string evaluation of page.wait_for_function."""
    for _ in range(50):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    raise AssertionError(script)


def test_the_skip_link_is_the_first_tab_stop_and_takes_focus_to_the_main_content(
        live_server, browser, demo):
    context, page = staff_page(browser, live_server, 1280)
    page.goto(live_server + "/machinery/reports")
    skip = page.get_by_role("link", name="跳到正文")
    box = skip.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0  # off screen until focused
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0  # visible while it has the focus
    assert skip.evaluate("e => getComputedStyle(e).outlineColor") == "rgb(11, 87, 164)"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the main content
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    context.close()


def test_the_loading_indicator_is_hidden_from_assistive_technology_when_idle(
        live_server, browser, demo):
    context, page = staff_page(browser, live_server, 1280)
    page.goto(live_server + "/machinery/orders")
    indicator = page.locator("#loading")
    expect(indicator).to_be_hidden()
    assert indicator.evaluate("e => getComputedStyle(e).visibility") == "hidden"
    assert "正在处理" not in page.locator("body").aria_snapshot()
    # during a request htmx puts htmx-request on it: then it shows and is read
    indicator.evaluate("e => e.classList.add('htmx-request')")
    expect(indicator).to_be_visible()
    assert "正在处理" in page.locator("body").aria_snapshot()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_staff_checkboxes_are_at_least_24_px_square(live_server, browser, demo, width):
    context, page = staff_page(browser, live_server, width)
    for url, name in (("/machinery/orders", "只看未收清的"),
                      ("/membership/gains/new", "此变动因结婚或离婚引起")):
        page.goto(live_server + url)
        box = page.get_by_role("checkbox", name=name).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (url, box)
    context.close()


def test_a_table_wider_than_a_phone_scrolls_in_a_focusable_region_named_after_it(
        live_server, browser, demo):
    context, page = staff_page(browser, live_server, 390, 844)
    page.goto(live_server + "/machinery/reports")
    region = page.locator("#r-monthly .table-wrap")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_attribute("tabindex", "0")
    label = region.get_attribute("aria-label")
    assert label.endswith("（可左右滚动）") and len(label) > len("（可左右滚动）"), label
    assert label.removesuffix("（可左右滚动）") in page.locator("#r-monthly").inner_text()
    region.focus()
    page.keyboard.press("ArrowRight")
    until(page, "() => document.querySelector('#r-monthly .table-wrap').scrollLeft > 0")
    # wide enough, the same box is no tab stop and no region
    page.set_viewport_size({"width": 1280, "height": 800})
    until(page, "() => !document.querySelector('#r-services .table-wrap').hasAttribute('tabindex')")
    assert page.locator("#r-services .table-wrap").get_attribute("role") is None
    context.close()


def test_hidden_labels_in_a_scrolling_table_do_not_widen_a_phones_page(live_server, browser, demo):
    """A visually hidden label (``.sr-only``, absolutely positioned) in a
    table that scrolls in its box was placed against the page rather than
    the box: the page scrolled sideways at 390 px, to 650-860 px."""
    context, page = staff_page(browser, live_server, 390, 844)
    for url in ("/machinery/expenses?year=2025", "/machinery/incomes?year=2025", "/users",
                "/member-logins"):
        page.goto(live_server + url)
        assert page.locator(".table-wrap .sr-only").count(), url  # what made it wide
        assert not overflows(page), (url, page.evaluate("document.documentElement.scrollWidth"))
    context.close()


def test_a_phones_menu_row_shows_the_current_page_and_that_it_scrolls(live_server, browser, demo):
    """At 390 px the main menu is one row that scrolls sideways: the current
    page's entry is scrolled into view (it was off the screen on every page
    after 农机作业), and the row's background shades the edge it continues past."""
    context, page = staff_page(browser, live_server, 390, 844)
    for url, name in (("/machinery/reports", "报表"), ("/audit/", "审计日志"), ("/members/", "成员")):
        page.goto(live_server + url)
        nav = page.locator(".mainnav")
        box, entry = nav.bounding_box(), nav.get_by_role("link", name=name, exact=True).bounding_box()
        assert box["x"] <= entry["x"] and entry["x"] + entry["width"] <= box["x"] + box["width"], url
    assert page.evaluate("document.querySelector('.mainnav').scrollWidth "
                         "> document.querySelector('.mainnav').clientWidth")
    shades = page.evaluate("getComputedStyle(document.querySelector('.mainnav')).backgroundImage")
    assert shades.count("radial-gradient") == 2, shades
    # a section's tabs, the same way
    page.goto(live_server + "/machinery/reports")
    tabs = page.locator(".subnav")
    box, entry = tabs.bounding_box(), tabs.get_by_role("link", name="报表", exact=True).bounding_box()
    assert box["x"] <= entry["x"] and entry["x"] + entry["width"] <= box["x"] + box["width"]
    context.close()


def test_the_plan_lines_export_buttons_sit_together(live_server, browser, demo):
    """The two export buttons of a plan's lines were spread across the
    heading's row (the Excel one floating mid-row)."""
    context, page = staff_page(browser, live_server, 1280)
    page.goto(live_server + "/dividends/")
    page.get_by_role("link", name="第 1 版").first.click()
    excel = page.get_by_role("link", name="导出 Excel").bounding_box()
    csv = page.get_by_role("link", name="导出 CSV（供系统读取）").bounding_box()
    assert 0 <= csv["x"] - (excel["x"] + excel["width"]) <= 16, (excel, csv)
    context.close()


def test_without_javascript_a_refused_form_scrolls_to_its_error_summary(live_server, browser, demo):
    """The supervisor's return form sits far down the plan's page: refused
    without JavaScript, the whole page came back scrolled to its top, the
    error out of sight. The summary's autofocus brings it into view."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  java_script_enabled=False)
    page = context.new_page()
    login(page, live_server, "jianshi")
    page.goto(live_server + "/dividends/")
    page.get_by_role("link", name="第 1 版").first.click()
    page.get_by_role("button", name="退回修改").click()
    summary = page.locator(".error-summary").first
    expect(summary).to_contain_text("请填写退回理由")
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    context.close()
