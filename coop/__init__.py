"""coop: a village shareholding cooperative, served as plain pages with htmx."""
from __future__ import annotations

import functools
import os
import secrets
from pathlib import Path
from typing import Any, Mapping

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, Response, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from coop import assets, requestlog
from coop.extensions import cache, compress, csrf, db, htmx, login_manager, migrate


PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``templates``, ``static`` or ``migrations``: top-level directories of the
    repository, installed inside the package (pyproject.toml maps them there)."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=_instance_path(),
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    app.config.from_object("coop.config.DefaultConfig")
    if config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_secret_key(app)
    _configure_database_url(app)
    _configure_public_url(app)
    _configure_https(app)
    _configure_proxies(app)
    requestlog.configure_logging(app)
    requestlog.init_app(app)  # first: its timer covers every other hook

    db.init_app(app)
    cache.init_app(app)
    compress.init_app(app)
    assets.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)

    from coop import models  # noqa: F401  (registers every model)
    from coop.database import register_sqlite_pragmas
    from coop.forms import use_html_attributes
    from coop.web import register_web

    with app.app_context():
        register_sqlite_pragmas(db.engine)
    register_web(app)
    use_html_attributes()

    from coop.domains import domain_modules

    for views in domain_modules("views"):
        app.register_blueprint(views.bp)
    for _receivers in domain_modules("receivers"):
        pass  # importing a receivers module connects its signal receivers

    from coop import tasks
    from coop.navigation import menu_context

    app.context_processor(menu_context)
    from coop.audit.services import register_audit_listener
    from coop.auth.access import (check_every_route_declares_roles, current_coop_id, public,
                                  refuse_overseer_writes)
    from coop.cli import register_cli
    from coop.web import scope_requests

    scope_requests(app, current_coop_id)
    app.before_request(refuse_overseer_writes)

    app.add_url_rule("/healthz", "healthz", public(healthz))
    tasks.init_app(app)
    register_audit_listener()
    register_cli(app)
    check_every_route_declares_roles(app)
    return app


@functools.cache
def schema_heads() -> frozenset[str]:
    """The revisions the migrations lead to (one, as tests/test_app.py checks)."""
    return frozenset(ScriptDirectory(str(resource_dir("migrations"))).get_heads())


def healthz() -> tuple[Response, int]:
    """200 when the database answers and its schema is at the migrations'
    head, 503 otherwise. No login; it names nothing but the schema revision."""
    try:
        with db.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    head = schema_heads()
    schema = ",".join(sorted(current)) or None
    if current != head:
        return jsonify(status="unavailable", database="ok", schema=schema,
                       expected=",".join(sorted(head))), 503
    return jsonify(status="ok", database="ok", schema=schema), 200


def _instance_path() -> str | None:
    """COOP_INSTANCE_PATH when set; otherwise Flask's default: ``instance/`` in a
    checkout, ``<prefix>/var/coop-instance`` when installed."""
    path = os.environ.get("COOP_INSTANCE_PATH")
    return str(Path(path).resolve()) if path else None


def _configure_secret_key(app: Flask) -> None:
    """SECRET_KEY from the environment or instance/config.py; otherwise one
    generated into instance/secret_key (COOP_SECRET_KEY_GENERATED, which
    ``flask --app coop preflight`` refuses in production)."""
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if app.config.get("SECRET_KEY"):
        return
    app.config["COOP_SECRET_KEY_GENERATED"] = True
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        _create_key_file(key_file)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _create_key_file(key_file: Path) -> None:
    """Write a new key beside ``key_file`` and link it into place whole, unless
    another process (a second worker starting, a command) made it first: a
    reader never sees the file created but not yet written (an empty key)."""
    draft = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    # readable by the owner only from the moment it exists
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
        f.write(secrets.token_hex(32))
    try:
        os.link(draft, key_file)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def _configure_database_url(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "coop.sqlite3")
    if url.startswith("postgres://"):  # the form many hosts hand out
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url


def _configure_public_url(app: Flask) -> None:
    """COOP_PUBLIC_URL (environment or instance/config.py): the address people
    type, ``https://coop.example.cn``. Links the app writes out use its scheme,
    and an https address turns COOP_HTTPS on unless COOP_HTTPS says otherwise."""
    url = (os.environ.get("COOP_PUBLIC_URL") or app.config.get("COOP_PUBLIC_URL") or "").strip()
    app.config["COOP_PUBLIC_URL"] = url.rstrip("/") or None
    scheme = url.partition("://")[0].lower()
    if scheme in ("http", "https"):
        app.config["PREFERRED_URL_SCHEME"] = scheme
    if scheme == "https" and "COOP_HTTPS" not in os.environ:
        app.config["COOP_HTTPS"] = True


def _configure_https(app: Flask) -> None:
    if os.environ.get("COOP_HTTPS") == "1":
        app.config["COOP_HTTPS"] = True
    if app.config["COOP_HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True


def _configure_proxies(app: Flask) -> None:
    """ProxyFix for COOP_PROXY_HOPS trusted proxies: the client's address is
    then taken from X-Forwarded-For (and the scheme from X-Forwarded-Proto)."""
    raw = os.environ.get("COOP_PROXY_HOPS", app.config["COOP_PROXY_HOPS"])
    try:
        hops = int(raw)
    except (TypeError, ValueError):
        hops = -1
    if hops < 0:
        raise RuntimeError(f"COOP_PROXY_HOPS 应为 0 或正整数（反向代理的层数），现为 {raw!r}")
    app.config["COOP_PROXY_HOPS"] = hops
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
