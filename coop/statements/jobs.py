"""Batch PDF jobs: a background thread draws a year's statements and writes
its progress to a small JSON file in ``instance/statement_jobs/``; the page
polls a status fragment that reads that file. No state in module globals, so
any worker process can answer the poll, and a restart leaves an honest record
(a job whose thread died shows as unfinished, never as done).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app

from coop import clock
from coop.errors import ServiceError
from coop.extensions import db

JOB_ID_RE = re.compile(r"^[0-9a-f]{16}$")
STALE_AFTER_SECONDS = 30 * 60  # a running job not heard from in this long has died
KEEP_SECONDS = 24 * 3600  # finished jobs' files are removed after a day


@dataclass
class Job:
    id: str
    cooperative_id: int
    year: int
    plan_id: int
    state: str  # running, done, failed
    done: int
    total: int
    message: str
    started_at: str
    updated_at: str
    filename: str = ""

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def stale(self) -> bool:
        if not self.running:
            return False
        updated = datetime.fromisoformat(self.updated_at)
        return (clock.utcnow() - updated).total_seconds() > STALE_AFTER_SECONDS


def jobs_dir(app: Flask | None = None) -> Path:
    app = app or current_app
    path = Path(app.config.get("STATEMENT_JOBS_DIR") or Path(app.instance_path) / "statement_jobs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(directory: Path, job: Job) -> None:
    job.updated_at = clock.utcnow().isoformat(timespec="seconds")
    tmp = directory / f"{job.id}.json.tmp"
    tmp.write_text(json.dumps(asdict(job), ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, directory / f"{job.id}.json")


def load(job_id: str, cooperative_id: int) -> Job | None:
    """The job, if it exists and belongs to the cooperative."""
    if not JOB_ID_RE.match(job_id or ""):
        return None
    path = jobs_dir() / f"{job_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    job = Job(**data)
    return job if job.cooperative_id == cooperative_id else None


def pdf_path(job: Job) -> Path:
    return jobs_dir() / f"{job.id}.pdf"


def start(cooperative_id: int, year: int) -> Job:
    """Check what can be checked at once, then draw the PDF in a background thread."""
    from coop.cooperatives.models import Cooperative
    from coop.statements import pdf, services

    pdf.require_cjk_font()
    plan = services.effective_plan(cooperative_id, year)
    if plan is None:
        raise ServiceError(f"{year} 年没有已表决通过的分红方案，没有对账单可打印")
    total = plan.line_count
    if total == 0:
        raise ServiceError(f"{year} 年的分红方案没有分红明细，没有对账单可打印")
    coop = db.session.get(Cooperative, cooperative_id)
    now = clock.utcnow().isoformat(timespec="seconds")
    job = Job(id=secrets.token_hex(8), cooperative_id=cooperative_id, year=year, plan_id=plan.id,
              state="running", done=0, total=total, message="正在准备…", started_at=now,
              updated_at=now, filename=f"{coop.code}-{year}-对账单.pdf")
    directory = jobs_dir()
    _remove_old(directory)
    _write(directory, job)
    app = current_app._get_current_object()
    thread = threading.Thread(target=_run, args=(app, directory, job), daemon=True,
                              name=f"statements-pdf-{job.id}")
    thread.start()
    return job


def _remove_old(directory: Path) -> None:
    """Files of jobs started more than a day ago (their PDFs hold members' data)."""
    cutoff = time.time() - KEEP_SECONDS
    for path in directory.glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _run(app: Flask, directory: Path, job: Job) -> None:
    from coop.cooperatives.models import Cooperative
    from coop.dividends.models import DividendPlan
    from coop.statements import pdf, services

    with app.app_context():
        try:
            coop = db.session.get(Cooperative, job.cooperative_id)
            plan = db.session.get(DividendPlan, job.plan_id)
            statements = services.build_statements(coop, plan)
            job.total = len(statements)
            job.message = "正在生成…"
            _write(directory, job)

            def progress(done: int) -> None:
                job.done = done
                _write(directory, job)

            data = pdf.render_pdf(statements, f"{coop.name} {plan.year} 年度股金分红对账单",
                                  progress)
            tmp = directory / f"{job.id}.pdf.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, directory / f"{job.id}.pdf")
            job.state, job.message = "done", f"已生成 {job.total} 份对账单"
        except ServiceError as exc:
            job.state, job.message = "failed", exc.message
        except Exception as exc:  # noqa: BLE001 - the page must say it failed
            app.logger.exception("statements PDF job %s failed", job.id)
            job.state, job.message = "failed", f"生成失败：{type(exc).__name__}。请稍后重试或联系管理员。"
        finally:
            db.session.remove()
        _write(directory, job)
