"""Database states that many tests start from (the demo cooperatives), built
once per worker and copied in for each later test that asks.

Loading the demo is some 3.5 s of CPU; copying its rows back is a few
hundredths. A state is built by its loader on an empty database (so it is
exactly what the loader writes there) and kept beside the test tables: on
SQLite in a file of its own, on PostgreSQL in a schema of the worker's
database (with the values of the sequences). A later test with the same key
(the loader and the moment the test's clock started at, which the demo's
content follows) gets the rows copied into its still empty tables, and its
clock is moved on to where the loader had left it, so that what the test
writes comes after what the demo wrote, as after a real load. When the
tables are not empty (a test made a cooperative of its own first) the loader
runs as before. A loader may return what a test needs to know of what it
made (ids); a copy returns what the loader returned when it ran.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Hashable

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection

from coop.extensions import db

SCHEMA_PREFIX = "snapshot_"


@dataclass(frozen=True)
class Snapshot:
    where: str  # SQLite: the file; PostgreSQL: the schema
    sequences: dict[str, int | None]  # PostgreSQL: each sequence's last value
    clock_after: datetime  # the test clock (UTC) when the loader had finished
    value: Any  # what the loader returned (ids of what it made)
    filled: frozenset[str]  # the tables it wrote rows to


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def _columns(table: Table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


def all_tables_empty(conn: Connection) -> bool:
    return not any(conn.execute(text(f'SELECT 1 FROM "{t.name}" LIMIT 1')).first()
                   for t in _tables())


def drop_leftover_schemas(conn: Connection) -> None:
    """Snapshots a killed run left on a PostgreSQL worker database."""
    names = conn.execute(text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"),
                         {"p": SCHEMA_PREFIX + "%"}).scalars().all()
    for name in names:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


class Snapshots:
    """The snapshots of one worker's database, by key."""

    def __init__(self, directory: Path):
        self._directory = directory
        self._made: dict[Hashable, Snapshot] = {}

    def load(self, key: Hashable, loader: Callable[[], Any], wall_clock) -> Any:
        """Run ``loader`` (it commits) in the app context, or copy in the
        rows it wrote when it ran on an empty database before; what the
        loader returned (then or now)."""
        snapshot = self._made.get(key)
        with db.engine.connect() as conn:
            empty = all_tables_empty(conn)
        if not empty:
            return loader()
        if snapshot is None:
            value = loader()
            self._made[key] = self._save(len(self._made), wall_clock.utcnow(), value)
            return value
        self._restore(snapshot)
        wall_clock.run_on_to(snapshot.clock_after)
        return snapshot.value

    def drop(self) -> None:
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                drop_leftover_schemas(conn)
        self._made.clear()

    def _save(self, n: int, clock_after: datetime, value: Any) -> Snapshot:
        with db.engine.connect() as conn:
            filled = frozenset(t.name for t in _tables()
                               if conn.execute(text(f'SELECT 1 FROM "{t.name}" LIMIT 1')).first())
        tables = [t for t in _tables() if t.name in filled]
        if db.engine.dialect.name == "postgresql":
            schema = f"{SCHEMA_PREFIX}{n}"
            with db.engine.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
                for t in tables:
                    conn.execute(text(f'CREATE TABLE "{schema}"."{t.name}" AS TABLE public."{t.name}"'))
                sequences = dict(conn.execute(text(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
                )).tuples().all())
            return Snapshot(schema, sequences, clock_after, value, filled)
        path = self._directory / f"snapshot-{n}.sqlite3"
        with self._attached(path) as cursor:
            for t in tables:
                cursor.execute(f'CREATE TABLE snap."{t.name}" AS SELECT {_columns(t)} FROM main."{t.name}"')
        return Snapshot(str(path), {}, clock_after, value, filled)

    def _restore(self, snapshot: Snapshot) -> None:
        tables = [t for t in _tables() if t.name in snapshot.filled]
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                for t in tables:
                    conn.execute(text(f'INSERT INTO public."{t.name}" ({_columns(t)}) '
                                      f'SELECT {_columns(t)} FROM "{snapshot.where}"."{t.name}"'))
                for name, value in snapshot.sequences.items():
                    conn.execute(text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
                                 {"s": f'public."{name}"', "v": value or 1, "called": value is not None})
            return
        with self._attached(Path(snapshot.where)) as cursor:
            for t in tables:
                cursor.execute(f'INSERT INTO main."{t.name}" ({_columns(t)}) '
                               f'SELECT {_columns(t)} FROM snap."{t.name}"')

    class _Attached:
        def __init__(self, path: Path):
            self.path = path

        def __enter__(self):
            self.raw = db.engine.raw_connection()
            self.dbapi = self.raw.driver_connection
            self.saved_isolation = self.dbapi.isolation_level
            self.dbapi.isolation_level = None  # statements as written, no implicit BEGIN
            self.cursor = self.dbapi.cursor()
            self.cursor.execute("ATTACH DATABASE ? AS snap", (str(self.path),))
            self.cursor.execute("BEGIN")
            return self.cursor

        def __exit__(self, exc_type, exc, tb):
            try:
                self.cursor.execute("ROLLBACK" if exc_type else "COMMIT")
                self.cursor.execute("DETACH DATABASE snap")
            finally:
                self.cursor.close()
                self.dbapi.isolation_level = self.saved_isolation
                self.raw.close()
            return False

    def _attached(self, path: Path) -> "Snapshots._Attached":
        return Snapshots._Attached(path)
