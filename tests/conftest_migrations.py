"""Fixtures for tests of a migration on data written before it: an empty
database of the test's own (a SQLite file, or a schema of its own on the
suite's PostgreSQL server), brought to an old revision, written with plain
SQL as the release at that revision wrote it, then upgraded."""
from __future__ import annotations

import uuid
from typing import Any, Iterator

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from coop import create_app
from coop.extensions import db

# The cooperative row every old database starts with, as migration 0018 left
# the table (later revisions add columns with server defaults).
OLD_COOPERATIVE = dict(
    id=1, code="c", name="合作社", credit_code="", village="", town="", par_value_fen=100,
    distribution_mode="collective", collective_target_bp=0, collective_min_bp=0, collective_max_bp=0,
    villager_target_bp=0, villager_min_bp=0, villager_max_bp=0, cadre_target_bp=0, cadre_min_bp=0,
    cadre_max_bp=0, member_cap_bp=0, reserve_rate_bp=0, welfare_rate_bp=0, risk_rate_bp=0,
    patronage_rate_bp=6000, guaranteed_fen_per_mu=0, version=1)


@pytest.fixture
def old_database(database_url, tmp_path) -> Iterator[str]:
    """The URL of an empty database of its own: a SQLite file, or a fresh
    schema on the suite's PostgreSQL server (dropped afterwards)."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    schema = f"old_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class OldDatabase:
    """An app on the old database: ``at(revision)``, ``insert(table, **row)``
    in plain SQL, ``upgrade(revision)``, ``rows(sql)``."""

    def __init__(self, url: str, tmp_path):
        self.url = url
        self.app = create_app({
            "TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "HUEY_IMMEDIATE": True,
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")})

    def upgrade(self, revision: str = "heads") -> None:
        with self.app.app_context():
            upgrade(revision=revision)
            db.engine.dispose()

    at = upgrade

    def insert(self, table: str, **values: Any) -> None:
        columns = ", ".join(f'"{c}"' for c in values)
        params = ", ".join(f":{c}" for c in values)
        self.execute(f"INSERT INTO {table} ({columns}) VALUES ({params})", values)

    def insert_cooperative(self, **values: Any) -> None:
        self.insert("cooperatives", **{**OLD_COOPERATIVE, **values})

    def execute(self, sql: str, params: dict | None = None) -> None:
        with self.app.app_context():
            with db.engine.begin() as conn:
                conn.execute(text(sql), params or {})
            db.engine.dispose()

    def rows(self, sql: str, params: dict | None = None) -> list[tuple]:
        with self.app.app_context():
            with db.engine.connect() as conn:
                result = [tuple(r) for r in conn.execute(text(sql), params or {})]
            db.engine.dispose()
        return result


@pytest.fixture
def old_db(old_database, tmp_path) -> OldDatabase:
    return OldDatabase(old_database, tmp_path)
