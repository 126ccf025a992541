"""The overseer's pages: the overview (sortable, htmx swaps the table, the
rows link to the drill-down), its warnings, the county figures, the
statistics download; another area's cooperatives are never shown."""
from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from flask_login.utils import _create_identifier
from openpyxl import load_workbook

from coop.auth.api import Role, User
from coop.cooperatives.api import get_by_code
from coop.extensions import db
from coop.oversight.charts import BAR_SPAN, WIDTH, bar_chart
from tests.oversight_world import place


@pytest.fixture
def world(app, demo, fsc_demo):
    return place(app, {"wljs": "VA", "hxnj": "VB"})


def _overseer(app, client, area_id: int) -> None:
    with app.app_context():
        user = User(area_id=area_id, username="ov", display_name="乡镇监管", role=Role.OVERSEER.value)
        user.password_hash = "x"
        user.must_change_password = False
        db.session.add(user)
        db.session.commit()
        session_id = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_id"] = identifier


def test_the_county_overseer_sees_every_cooperative_with_totals_and_warnings(app, client, world):
    _overseer(app, client, world["C"])
    page = client.get("/oversight/").get_data(as_text=True)
    assert "五里界" in page or "wljs" in page
    assert "hxnj" in page and "合计（2 个）" in page
    assert re.search(r"<h1>[^<（]+辖区总览</h1>", page)  # the area's name, not name（县（区））
    assert 'role="region"' in page and 'tabindex="0"' in page
    assert "/oversight/coops/wljs" in page
    assert 'hx-get="/oversight/warnings"' in page  # the warnings follow the table
    warnings = client.get("/oversight/warnings").get_data(as_text=True)
    assert "辖区预警" in warnings and "长期应收款" in warnings
    part = client.get("/oversight/warnings", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "ov-warnings" in part and "<html" not in part


def test_a_township_overseer_sees_nothing_of_the_other_township(app, client, world):
    _overseer(app, client, world["TA"])
    page = client.get("/oversight/").get_data(as_text=True)
    assert "/oversight/coops/wljs" in page and "/oversight/coops/hxnj" not in page
    assert client.get("/oversight/coops/hxnj").status_code == 404
    resp = client.get("/oversight/coops/wljs?next=/machinery/years")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/machinery/years")
    resp = client.get("/oversight/coops/wljs?next=//evil.example/")
    assert not resp.headers["Location"].startswith("//evil")


def test_sorting_is_a_link_and_htmx_swaps_only_the_table(app, client, world):
    _overseer(app, client, world["C"])
    def table(url: str) -> str:
        page = client.get(url).get_data(as_text=True)
        return page[page.index("<table"):]

    page = table("/oversight/?sort=members&dir=desc")
    assert page.index('/oversight/coops/wljs"') < page.index('/oversight/coops/hxnj"')
    assert 'aria-sort="descending"' in page and "?year=2026&amp;sort=members&amp;dir=asc" in page
    page = table("/oversight/?sort=members&dir=asc")
    assert page.index('/oversight/coops/hxnj"') < page.index('/oversight/coops/wljs"')
    part = client.get("/oversight/?sort=name", headers={"HX-Request": "true",
                                                         "HX-Target": "overview-table"})
    text = part.get_data(as_text=True)
    assert "<table" in text and "预警" not in text and "<html" not in text


def test_the_overview_puts_the_totals_first_and_the_place_last(app, client, world):
    """At 1280 px the table scrolls after a few columns: the totals a
    township reads come first, the share classes apart after them, the
    township and village (long, and one for all in a township) last."""
    _overseer(app, client, world["C"])
    page = client.get("/oversight/").get_data(as_text=True)
    head = page[page.index("<thead>"):page.index("</thead>")]
    labels = re.findall(r'hx-push-url="true">([^<]+)<', head)
    assert labels[:9] == ["代码", "合作社", "成员（人）", "户数", "股数合计", "股本金合计（元）",
                          "本年盈余（元）", "上年结转（元）", "上年盈余（元）"]
    assert labels[-1] == "乡镇 / 村" and labels.index("应收款（元）") < labels.index("集体股（股）")
    first_row = page[page.index("<tbody>"):page.index("</tr>", page.index("<tbody>"))]
    assert re.search(r"<td class=\"nowrap\">[^<]+ / [^<]+</td>\s*</tr>|<td class=\"nowrap\">[^<]+ / [^<]+</td>\s*$",
                     first_row)


def test_the_county_page_draws_its_charts_with_text_alternatives(app, client, world):
    _overseer(app, client, world["C"])
    page = client.get("/oversight/county").get_data(as_text=True)
    assert page.count('role="img"') == 2 and "<title" in page
    assert "TA镇" in page and "TB镇" in page and "268,627.90" in page
    # each chart's caption leads it
    assert page.count('<figure class="ov-chart">\n  <figcaption>') == 2


def test_a_county_chart_puts_each_long_name_above_its_bar():
    """Township names run to 12 characters and more: each sits on its own
    line above its bar (beside it, they ran into the bar and the value), and
    the value follows the bar on the bar's line."""
    chart = bar_chart([("包头市昆都仑区卜尔汉图镇", 0), ("包头市土默特右旗萨拉齐镇", 268_627_90)])
    zero, paid = chart.bars
    for bar in chart.bars:
        assert bar.label_y < bar.y < bar.value_y < bar.y + chart.bar_height + 1
        assert bar.value_x == bar.width + 6 and bar.value_x + 110 <= WIDTH
    assert (zero.width, paid.width) == (0, BAR_SPAN) and chart.bar_x == 0
    assert paid.label_y - zero.label_y >= zero.value_y - zero.label_y + 10  # rows apart


def test_the_statistics_download_has_a_row_per_cooperative_and_the_total(app, client, world):
    _overseer(app, client, world["C"])
    resp = client.get("/oversight/export.xlsx?year=2026")
    assert resp.status_code == 200
    ws = load_workbook(BytesIO(resp.data)).active
    headers = [c.value for c in ws[3]]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[3] for r in rows[:2]] == ["hxnj", "wljs"] and rows[2][0] == "合计"
    for column in ("成员（人）", "户数", "股本金合计", "分红已发放", "应收款"):
        i = headers.index(column)
        assert rows[2][i] == rows[0][i] + rows[1][i]


def test_the_warnings_of_the_demo_cooperatives_after_30_june(app, client, world, set_clock):
    """wljs and hxnj were entered into the system this year, with their
    records of earlier years: wljs's 2025 plan, still a draft, is overdue;
    hxnj's overdue disclosures cite the law of a specialized cooperative."""
    set_clock(date(2026, 7, 1))
    _overseer(app, client, world["C"])
    page = client.get("/oversight/warnings").get_data(as_text=True)
    items = re.findall(r'<li class="ov-warning ov-(\w+)">.*?</li>', page, re.S)
    texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<li class="ov-warning.*?</li>', page, re.S)]
    assert len(items) == len(texts) > 0
    plan = [t for kind, t in zip(items, texts) if kind == "plan"]
    assert len(plan) == 1 and "乌兰计三村" in plan[0]
    assert "2025 年度分配方案未在 2026年6月30日 前表决通过（现为草案（待监事审核））" in plan[0]
    hxnj = [t for kind, t in zip(items, texts) if kind == "disclosure" and "红星" in t]
    assert len(hxnj) == 1 and "本社章程、《农民专业合作社法》第二十一条" in hxnj[0]
    assert "农村集体经济组织法" not in hxnj[0] and "村民委员会组织法" not in hxnj[0]


def test_the_statistics_download_of_a_mixed_list_is_titled_for_both(app, client, world):
    _overseer(app, client, world["C"])
    ws = load_workbook(BytesIO(client.get("/oversight/export.xlsx?year=2026").data)).active
    assert ws["A1"].value.startswith("测试县 合作社 2026 年统计表")
    assert "股份经济合作社" not in ws["A1"].value


def test_staff_of_a_cooperative_may_not_open_the_overview(app, client, world, create_user, auth):
    create_user("wljs", "sec", role="admin")
    auth.login("sec", coop="wljs")
    assert client.get("/oversight/").status_code == 403


def test_the_statistics_download_is_not_kept_and_writes_formula_like_names_as_text(app, client, world):
    with app.app_context():
        get_by_code("hxnj").name = "=HYPERLINK(\"http://x\")合作社"
        db.session.commit()
    _overseer(app, client, world["C"])
    resp = client.get("/oversight/export.xlsx")
    assert resp.headers["Content-Disposition"].startswith("attachment")
    assert resp.headers["Cache-Control"] == "no-store"
    cell = load_workbook(BytesIO(resp.data)).active["C4"]
    assert cell.data_type == "s" and "HYPERLINK" in cell.value
