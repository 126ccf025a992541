"""Steps that several browser tests share."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def login(page: Page, base: str, username: str = "shuji", password: str = "wljs2023") -> None:
    """Log in through the login form and wait for the home page (staff) or /me/ (member)."""
    page.goto(base + "/login")
    page.get_by_label("用户名或成员编号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$|/me/$"))


def page_width(page: Page) -> int:
    """The page's laid-out width once it has loaded: text can be found before
    the page's stylesheets have arrived, and measured then the page is as wide
    as its unstyled tables."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


def overflows(page: Page) -> bool:
    """Whether the loaded page is wider than its window (a pixel of rounding allowed)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")
