"""The filed roster's signature block (the note, 理事长/填报人 signing lines
and the seal) never stands alone on a page of the PDF: it keeps to the
table's last rows (membership-papers.css), whatever the number of rows."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from coop.extensions import db
from tests.pdf_boxes import classed
from tests.test_membership_roster import make_version_one, web  # noqa: F401  (fixture)
from tests.test_papers_pdf import FILING_CSS, _pages, drawn  # noqa: F401  (fixture)
from tests.membership_roster_world import Village


def test_a_sixteen_person_roster_is_signed_on_the_page_of_its_last_rows(app, client, web):  # noqa: F811
    with app.app_context():
        village = Village.of("t1")
        village.n = 40
        for i in range(10, 17):
            village.person(f"A{i:02d}", household=f"H{i:02d}")
        db.session.commit()
    roster_id = make_version_one(client)
    resp = client.get(f"/membership/rosters/{roster_id}/filing.pdf")
    assert resp.status_code == 200
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(resp.data)).pages]
    assert "共 16 人" in texts[0]
    *_, last = texts
    assert "（盖章）" in last and "理事长（签字）" in last and "填报日期" in last
    assert "成员A16" in last and "成员A15" in last      # the last rows go with it
    for text in texts[:-1]:
        assert "（盖章）" not in text and "理事长（签字）" not in text


def _rows(laid_out: list) -> list:
    """The body's rows laid out on a page (not the header repeated on each)."""
    return [row for group in laid_out if type(group).__name__ == "TableRowGroupBox"
            and group.element_tag == "tbody" for row in group.children]


@pytest.mark.parametrize("rows", [1, 13, 14, 16, 19, 25, 27, 40])
def test_the_signature_block_takes_the_last_rows_with_it(app, client, web, drawn, rows):  # noqa: F811
    """Laid out by WeasyPrint with one to three pages of rows: every page has
    rows, and the page of the note, the signing lines and the seal has at
    least the last two (before, 14 to 25 rows left the block alone on page 2)."""
    roster_id = make_version_one(client)
    assert client.get(f"/membership/rosters/{roster_id}/filing.pdf").status_code == 200
    row = re.search(r"<tbody>\s*(<tr>.*?</tr>)", drawn[0], re.S).group(1)
    html = re.sub(r"<tbody>.*?</tbody>", "<tbody>" + row * rows + "</tbody>", drawn[0], flags=re.S)
    pages = _pages(app, html, FILING_CSS)
    assert sum(len(_rows(laid_out)) for laid_out in pages) == rows
    assert all(_rows(laid_out) for laid_out in pages)
    *before, last = pages
    for name in ("rule", "signature-lines", "signoff", "seal"):
        assert classed(last, name), name
        assert not any(classed(laid_out, name) for laid_out in before), name
    assert len(_rows(last)) >= min(rows, 2)
