"""The office's statement pages: the year list (effective plans only), one
statement, the batch print page with its A4 page breaks, 404s across
cooperatives."""
from __future__ import annotations

import re
from pathlib import Path


def test_index_lists_effective_years_only(client, auth, portal_world):
    auth.login("supervisor")
    text = client.get("/statements/").get_data(as_text=True)
    assert "2025 年</a>" in text and "2024 年</a>" in text and "2026 年</a>" not in text
    assert "2025 年度（已公示，第 2 版）" in text
    assert "共 4 位成员有分红明细" in text
    assert "17,000.05" in text and "1,234.56" not in text
    assert "flask" not in text and "--coop" not in text  # no command lines for the secretary
    assert "生成全部对账单 PDF" in text
    assert "社员登录账号" not in text  # the secretary's link only
    paid = client.get("/statements/?year=2024").get_data(as_text=True)
    assert "2024 年度（已发放）" in paid and "2025-03-28 惠农一卡通" in paid
    # a year without an effective plan falls back to the newest one
    assert "2025 年度（已公示" in client.get("/statements/?year=2026").get_data(as_text=True)


def test_index_without_any_plan(client, auth, staff):
    auth.login("admin")
    text = client.get("/statements/").get_data(as_text=True)
    assert "还没有已表决通过的分红方案" in text and 'href="/member-logins"' in text


def test_statement_of_another_cooperatives_member_is_a_404(client, auth, portal_world,
                                                           create_coop, create_user):
    create_coop("t2")
    create_user("t2", "admin2")
    auth.login("admin2", coop="t2")
    member_id = portal_world.members["CY0001"]
    for url in (f"/statements/2025/members/{member_id}", f"/statements/2025/members/{member_id}.pdf",
                "/statements/2025/print"):
        assert client.get(url).status_code == 404, url


def test_draft_year_has_no_batch(client, auth, portal_world):
    auth.login("admin")
    assert client.get("/statements/2026/print").status_code == 404
    assert client.get(f"/statements/2026/members/{portal_world.members['CY0001']}").status_code == 404


def test_batch_print_page_one_article_per_line_with_page_breaks(client, auth, portal_world, app):
    auth.login("admin")
    text = client.get("/statements/2025/print").get_data(as_text=True)
    assert text.count('<article class="st-statement"') == 4
    assert 'class="st-print-page"' in text
    assert re.search(r"/static/css/statements\.[0-9a-f]{12}\.css", text)  # fingerprinted (coop.assets)
    assert "data-print" in text and "打印全部（4 页，A4）" in text
    assert "赵小梅" not in text  # no line, no statement
    css = (Path(app.static_folder) / "css" / "statements.css").read_text(encoding="utf-8")
    print_part = css[css.index("@media print"):]
    assert "break-after: page" in print_part and "page-break-after: always" in print_part
    assert "size: A4" in print_part


def test_pdf_stylesheet_drops_the_phone_layout(app):
    from coop.pdf import print_css

    css = print_css(Path(app.static_folder) / "css" / "statements.css")
    assert "max-width: 640px" not in css
    assert "break-after: page" in css and ".st-statement" in css


def test_index_finds_a_member_by_number_or_name(client, auth, portal_world):
    auth.login("admin")
    text = client.get("/statements/?year=2025&q=cy0002").get_data(as_text=True)
    assert "找到 1 位" in text and "李德胜" in text and "张秀兰" not in text
    fragment = client.get("/statements/?year=2025&q=张", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "张秀兰" in body and "李德胜" not in body
    assert "没有找到成员" in client.get("/statements/?year=2025&q=nobody").get_data(as_text=True)
