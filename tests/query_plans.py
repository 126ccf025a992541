"""The query plans of what a block of code asks of one table: SQLite's
(``captured_plans(table)``, skips on PostgreSQL), read by the query-plan tests
of the register and the order list, and PostgreSQL's
(``captured_pg_plans(table, **settings)``, skips on SQLite), read by the
roster's; and the statements a block runs (``statements_run``), for the
tests of what a page or a count reads."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import pytest
from sqlalchemy import event

from coop.extensions import db


@contextmanager
def _selects_on(table: str) -> Iterator[list[tuple[str, object]]]:
    """(statement, parameters) of each SELECT on ``table`` run in the block."""
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if f"FROM {table}" in statement and statement.lstrip().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)


@contextmanager
def captured_plans(table: str) -> Iterator[list[list[str]]]:
    """The query plans of the SELECTs on ``table`` run in the block, filled in
    when the block ends."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    plans: list[list[str]] = []
    with _selects_on(table) as statements:
        yield plans
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            plans.append([str(row[-1]) for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters)])


@contextmanager
def captured_pg_plans(table: str, **settings: str) -> Iterator[list[list[str]]]:
    """PostgreSQL's plans (``EXPLAIN (COSTS OFF)``, one list of lines each) of
    the SELECTs on ``table`` run in the block, planned with ``settings``
    (``SET LOCAL name = value``) in the block's transaction; skips elsewhere."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("EXPLAIN (COSTS OFF) is PostgreSQL's")
    plans: list[list[str]] = []
    with _selects_on(table) as statements:
        yield plans
    conn = db.session.connection()
    for name, value in settings.items():
        conn.exec_driver_sql(f"SET LOCAL {name} = {value}")
    for statement, parameters in statements:
        plans.append([row[0] for row in conn.exec_driver_sql(
            f"EXPLAIN (COSTS OFF) {statement}", parameters)])
    for name in settings:
        conn.exec_driver_sql(f"SET LOCAL {name} = DEFAULT")


@contextmanager
def statements_run(app, keep: Callable[[str], bool] = lambda _statement: True
                   ) -> Iterator[list[str]]:
    """The SQL statements run in the block that ``keep`` accepts, listed as
    they run."""
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def capture(_conn, _cursor, statement, *_args):
        if keep(statement):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", capture)
