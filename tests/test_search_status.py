"""A search's result is announced by a status region outside the region the
search swaps (issue 21): the full page has it once, beside the results; an
htmx search sends its new text out of band into the same element (innerHTML,
so the live region itself is never replaced) and no second status inside
the swapped results."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coop.dividends.models import DividendPlan
from coop.extensions import db
from tests.test_accounts_views import _statement_2024, fsc  # noqa: F401  (fixtures)

HTMX = {"HX-Request": "true"}


def _status(html: str, status_id: str) -> str:
    """The opening tag of the status region ``status_id``."""
    return re.search(rf'<p id="{status_id}"[^>]*>', html).group(0)


def _plan_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(DividendPlan.id).where(DividendPlan.year == 2025))


@pytest.mark.parametrize("path, status_id, swapped, text", [
    ("/members/?q=wjg", "member-search-status", 'id="results"', "搜索“wjg”：找到 1 名成员"),
    ("/members/households?q=zz", "households-status", 'id="results"', "查找“zz”：找到 0 户"),
    ("/statements/?q=nobody", "st-lines-status", 'id="st-lines"', "查找“nobody”：找到 0 位"),
    ("/member-logins?q=nobody", "logins-status", 'id="login-rows"', "查找“nobody”：共 0 位成员"),
    ("/dividends/{plan}?q=nobody", "lines-status", 'id="lines"', "查找“nobody”：找到 0 条明细"),
])
def test_a_search_is_announced_outside_the_swapped_results(app, client, demo, path, status_id,
                                                          swapped, text):
    client.post("/login", data={"coop": "wljs", "username": "shuji", "password": "wljs2023"})
    _announced(client, path.format(plan=_plan_id(app)), status_id, swapped, text)


def test_an_accounts_search_is_announced_outside_the_swapped_results(client, auth, fsc):  # noqa: F811
    auth.login("admin")
    _announced(client, "/accounts/?year=2024&q=村民1", "account-search-status", 'id="results"',
               "2024 年度，搜索“村民1”：1 名成员")


def _announced(client, url: str, status_id: str, swapped: str, text: str) -> None:
    page = client.get(url).get_data(as_text=True)
    opening = _status(page, status_id)
    assert 'role="status"' in opening and 'aria-live="polite"' in opening
    assert "hx-swap-oob" not in opening
    assert page.index(opening) < page.index(swapped)  # outside, before the results
    assert text in page
    assert page.count(f'id="{status_id}"') == 1

    fragment = client.get(url, headers=HTMX).get_data(as_text=True)
    oob = _status(fragment, status_id)
    assert 'hx-swap-oob="innerHTML"' in oob
    assert text in fragment[fragment.index(oob):]
    assert fragment.count(f'id="{status_id}"') == 1
    assert "result-count" not in fragment.replace(oob, "")
