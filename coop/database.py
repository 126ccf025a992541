"""Engine set-up shared by every domain, the bound of a row id, and the
64-bit integer column type."""
import re

from sqlalchemy import BigInteger, Integer, event
from sqlalchemy.engine import Engine
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32-bit on PostgreSQL
_ID = re.compile(r"[0-9]{1,10}")


def parse_id(text: str | None) -> int | None:
    """A row id from a URL, a query argument or a posted reference: ASCII
    digits that fit an id column, else None (a larger number raises
    OverflowError in SQLite's driver past 64 bits and 'integer out of range'
    in PostgreSQL past 32; ``str.isdigit`` also takes '²')."""
    if text is None or _ID.fullmatch(text) is None:
        return None
    value = int(text)
    return value if value <= MAX_ID else None


SQLITE_MMAP_BYTES = 1 << 30


def _pragmas(dbapi_connection, file: bool) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    if file:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cursor.close()


def _file_pragmas(dbapi_connection, _record) -> None:
    _pragmas(dbapi_connection, file=True)


def _memory_pragmas(dbapi_connection, _record) -> None:
    _pragmas(dbapi_connection, file=False)


def register_sqlite_pragmas(engine: Engine) -> None:
    """WAL journal, foreign keys and a busy timeout on every SQLite connection,
    and the database file read through memory mapping: a write by another
    worker empties each connection's own page cache, and mapped pages are
    read again without a system call and a copy each (the load test's mix of
    reads cost 0.9 ms more CPU a request while another process wrote 20 times
    a second, and nothing more with the mapping; issue 19). Registered once
    an engine, however many apps share it (the tests do)."""
    if engine.dialect.name != "sqlite":
        return
    listener = _memory_pragmas if engine.url.database in (None, "", ":memory:") else _file_pragmas
    if not event.contains(engine, "connect", listener):
        event.listen(engine, "connect", listener)


class Int64(TypeDecorator):
    """A 64-bit integer column (money in fen, share counts and weights, areas
    in hundredths) that reads back as ``int`` on every database: PostgreSQL's
    SUM of a BIGINT is NUMERIC, which the driver would hand over as Decimal."""

    impl = BigInteger
    cache_ok = True

    @property
    def _expression_adaptations(self):
        # amount + sum(...) - sum(...) stays Int64 (read back as int), not BIGINT
        adaptations = {op: dict(types) for op, types in
                       self.impl_instance._expression_adaptations.items()}
        for op in (operators.add, operators.sub, operators.mul, operators.floordiv):
            adaptations[op][Integer] = Int64
        return adaptations

    def process_result_value(self, value, dialect):
        return None if value is None else int(value)
