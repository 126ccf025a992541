"""The SQLite query plans of what a block of code asks of one table
(``captured_plans(table)``): the query-plan tests of the register and the
order list read them. Skips on PostgreSQL (EXPLAIN QUERY PLAN is SQLite's)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import event

from coop.extensions import db


@contextmanager
def captured_plans(table: str) -> Iterator[list[list[str]]]:
    """The query plans of the SELECTs on ``table`` run in the block, filled in
    when the block ends."""
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if f"FROM {table}" in statement and statement.lstrip().startswith("SELECT"):
            statements.append((statement, parameters))

    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    event.listen(db.engine, "before_cursor_execute", capture)
    plans: list[list[str]] = []
    try:
        yield plans
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            plans.append([str(row[-1]) for row in conn.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {statement}", parameters)])
