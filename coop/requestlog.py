"""The app's log: one line per request, errors with their traceback.

A request's line: Beijing time, method, path (the query's names, never its
values), status, duration, the CPU time the worker spent on it, the
cooperative's code and the user's id::

    2026-11-30 20:41:05+0800 INFO coop.requests: GET /members?q&page 200 12.3ms cpu=8.1ms coop=wljs user=3

(a duration far above its CPU time is waiting: for the database, a lock or
the machine.)

Nothing else about the request: no form, no query value, no name, resident
ID or amount (they travel in forms and queries); a run of digits as long as a
resident ID in a mistyped path is masked too. An unhandled error is logged
by Flask with its traceback (the user sees the friendly error page), and the
database driver's parameters are left out of every SQL error
(``hide_parameters`` in coop.config).

In production (any app not in TESTING) the ``coop`` logger writes to
standard error, which systemd's journal keeps (``journalctl -u coop-web``).
"""
from __future__ import annotations

import logging
import re
import sys
import time
from datetime import datetime

from flask import Flask, Response, g, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from coop.clock import LOCAL_TZ

REQUEST_LOGGER = "coop.requests"
_RESIDENT_ID_LIKE = re.compile(r"\d{15,17}[\dXx]")


class BeijingFormatter(logging.Formatter):
    """Log times in Beijing time whatever the server's time zone."""

    default_format = "%(asctime)s %(levelname)s %(name)s: %(message)s"

    def __init__(self) -> None:
        super().__init__(self.default_format)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S%z")


def configure_logging(app: Flask) -> None:
    """Send the ``coop`` logger to standard error (once per process)."""
    logging.getLogger(REQUEST_LOGGER).setLevel(logging.INFO)
    if app.testing:
        return
    logger = logging.getLogger(app.import_name)
    if not any(getattr(h, "coop_handler", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(BeijingFormatter())
        handler.coop_handler = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the worker's root handler would print each line twice


def logged_path() -> str:
    """The request's path with the names of its query arguments, not their values."""
    path = _RESIDENT_ID_LIKE.sub("*", request.path)
    names = list(dict.fromkeys(request.args.keys()))
    return f"{path}?{'&'.join(names)}" if names else path


def _read_who() -> tuple[str, str]:
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or not state.identity:
        return "-", "-"
    try:
        code = user.cooperative.code if user.cooperative is not None else f"area:{user.area.code}"
    except SQLAlchemyError:
        code = "-"
    return code, str(state.identity[0])


def _who() -> tuple[str, str]:
    """The cooperative's code (``area:<code>`` for an overseer's account) and
    the user's id, if the request loaded a user. A commit expires the user's
    attributes, so they are noted just before it (no query to read them
    again); if the database is what failed the line says ``-`` instead."""
    noted = g.get("coop_who")
    if noted is not None and noted[1] == _identity():
        return noted
    return _read_who()


def _identity() -> str:
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    return str(state.identity[0]) if state is not None and state.identity else "-"


@event.listens_for(Session, "before_commit")
def _note_who_before_commit(session: Session) -> None:
    if has_request_context() and g.get("_login_user") is not None:
        g.coop_who = _read_who()


def init_app(app: Flask) -> None:
    """Register first among the app's request hooks, so the duration covers
    the others."""
    logger = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def start_timer() -> None:
        g.coop_request_started = time.perf_counter()
        g.coop_request_cpu = time.thread_time()

    @app.after_request
    def log_request(resp: Response) -> Response:
        started = g.get("coop_request_started")
        duration = (time.perf_counter() - started) * 1000 if started is not None else 0.0
        cpu = (time.thread_time() - g.coop_request_cpu) * 1000 if started is not None else 0.0
        code, user_id = _who()
        logger.info("%s %s %s %.1fms cpu=%.1fms coop=%s user=%s", request.method, logged_path(),
                    resp.status_code, duration, cpu, code, user_id)
        return resp
