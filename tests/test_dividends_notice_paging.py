"""The public notice and the disclosure of a plan: one page of lines on
screen (a pager, a search by name or number, htmx swapping only the table),
and the printable version with every line, streamed, the total once."""
from __future__ import annotations

import re

import pytest

from coop.dividends import notice as notice_lines
from coop.money import format_yuan
from tests.test_dividends_views import _draft

PAGES = ("notice", "disclosure")


@pytest.fixture
def plan_id(client, auth, div_world, monkeypatch):
    monkeypatch.setattr(notice_lines, "PER_PAGE", 2)
    plan_id = _draft(client, auth, div_world)
    div_world.approve(plan_id)
    return plan_id


def _numbers(html: str) -> list[str]:
    return re.findall(r'<td data-label="编号">([^<]*)</td>', html)


def _plan_total(div_world, plan_id: int) -> int:
    plan = div_world.plan(plan_id)
    total = plan["guaranteed_total_fen"] + plan["patronage_pool_fen"] + plan["capital_pool_fen"]
    assert total == sum(line["total_fen"] for line in plan["lines"].values())
    return total


@pytest.mark.parametrize("page", PAGES)
def test_the_screen_shows_one_page_of_lines_and_a_pager(client, plan_id, div_world, page):
    url = f"/dividends/{plan_id}/{page}"
    lines = sorted(div_world.plan(plan_id)["lines"])
    pages = -(-len(lines) // 2)
    assert len(lines) > 2
    shown = []
    for n in range(1, pages + 1):
        html = client.get(f"{url}?page={n}").get_data(as_text=True)
        assert f"第 {n} / {pages} 页，共 {len(lines)} 名" in html and html.count(f"合计 {len(lines)} 名") == 1
        assert f'<td data-label="序号">{2 * n - 1}</td>' in html
        shown += _numbers(html)
    assert shown == lines
    first = client.get(url).get_data(as_text=True)
    assert len(_numbers(first)) == 2 and 'id="notice-pager-next"' in first and "all=1" in first


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("arg", ["99", "1000000000000", "abc", "-1", "0", "1.5"])
def test_a_page_number_out_of_range_or_not_a_number_shows_a_page(client, plan_id, div_world, page, arg):
    resp = client.get(f"/dividends/{plan_id}/{page}?page={arg}")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and len(_numbers(body)) in (1, 2)
    pages = -(-len(div_world.plan(plan_id)["lines"]) // 2)
    wanted = pages if arg in ("99", "1000000000000") else 1
    assert f"第 {wanted} / {pages} 页" in body


@pytest.mark.parametrize("page", PAGES)
def test_htmx_swaps_only_the_table_and_its_pager(client, plan_id, page):
    resp = client.get(f"/dividends/{plan_id}/{page}?page=2", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert "<html" not in body and "<table" in body and "第 2 / " in body
    assert 'hx-target="#notice-lines"' in body and "合计" in body


@pytest.mark.parametrize("page", PAGES)
def test_search_by_name_or_number(client, plan_id, div_world, page):
    url = f"/dividends/{plan_id}/{page}"
    lines = div_world.plan(plan_id)["lines"]
    villagers = sorted(no for no in lines if lines[no]["name"].startswith("村民"))
    last = villagers[-1]
    assert _numbers(client.get(f"{url}?q={lines[last]['name']}").get_data(as_text=True)) == [last]
    assert _numbers(client.get(f"{url}?q={last}").get_data(as_text=True)) == [last]
    assert _numbers(client.get(f"{url}?q=村民").get_data(as_text=True)) == villagers[:2]
    none = client.get(f"{url}?q=%25").get_data(as_text=True)
    assert _numbers(none) == [] and "没有姓名或编号含“%”的成员" in none


@pytest.mark.parametrize("page", PAGES)
def test_the_printable_version_streams_every_line_and_the_total_once(client, plan_id, div_world, page):
    resp = client.get(f"/dividends/{plan_id}/{page}?all=1")
    assert resp.status_code == 200 and resp.is_streamed
    body = resp.get_data(as_text=True)
    assert _numbers(body) == sorted(div_world.plan(plan_id)["lines"])
    assert body.count("合计 ") == 1 and "notice-pager" not in body and "data-print" in body
    total = re.search(r'<tfoot>.*?<td class="num"[^>]*>([^<]*)</td></tr></tfoot>', body, re.S).group(1)
    assert total == format_yuan(_plan_total(div_world, plan_id))
    assert body.rstrip().endswith("</html>")
