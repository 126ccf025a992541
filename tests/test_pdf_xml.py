"""The papers' HTML read by expat when it is also well-formed XML read the same
way by an HTML5 parser (``coop.pdf.xml_tree``), by WeasyPrint's own parser
otherwise; either way the same PDF."""
from __future__ import annotations

import io

import pytest
from flask import render_template_string
from pypdf import PdfReader

from coop import pdf as coop_pdf
from coop.statements import pdf as statements_pdf
from tests.test_accounts_views import _statement_2024, fsc  # noqa: F401  (fixtures)


def _streams(data: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture
def trees(monkeypatch) -> list:
    """What xml_tree answered for every document drawn."""
    answers: list = []
    real = coop_pdf.xml_tree

    def spy(html: str):
        answers.append(real(html))
        return answers[-1]

    monkeypatch.setattr(coop_pdf, "xml_tree", spy)
    return answers


def test_a_years_statements_are_read_as_xml_and_drawn_as_from_html5(app, portal_world,
                                                                      trees, monkeypatch):
    from coop.cooperatives.services import get_by_code
    from coop.statements.services import build_statements, effective_plan

    with app.app_context():
        coop = get_by_code(portal_world.code)
        statements = build_statements(coop, effective_plan(coop.id, 2025))
        fast = statements_pdf.render_pdf(statements, "t")
        assert len(trees) == 1 and trees[0] is not None
        assert len(list(trees[0].iter("article"))) == len(statements) == 4
        monkeypatch.setattr(coop_pdf, "xml_tree", lambda html: None)
        slow = statements_pdf.render_pdf(statements, "t")
    assert len(_streams(fast)) == 4
    assert _streams(fast) == _streams(slow)


def test_a_specialized_cooperatives_statement_with_its_account_is_read_as_xml(fsc, client, auth,  # noqa: F811
                                                                               trees):
    _statement_2024(fsc)
    auth.login("admin")
    resp = client.get(f"/statements/2024/members/{fsc.ids['V001']}.pdf")
    assert resp.status_code == 200
    assert len(trees) == 1 and trees[0] is not None
    assert any("五、成员账户" in "".join(h.itertext()) for h in trees[0].iter("h3"))


def test_every_holders_certificates_are_read_as_xml(client, auth, portal_world, trees):
    auth.login("admin")
    resp = client.get("/statements/certificates.pdf?on=2025-12-31")
    assert resp.status_code == 200
    assert len(trees) == 1 and trees[0] is not None
    assert len(list(trees[0].iter("article"))) == len(PdfReader(io.BytesIO(resp.data)).pages) > 1


def test_login_slips_are_read_as_xml(app, client, auth, staff, create_member, trees):
    app.config["COOP_PUBLIC_URL"] = "https://coop.example.cn"
    for i in range(1, 4):
        create_member("t1", member_no=f"CY{i:03d}")
    auth.login("admin")
    resp = client.post("/member-logins/bulk", data={"scope": "all", "output": "pdf"})
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert len(trees) == 1 and trees[0] is not None
    slips = [a for a in trees[0].iter("article") if a.get("class") == "login-slip"]
    assert len(slips) == 3 and all(s.find("img").get("src").startswith("data:image/png;") for s in slips)


def test_escaped_text_reads_back_as_written(app):
    with app.test_request_context("/"):
        html = render_template_string('<!doctype html><html><body><p title="{{ v }}">{{ v }}</p></body></html>',
                                      v="王&<>\"'李")
    tree = coop_pdf.xml_tree(html)
    assert tree is not None
    p = next(tree.iter("p"))
    assert p.text == p.get("title") == "王&<>\"'李"


@pytest.mark.parametrize("html", [
    "<html><body><p>一<br>二</p></body></html>",                     # a void element left open
    "<html><body><p>一&nbsp;二</p></body></html>",                    # an HTML entity
    "<html><body><p>一</body></html>",                                 # a tag closed by the HTML5 rules
    "<html><body><p>一</p><svg><rect width='1' height='1'/></svg></body></html>",  # foreign content
    '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>一</p></body></html>',
    "<html><body><P>一</P></body></html>",                             # case folded by HTML5
    "<html><body><p ID='a'>一</p></body></html>",
    "<html><body><pre>\n一</pre></body></html>",                      # its first newline dropped by HTML5
    "<html><head><base href='http://example.org/' /></head><body><p>一</p></body></html>",
])
def test_what_html5_reads_otherwise_is_left_to_weasyprints_parser(app, html):
    assert coop_pdf.xml_tree(html) is None
    with app.app_context():
        drawn = coop_pdf.render_pdf([html], stylesheets=[coop_pdf.font_css(coop_pdf.require_cjk_font())],
                                    base_url=app.root_path)
    assert "一" in PdfReader(io.BytesIO(drawn)).pages[0].extract_text()


def test_the_paper_document_is_weasyprints_own_but_for_its_tree(app):
    """PaperHTML sets nothing WeasyPrint's HTML does not, and keeps its base URL."""
    from weasyprint import HTML

    html = '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8" /></head><body><p class="a">一</p></body></html>'
    ours = coop_pdf._paper_html()(string=html, base_url=app.root_path)
    theirs = HTML(string=html, base_url=app.root_path)
    assert coop_pdf.xml_tree(html) is not None
    assert vars(ours).keys() == vars(theirs).keys()
    assert ours.base_url == theirs.base_url and ours.media_type == theirs.media_type
    assert [e.tag for e in ours.etree_element.iter()] == [e.tag for e in theirs.etree_element.iter()]
    assert next(ours.etree_element.iter("p")).get("class") == "a"
