"""Running it for real (issue 22): /healthz, the request log, fingerprinted and
long-cached static files, compressed responses, and the settings a real
server refuses to start without (``flask --app coop preflight``, gunicorn's
start). The production command itself is started, used and stopped by
.ci/serve-smoke in CI."""
from __future__ import annotations

import gzip
import logging
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from coop import create_app, schema_heads
from coop.config import production_problems
from coop.extensions import db
from coop.requestlog import REQUEST_LOGGER, BeijingFormatter
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')
GOOD_KEY = "k" * 64


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, name: str) -> list[str]:
        return [r.getMessage() for r in self.records if r.name == name]


@pytest.fixture
def log_lines():
    """What the ``coop`` logger (the app's, and its child coop.requests) writes."""
    handler = Lines()
    logger = logging.getLogger("coop")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


# --- /healthz ---------------------------------------------------------------

def test_healthz_answers_200_without_login_when_the_schema_is_at_head(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    head = ",".join(sorted(schema_heads()))
    assert resp.json == {"status": "ok", "database": "ok", "schema": head}
    assert "Set-Cookie" not in resp.headers
    assert resp.headers["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_schema_is_behind(app, client):
    with app.app_context():
        (head,) = schema_heads()
        db.session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        db.session.commit()
    try:
        resp = client.get("/healthz")
        assert resp.status_code == 503
        assert resp.json == {"status": "unavailable", "database": "ok", "schema": "0001",
                             "expected": head}
    finally:
        with app.app_context():
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
            db.session.commit()
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-folder" / "coop.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503
    assert resp.json == {"status": "unavailable", "database": "unreachable"}


def test_healthz_answers_503_on_an_empty_database(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    resp = app.test_client().get("/healthz")
    assert resp.status_code == 503 and resp.json["schema"] is None


# --- the request log --------------------------------------------------------

def test_one_log_line_per_request_without_query_values(client, auth, staff, log_lines):
    auth.login("admin")
    log_lines.records.clear()
    resp = client.get("/members/?q=张三&status=active&q=110101199003074514")
    assert resp.status_code == 200
    lines = log_lines.messages(REQUEST_LOGGER)
    assert len(lines) == 1, lines
    user_id = staff[1]["admin"]
    line = re.fullmatch(rf"GET /members/\?q&status 200 (\d+\.\d)ms cpu=(\d+\.\d)ms coop=t1 "
                        rf"user={user_id}", lines[0])
    assert line, lines[0]
    duration, cpu = float(line[1]), float(line[2])
    assert 0 < cpu <= duration + 0.1  # the worker's CPU time is a part of the wall time


def test_log_line_of_a_write_names_the_user_after_the_commit(client, auth, staff, log_lines):
    log_lines.records.clear()
    auth.login("admin")
    line = log_lines.messages(REQUEST_LOGGER)[-1]
    assert line.startswith("POST /login 302 ") and line.endswith(f"coop=t1 user={staff[1]['admin']}")


def test_log_line_never_carries_a_resident_id_from_the_path(client, log_lines):
    resp = client.get("/members/110101199003074514")
    assert resp.status_code in (302, 404)
    (line,) = log_lines.messages(REQUEST_LOGGER)
    assert "110101199003074514" not in line and line.startswith("GET /members/* ")
    assert line.endswith("coop=- user=-")


def test_log_times_are_beijing_time():
    record = logging.LogRecord("coop.requests", logging.INFO, __file__, 1, "GET / 200", None, None)
    record.created = datetime(2026, 6, 15, 2, 0, tzinfo=timezone.utc).timestamp()
    line = BeijingFormatter().format(record)
    assert line.startswith("2026-06-15 10:00:00+0800 INFO coop.requests: GET / 200")


def test_an_error_goes_to_the_log_with_its_traceback_and_the_user_sees_the_error_page(
        database_url, tmp_path, log_lines):
    from coop.auth.access import public

    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": database_url,
                      "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")})

    def broken():
        raise RuntimeError("boom in the view")

    app.add_url_rule("/broken", "broken", public(broken))
    resp = app.test_client().get("/broken?member=9")
    assert resp.status_code == 500
    body = resp.get_data(as_text=True)
    assert "系统出了点问题" in body and "boom" not in body and "Traceback" not in body
    errors = [r for r in log_lines.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info and "boom in the view" in str(errors[0].exc_info[1])
    assert log_lines.messages(REQUEST_LOGGER)[-1].startswith("GET /broken?member 500 ")


def test_sql_errors_never_carry_the_statement_values(app):
    with app.app_context():
        assert db.engine.hide_parameters


# --- static files -----------------------------------------------------------

def test_static_links_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/login").get_data(as_text=True)
    links = STATIC_LINK.findall(html)
    assert any(re.fullmatch(r"/static/css/app\.[0-9a-f]{12}\.css", u) for u in links), links
    assert any(re.fullmatch(r"/static/vendor/htmx/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js", u)
               for u in links), links
    for url in links:
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.cache_control.max_age == 365 * 24 * 3600 and resp.cache_control.immutable


def test_the_site_icon_answers_where_browsers_look_for_it(client):
    """Browsers ask /favicon.ico of every site (a 404 in every page's
    console otherwise); the pages link the same icon."""
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert resp.get_data().startswith(b"<svg") and resp.cache_control.max_age == 24 * 3600
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon\.[0-9a-f]{12}\.svg"', html)


def test_a_changed_file_gets_a_new_name(app, tmp_path):
    from coop.assets import StaticFingerprints

    (tmp_path / "css").mkdir()
    sheet = tmp_path / "css" / "x.css"
    sheet.write_text("a{}")
    prints = StaticFingerprints(tmp_path, recheck_seconds=0)
    first = prints.fingerprinted("css/x.css")
    sheet.write_text("a{color:red}")
    second = prints.fingerprinted("css/x.css")
    assert first != second and second.startswith("css/x.") and second.endswith(".css")
    assert prints.original(second) == ("css/x.css", True)
    assert prints.original(first) == ("css/x.css", False)
    assert prints.fingerprinted("css/missing.css") == "css/missing.css"


def test_a_file_is_looked_at_again_after_a_second(tmp_path):
    """Every page links four static files: within a second of its last look
    a file's digest is taken as it was (no stat); after it, the change shows."""
    from coop import assets

    now = [100.0]
    sheet = tmp_path / "x.css"
    sheet.write_text("a{}")
    prints = assets.StaticFingerprints(tmp_path, monotonic=lambda: now[0])
    first = prints.fingerprinted("x.css")
    sheet.write_text("a{color:red}")
    now[0] += 0.5
    assert prints.fingerprinted("x.css") == first
    now[0] += 0.6
    second = prints.fingerprinted("x.css")
    assert second != first and prints.original(second) == ("x.css", True)
    sheet.unlink()
    now[0] += 1.1
    assert prints.fingerprinted("x.css") == "x.css"


def test_plain_and_outdated_names_are_revalidated_not_kept(client):
    plain = client.get("/static/css/app.css")
    assert plain.status_code == 200 and not plain.cache_control.immutable
    old = client.get("/static/css/app.000000000000.css")
    assert old.status_code == 200 and not old.cache_control.immutable
    assert old.get_data() == plain.get_data()
    assert client.get("/static/css/nothing.000000000000.css").status_code == 404
    assert client.get("/static/../coop/config.py").status_code == 404


def test_every_template_links_static_files_through_url_for():
    """One helper makes every static URL (url_for('static', ...), which the
    app fingerprints): no template writes a /static/ path by hand."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.html")
                 if re.search(r"""["'(]/static/""", p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_pages_and_static_files_are_compressed(client, auth, staff):
    resp = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip"
    assert "登录" in gzip.decompress(resp.get_data()).decode()
    (htmx,) = [u for u in STATIC_LINK.findall(client.get("/login").get_data(as_text=True))
               if "htmx" in u]
    resp = client.get(htmx, headers={"Accept-Encoding": "br, gzip"})
    assert resp.headers["Content-Encoding"] == "br" and "Accept-Encoding" in resp.headers["Vary"]
    assert len(resp.get_data()) < 25_000  # 52 KB of htmx
    # a browser on plain http (Chrome: "gzip, deflate") gets deflate for a static file
    resp = client.get(htmx, headers={"Accept-Encoding": "gzip, deflate"})
    assert resp.headers["Content-Encoding"] == "deflate" and len(resp.get_data()) < 25_000


# --- the settings a real server needs ----------------------------------------

def test_production_problems_name_each_missing_setting_in_chinese():
    assert production_problems({"SECRET_KEY": GOOD_KEY, "COOP_PUBLIC_URL": "https://coop.example.cn"}) == []
    missing = production_problems({})
    assert len(missing) == 2
    assert "缺少 SECRET_KEY" in missing[0] and "缺少 COOP_PUBLIC_URL" in missing[1]
    generated = production_problems({"SECRET_KEY": GOOD_KEY, "COOP_SECRET_KEY_GENERATED": True,
                                     "COOP_PUBLIC_URL": "https://coop.example.cn"})
    assert len(generated) == 1 and "自动生成" in generated[0]
    (short,) = production_problems({"SECRET_KEY": "abc", "COOP_PUBLIC_URL": "http://10.0.0.2:8000"})
    assert "SECRET_KEY 太短" in short
    (bad_url,) = production_problems({"SECRET_KEY": GOOD_KEY, "COOP_PUBLIC_URL": "coop.example.cn"})
    assert "应以 http:// 或 https:// 开头" in bad_url


def test_an_https_public_url_makes_cookies_secure(monkeypatch):
    monkeypatch.delenv("COOP_HTTPS", raising=False)
    monkeypatch.setenv("COOP_PUBLIC_URL", "https://coop.example.cn/")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["COOP_PUBLIC_URL"] == "https://coop.example.cn"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["PREFERRED_URL_SCHEME"] == "https"


def test_preflight_refuses_a_generated_key_and_a_missing_public_url(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("COOP_PUBLIC_URL", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    result = app.test_cli_runner().invoke(args=["preflight"])
    assert result.exit_code == 1
    assert "缺少 SECRET_KEY" in result.output and "缺少 COOP_PUBLIC_URL" in result.output
    assert not (tmp_path / "p.sqlite3").exists() or (tmp_path / "p.sqlite3").stat().st_size == 0


def test_preflight_migrates_when_the_settings_are_there(monkeypatch, tmp_path):
    monkeypatch.setenv("COOP_PUBLIC_URL", "http://127.0.0.1:8000")
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    app = create_app({"SECRET_KEY": GOOD_KEY, "SQLALCHEMY_DATABASE_URI": url})
    result = app.test_cli_runner().invoke(args=["preflight"])
    assert result.exit_code == 0, result.output
    assert app.test_client().get("/healthz").status_code == 200


def test_gunicorn_refuses_to_start_without_the_settings(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "COOP_INSTANCE_PATH": str(tmp_path / "instance"),
           "COOP_BIND": "127.0.0.1:0"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    run = subprocess.run([str(gunicorn), "-c", "python:coop.gunicorn_conf", "coop:create_app()"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "缺少 SECRET_KEY" in run.stderr and "缺少 COOP_PUBLIC_URL" in run.stderr
    assert "Booting worker" not in run.stderr


def test_gunicorn_settings_suit_the_machine(monkeypatch):
    import importlib

    import coop.gunicorn_conf as conf

    monkeypatch.delenv("COOP_WEB_WORKERS", raising=False)
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1})
    conf = importlib.reload(conf)
    assert conf.workers == 5 and conf.bind == ["127.0.0.1:8000"]
    assert conf.timeout >= 60 and conf.graceful_timeout >= 10 and conf.max_requests
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: set(range(64)))
    monkeypatch.setenv("COOP_WEB_WORKERS", "3")
    monkeypatch.setenv("COOP_BIND", "0.0.0.0:8080")
    conf = importlib.reload(conf)
    assert conf.workers == 3 and conf.bind == ["0.0.0.0:8080"]
    monkeypatch.delenv("COOP_WEB_WORKERS")
    assert importlib.reload(conf).workers == 8


def test_a_worker_freezes_what_it_loaded_before_its_first_request(monkeypatch, app):
    """After the app and its templates are loaded, the cyclic garbage
    collector no longer walks them (a full collection took 180-320 ms)."""
    import gc
    from types import SimpleNamespace

    import coop.gunicorn_conf as conf

    compiled = []
    monkeypatch.setattr(conf, "compile_templates", compiled.append)
    gc.unfreeze()
    try:
        conf.post_worker_init(SimpleNamespace(wsgi=app))
        assert compiled == [app]
        frozen = gc.get_freeze_count()
        assert frozen > 10_000
        assert not any(o is app for o in gc.get_objects())  # out of every generation
    finally:
        gc.unfreeze()


# --- deploy/ agrees with the app ----------------------------------------------

DEPLOY = ROOT / "deploy"


def _unit(name: str) -> dict[str, dict[str, str]]:
    import configparser

    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(DEPLOY / name, encoding="utf-8")
    return {section: dict(parser[section]) for section in parser.sections()}


def _env_example() -> dict[str, str]:
    lines = (DEPLOY / "coop.env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_systemd_units_run_the_apps_own_commands(app, runner, staff, tmp_path):
    web, worker, backup = (_unit(f"coop-{n}.service")["Service"] for n in ("web", "worker", "backup"))
    assert web["ExecStartPre"].endswith("/flask --app coop preflight")
    assert "gunicorn -c python:coop.gunicorn_conf 'coop:create_app()'" in web["ExecStart"]
    assert web["Type"] == "notify" and "HUP" in web["ExecReload"]
    assert worker["ExecStart"].endswith("/flask --app coop worker") and worker["KillSignal"] == "SIGINT"
    assert all(s["EnvironmentFile"] == "/etc/coop/coop.env" for s in (web, worker, backup))
    *_, command = backup["ExecStart"].partition("flask --app coop ")
    args = command.split()
    assert args[:2] == ["backup", "--dir"] and args[3:] == ["--keep", "14"]
    assert args[2] in backup["ReadWritePaths"].split()
    result = runner.invoke(args=["backup", "--dir", str(tmp_path / "b"), *args[3:]])
    assert result.exit_code == 0, result.output
    timer = _unit("coop-backup.timer")["Timer"]
    assert timer["OnCalendar"].endswith("Asia/Shanghai") and timer["Persistent"] == "true"
    for command in ("preflight", "worker", "backup"):
        assert command in app.cli.commands


def test_the_nginx_site_and_the_environment_example_agree_with_the_app(app):
    env = _env_example()
    site = (DEPLOY / "nginx-coop.conf").read_text(encoding="utf-8")
    assert production_problems({**env, "SECRET_KEY": GOOD_KEY}) == []
    assert env["COOP_PROXY_HOPS"] == "1"  # nginx is the one proxy that sets the headers below
    assert site.count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") == 1
    assert site.count("proxy_set_header X-Forwarded-Proto $scheme;") == 1
    assert f"server {env['COOP_BIND']} " in site
    assert "listen 443 ssl" in site and "return 301 https://" in site
    body = re.search(r"client_max_body_size (\d+)m;", site)
    assert int(body.group(1)) * 1024 * 1024 == app.config["MAX_CONTENT_LENGTH"]
    import coop.gunicorn_conf as conf

    assert int(re.search(r"proxy_read_timeout (\d+)s;", site).group(1)) > conf.timeout
    assert not list(ROOT.glob("Dockerfile*")) and not list(ROOT.glob("Containerfile*"))


def test_log_line_after_a_commit_names_the_user_without_reading_it_again(app, staff):
    from flask import g
    from sqlalchemy import event

    from coop.auth.models import User
    from coop.extensions import db
    from coop.requestlog import _who

    statements: list[str] = []

    def executed(conn, cursor, statement, *args):
        statements.append(statement)

    with app.test_request_context("/members/", method="POST"):
        g._login_user = db.session.get(User, staff[1]["admin"])
        db.session.commit()
        event.listen(db.engine, "before_cursor_execute", executed)
        try:
            who = _who()
        finally:
            event.remove(db.engine, "before_cursor_execute", executed)
    assert who == ("t1", str(staff[1]["admin"]))
    assert statements == []


def test_each_worker_compiles_every_template_once_through_the_bytecode_cache(tmp_path, monkeypatch):
    """gunicorn's post_worker_init compiles every template before the first
    request; a later worker loads them from the instance's bytecode cache."""
    import coop.gunicorn_conf as conf
    from coop import create_app

    monkeypatch.setenv("COOP_INSTANCE_PATH", str(tmp_path))
    config = {"TESTING": True, "SECRET_KEY": "x" * 40,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    templates = sorted(p.relative_to(ROOT / "templates").as_posix()
                       for p in (ROOT / "templates").rglob("*.html"))
    first = create_app(config)
    assert conf.compile_templates(first) == len(templates)
    assert {name for _, name in first.jinja_env.cache.keys()} >= set(templates)
    assert len(list((tmp_path / "template-cache").glob("*.cache"))) == len(templates)

    later = create_app(config)

    def no_compiling(*_args, **_kwargs):
        raise AssertionError("compiled again instead of loaded from the cache")

    monkeypatch.setattr(later.jinja_env, "compile", no_compiling)
    worker = type("Worker", (), {"wsgi": later})()
    conf.post_worker_init(worker)
    assert {name for _, name in later.jinja_env.cache.keys()} >= set(templates)
