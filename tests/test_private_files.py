"""Files holding members' personal data are written 0600 whatever the umask
(backups, every file the command line exports, staged import uploads), and
pg_dump / pg_restore get the database password in their environment, never
on their command line."""
from __future__ import annotations

import io
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from coop import backup as backup_module
from coop.extensions import db
from coop.files import open_private
from tests.test_members_import import ROWS, xlsx


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def open_umask():
    """The usual umask 022, under which open() makes 0644 files."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_open_private_creates_and_narrows_an_existing_file(tmp_path):
    new = tmp_path / "new.csv"
    with open_private(new, "w") as out:
        out.write("x")
    assert mode(new) == 0o600
    old = tmp_path / "old.csv"
    old.write_text("public")
    assert mode(old) == 0o644
    with open_private(old, "w") as out:
        out.write("private")
    assert mode(old) == 0o600 and old.read_text() == "private"


def test_backup_file_is_0600(app, runner, staff, tmp_path):
    with app.app_context():
        if db.engine.dialect.name == "postgresql" and shutil.which("pg_dump") is None:
            pytest.skip("pg_dump is not installed")
    out = tmp_path / "coop.backup"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert mode(out) == 0o600 and out.stat().st_size > 0


def test_a_failed_backup_leaves_no_file(app, tmp_path, monkeypatch):
    def broken(_engine, _out):
        raise RuntimeError("disk full")

    monkeypatch.setattr(backup_module, "_sqlite_backup", broken)
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    out = tmp_path / "x.backup"
    with pytest.raises(RuntimeError):
        backup_module.backup(engine, out)
    assert not out.exists()


def test_cli_exports_are_0600(runner, portal_world, tmp_path):
    outputs = {
        "masked.csv": ["members", "export", "--coop", "t1"],
        "masked.xlsx": ["members", "export", "--coop", "t1"],
        "full.csv": ["members", "export", "--coop", "t1", "--full-id"],
        "full.xlsx": ["members", "export", "--coop", "t1", "--full-id"],
        "template.xlsx": ["members", "template"],
        "holdings.csv": ["shares", "holdings", "--coop", "t1", "--date", "2025-12-31"],
        "dividends.csv": ["dividends", "export", "--coop", "t1", "--year", "2025"],
        "statements.pdf": ["statements", "pdf", "--coop", "t1", "--year", "2025"],
    }
    for name, args in outputs.items():
        out = tmp_path / name
        result = runner.invoke(args=[*args, str(out)])
        assert result.exit_code == 0, (name, result.output)
        assert out.stat().st_size > 0 and mode(out) == 0o600, name
    overwritten = tmp_path / "was-public.csv"
    overwritten.write_text("old")
    result = runner.invoke(args=["members", "export", "--coop", "t1", "--full-id",
                                 str(overwritten)])
    assert result.exit_code == 0 and mode(overwritten) == 0o600


def test_staged_import_upload_is_0600(app, auth, client, staff):
    auth.login("admin")
    resp = client.post("/members/import", data={"file": (io.BytesIO(xlsx(ROWS)), "roster.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{32})"',
                      resp.get_data(as_text=True)).group(1)
    staged, = (Path(app.instance_path) / "imports").glob(f"*-{token}.xlsx")
    try:
        assert mode(staged) == 0o600
    finally:
        staged.unlink()


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, argv, **kwargs):
        self.calls.append((argv, kwargs))
        return subprocess.CompletedProcess(argv, 0, "", "")


@pytest.fixture
def pg_engine():
    return create_engine("postgresql+psycopg://coop:Sekr3t%40pw@db.example:5433/coopdb"
                         "?sslmode=require")


def test_pg_dump_and_pg_restore_get_the_password_in_the_environment(pg_engine, tmp_path,
                                                                     monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(backup_module.subprocess, "run", recorder)
    monkeypatch.setattr(backup_module.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    out = tmp_path / "pg.backup"
    backup_module.backup(pg_engine, out)
    source = tmp_path / "in.backup"
    source.write_bytes(b"PGDMP" + b"\0" * 64)
    backup_module.restore(pg_engine, source)

    assert [argv[0] for argv, _ in recorder.calls] == ["pg_dump", "pg_restore"]
    for argv, kwargs in recorder.calls:
        assert not any("Sekr3t" in arg for arg in argv), argv
        assert f"--dbname=postgresql://coop@db.example:5433/coopdb?sslmode=require" in argv
        assert kwargs["env"]["PGPASSWORD"] == "Sekr3t@pw"
        assert kwargs["env"]["PATH"] == os.environ["PATH"]
    assert mode(out) == 0o600  # created before pg_dump writes into it


def test_pg_without_a_password_sets_none(tmp_path, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(backup_module.subprocess, "run", recorder)
    monkeypatch.setattr(backup_module.shutil, "which", lambda tool: f"/usr/bin/{tool}")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    engine = create_engine("postgresql+psycopg://coop@/coopdb")
    backup_module.backup(engine, tmp_path / "pg.backup")
    (argv, kwargs), = recorder.calls
    assert "PGPASSWORD" not in kwargs["env"]
