"""Backup while the app is writing: ``flask --app coop backup OUT`` copies
the last committed state (SQLite's online backup, pg_dump's snapshot) even
while another connection holds an open write transaction, and
``restore`` brings exactly that state back. (The plain round trip, refusals
and the prompt are in test_backup.py.)"""
from __future__ import annotations

import shutil
from datetime import date

import pytest
from sqlalchemy import select, text

from coop.extensions import db


def _member_nos(app) -> list[str]:
    from coop.members.models import Member

    with app.app_context():
        return sorted(db.session.scalars(select(Member.member_no)))


def test_backup_during_an_open_write_has_the_committed_state_only(
        app, runner, staff, create_member, fingerprint, tmp_path):
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
    from tests.conftest_members import make_id

    create_member("t1", member_no="CY0001", name="张三", id_number=make_id(1))
    committed = fingerprint()
    out = tmp_path / "during-write.backup"
    with app.app_context():
        coop_id = db.session.scalar(text("SELECT id FROM cooperatives WHERE code = 't1'"))
        writer = db.engine.connect()
        writer.begin()
        writer.execute(text(
            "INSERT INTO members (cooperative_id, member_no, name, name_initials, kind, "
            "household_no, village_group, id_tail, phone, is_party_member, status, created_at, "
            "version) VALUES (:c, 'CY0002', '李四', 'ls', 'villager', 'H2', '', '', '', "
            ":f, 'active', :t, 1)"), {"c": coop_id, "f": False, "t": date(2026, 1, 1)})
        try:
            result = runner.invoke(args=["backup", str(out)])
            assert result.exit_code == 0, result.output
        finally:
            writer.commit()  # the write completes after the copy was taken
            writer.close()
    assert _member_nos(app) == ["CY0001", "CY0002"]
    result = runner.invoke(args=["restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert _member_nos(app) == ["CY0001"]
    assert fingerprint() == committed
