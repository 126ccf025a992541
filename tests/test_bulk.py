"""coop.bulk: paused_gc turns the collector off inside and back on after;
insert_rows writes plain tuples through the driver on both databases."""
from __future__ import annotations

import gc
import threading

import pytest

from coop.bulk import insert_rows, paused_gc


def test_collector_off_inside_and_on_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error():
    with pytest.raises(ZeroDivisionError):
        with paused_gc():
            1 / 0
    assert gc.isenabled()


def test_nested_and_overlapping_threads_turn_it_on_only_at_the_end():
    inside, release = threading.Event(), threading.Event()

    def other():
        with paused_gc():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with paused_gc():
        thread.start()
        inside.wait(5)
        with paused_gc():
            pass
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still inside
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_left_off_if_it_was_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- insert_rows: PostgreSQL's COPY and SQLite's executemany -----------------

AWKWARD = [
    (1, "王小明", None, 2**62),
    (2, "tab\there, line\nbreak, back\\slash", "\\N", -(2**62)),
    (3, "'quoted' \"twice\", comma; 分号", "", 0),
]


@pytest.fixture
def probe(app):
    from sqlalchemy import text

    from coop.extensions import db

    with app.app_context():
        db.session.execute(text("CREATE TABLE bulk_probe (id INTEGER PRIMARY KEY, "
                                "name VARCHAR(80) NOT NULL, note VARCHAR(20), fen BIGINT)"))
        db.session.commit()
        try:
            yield db.session
        finally:
            db.session.rollback()
            db.session.execute(text("DROP TABLE bulk_probe"))
            db.session.commit()


def _probe_rows(session) -> list[tuple]:
    from sqlalchemy import text

    return [tuple(r) for r in session.execute(
        text("SELECT id, name, note, fen FROM bulk_probe ORDER BY id"))]


def test_rows_arrive_as_written_whatever_their_characters(probe):
    insert_rows(probe.connection(), "bulk_probe", ("id", "name", "note", "fen"), AWKWARD)
    assert _probe_rows(probe) == AWKWARD
    probe.commit()
    assert _probe_rows(probe) == AWKWARD


def test_rows_are_part_of_the_sessions_transaction(probe):
    from sqlalchemy import text

    probe.execute(text("INSERT INTO bulk_probe VALUES (9, 'before', NULL, 0)"))
    insert_rows(probe.connection(), "bulk_probe", ("id", "name", "note", "fen"), AWKWARD)
    probe.rollback()
    assert _probe_rows(probe) == []


def test_columns_in_the_order_given_and_nothing_for_no_rows(probe):
    insert_rows(probe.connection(), "bulk_probe", ("fen", "name", "id"), [(5, "甲", 7)])
    insert_rows(probe.connection(), "bulk_probe", ("id", "name"), [])
    assert _probe_rows(probe) == [(7, "甲", None, 5)]
