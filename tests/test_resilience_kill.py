"""A process killed with SIGKILL while it saves leaves all of it or none.

Each command runs in a child process against the test database. To kill it
at the worst moment, the child pauses right before its commit, after every
row has been written inside the open transaction (it reports how many rows
it sees there); the test then kills it with SIGKILL and finds the database
exactly as before. A pause right after the commit, killed the same way,
leaves all of it. The real ``flask members import`` is also killed at
several moments while it runs: the roster has either none or all of the rows.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coop.extensions import db

ROOT = Path(__file__).resolve().parent.parent
ROWS = 1500

CHILD = r'''
import json, os, sys, time
from pathlib import Path
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session
from coop import create_app

url, marker, when, count_sql, args = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
app = create_app({"TESTING": True, "SECRET_KEY": "kill-test", "SQLALCHEMY_DATABASE_URI": url})
wrote = []

@event.listens_for(Session, "after_flush")
def _wrote(session, ctx):
    wrote.append(True)

def _pause(session, seen):
    marker.write_text(json.dumps({"seen": seen}))
    time.sleep(300)  # killed here

if when == "before_commit":
    @event.listens_for(Session, "before_commit")
    def _before(session):
        if wrote:
            session.flush()
            _pause(session, session.execute(text(count_sql)).scalar())
else:
    @event.listens_for(Session, "after_commit")
    def _after(session):
        if wrote:
            _pause(session, None)

result = app.test_cli_runner().invoke(args=args)
marker.write_text(json.dumps({"finished": result.exit_code, "output": result.output}))
'''


def _run_and_kill(database_url: str, tmp_path: Path, when: str, count_sql: str,
                  args: list[str]) -> dict:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    marker = tmp_path / f"marker-{when}.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(script), database_url, str(marker), when,
                             count_sql, json.dumps(args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)  # the marker is complete
    proc.send_signal(signal.SIGKILL)
    output = proc.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert marker.exists(), f"the child never reached its commit:\n{output}"
    state = json.loads(marker.read_text())
    assert "finished" not in state, f"the command ended on its own: {state}"
    assert proc.returncode == -signal.SIGKILL
    return state


def _roster_csv(path: Path, rows: int, start: int = 1) -> Path:
    from coop.idcodes import resident_id_check_char

    lines = ["成员编号,姓名,身份证号,户号,村民小组,联系电话,成员类别,是否党员,入社日期"]
    for i in range(start, start + rows):
        first17 = f"150203{1950 + i // 1000:04d}0101{i % 1000:03d}"
        idn = first17 + resident_id_check_char(first17)
        lines.append(f"K{i:05d},杀进程{i},{idn},H{i:05d},一组,139{i:08d},村民,否,2024-03-01")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _members(app, code: str) -> int:
    from coop.cooperatives.models import Cooperative
    from coop.members.models import Member

    with app.app_context():
        coop_id = db.session.scalar(select(Cooperative.id).where(Cooperative.code == code))
        return db.session.scalar(select(func.count(Member.id)).where(
            Member.cooperative_id == coop_id))


def _count_sql(code: str) -> str:
    return ("SELECT count(*) FROM members WHERE cooperative_id = "
            f"(SELECT id FROM cooperatives WHERE code = '{code}')")


def test_member_import_killed_before_its_commit_leaves_nothing(
        app, database_url, create_coop, fingerprint, tmp_path):
    create_coop("t1")
    csv = _roster_csv(tmp_path / "roster.csv", ROWS)
    before = fingerprint()
    state = _run_and_kill(database_url, tmp_path, "before_commit", _count_sql("t1"),
                          ["members", "import", str(csv), "--coop", "t1"])
    assert state["seen"] == ROWS  # every row was written inside the transaction
    assert fingerprint() == before
    assert _members(app, "t1") == 0


def test_member_import_killed_after_its_commit_keeps_everything(
        app, database_url, create_coop, tmp_path):
    create_coop("t1")
    csv = _roster_csv(tmp_path / "roster.csv", ROWS)
    _run_and_kill(database_url, tmp_path, "after_commit", _count_sql("t1"),
                  ["members", "import", str(csv), "--coop", "t1"])
    assert _members(app, "t1") == ROWS


def test_dividend_plan_recompute_killed_before_its_commit_leaves_the_old_draft(
        app, database_url, demo, fingerprint, tmp_path):
    """The demo's 2025 draft is recomputed (its lines deleted and written
    again); killed before the commit, the old draft stays exactly as it was."""
    pytest.importorskip("coop.dividends.compute")
    from coop.cooperatives.services import get_by_code
    from coop.dividends.models import DividendLine, DividendPlan

    with app.app_context():
        coop = get_by_code(demo)
        plan = db.session.scalar(select(DividendPlan).where(
            DividendPlan.cooperative_id == coop.id, DividendPlan.year == 2025,
            DividendPlan.status == "draft"))
        if plan is None:
            pytest.skip("the demo has no 2025 draft plan")
        lines = db.session.scalar(select(func.count(DividendLine.id)).where(
            DividendLine.plan_id == plan.id))
    before = fingerprint()
    count_sql = ("SELECT count(*) FROM dividend_lines WHERE plan_id = "
                 f"{plan.id}")
    state = _run_and_kill(database_url, tmp_path, "before_commit", count_sql,
                          ["dividends", "compute", "--coop", demo, "--year", "2025"])
    assert state["seen"] == lines  # the new lines were written, not committed
    assert fingerprint() == before


def test_real_import_command_killed_at_any_moment_is_all_or_nothing(
        app, database_url, create_coop, tmp_path):
    """``flask --app coop members import`` in its own process, killed after
    different delays: the roster has 0 or all rows, never a part."""
    create_coop("t1")
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    flask = str(Path(sys.executable).with_name("flask"))
    seen = set()
    imported = 0
    for attempt, delay in enumerate((0.8, 1.6, 2.4, 60)):
        csv = _roster_csv(tmp_path / f"roster{attempt}.csv", ROWS, start=1 + attempt * ROWS)
        proc = subprocess.Popen([flask, "--app", "coop", "members", "import", str(csv),
                                 "--coop", "t1"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        after = _members(app, "t1")
        assert after in (imported, imported + ROWS), (delay, after, imported)
        seen.add(after - imported)
        imported = after
    assert ROWS in seen  # the last run (no kill) finished and wrote everything
