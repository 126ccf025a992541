from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from coop.extensions import db


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_STATES = (JobState.QUEUED.value, JobState.RUNNING.value)


class StatementJob(db.Model):
    """A batch PDF of a year's statements, asked for by a user and drawn by the
    task worker. A cooperative's jobs run one at a time, oldest first: at most
    one of them is running, which the partial unique index makes a fact of the
    database, so two workers can never both claim one. The row outlives the
    processes: a queued job waits for the worker, a running one whose worker
    stopped is queued again when the worker starts. Bookkeeping, not a record:
    outside the audit log, removed with its PDF a day after it finished."""

    __tablename__ = "statement_jobs"
    __table_args__ = (
        Index("uq_statement_jobs_running_cooperative_id", "cooperative_id", unique=True,
              sqlite_where=text("state = 'running'"),
              postgresql_where=text("state = 'running'")),
        Index("ix_statement_jobs_cooperative_id_state", "cooperative_id", "state"),
        Index("ix_statement_jobs_user_id_state", "user_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(16), unique=True)  # the job's address in URLs
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    year: Mapped[int]
    plan_id: Mapped[int] = mapped_column(ForeignKey("dividend_plans.id"))
    state: Mapped[str] = mapped_column(String(10))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int]
    message: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)

    @property
    def queued(self) -> bool:
        return self.state == JobState.QUEUED

    @property
    def running(self) -> bool:
        return self.state == JobState.RUNNING

    @property
    def ready(self) -> bool:
        """Drawn: the PDF can be downloaded."""
        return self.state == JobState.DONE

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES
