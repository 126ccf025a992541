"""Markup rules of issue 21 checked without a browser: a page's one h1, no
empty table header cell in any template (axe: page-has-heading-one,
empty-table-header)."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_an_empty_table_header_cell():
    """An action column's header says what it is to a screen reader
    (<span class="sr-only">操作</span>); an empty cell of a totals row is a td."""
    empty = re.compile(r"<th\b[^>]*>\s*</th>")
    found = [f"{p.relative_to(TEMPLATES)}: {m.group(0)}" for p in sorted(TEMPLATES.rglob("*.html"))
             for m in empty.finditer(p.read_text())]
    assert found == []


def test_the_member_editor_is_the_pages_h1_alone_and_a_section_h2_in_the_roster(client, auth, staff):
    auth.login("admin")
    page = client.get("/members/new").get_data(as_text=True)
    assert len(re.findall(r"<h1\b", page)) == 1
    assert re.search(r'<h1 id="member-form-panel-title">新增成员</h1>', page)
    fragment = client.get("/members/new", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<h1" not in fragment
    assert re.search(r'<h2 id="member-form-panel-title">新增成员</h2>', fragment)
