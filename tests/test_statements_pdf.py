"""Statements as PDF (WeasyPrint, read back with pypdf): one member's, the whole
year's through a queued job with its progress (the queue's rules and restarts:
test_statements_jobs.py), the command line, and the clear refusal when the
system has no CJK font."""
from __future__ import annotations

import io
import os
import re
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from coop import clock
from coop.extensions import db
from coop import fonts
from coop import pdf as coop_pdf
from coop.statements import pdf as statements_pdf
from coop.statements.models import StatementJob
from tests.pdf_boxes import boxes, classed

NO_FONT = "服务器上没有安装中文字体"


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)


def test_member_pdf_has_name_year_and_total(client, auth, portal_world):
    auth.login("CY0001")
    resp = client.get("/me/statements/2025.pdf")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/pdf"
    assert "attachment" in resp.headers["Content-Disposition"]
    pages, text = pdf_text(resp.data)
    assert pages == 1
    assert "张秀兰" in text and "2025 年度股金分红对账单" in text
    assert "17,000.05" in text and "壹万柒仟元零伍分" in text
    assert "1,234.56" not in text


def test_office_pdf_of_one_member(client, auth, portal_world):
    auth.login("accountant")
    resp = client.get(f"/statements/2024/members/{portal_world.members['CY0002']}.pdf")
    assert resp.status_code == 200
    pages, text = pdf_text(resp.data)
    assert pages == 1 and "李德胜" in text and "2024" in text and "16,000.00" in text
    assert "壹万陆仟元整" in text


def test_office_pdf_of_a_member_without_a_line_is_a_404(client, auth, portal_world):
    auth.login("admin")
    assert client.get(f"/statements/2025/members/{portal_world.members['CY0003']}.pdf"
                      ).status_code == 404
    assert client.get(f"/statements/2026/members/{portal_world.members['CY0001']}.pdf"
                      ).status_code == 404


JOB_RE = re.compile(r"/statements/jobs/([0-9a-f]{16})")


def test_batch_pdf_job_and_page_count(client, auth, portal_world, jobs_dir):
    """In testing the queue runs each task at once (Huey immediate mode): the answer
    to the POST is the finished job (the queue itself: test_statements_jobs.py)."""
    auth.login("admin")
    resp = client.post("/statements/2025/pdf", headers={"HX-Request": "true"})
    assert resp.status_code == 200
    done = resp.get_data(as_text=True)
    token = JOB_RE.search(done).group(1)
    assert "已生成 4 份对账单" in done and f"/statements/jobs/{token}/download" in done
    assert "every 1s" not in done
    with client.application.app_context():
        job = db.session.scalar(select(StatementJob).where(StatementJob.token == token))
        assert (job.state, job.total, job.done, job.year) == ("done", 4, 4, 2025)
    resp = client.get(f"/statements/jobs/{token}/download")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    pages, text = pdf_text(resp.data)
    assert pages == 4  # the members with a line in the effective 2025 plan
    for name in ("测试村集体经济组织", "张秀兰", "李德胜", "王建军"):
        assert name in text
    assert "赵小梅" not in text and "6,543.21" not in text
    assert stat.S_IMODE(os.stat(jobs_dir / f"{token}.pdf").st_mode) == 0o600


def test_batch_pdf_job_in_two_processes(client, auth, portal_world, jobs_dir, monkeypatch):
    """A long batch is drawn in parts by a pool of processes and joined in order:
    the same pages, text and progress as one process draws."""
    monkeypatch.setattr(statements_pdf, "PARALLEL_FROM", 2)
    pooled = []
    in_processes = coop_pdf.render_pdf_in_processes
    monkeypatch.setattr(coop_pdf, "render_pdf_in_processes",
                        lambda documents, **kw: pooled.append(len(documents)) or in_processes(documents, **kw))
    client.application.config["PDF_PROCESSES"] = 2
    auth.login("admin")
    done = client.post("/statements/2025/pdf", headers={"HX-Request": "true"}).get_data(as_text=True)
    token = JOB_RE.search(done).group(1)
    assert "已生成 4 份对账单" in done
    with client.application.app_context():
        job = db.session.scalar(select(StatementJob).where(StatementJob.token == token))
        assert (job.state, job.total, job.done) == ("done", 4, 4)
    pages, text = pdf_text(client.get(f"/statements/jobs/{token}/download").data)
    assert pages == 4
    order = [text.index(name) for name in ("张秀兰", "李德胜", "王建军")]
    assert order == sorted(order) and "壹万柒仟元零伍分" in text
    assert pooled == [4]  # one part a statement at this size, two processes


def test_a_running_job_shows_its_progress(client, auth, portal_world, jobs_dir):
    auth.login("admin")
    token = JOB_RE.search(client.post("/statements/2025/pdf", headers={"HX-Request": "true"})
                          .get_data(as_text=True)).group(1)
    with client.application.app_context():
        db.session.execute(update(StatementJob).values(state="running", done=2,
                                                       message="正在生成…"))
        db.session.commit()
    text = client.get(f"/statements/jobs/{token}", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert 'hx-trigger="every 1s"' in text and '<progress max="4" value="2">' in text
    assert "正在生成… 已完成 2 / 4 份（50%）" in text
    page = client.get(f"/statements/jobs/{token}").get_data(as_text=True)
    assert "<!doctype html>" in page and 'http-equiv="refresh"' in page
    assert client.get(f"/statements/jobs/{token}/download").status_code == 404


def test_batch_pdf_without_js_redirects_to_the_job_page(client, auth, portal_world, jobs_dir):
    auth.login("supervisor")
    resp = client.post("/statements/2024/pdf")
    assert resp.status_code == 302
    url = resp.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "<!doctype html>" in page and "下载 PDF" in page
    assert 'http-equiv="refresh"' not in page


def test_a_job_of_another_cooperative_is_a_404(client, auth, portal_world, jobs_dir,
                                               create_coop, create_user):
    auth.login("admin")
    text = client.post("/statements/2025/pdf", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    token = JOB_RE.search(text).group(1)
    auth.logout()
    create_coop("t2")
    create_user("t2", "admin2")
    auth.login("admin2", coop="t2")
    assert client.get(f"/statements/jobs/{token}").status_code == 404
    assert client.get(f"/statements/jobs/{token}/download").status_code == 404
    assert client.get("/statements/jobs/..%2F..%2Fsecret").status_code == 404


def test_no_cjk_font_member_pdf_says_so(client, auth, portal_world, no_cjk_font):
    auth.login("CY0001")
    resp = client.get("/me/statements/2025.pdf")
    assert resp.status_code == 503
    text = resp.get_data(as_text=True)
    assert NO_FONT in text and "apt-get install fonts-noto-cjk" in text
    assert "汉字会显示为方框" in text
    assert 'href="/me/statements/2025"' in text


def test_no_cjk_font_office_pdf_and_batch_say_so(client, auth, portal_world, no_cjk_font,
                                                 jobs_dir):
    auth.login("admin")
    resp = client.get(f"/statements/2025/members/{portal_world.members['CY0001']}.pdf")
    assert resp.status_code == 503 and NO_FONT in resp.get_data(as_text=True)
    resp = client.post("/statements/2025/pdf", headers={"HX-Request": "true"})
    assert resp.status_code == 422 and NO_FONT in resp.get_data(as_text=True)
    assert not jobs_dir.exists() or not any(jobs_dir.iterdir())
    with client.application.app_context():
        assert db.session.scalar(select(func.count(StatementJob.id))) == 0


def test_cli_pdf_of_a_year_and_of_one_member(runner, portal_world, tmp_path):
    out = tmp_path / "all.pdf"
    result = runner.invoke(args=["statements", "pdf", "--coop", "t1", "--year", "2025", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 份对账单" in result.output
    pages, text = pdf_text(out.read_bytes())
    assert pages == 4 and "张秀兰" in text

    one = tmp_path / "one.pdf"
    result = runner.invoke(args=["statements", "pdf", "--coop", "t1", "--year", "2024",
                                 "--member", "cy0002", str(one)])
    assert result.exit_code == 0, result.output
    pages, text = pdf_text(one.read_bytes())
    assert pages == 1 and "李德胜" in text and "2024" in text and "16,000.00" in text


@pytest.mark.parametrize("args,message", [
    (["--coop", "nope", "--year", "2025"], "没有代码为 nope 的合作社"),
    (["--coop", "t1", "--year", "2026"], "2026 年没有已表决通过的分红方案"),
    (["--coop", "t1", "--year", "2025", "--member", "ZZ9"], "没有成员编号为 ZZ9 的成员"),
    (["--coop", "t1", "--year", "2025", "--member", "CY0003"], "成员 CY0003 在 2025 年的分红方案中没有分红明细"),
])
def test_cli_refusals(runner, portal_world, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["statements", "pdf", *args, str(out)])
    assert result.exit_code == 1
    assert message in result.output
    assert not out.exists()


def test_cli_without_a_cjk_font(runner, portal_world, tmp_path, no_cjk_font):
    out = tmp_path / "x.pdf"
    result = runner.invoke(args=["statements", "pdf", "--coop", "t1", "--year", "2025", str(out)])
    assert result.exit_code == 1 and NO_FONT in result.output and not out.exists()


def test_old_jobs_and_their_files_are_removed_when_a_job_starts(client, auth, portal_world,
                                                                jobs_dir, monkeypatch):
    jobs_dir.mkdir(parents=True)
    old = jobs_dir / "00000000000000bb.pdf"
    old.write_bytes(b"%PDF old")
    recent = jobs_dir / "00000000000000cc.pdf"
    recent.write_bytes(b"%PDF recent")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    auth.login("admin")
    first = JOB_RE.search(client.post("/statements/2025/pdf", headers={"HX-Request": "true"})
                          .get_data(as_text=True)).group(1)
    later = clock.utcnow() + timedelta(days=1, minutes=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    second = JOB_RE.search(client.post("/statements/2024/pdf", headers={"HX-Request": "true"})
                           .get_data(as_text=True)).group(1)
    assert not old.exists() and recent.exists()
    with client.application.app_context():
        assert list(db.session.scalars(select(StatementJob.token))) == [second]
    assert client.get(f"/statements/jobs/{first}").status_code == 404


def test_the_pdf_lays_statements_out_without_grid_or_flex_and_nothing_overlaps(app, portal_world):
    """WeasyPrint sizes a grid's tracks and an auto table's columns by measuring every
    cell inside them (two thirds of a batch's time): on paper the statement is blocks,
    inline-blocks of fixed widths and tables of fixed column widths. One page each,
    the two columns side by side, the signatures in two rows of two, nothing
    overlapping."""
    from weasyprint import CSS, HTML

    from coop.cooperatives.services import get_by_code
    from coop.statements.services import build_statements, effective_plan

    with app.app_context():
        coop = get_by_code(portal_world.code)
        statements = build_statements(coop, effective_plan(coop.id, 2025))
        html = statements_pdf.statements_html(statements, "t")
        document = HTML(string=html, base_url=app.root_path).render(
            stylesheets=[CSS(string=text) for text in statements_pdf.stylesheets()])
    assert len(document.pages) == len(statements) == 4
    for page in document.pages:
        laid_out = list(boxes(page._page_box))
        assert not [b for b in laid_out if "Grid" in type(b).__name__ or "Flex" in type(b).__name__]
        tables = [b for b in laid_out if type(b).__name__ == "TableBox"]
        assert len(tables) >= 4 and all(t.style["table_layout"] == "fixed" for t in tables)
        [two] = classed(laid_out, "st-two")
        left, right = [b for b in two.children[0].children if type(b).__name__ == "InlineBlockBox"]
        assert left.position_y == right.position_y
        assert left.position_x + left.margin_width() <= right.position_x
        assert right.position_x + right.margin_width() <= two.position_x + two.margin_width() + 0.5
        [sign] = classed(laid_out, "st-sign")
        rows = [line for line in sign.children if type(line).__name__ == "LineBox"]
        assert [len([b for b in row.children if type(b).__name__ == "InlineBlockBox"])
                for row in rows] == [2, 2]
        assert rows[0].position_y + rows[0].height <= rows[1].position_y
        [pairs] = classed(laid_out, "st-pairs")
        assert [len([b for b in row.children if type(b).__name__ == "InlineBlockBox"])
                for row in pairs.children] == [4, 4]


def test_a_statement_longer_than_a_page_says_whose_it_is_on_the_next(app, portal_world):
    """A member with many contributions (here forty more) runs over one A4
    page: nothing is dropped, the next page
    carries the statement's number marked 续页 at its top, and the declaration
    stays above the signatures. A statement of one page has no such mark."""
    from dataclasses import replace

    from coop.cooperatives.services import get_by_code
    from coop.statements.services import build_statements, effective_plan

    with app.app_context():
        coop = get_by_code(portal_world.code)
        short, long, *_ = build_statements(coop, effective_plan(coop.id, 2025))
        assert short.contributions
        long = replace(long, contributions=long.contributions + short.contributions * 40)
        data = statements_pdf.render_pdf([short, long], "t")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 3
    assert "续页" not in pages[0] and "续页" not in pages[1]
    for page in pages[2:]:
        assert f"对账单编号：{long.number}（续页）" in page
    assert "理事长（签字）" in pages[-1] and "本对账单依据合作社股权登记簿" in pages[-1]
    assert "".join(pages[1:]).count(short.contributions[0].valuation) >= 40


def test_a_statement_with_a_dozen_movements_and_contributions_keeps_its_signatures_on_its_page(
        app, portal_world):
    """Tight rows and margins on paper: a member with four share movements in
    the year and eight contributions (the benchmark's typical generated member)
    gets one sheet, the declaration and the four signature lines on it, not a
    second sheet holding only those."""
    from dataclasses import replace
    from itertools import cycle, islice

    from coop.cooperatives.services import get_by_code
    from coop.statements.services import build_statements, effective_plan

    with app.app_context():
        coop = get_by_code(portal_world.code)
        statements = build_statements(coop, effective_plan(coop.id, 2025))
        movements = [m for s in statements for m in s.movements]
        contributions = [c for s in statements for c in s.contributions]
        assert movements and contributions
        dozen = replace(statements[1], movements=list(islice(cycle(movements), 4)),
                        contributions=list(islice(cycle(contributions), 8)))
        data = statements_pdf.render_pdf([dozen], "t")
    pages, text = pdf_text(data)
    assert pages == 1
    assert "本对账单依据合作社股权登记簿" in text
    assert all(f"{who}（签字）" in text for who in ("理事长", "会计", "成员"))
    assert text.count(contributions[0].effective_on.isoformat()) >= 1


def test_statements_in_one_document_share_their_styles(app, portal_world):
    """WeasyPrint shares one computed style between elements matched by the same
    rules under the same parent style, unless an element has an id (an anchor):
    the statement carries no id, so the statements of a batch are styled once."""
    from weasyprint import CSS

    from coop.cooperatives.services import get_by_code
    from coop.statements.services import build_statements, effective_plan

    with app.app_context():
        coop = get_by_code(portal_world.code)
        statements = build_statements(coop, effective_plan(coop.id, 2025))
        html = statements_pdf.statements_html(statements, "t")
        document = coop_pdf._paper_html()(string=html, base_url=app.root_path).render(
            stylesheets=[CSS(string=text) for text in statements_pdf.stylesheets()])
    assert not re.search(r"<article[^>]*\sid=", html)
    articles = [classed(list(boxes(page._page_box)), "st-statement")[0] for page in document.pages]
    assert len(articles) == 4
    assert len({id(box.style) for box in articles[:-1]}) == 1  # the last one breaks no page after it
    cells = [[b.style for b in boxes(article) if type(b).__name__ == "TableCellBox"]
             for article in articles[:2]]
    assert cells[0] and any(a is b for a, b in zip(*cells))


def test_the_papers_user_agent_sheet_drops_only_every_element_pseudo_rules(app, caplog):
    """Our papers are drawn with WeasyPrint's HTML5 user-agent sheet less its rules
    giving every element footnote and note pseudo-elements, and with ::marker for
    list items: a numbered list keeps its numbers."""
    import weasyprint

    text = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    trimmed = coop_pdf.paper_user_agent_css(text)
    for pseudo in ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"):
        assert f"\n::{pseudo} " not in trimmed
    assert "\n::marker" not in trimmed and "li::marker, summary::marker {" in trimmed
    assert len(text) - len(trimmed) < 400
    lists = "<ol><li>甲项</li><li>乙项</li></ol><ul><li>丙项</li></ul>"
    coop_pdf._paper_html.cache_clear()
    with caplog.at_level("WARNING", logger="weasyprint"), app.app_context():
        ours = pdf_text(coop_pdf.render_pdf([lists], stylesheets=[], base_url=app.root_path))
    font = coop_pdf.font_css(coop_pdf.require_cjk_font())
    plain = pdf_text(weasyprint.HTML(string=f"<style>{font}</style>{lists}").write_pdf())
    assert ours == plain and all(mark in ours[1] for mark in ("1.", "2.", "•", "甲项"))
    assert not [r for r in caplog.records if r.name == "weasyprint"]


@pytest.mark.parametrize("count,processes,parts", [
    (4, 2, 4), (8, 2, 4), (1000, 2, 4), (1001, 2, 4), (10_000, 2, 20), (200, 4, 8), (3, 2, 3)])
def test_a_batch_is_cut_in_two_parts_a_process(count, processes, parts):
    """Each part embeds its own font subset and is joined by pypdf: two a
    process (progress at each half), at most PART_MOST statements each."""
    size = statements_pdf.part_size(count, processes)
    assert size <= statements_pdf.PART_MOST
    assert -(-count // size) == parts


def test_the_documents_of_one_pdf_share_one_font_configuration(app, monkeypatch):
    """Each WeasyPrint font configuration loads the fonts afresh (and holds
    them): a PDF's documents are laid out with one, made for the PDF."""
    from weasyprint.text import fonts as weasy_fonts

    made = []
    original = weasy_fonts.FontConfiguration.__init__

    def counted(self):
        made.append(self)
        original(self)

    monkeypatch.setattr(weasy_fonts.FontConfiguration, "__init__", counted)
    documents = [f"<html><body><p>第 {i} 份</p></body></html>" for i in range(3)]
    with app.app_context():
        data = coop_pdf.render_pdf(documents, stylesheets=statements_pdf.stylesheets(),
                                   base_url=app.root_path)
    pages, text = pdf_text(data)
    assert pages == 3 and "第 2 份" in text
    assert len(made) == 1
