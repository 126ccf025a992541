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
