"""Share certificates (股权证) as PDF: one member's or every holder's, a page
each, drawn from the template the screen and print pages use; a member
downloads their own from /me/ and no one else's."""
from __future__ import annotations

import io
from datetime import date

import pytest
from flask import render_template
from pypdf import PdfReader

from tests.conftest import PASSWORD, credit_code_for
from tests.pdf_boxes import boxes


def _pdf_pages(resp) -> list[str]:
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(resp.data)).pages]


def test_one_members_certificate_as_pdf(client, auth, portal_world):
    auth.login("accountant")
    pages = _pdf_pages(client.get(
        f"/statements/certificates/{portal_world.members['CY0001']}.pdf?on=2025-12-31"))
    assert len(pages) == 1
    text = pages[0]
    for part in ("测试合作社", "股  权  证", credit_code_for(1), "证号 T1-CY0001", "成员编号",
                 "CY0001", "张秀兰", "1502**********1528", "户号", "H001", "村民股", "170",
                 "170.00", "壹佰柒拾元整", "理事长（签字）", "会计（签字）", "（合作社盖章）",
                 "发证日期：2025 年 12 月 31 日"):
        assert part in text, part
    assert "150203196805121528" not in text


def test_the_certificate_shows_the_holding_on_its_date(client, auth, portal_world):
    auth.login("admin")
    text = _pdf_pages(client.get(
        f"/statements/certificates/{portal_world.members['CY0001']}.pdf?on=2024-06-01"))[0]
    assert "150.00" in text and "壹佰伍拾元整" in text and "170.00" not in text


def test_every_holders_certificate_in_one_pdf_a_page_each(client, auth, portal_world):
    auth.login("supervisor")
    pages = _pdf_pages(client.get("/statements/certificates.pdf?on=2025-12-31"))
    assert len(pages) == 4  # JT001, CY0001, CY0002, GB001; CY0003 holds nothing
    by_member = {no: next(p for p in pages if f"证号 T1-{no}" in p)
                 for no in ("JT001", "CY0001", "CY0002", "GB001")}
    assert "集体股" in by_member["JT001"] and "陆佰伍拾元整" in by_member["JT001"]
    assert "干部股" in by_member["GB001"] and "肆拾元整" in by_member["GB001"]
    assert "壹佰肆拾元整" in by_member["CY0002"]
    assert not any("赵小梅" in p for p in pages)


def test_no_holders_on_the_date_is_said_in_words(client, auth, portal_world):
    auth.login("admin")
    resp = client.get("/statements/certificates.pdf?on=2020-01-01")
    assert resp.status_code == 503 and "没有可打印的股权证" in resp.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/statements/certificates.pdf?on=2025-13-45",
                                 "/statements/certificates/{id}.pdf?on=yesterday"])
def test_a_bad_date_is_refused_in_chinese(client, auth, portal_world, fingerprint, url):
    auth.login("admin")
    before = fingerprint()
    resp = client.get(url.format(id=portal_world.members["CY0001"]))
    assert resp.status_code == 422 and "截至日期格式不正确" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_the_pages_link_the_pdfs(client, auth, portal_world):
    auth.login("admin")
    member_id = portal_world.members["CY0001"]
    html = client.get(f"/shares/certificates/{member_id}?on=2025-12-31").get_data(as_text=True)
    assert f"/statements/certificates/{member_id}.pdf?on=2025-12-31" in html
    assert "壹佰柒拾元整" in html  # the screen draws the same certificate
    html = client.get("/shares/certificates?on=2025-12-31").get_data(as_text=True)
    assert "/statements/certificates.pdf?on=2025-12-31" in html
    html = client.get(f"/shares/members/{member_id}").get_data(as_text=True)
    assert f"/statements/certificates/{member_id}.pdf" in html
    html = client.get("/statements/").get_data(as_text=True)
    assert 'href="/shares/certificates">股权证（打印或下载 PDF）</a>' in html


def test_many_holders_print_and_download_a_part_at_a_time(client, auth, portal_world,
                                                          monkeypatch):
    """A part is CERTIFICATES_PER_PART certificates in member-number order: the
    page shows one part with a pager, its PDF draws the same part."""
    from coop.shares import certificates as shares_certificates

    monkeypatch.setattr(shares_certificates, "CERTIFICATES_PER_PART", 3)
    auth.login("admin")
    first = client.get("/shares/certificates?on=2025-12-31").get_data(as_text=True)
    assert first.count('class="sh-certificate"') == 3
    assert "共 4 份，每份一页。" in first and "本页是第 1–3 份" in first
    assert "第 1 / 2 页，共 4 份" in first
    assert "/statements/certificates.pdf?on=2025-12-31&amp;page=1" in first
    second = client.get("/shares/certificates?on=2025-12-31&page=2").get_data(as_text=True)
    assert second.count('class="sh-certificate"') == 1 and "本页是第 4–4 份" in second
    assert "/statements/certificates.pdf?on=2025-12-31&amp;page=2" in second

    resp = client.get("/statements/certificates.pdf?on=2025-12-31&page=1")
    pages = _pdf_pages(resp)
    assert [next(no for no in ("CY0001", "CY0002", "GB001", "JT001") if f"证号 T1-{no}" in p)
            for p in pages] == ["CY0001", "CY0002", "GB001"]
    assert "%E7%AC%AC1%E8%87%B33%E4%BB%BD.pdf" in resp.headers["Content-Disposition"]  # 第1至3份
    pages = _pdf_pages(client.get("/statements/certificates.pdf?on=2025-12-31&page=2"))
    assert len(pages) == 1 and "证号 T1-JT001" in pages[0]
    resp = client.get("/statements/certificates.pdf?on=2025-12-31&page=3")
    assert resp.status_code == 503 and "没有可打印的股权证" in resp.get_data(as_text=True)


def test_a_part_that_holds_them_all_has_no_pager(client, auth, portal_world):
    auth.login("admin")
    html = client.get("/shares/certificates?on=2025-12-31").get_data(as_text=True)
    assert "共 4 份，每份一页。" in html and "本页是第" not in html and 'class="pager"' not in html
    resp = client.get("/statements/certificates.pdf?on=2025-12-31")
    assert "份.pdf" not in resp.headers["Content-Disposition"]


def test_a_member_downloads_their_own_certificate(client, auth, portal_world, set_clock):
    set_clock(date(2025, 12, 31))
    auth.login("CY0001", PASSWORD)
    assert "/me/certificate.pdf" in client.get("/me/holdings").get_data(as_text=True)
    other = portal_world.members["CY0002"]
    for url in ("/me/certificate.pdf", f"/me/certificate.pdf?member_id={other}",
                f"/me/certificate.pdf?member_no=CY0002"):
        pages = _pdf_pages(client.get(url))
        assert len(pages) == 1 and "张秀兰" in pages[0] and "T1-CY0001" in pages[0]
        assert "李德胜" not in pages[0] and "CY0002" not in pages[0]
        assert "壹佰柒拾元整" in pages[0] and "2025 年 12 月 31 日" in pages[0]


def test_a_member_cannot_reach_the_office_pdfs(client, auth, portal_world):
    auth.login("CY0001", PASSWORD)
    other = portal_world.members["CY0002"]
    assert client.get(f"/statements/certificates/{other}.pdf").status_code == 403
    assert client.get("/statements/certificates.pdf").status_code == 403


def test_another_cooperatives_member_is_a_404(client, auth, portal_world, create_coop, app):
    from coop.cooperatives.api import get_by_code
    from coop.extensions import db
    from coop.members.api import Member

    code = create_coop("t9")
    with app.app_context():
        stranger = Member(cooperative_id=get_by_code(code).id, member_no="X1", name="外社人")
        db.session.add(stranger)
        db.session.commit()
        stranger_id = stranger.id
    auth.login("admin")
    assert client.get(f"/statements/certificates/{stranger_id}.pdf").status_code == 404


def test_the_pdf_lays_certificates_out_as_blocks_the_signatures_after_the_note(app, portal_world):
    """WeasyPrint lays a flex container's items out again and again: on paper
    (certificate-pdf.css) the certificate is a block, a page each, its parts in
    order down the page and the signatures in two rows of two below the note."""
    from weasyprint import CSS, HTML

    from coop.cooperatives.services import get_by_code
    from coop.shares.api import certificates_part
    from coop.statements import certificates

    with app.test_request_context("/"):
        coop = get_by_code(portal_world.code)
        certs = certificates_part(coop, date(2025, 12, 31), 1).items
        html = render_template("statements/certificate_pdf.html", certificates=certs, title="t")
        document = HTML(string=html, base_url=app.root_path).render(
            stylesheets=[CSS(string=text) for text in certificates.stylesheets()])
    assert len(document.pages) == len(certs) == 4
    for page in document.pages:
        laid_out = list(boxes(page._page_box))
        assert not [b for b in laid_out if "Flex" in type(b).__name__]
        [cert] = [b for b in laid_out if getattr(b, "element_tag", None) == "article"]
        parts = [b for b in cert.children if type(b).__name__ != "LineBox"]
        assert [b.element_tag for b in parts] == ["header", "dl", "table", "p", "footer"]
        tops = [b.position_y for b in parts]
        assert tops == sorted(tops) and len(set(tops)) == len(tops)
        note, sign = parts[-2], parts[-1]
        assert note.position_y + note.margin_height() <= sign.position_y + 0.5
        signatures = [b for b in sign.children if type(b).__name__ == "BlockBox"]
        assert len(signatures) == 4
        assert signatures[0].position_y == signatures[1].position_y < signatures[2].position_y
        assert sign.position_y + sign.margin_height() <= cert.position_y + cert.margin_height()
