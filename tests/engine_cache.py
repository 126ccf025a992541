"""Every test builds its own app (tests/conftest.py ``app``), and each app
used to get its own SQLAlchemy engine: an engine keeps the SQL it compiled
from each statement, so every test compiled every statement it ran again
(a quarter of the CPU of a test of the views, measured with cProfile). This
gives every app with the same database and engine options the same engine
for the session, and with it the compiled statements and the pool's open
connections. An in-memory SQLite database is never shared: its engine holds
the database itself."""
from __future__ import annotations

from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import make_url
from sqlalchemy.engine import Engine

_original = SQLAlchemy._make_engine
_engines: dict[tuple, Engine] = {}


def _key(bind_key: str | None, options: dict[str, Any]) -> tuple | None:
    url = make_url(options["url"])
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    rest = sorted((name, repr(value)) for name, value in options.items() if name != "url")
    return bind_key, url.render_as_string(hide_password=False), tuple(rest)


def _make_engine(self: SQLAlchemy, bind_key: str | None, options: dict[str, Any], app) -> Engine:
    key = _key(bind_key, options)
    if key is None:
        return _original(self, bind_key, options, app)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = _original(self, bind_key, options, app)
    return engine


def install() -> None:
    SQLAlchemy._make_engine = _make_engine  # type: ignore[method-assign]
