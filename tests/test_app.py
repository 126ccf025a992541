import re
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

from coop import create_app, web


def test_config_testing(app):
    assert app.testing
    assert not create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).testing


def test_default_database_is_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "sqlite:///" + str(Path(app.instance_path) / "coop.sqlite3"))


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@localhost/coop")
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u:p@localhost/coop"


def test_secret_key_generated_once_into_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("COOP_INSTANCE_PATH", str(tmp_path))
    a = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    b = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(a.config["SECRET_KEY"]) == 64 and a.config["SECRET_KEY"] == b.config["SECRET_KEY"]
    assert [p.name for p in tmp_path.iterdir() if "secret_key" in p.name] == ["secret_key"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_key_file_made_meanwhile_by_another_process_is_kept(monkeypatch, tmp_path):
    """Two workers starting at once: the one that finds the key file made
    between its look and its write keeps the other's key, whole (the file
    was written, then created and filled in place: a worker could read it
    empty and sign sessions with an empty key; CI saw it once)."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("COOP_INSTANCE_PATH", str(tmp_path))
    key_file = tmp_path / "secret_key"
    real_exists = Path.exists

    def made_meanwhile(path):
        if path == key_file and not real_exists(path):
            key_file.write_text("k" * 64)  # the other worker wins the race
            return False
        return real_exists(path)

    monkeypatch.setattr(Path, "exists", made_meanwhile)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == "k" * 64
    assert sorted(p.name for p in tmp_path.iterdir() if "secret_key" in p.name) == ["secret_key"]


def test_migrations_upgrade_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="heads")
    tables = set(inspect(create_engine(url)).get_table_names())
    assert {"cooperatives", "users", "login_attempts", "audit_entries", "alembic_version"} <= tables


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_mapped_reads(app):
    from coop.database import SQLITE_MMAP_BYTES
    from coop.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == SQLITE_MMAP_BYTES


def test_login_page_in_chinese_with_security_headers(client):
    resp = client.get("/login")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'lang="zh-CN"' in html and "登录" in html
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "HX-Request" in resp.headers["Vary"]


def test_no_inline_script_or_style_and_no_cdn(client):
    html = client.get("/login").get_data(as_text=True)
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert "http://" not in html and "https://" not in html
    assert re.search(r'src="/static/vendor/htmx/htmx-2\.0\.11\.min\.[0-9a-f]{12}\.js"', html)  # fingerprinted


def test_htmx_vendored_with_licence():
    root = Path(__file__).parents[1] / "static" / "vendor" / "htmx"
    assert (root / "LICENSE").exists()
    assert "htmx" in (root / "htmx-2.0.11.min.js").read_text()[:2000].lower()


def test_session_cookie_settings(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_404_page_in_chinese(client):
    resp = client.get("/no-such-page")
    assert resp.status_code == 404
    assert "页面不存在" in resp.get_data(as_text=True)


def test_htmx_error_is_plain_text_for_the_banner(client):
    resp = client.get("/no-such-page", headers={"HX-Request": "true"})
    assert resp.status_code == 404
    assert resp.content_type.startswith("text/plain")
    assert "不存在" in resp.get_data(as_text=True)


def test_500_page_in_chinese(app, client):
    app.testing = False  # let the handler run instead of raising

    @app.get("/boom-test")
    def boom():
        raise RuntimeError("boom")

    boom.allowed_roles = None
    resp = client.get("/boom-test")
    assert resp.status_code == 500
    assert "系统出错" in resp.get_data(as_text=True)


def test_every_route_declares_its_roles(app):
    for endpoint, view in app.view_functions.items():
        if endpoint != "static":
            assert hasattr(view, "allowed_roles"), endpoint


def test_migrations_build_exactly_the_models_schema(app):
    """`flask db check`: the migrated database has every table, column, index
    and unique constraint the models declare, and nothing else."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from coop.extensions import db

    with app.app_context(), db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diffs == []


def test_template_filters_every_domain_uses_are_registered_once_by_the_app(app):
    """mu, area and shares are used by the templates of several domains: coop.web
    registers them for the whole app, no blueprint does (a template must not
    depend on another domain's blueprint being registered)."""
    filters = app.jinja_env.filters
    for name in ("yuan", "percent", "mask_id", "datefmt", "datetimefmt", "mu", "area", "shares"):
        assert filters[name].__module__ in ("coop.web", "coop.money", "coop.idcodes"), name
    bare = Flask("bare")  # no blueprint registered
    web.register_web(bare)
    assert bare.jinja_env.from_string(
        "{{ 1250|mu }} {{ 1250|area }} {{ 1500|shares }} {{ 150|shares(true) }} "
        "{{ None|shares }}").render() == "12.50 12.50 1,500 +150 "
