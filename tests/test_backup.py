from coop.extensions import db


def _charter_edit(app, value):
    from sqlalchemy import select

    from coop.cooperatives.models import Cooperative

    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        coop.reserve_rate_bp = value
        db.session.commit()


def test_backup_and_restore_round_trip(app, runner, staff, fingerprint, tmp_path):
    out = tmp_path / "coop.backup"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "已备份到" in result.output
    saved = fingerprint()
    _charter_edit(app, 1234)
    assert fingerprint() != saved
    result = runner.invoke(args=["restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert fingerprint() == saved


def test_backup_refuses_to_overwrite(runner, staff, tmp_path):
    out = tmp_path / "exists.backup"
    out.write_text("x")
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 1 and "已存在" in result.output


def test_restore_refuses_foreign_file(runner, staff, fingerprint, tmp_path):
    bad = tmp_path / "not-a-backup.bin"
    bad.write_bytes(b"hello world, not a database" * 10)
    before = fingerprint()
    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1 and "备份文件" in result.output
    assert fingerprint() == before
    result = runner.invoke(args=["restore", str(tmp_path / "missing"), "--yes"])
    assert result.exit_code == 1 and "找不到备份文件" in result.output


def test_restore_asks_first(runner, staff, tmp_path):
    out = tmp_path / "b.backup"
    runner.invoke(args=["backup", str(out)])
    result = runner.invoke(args=["restore", str(out)], input="n\n")
    assert result.exit_code == 1 and "已取消" in result.output


def _rotate(runner, folder, keep=2):
    result = runner.invoke(args=["backup", "--dir", str(folder), "--keep", str(keep)])
    assert result.exit_code == 0, result.output
    return result.output


def test_backups_into_a_folder_keep_the_newest_n_and_the_newest_restores(
        app, runner, staff, fingerprint, tmp_path, wall_clock):
    import re
    from datetime import datetime

    folder = tmp_path / "backups"
    other = folder / "notes.txt"
    states = []
    for n, moment in enumerate((datetime(2026, 6, 13, 2, 30), datetime(2026, 6, 14, 2, 30),
                                datetime(2026, 6, 15, 2, 30))):
        wall_clock.set(moment)
        _charter_edit(app, 1000 + n)
        states.append(fingerprint())
        output = _rotate(runner, folder)
        if n == 0:
            other.write_text("not a backup")
    assert "删除了较早的 1 份" in output
    names = sorted(p.name for p in folder.iterdir())
    suffix = ".pgdump" if "postgresql" in app.config["SQLALCHEMY_DATABASE_URI"] else ".sqlite3"
    assert len(names) == 3 and names[2] == "notes.txt"  # the oldest backup removed, nothing else
    assert re.fullmatch(rf"coop-20260614-023000-\d{{3}}\{suffix}", names[0])  # Beijing time
    assert re.fullmatch(rf"coop-20260615-023000-\d{{3}}\{suffix}", names[1])
    assert all((folder / n).stat().st_mode & 0o777 == 0o600 for n in names[:2])
    assert folder.stat().st_mode & 0o777 == 0o700
    _charter_edit(app, 4321)
    result = runner.invoke(args=["restore", str(folder / names[1]), "--yes"])
    assert result.exit_code == 0, result.output
    assert fingerprint() == states[2]


def test_backup_needs_a_file_or_a_folder_and_keep_goes_with_the_folder(runner, staff, tmp_path):
    result = runner.invoke(args=["backup"])
    assert result.exit_code == 1 and "二者选一" in result.output
    result = runner.invoke(args=["backup", str(tmp_path / "a.backup"), "--keep", "2"])
    assert result.exit_code == 1 and "--keep 只能与 --dir 一起使用" in result.output
    result = runner.invoke(args=["backup", "--dir", str(tmp_path), "--keep", "0"])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []
