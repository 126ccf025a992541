"""Batch PDF jobs: a year's statements drawn by the task worker (coop.tasks),
one job at a time per cooperative, with a progress the job page polls.

``create`` (in the request) checks what can be checked at once and records a
queued job; once the request has committed it, ``dispatch`` queues the task
that works the cooperative's queue. ``run_queue`` (in the worker) claims the
cooperative's oldest queued job, draws it, and goes on to the next until none
is left. Job rows and the queue are persistent: a job outlives a restart of
the web server or of the worker (``requeue_interrupted`` puts back a job the
worker stopped in the middle of).

A member's own statement (the portal's PDF, the office's PDF of one member)
never waits behind a batch: it is one page, drawn in its own request.
"""
from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from coop import clock, pdf
from coop.cooperatives.api import Cooperative
from coop.dividends.api import DividendPlan, effective_plan
from coop.errors import RecordNotFound, ServiceError
from coop.extensions import db
from coop.files import write_private_bytes
from coop.statements import pdf as statements_pdf
from coop.statements import services
from coop.statements.models import ACTIVE_STATES, JobState, StatementJob

TOKEN_RE = re.compile(r"^[0-9a-f]{16}$")
RUN_QUEUE_TASK = "statements.run_queue"  # app.extensions key of the Huey task (statements.tasks)
KEEP_SECONDS = 24 * 3600  # finished jobs and their PDFs are removed after a day
STALLED_SECONDS = 60  # a job first in line but not started after this long: is the worker running?


@dataclass(frozen=True)
class JobStatus:
    """A job as its page shows it."""

    job: StatementJob
    ahead: int  # the cooperative's jobs queued or running before this one
    stalled: bool  # first in line for a while and still not started


def jobs_dir(app: Flask | None = None) -> Path:
    app = app or current_app
    path = Path(app.config.get("STATEMENT_JOBS_DIR") or Path(app.instance_path) / "statement_jobs")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def pdf_path(job: StatementJob) -> Path:
    return jobs_dir() / f"{job.token}.pdf"


def create(cooperative_id: int, user_id: int, year: int) -> StatementJob:
    """A queued job for the year's batch PDF, or a ServiceError saying why not (flush only;
    ``dispatch`` it after the commit)."""
    limit = current_app.config["STATEMENT_JOBS_PER_USER"]
    active = db.session.scalar(select(func.count(StatementJob.id)).where(
        StatementJob.user_id == user_id, StatementJob.state.in_(ACTIVE_STATES)))
    if active >= limit:
        raise ServiceError(f"您已有 {active} 个对账单 PDF 在排队或生成中（每人最多 {limit} 个），"
                           "请等其中一个完成后再生成")
    pdf.require_cjk_font()
    plan = effective_plan(cooperative_id, year)
    if plan is None:
        raise ServiceError(f"{year} 年没有已表决通过的分红方案，没有对账单可打印")
    if plan.line_count == 0:
        raise ServiceError(f"{year} 年的分红方案没有分红明细，没有对账单可打印")
    _remove_old()
    coop = db.session.get(Cooperative, cooperative_id)
    now = clock.utcnow()
    job = StatementJob(token=secrets.token_hex(8), cooperative_id=cooperative_id,
                       user_id=user_id, year=year, plan_id=plan.id, state=JobState.QUEUED.value,
                       done=0, total=plan.line_count, message="排队中",
                       filename=f"{coop.code}-{year}-对账单.pdf", created_at=now, updated_at=now)
    db.session.add(job)
    db.session.flush()
    return job


def dispatch(cooperative_id: int) -> None:
    """Queue the task that works the cooperative's jobs (after the commit: the
    worker reads them from the database)."""
    current_app.extensions[RUN_QUEUE_TASK](cooperative_id)


def load(token: str, cooperative_id: int) -> StatementJob | None:
    """The job, if it exists and belongs to the cooperative."""
    if not TOKEN_RE.match(token or ""):
        return None
    return db.session.scalar(select(StatementJob).where(
        StatementJob.token == token, StatementJob.cooperative_id == cooperative_id))


def get(token: str, cooperative_id: int) -> StatementJob:
    """``load``, or RecordNotFound (a 404 in a request)."""
    job = load(token, cooperative_id)
    if job is None:
        raise RecordNotFound("StatementJob")
    return job


def status(job: StatementJob) -> JobStatus:
    ahead = 0
    if job.queued:
        ahead = db.session.scalar(select(func.count(StatementJob.id)).where(
            StatementJob.cooperative_id == job.cooperative_id,
            StatementJob.state.in_(ACTIVE_STATES), StatementJob.id < job.id))
    waited = (clock.utcnow() - job.updated_at).total_seconds()
    return JobStatus(job=job, ahead=ahead,
                     stalled=job.queued and ahead == 0 and waited > STALLED_SECONDS)


def recent_of(cooperative_id: int, user_id: int, limit: int = 5) -> list[StatementJob]:
    """The user's batch PDFs still kept (a day after they finish), newest
    first: the statements page lists them, so a PDF made while the
    secretary was away is found again without its one-time link."""
    return list(db.session.scalars(select(StatementJob).where(
        StatementJob.cooperative_id == cooperative_id, StatementJob.user_id == user_id,
        StatementJob.created_at >= clock.utcnow() - timedelta(seconds=KEEP_SECONDS))
        .order_by(StatementJob.id.desc()).limit(limit)))


def _remove_old() -> None:
    """Jobs finished more than a day ago, and any file in the jobs folder older
    than that (their PDFs hold members' data)."""
    db.session.execute(delete(StatementJob).where(
        StatementJob.state.not_in(ACTIVE_STATES),
        StatementJob.finished_at < clock.utcnow() - timedelta(seconds=KEEP_SECONDS)))
    cutoff = time.time() - KEEP_SECONDS
    for path in jobs_dir().glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


# --- in the worker: each step commits, so that the job page sees it at once.

def run_queue(cooperative_id: int) -> None:
    """Draw the cooperative's queued jobs one at a time, oldest first, until none
    is left. Several calls for one cooperative are harmless: while one of them
    has a job running, the others return at once and it takes their jobs next."""
    while (job := _claim_next(cooperative_id)) is not None:
        _run(job)


def _claim_next(cooperative_id: int) -> StatementJob | None:
    while True:
        job = db.session.scalar(select(StatementJob).where(
            StatementJob.cooperative_id == cooperative_id,
            StatementJob.state == JobState.QUEUED.value).order_by(StatementJob.id).limit(1))
        if job is None:
            return None
        now = clock.utcnow()
        try:
            claimed = db.session.execute(
                update(StatementJob)
                .where(StatementJob.id == job.id, StatementJob.state == JobState.QUEUED.value)
                .values(state=JobState.RUNNING.value, done=0, message="正在准备…",
                        started_at=now, updated_at=now)
                .execution_options(synchronize_session=False)).rowcount
            db.session.commit()
        except IntegrityError:  # another of the cooperative's jobs is running
            db.session.rollback()
            return None
        if claimed:
            db.session.refresh(job)
            return job


def _save(job: StatementJob) -> None:
    job.updated_at = clock.utcnow()
    db.session.commit()


def _run(job: StatementJob) -> None:
    try:
        coop = db.session.get(Cooperative, job.cooperative_id)
        plan = db.session.get(DividendPlan, job.plan_id)
        statements = services.build_statements(coop, plan)
        job.total = len(statements)
        job.message = "正在生成…"
        _save(job)

        def progress(done: int) -> None:
            job.done = done
            _save(job)

        data = statements_pdf.render_pdf(statements, f"{coop.name} {plan.year} 年度{coop.words.statement_title}", progress)
        path = pdf_path(job)
        tmp = path.with_name(path.name + ".tmp")
        write_private_bytes(tmp, data)
        os.replace(tmp, path)
        job.state, job.message = JobState.DONE.value, f"已生成 {job.total} 份对账单"
    except ServiceError as exc:
        db.session.rollback()
        job.state, job.message = JobState.FAILED.value, exc.message
    except Exception as exc:  # noqa: BLE001 - the page must say it failed
        db.session.rollback()
        current_app.logger.exception("statements PDF job %s failed", job.token)
        job.state = JobState.FAILED.value
        job.message = f"生成失败：{type(exc).__name__}。请稍后重试或联系管理员。"
    job.finished_at = clock.utcnow()
    _save(job)


def requeue_interrupted() -> list[int]:
    """When the worker starts: jobs left running by a worker that stopped go back
    to the head of their cooperative's queue. The cooperatives with queued jobs."""
    db.session.execute(
        update(StatementJob).where(StatementJob.state == JobState.RUNNING.value)
        .values(state=JobState.QUEUED.value, done=0, message="服务重启后等待重新生成",
                updated_at=clock.utcnow())
        .execution_options(synchronize_session=False))
    coop_ids = list(db.session.scalars(
        select(StatementJob.cooperative_id).where(StatementJob.state == JobState.QUEUED.value)
        .distinct().order_by(StatementJob.cooperative_id)))
    db.session.commit()
    return coop_ids
