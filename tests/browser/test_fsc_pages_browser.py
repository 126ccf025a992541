"""hxnj's 2025 plan in Chromium: at 1280 px the lines table fits its card
(no column cut off, one line per row); on a 390 px phone it scrolls inside
its focusable, labelled region and the page is no wider than the screen.
FSC_SHOTS=<dir> keeps screenshots."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.test_fsc_pages import hxnj  # noqa: F401  (fixture)

SHOTS = os.environ.get("FSC_SHOTS")

MEASURE = """() => {
  const table = document.querySelector('#lines table');
  const wrap = table.closest('.table-wrap');
  const rows = [...table.querySelectorAll('tbody tr')].map(r => r.getBoundingClientRect().height);
  const last = table.querySelector('tbody tr td:last-child').getBoundingClientRect();
  return {table: table.getBoundingClientRect().width, wrap: wrap.clientWidth,
          lastRight: last.right, wrapRight: wrap.getBoundingClientRect().right,
          card: document.querySelector('#lines-panel').getBoundingClientRect().width,
          tallest: Math.max(...rows), page: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_the_specialized_plans_lines_fit_at_1280_and_scroll_in_a_region_on_a_phone(
        live_server, browser, hxnj, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server, "hx-kuaiji")
    page.goto(f"{live_server}/dividends/{hxnj.plan_2025}")
    region = page.get_by_role("region", name="分红明细表（可左右滚动）")
    expect(region).to_be_visible()
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.locator("thead")).to_contain_text("转增股数")
    m = page.evaluate(MEASURE)
    if SHOTS:
        page.locator("#lines-panel").screenshot(path=os.path.join(SHOTS, f"hxnj-lines-{width}.png"))
    assert m["page"] <= width
    assert m["tallest"] < 60, m  # names and figures on one line
    if width == 1280:
        assert m["table"] <= m["wrap"] + 1, m  # every column inside the card
        assert m["lastRight"] <= m["wrapRight"] + 1, m  # the last column (发放) is not cut off
    else:
        assert m["table"] > m["wrap"]  # the table scrolls inside its region, not the page
        region.focus()
        page.keyboard.press("ArrowRight")
        for _ in range(20):
            if page.evaluate("() => document.querySelector('#lines .table-wrap').scrollLeft") > 0:
                break
            page.wait_for_timeout(100)
        assert page.evaluate("() => document.querySelector('#lines .table-wrap').scrollLeft") > 0
    context.close()
