"""The queue of batch PDF jobs (coop.tasks, Huey): one running job per
cooperative and the others in line behind it, a cap per user, members' own
statements never behind a batch, and jobs that survive a restart of the
worker. These tests switch the app's queue from immediate mode to its real
SqliteHuey file (in the test's temporary folder) and work it in-process."""
from __future__ import annotations

import re
import signal
import time
from datetime import timedelta

import pytest
from flask import Flask
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coop import clock, create_app, tasks
from coop.extensions import db
from coop.statements import jobs
from coop.statements.models import StatementJob
from tests.conftest import _config

JOB_RE = re.compile(r"/statements/jobs/([0-9a-f]{16})")


@pytest.fixture
def real_queue(app):
    """The app's queue as in production: a SqliteHuey file, worked by nobody
    until the test says so."""
    huey = tasks.huey_of(app)
    huey.immediate = False
    assert isinstance(huey.storage.filename, str) and huey.pending_count() == 0
    yield huey
    huey.storage.close()


def ask(client, year: int) -> tuple[int, str, str | None]:
    resp = client.post(f"/statements/{year}/pdf", headers={"HX-Request": "true"})
    text = resp.get_data(as_text=True)
    match = JOB_RE.search(text)
    return resp.status_code, text, match.group(1) if match else None


def job_rows(app) -> dict[str, tuple]:
    with app.app_context():
        return {j.token: (j.state, j.done, j.total, j.year)
                for j in db.session.scalars(select(StatementJob).order_by(StatementJob.id))}


def coop_id(app, code: str) -> int:
    from coop.cooperatives.services import get_by_code

    with app.app_context():
        return get_by_code(code).id


def work_queue(huey) -> int:
    """What one worker thread does: take each queued task and run it."""
    n = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        n += 1
    return n


def test_jobs_wait_in_line_one_cooperative_at_a_time(app, client, auth, portal_world, jobs_dir,
                                                     real_queue, create_coop, create_user):
    create_coop("t2")
    t2_coop, t2_user = coop_id(app, "t2"), create_user("t2", "t2admin")
    with app.app_context():  # another cooperative's job, first in its own line, not in t1's
        db.session.add(StatementJob(
            token="0" * 16, cooperative_id=t2_coop, user_id=t2_user, year=2025,
            plan_id=portal_world.plans["2025"],
            state="queued", done=0, total=4, message="排队中", filename="x.pdf",
            created_at=clock.utcnow(), updated_at=clock.utcnow()))
        db.session.commit()

    auth.login("admin")
    status, text, first = ask(client, 2025)
    assert status == 200 and "排队中，马上开始生成，共 4 份" in text
    assert 'hx-trigger="every 1s"' in text and "<progress" not in text
    auth.logout()
    auth.login("accountant")
    status, text, second = ask(client, 2024)
    assert status == 200 and "排队中，前面还有 1 个" in text
    auth.logout()
    auth.login("supervisor")
    status, text, third = ask(client, 2025)
    assert status == 200 and "排队中，前面还有 2 个" in text
    assert real_queue.pending_count() == 3
    assert {t: r[0] for t, r in job_rows(app).items()} == {
        "0" * 16: "queued", first: "queued", second: "queued", third: "queued"}

    assert work_queue(real_queue) == 3  # the first task draws all three, in order
    rows = job_rows(app)
    assert rows[first] == ("done", 4, 4, 2025) and rows[second] == ("done", 4, 4, 2024)
    assert rows[third] == ("done", 4, 4, 2025) and rows["0" * 16][0] == "queued"
    with app.app_context():
        started = list(db.session.scalars(select(StatementJob.token).where(
            StatementJob.started_at.is_not(None)).order_by(StatementJob.started_at,
                                                           StatementJob.id)))
    assert started == [first, second, third]
    page = client.get(f"/statements/jobs/{third}").get_data(as_text=True)
    assert "已生成 4 份对账单" in page and "下载 PDF" in page


def test_a_users_third_job_is_refused(app, client, auth, portal_world, jobs_dir, real_queue,
                                      fingerprint):
    auth.login("admin")
    assert ask(client, 2025)[0] == 200 and ask(client, 2024)[0] == 200
    before = fingerprint()
    status, text, token = ask(client, 2025)
    assert status == 422 and token is None
    assert "您已有 2 个对账单 PDF 在排队或生成中（每人最多 2 个），请等其中一个完成后再生成" in text
    assert fingerprint() == before and real_queue.pending_count() == 2
    auth.logout()
    auth.login("accountant")  # the cap is per user, not per cooperative
    assert ask(client, 2025)[0] == 200
    auth.logout()
    auth.login("admin")
    work_queue(real_queue)
    assert ask(client, 2025)[0] == 200  # once done, they count no more


def test_one_running_job_per_cooperative_is_a_fact_of_the_database(app, client, auth,
                                                                    portal_world, jobs_dir,
                                                                    real_queue):
    auth.login("admin")
    first = ask(client, 2025)[2]
    second = ask(client, 2024)[2]
    with app.app_context():
        db.session.execute(update(StatementJob).where(StatementJob.token == first)
                           .values(state="running"))
        db.session.commit()
        with pytest.raises(IntegrityError):
            db.session.execute(update(StatementJob).where(StatementJob.token == second)
                               .values(state="running"))
            db.session.commit()
        db.session.rollback()
        jobs.run_queue(coop_id(app, "t1"))  # a second worker finds one running
    assert job_rows(app)[second][0] == "queued"
    text = client.get(f"/statements/jobs/{second}").get_data(as_text=True)
    assert "排队中，前面还有 1 个" in text


def test_members_statements_never_wait_behind_a_batch(app, client, auth, portal_world,
                                                      jobs_dir, real_queue):
    auth.login("admin")
    first = ask(client, 2025)[2]
    ask(client, 2024)
    with app.app_context():  # a long batch is being drawn, another waits
        db.session.execute(update(StatementJob).where(StatementJob.token == first)
                           .values(state="running", done=1))
        db.session.commit()
    before = job_rows(app)
    started = time.monotonic()
    resp = client.get(f"/statements/2025/members/{portal_world.members['CY0002']}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    auth.logout()
    auth.login("CY0001")
    resp = client.get("/me/statements/2025.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    assert time.monotonic() - started < 30
    assert job_rows(app) == before and real_queue.pending_count() == 2


def test_a_job_first_in_line_for_long_asks_whether_the_worker_runs(app, client, auth,
                                                                   portal_world, jobs_dir,
                                                                   real_queue, monkeypatch):
    auth.login("admin")
    token = ask(client, 2025)[2]
    later = clock.utcnow() + timedelta(seconds=jobs.STALLED_SECONDS + 5)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    text = client.get(f"/statements/jobs/{token}", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert "后台任务进程在运行" in text and "批量打印" in text
    assert "flask" not in text and "make run" not in text  # no command lines for the secretary


def test_jobs_survive_a_restart_of_the_worker(app, client, auth, portal_world, jobs_dir,
                                              real_queue, database_url, tmp_path):
    auth.login("admin")
    first = ask(client, 2025)[2]
    auth.logout()
    auth.login("accountant")
    second = ask(client, 2024)[2]
    # a worker took the first task and stopped half-way through its job
    assert real_queue.dequeue() is not None
    with app.app_context():
        db.session.execute(update(StatementJob).where(StatementJob.token == first)
                           .values(state="running", done=2, message="正在生成…",
                                   started_at=clock.utcnow()))
        db.session.commit()
    real_queue.storage.close()
    text = client.get(f"/statements/jobs/{first}").get_data(as_text=True)
    assert "已完成 2 / 4 份" in text and "中断" not in text

    # the restart: a new process, a new Huey instance on the same file
    config = {**_config(database_url, tmp_path), "HUEY_IMMEDIATE": False,
              "STATEMENT_JOBS_DIR": str(jobs_dir)}
    restarted = create_app(config)
    huey = tasks.huey_of(restarted)
    assert huey is not real_queue and isinstance(huey, SqliteHuey)
    assert huey.storage.filename == real_queue.storage.filename
    assert huey.pending_count() == 1  # the second job's task waited in the file

    tasks.recover(restarted)
    assert job_rows(app)[first][:2] == ("queued", 0)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    consumer = tasks.create_consumer(restarted, workers=2)
    consumer.start()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if {r[0] for r in job_rows(app).values()} == {"done"}:
                break
            time.sleep(0.2)
    finally:
        consumer.stop(graceful=True)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        huey.storage.close()
        with restarted.app_context():
            db.engine.dispose()
    rows = job_rows(app)
    assert rows[first] == ("done", 4, 4, 2025) and rows[second] == ("done", 4, 4, 2024)
    auth.logout()
    auth.login("admin")
    resp = client.get(f"/statements/jobs/{first}/download")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")


def test_the_queue_is_a_sqlite_file_under_instance_unless_redis_is_configured(
        tmp_path, monkeypatch):
    monkeypatch.delenv("COOP_REDIS_URL", raising=False)
    app = Flask("coop-test", instance_path=str(tmp_path))
    app.config["COOP_REDIS_URL"] = None
    huey = tasks.make_huey(app)
    assert isinstance(huey, SqliteHuey) and not huey.immediate
    assert huey.storage.filename == str(tmp_path / "huey.sqlite3")
    huey.storage.close()

    app.config["COOP_REDIS_URL"] = "redis://127.0.0.1:6399/3"
    huey = tasks.make_huey(app)  # no connection until it is used
    assert isinstance(huey, RedisHuey)
    assert huey.storage.pool.connection_kwargs["port"] == 6399
    app.config["COOP_REDIS_URL"] = None
    monkeypatch.setenv("COOP_REDIS_URL", "redis://127.0.0.1:6398/1")
    assert tasks.make_huey(app).storage.pool.connection_kwargs["port"] == 6398

    monkeypatch.setattr(tasks.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(RuntimeError, match="没有安装 redis 软件包"):
        tasks.make_huey(app)


def test_worker_command_has_nothing_to_do_in_immediate_mode(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 1 and "不需要后台任务进程" in result.output


def test_the_statements_page_lists_the_users_pdfs_of_the_last_day(app, client, auth, portal_world,
                                                                  jobs_dir, real_queue, set_clock):
    """A tester left the page after 生成全部对账单 PDF; coming back to
    /statements/ nothing led to the PDF but the one-time link."""
    auth.login("admin")
    status, _, token = ask(client, 2025)
    assert status == 200 and token
    page = client.get("/statements/?year=2025").get_data(as_text=True)
    assert "我生成的对账单 PDF" in page and f"/statements/jobs/{token}" in page and "排队中" in page
    work_queue(real_queue)
    page = client.get("/statements/?year=2025").get_data(as_text=True)
    assert f"/statements/jobs/{token}/download" in page
    auth.logout()
    auth.login("accountant")  # another user's PDFs are not listed
    assert token not in client.get("/statements/?year=2025").get_data(as_text=True)
    auth.logout()
    auth.login("admin")
    set_clock(clock.today() + timedelta(days=2))  # kept a day
    assert token not in client.get("/statements/?year=2025").get_data(as_text=True)
