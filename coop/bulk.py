"""Helpers for work over a whole cooperative in one request (100,000 holders).

Building a few hundred thousand tuples, lists and dicts makes CPython's cyclic
garbage collector run again and again over every object alive, young and
old: at 100,000 holders a large part of a dividend plan's Python time.
The objects such work builds hold no reference cycles (rows, columns,
numbers), so reference counting frees them; the collector can wait.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator, Sequence

from sqlalchemy.engine import Connection


class _Pause:
    """How many threads are inside :func:`paused_gc`; the collector comes back
    when the last one leaves (if it was on when the first one came in)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False


_pause = _Pause()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (reference
    counting still frees memory); it is switched back on afterwards."""
    with _pause.lock:
        if _pause.depth == 0:
            _pause.was_enabled = gc.isenabled()
            gc.disable()
        _pause.depth += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.depth -= 1
            if _pause.depth == 0 and _pause.was_enabled:
                gc.enable()


def insert_rows(connection: Connection, table: str, columns: Sequence[str],
                rows: Sequence[tuple]) -> None:
    """Insert plain tuples (in ``columns``' order) into ``table`` inside the
    connection's transaction, straight through the driver: SQLAlchemy's
    per-row parameter handling would cost more than the insert itself at
    100,000 rows. On PostgreSQL one COPY streams them (an INSERT a row, even
    pipelined, took 7 s for a plan's 99,000 lines; COPY takes a fraction of
    it); elsewhere one executemany."""
    if not rows:
        return
    names = ", ".join(columns)
    if connection.dialect.driver == "psycopg":
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join(mark for _ in columns)})", rows)
