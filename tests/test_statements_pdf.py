"""Statements as PDF (WeasyPrint, read back with pypdf): one member's, the whole
year's through the background job with its progress, the command line, and the
clear refusal when the system has no CJK font."""
from __future__ import annotations

import io
import json
import re
import time

import pytest
from pypdf import PdfReader

from coop.statements import fonts

NO_FONT = "服务器上没有安装中文字体"


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def jobs_dir(app, tmp_path):
    path = tmp_path / "jobs"
    app.config["STATEMENT_JOBS_DIR"] = str(path)
    return path


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


def _wait_done(client, url: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
        if "every 1s" not in text:
            return text
        time.sleep(0.2)
    raise AssertionError("the PDF job did not finish")


def test_batch_pdf_job_with_progress_and_page_count(client, auth, portal_world, jobs_dir):
    auth.login("admin")
    resp = client.post("/statements/2025/pdf", headers={"HX-Request": "true"})
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    job_id = re.search(r"/statements/jobs/([0-9a-f]{16})", text).group(1)
    assert 'hx-trigger="every 1s"' in text and "<progress" in text and "/ 4 份" in text
    state = json.loads((jobs_dir / f"{job_id}.json").read_text(encoding="utf-8"))
    assert state["total"] == 4 and state["year"] == 2025
    done = _wait_done(client, f"/statements/jobs/{job_id}")
    assert "已生成 4 份对账单" in done and f"/statements/jobs/{job_id}/download" in done
    resp = client.get(f"/statements/jobs/{job_id}/download")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    pages, text = pdf_text(resp.data)
    assert pages == 4  # the members with a line in the effective 2025 plan
    for name in ("测试村集体经济组织", "张秀兰", "李德胜", "王建军"):
        assert name in text
    assert "赵小梅" not in text and "6,543.21" not in text


def test_batch_pdf_without_js_redirects_to_a_page_that_refreshes(client, auth, portal_world,
                                                                 jobs_dir):
    auth.login("supervisor")
    resp = client.post("/statements/2024/pdf")
    assert resp.status_code == 302
    url = resp.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "<!doctype html>" in page
    done = _wait_done(client, url)
    assert "下载 PDF" in done
    assert 'http-equiv="refresh"' not in client.get(url).get_data(as_text=True)


def test_a_job_of_another_cooperative_is_a_404(client, auth, portal_world, jobs_dir,
                                               create_coop, create_user):
    auth.login("admin")
    text = client.post("/statements/2025/pdf", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    job_id = re.search(r"/statements/jobs/([0-9a-f]{16})", text).group(1)
    _wait_done(client, f"/statements/jobs/{job_id}")
    auth.logout()
    create_coop("t2")
    create_user("t2", "admin2")
    auth.login("admin2", coop="t2")
    assert client.get(f"/statements/jobs/{job_id}").status_code == 404
    assert client.get(f"/statements/jobs/{job_id}/download").status_code == 404
    assert client.get("/statements/jobs/..%2F..%2Fsecret").status_code == 404


def test_a_job_that_died_says_so(client, auth, portal_world, jobs_dir):
    auth.login("admin")
    jobs_dir.mkdir(parents=True, exist_ok=True)
    with client.application.app_context():
        from coop.cooperatives.services import get_by_code

        coop_id = get_by_code("t1").id
    (jobs_dir / "00000000000000aa.json").write_text(json.dumps({
        "id": "00000000000000aa", "cooperative_id": coop_id, "year": 2025, "plan_id": 1,
        "state": "running", "done": 2, "total": 4, "message": "正在生成…",
        "started_at": "2020-01-01T00:00:00", "updated_at": "2020-01-01T00:00:00",
        "filename": "x.pdf"}), encoding="utf-8")
    text = client.get("/statements/jobs/00000000000000aa").get_data(as_text=True)
    assert "生成中断" in text and "every 1s" not in text


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


def test_files_of_old_jobs_are_removed_when_a_job_starts(client, auth, portal_world, jobs_dir):
    import os

    jobs_dir.mkdir(parents=True)
    old = jobs_dir / "00000000000000bb.pdf"
    old.write_bytes(b"%PDF old")
    recent = jobs_dir / "00000000000000cc.pdf"
    recent.write_bytes(b"%PDF recent")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    auth.login("admin")
    text = client.post("/statements/2025/pdf", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    job_id = re.search(r"/statements/jobs/([0-9a-f]{16})", text).group(1)
    _wait_done(client, f"/statements/jobs/{job_id}")
    assert not old.exists() and recent.exists()
