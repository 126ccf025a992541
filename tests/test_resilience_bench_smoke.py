"""Smoke test of the benchmark kit at a tiny size (the real benchmark never
runs in the suite: ``python -m benchmarks.run``, see README "Benchmarks").

The generator fills a fresh database through the migrations with rows that
obey the app's rules; the runner's scenarios 2 and 3 work on it and print
their table.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from benchmarks.common import make_app
from benchmarks.generate import Sizes, World, generate, reset_schema, resident_id
from benchmarks.loadtest import LOAD_TEST_BORN_FROM, Stats
from coop.extensions import db
from coop.idcodes import resident_id_error


@pytest.fixture
def bench_url(tmp_path) -> str:
    return "sqlite:///" + str(tmp_path / "bench.sqlite3")


def test_generated_ids_are_valid_and_unique():
    ids = {resident_id(i) for i in range(1, 3000)}
    assert len(ids) == 2999
    assert all(resident_id_error(i) is None for i in list(ids)[:200])


def test_generator_fills_a_small_county_that_obeys_the_rules(bench_url):
    app = make_app(bench_url)
    reset_schema(app)
    world = generate(app, Sizes.scaled(300, orders=2000, coops=3, small_members=5,
                                       member_logins=2), log=lambda *_: None)
    assert isinstance(world, World) and world.seconds > 0
    with app.app_context():
        from coop.machinery.models import ServiceOrder
        from coop.members.models import Member
        from coop.shares.models import ShareEntry
        from coop.shares.register import holdings_as_of

        assert db.session.scalar(select(func.count()).select_from(Member).where(
            Member.cooperative_id == world.coop_id)) == 301  # with the collective
        assert db.session.scalar(select(func.count()).select_from(ServiceOrder).where(
            ServiceOrder.cooperative_id == world.coop_id)) == 2000
        entries = db.session.scalar(select(func.count()).select_from(ShareEntry).where(
            ShareEntry.cooperative_id == world.coop_id))
        assert 2900 <= entries <= 3003
        # holdings never negative; amounts are area x price half-up
        from datetime import date

        assert all(h.shares > 0 for h in holdings_as_of(world.coop_id, date(2026, 12, 31)))
        bad = db.session.execute(text(
            "SELECT count(*) FROM service_orders WHERE amount_fen <> "
            "(area_cmu * unit_price_fen + 50) / 100")).scalar()
        assert bad == 0
        # each member login belongs to a member of the big cooperative
        linked = db.session.execute(text(
            "SELECT count(*) FROM users u JOIN members m ON m.id = u.member_id "
            "WHERE u.role = 'member' AND m.cooperative_id = :c"), {"c": world.coop_id}).scalar()
        assert linked == 2
        # order numbers: YYYY-NNNNN, unique per cooperative (a constraint)
        assert db.session.scalar(select(func.min(ServiceOrder.order_no)).where(
            ServiceOrder.cooperative_id == world.coop_id)).endswith("-00001")
        # the register's sums written with the bulk load are the register's
        from coop.cooperatives.services import get_by_code
        from coop.shares import structure, sums

        assert sums.drift() == []
        assert structure.structure(get_by_code("bench"), date(2025, 12, 31)).total_shares > 0
    path = Path(bench_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # the secondary indexes dropped for the load are back
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {"ix_members_coop_name", "ix_share_entries_coop_member_class_date",
                "ix_service_orders_coop_date"} <= names


def test_runner_prints_the_table_for_scenarios_2_and_3(bench_url, capsys):
    from benchmarks import run

    code = run.main(["--db", bench_url, "--members", "200", "--orders", "1000", "--coops", "2",
                     "--only", "2,3", "--rounds", "1"])
    out = capsys.readouterr().out
    assert "| 2 | roster search" in out and "| 3 | holdings_as_of" in out
    assert "| 3 | member roster .xlsx" in out and "| 3 | holdings .xlsx" in out
    assert "Machine:" in out
    assert code in (0, 1)  # 1 when a target is missed; a tiny run proves nothing either way
    # what --reuse reads is kept beside the database, in the test's own folder
    assert run._world_file(bench_url) == Path(bench_url.removeprefix("sqlite:///") + ".world.json")
    assert run._world_file(bench_url).exists()


def test_runner_prints_the_county_overview_of_scenario_6(bench_url, capsys):
    from benchmarks import run

    code = run.main(["--db", bench_url, "--members", "200", "--orders", "1000", "--coops", "3",
                     "--only", "6"])
    out = capsys.readouterr().out
    assert "| 6 | county overview of 3 cooperatives" in out and "county warnings of 3" in out
    assert "scenario failed" not in out
    assert code in (0, 1)


def test_runner_prints_receivables_and_the_order_list_of_scenario_7(bench_url, capsys):
    from benchmarks import run

    code = run.main(["--db", bench_url, "--members", "200", "--orders", "1000", "--coops", "2",
                     "--only", "7"])
    out = capsys.readouterr().out
    assert "| 7a | receivables report" in out and "| 7c | order list, a service with no orders" in out
    assert "scenario failed" not in out
    assert code in (0, 1)


def test_runner_refuses_a_database_not_named_bench(tmp_path):
    from benchmarks import run

    with pytest.raises(SystemExit, match="bench"):
        run.main(["--db", "sqlite:///" + str(tmp_path / "production.sqlite3"), "--members", "10",
                  "--only", "2"])


def test_runner_measures_the_public_notice_of_the_plan(bench_url, capsys):
    from benchmarks import run

    run.main(["--db", bench_url, "--members", "200", "--orders", "1000", "--coops", "2",
              "--only", "1,8"])
    out = capsys.readouterr().out
    assert "| 8 | public notice of " in out and "first bytes" in out
    assert "scenario failed" not in out


def test_runner_measures_the_share_structure_after_a_change_in_scenario_9(bench_url, capsys):
    from benchmarks import run

    code = run.main(["--db", bench_url, "--members", "200", "--orders", "1000", "--coops", "2",
                     "--only", "9"])
    out = capsys.readouterr().out
    assert "scenario failed" not in out
    assert "share structure page /shares/, first view after a change" in out
    assert code in (0, 1)


def test_load_test_reads_the_cpu_of_each_route_from_the_request_log(tmp_path):
    from benchmarks.loadtest import cpu_by_route

    log = tmp_path / "gunicorn.log"
    log.write_text("2026-12-01 11:00:00+0800 INFO coop.requests: GET /login 200 9.0ms "
                   "cpu=8.0ms coop=- user=-\n", encoding="utf-8")
    start = log.stat().st_size
    with log.open("a", encoding="utf-8") as f:
        for member_id, cpu in ((12, "6.0"), (345, "10.0")):
            f.write(f"2026-12-01 11:00:01+0800 INFO coop.requests: GET /members/{member_id} 200 "
                    f"20.0ms cpu={cpu}ms coop=bench user=1\n")
        f.write("2026-12-01 11:00:02+0800 INFO coop.requests: GET /me/ 200 5.0ms cpu=4.0ms "
                "coop=bench user=9\n[2026-12-01 11:00:02] gunicorn says something else\n")
    rows = cpu_by_route(log, start, server_cpu=0.03)
    assert [(r.what, r.figure) for r in rows] == [
        ("load test: CPU a request inside the app's request hooks (request log)", "6.7 ms"),
        ("  CPU GET /members/<id> 200", "8.0 ms"),
        ("  CPU GET /me/ 200", "4.0 ms")]
    assert "3 requests" in rows[0].note and "10.0 ms" in rows[0].note
    assert rows[1].note == "2 requests, 80% of the app's CPU"


def test_load_test_members_take_resident_ids_no_member_has():
    """Each run adds members; their IDs must be new in the database, or the
    app rightly refuses them with 422 and the run counts errors (runs on one
    database once collided through a time-based series)."""
    stats = Stats()
    stats.taken_ids = {resident_id(i, born_from=LOAD_TEST_BORN_FROM) for i in (5, 6, 8)}
    stats.next_id = 5
    fresh = [stats.fresh_id() for _ in range(4)]
    assert fresh == [resident_id(i, born_from=LOAD_TEST_BORN_FROM) for i in (7, 9, 10, 11)]
    assert len(set(fresh) | {resident_id(i, born_from=LOAD_TEST_BORN_FROM) for i in (5, 6, 8)}) == 7


def test_reuse_brings_a_database_generated_earlier_to_the_latest_migration(bench_url, capsys):
    """A bench database generated before a stop that added a migration is
    upgraded by ``--reuse`` before any scenario reads it."""
    from flask_migrate import downgrade

    from benchmarks import run

    args = ["--db", bench_url, "--members", "200", "--orders", "1000", "--coops", "2",
            "--only", "3", "--rounds", "1"]
    run.main(args)
    path = bench_url.removeprefix("sqlite:///")

    def revision() -> str:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]

    latest = revision()
    app = make_app(bench_url)
    with app.app_context():
        downgrade(revision="-1")
    assert revision() != latest
    capsys.readouterr()
    run.main(args + ["--reuse"])
    out = capsys.readouterr().out
    assert "reusing the data generated earlier" in out and "| 3 | holdings_as_of" in out
    assert revision() == latest
