"""A meeting's papers and the filed roster as PDF: read as XML by expat
(``coop.pdf.xml_tree``) and laid out for WeasyPrint by papers-pdf.css and
membership-papers-pdf.css (``coop.pdf.paper_stylesheets``): fixed tables and
floats instead of tables sized by every cell and flex rows, every text inside
its cell, the ballot's title and meeting on one line."""
from __future__ import annotations

import pytest

from coop import pdf as coop_pdf
from tests.pdf_boxes import boxes, classed
from tests.test_governance_papers import KINDS, rceo  # noqa: F401  (fixture)
from tests.test_membership_roster import make_version_one, web  # noqa: F401  (fixture)

MEETING_CSS = (["papers.css"], ["papers-pdf.css"])
FILING_CSS = (["papers.css", "membership-papers.css"], ["papers-pdf.css", "membership-papers-pdf.css"])


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The HTML of every document drawn as PDF."""
    documents: list[str] = []
    real = coop_pdf.xml_tree

    def spy(html: str):
        documents.append(html)
        return real(html)

    monkeypatch.setattr(coop_pdf, "xml_tree", spy)
    return documents


def _pages(app, html: str, css: tuple[list[str], list[str]]) -> list[list]:
    from weasyprint import CSS, HTML

    with app.app_context():
        sheets = coop_pdf.paper_stylesheets(app.static_folder, *css)
    document = HTML(string=html, base_url=app.root_path).render(
        stylesheets=[CSS(string=text) for text in sheets])
    return [list(boxes(page._page_box)) for page in document.pages]


def _outside_their_cells(laid_out: list) -> list[str]:
    out = []
    for cell in (b for b in laid_out if getattr(b, "element_tag", "") in ("td", "th")
                 and type(b).__name__.endswith("CellBox")):
        right = cell.content_box_x() + cell.width + 0.5
        out += [t.text for t in boxes(cell) if type(t).__name__ == "TextBox"
                and (t.position_x + t.width > right or t.position_x < cell.content_box_x() - 0.5)]
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_meeting_paper_is_read_as_xml(client, rceo, drawn, kind):  # noqa: F811
    assert client.get(f"/meetings/{rceo}/papers/{kind}.pdf").status_code == 200
    assert len(drawn) == 1 and coop_pdf.xml_tree(drawn[0]) is not None


def test_ballots_are_fixed_tables_under_a_title_and_meeting_on_one_line(app, client, rceo, drawn):  # noqa: F811
    assert client.get(f"/meetings/{rceo}/papers/ballots.pdf").status_code == 200
    [laid_out] = _pages(app, drawn[0], MEETING_CSS)
    assert not [b for b in laid_out if "Flex" in type(b).__name__]
    heads = [b for b in classed(laid_out, "ballot-head") if b.element_tag == "header"]
    assert len(heads) == 3
    for head in heads:
        inside = list(boxes(head))
        [title] = [b for b in inside if getattr(b, "element_tag", "") == "h2" and b is not head
                   and type(b).__name__ == "BlockBox"]
        [meeting] = [b for b in inside if getattr(b, "element_tag", "") == "p"
                     and type(b).__name__ == "BlockBox"]
        assert abs(title.position_x - head.content_box_x()) < 0.5
        assert abs(meeting.position_x + meeting.margin_width() - head.content_box_x() - head.width) < 0.5
        assert meeting.position_y < title.position_y + title.margin_height()   # the same line
        assert meeting.position_x > title.position_x + title.margin_width()
    tables = [b for b in classed(laid_out, "ballot-items") if type(b).__name__ == "TableBox"]
    assert len(tables) == 3 and all(t.style["table_layout"] == "fixed" for t in tables)
    boxes_ = [b for b in classed(laid_out, "box") if type(b).__name__ == "TableCellBox"]
    assert len({round(b.width, 1) for b in boxes_}) == 1            # 同意, 反对, 弃权 alike
    assert not _outside_their_cells(laid_out)


def test_the_sign_in_sheet_is_a_fixed_table_every_name_inside_its_cell(app, client, rceo, drawn):  # noqa: F811
    assert client.get(f"/meetings/{rceo}/papers/sign-in.pdf").status_code == 200
    html = drawn[0].replace("成员A03", "某某农机专业服务有限责任公司第三分公司")   # a long name wraps
    [laid_out] = _pages(app, html, MEETING_CSS)
    [table] = [b for b in classed(laid_out, "sign-in") if type(b).__name__ == "TableBox"]
    assert table.style["table_layout"] == "fixed"
    assert not _outside_their_cells(laid_out)


def test_the_filing_is_read_as_xml_and_a_fixed_table_on_a4_landscape(app, client, web, drawn):  # noqa: F811
    roster_id = make_version_one(client)
    assert client.get(f"/membership/rosters/{roster_id}/filing.pdf").status_code == 200
    assert len(drawn) == 1 and coop_pdf.xml_tree(drawn[0]) is not None
    pages = _pages(app, drawn[0], FILING_CSS)
    [table] = [b for b in classed(pages[0], "filing-table") if type(b).__name__ == "TableBox"]
    assert table.style["table_layout"] == "fixed"
    assert pages[0][0].width > pages[0][0].height                     # landscape
    assert not any(_outside_their_cells(laid_out) for laid_out in pages)
