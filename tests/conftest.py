"""Fixtures in the style of the Flask tutorial: ``app``, ``client``, ``runner``,
an ``auth`` helper, and factories (``create_coop``, ``create_user``).

The schema is built once per session through the migrations (as in
production); each test then starts from empty tables. DATABASE_URL selects
PostgreSQL (CI runs the suite on both).
"""
from __future__ import annotations

import os
import re
import time as walltime
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from coop import clock, create_app
from coop.extensions import db
from coop.idcodes import uscc_with_check
from tests import engine_cache, routing_cache, template_cache
from tests.db_snapshots import Snapshots, drop_leftover_schemas

routing_cache.install()
engine_cache.install()

# Each domain's fixtures live in tests/conftest_<domain>.py; list them here.
pytest_plugins: list[str] = ["tests.conftest_shares", "tests.conftest_members", "tests.conftest_machinery", "tests.conftest_dividends", "tests.conftest_portal", "tests.conftest_migrations"]

PASSWORD = "test-pass-123"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


# Files of a few tests that take seconds each (the demo loaded on several
# days, every route walked with another cooperative's records, the benchmark
# kit, processes killed and restarted): 25-70 s a file.
LONG_FILES = frozenset({
    "test_demo_every_day.py", "test_tenant_routes.py", "test_resilience_bench_smoke.py",
    "test_resilience_kill.py", "test_machinery_order_counts.py", "test_statements_jobs.py",
    "test_oversight_views.py",
})


def pytest_collection_modifyitems(items) -> None:
    """The longest test files first, so that the parallel run (xdist's
    ``--dist loadfile --no-loadscope-reorder``, README "Tests") does not end
    with one worker alone on a long file: the axe runs (every page of a role
    at two widths, 2-7 minutes each in one test), the other browser files,
    LONG_FILES, then the rest by their number of tests, as xdist orders them
    by default (which would put the axe runs, one test a file, last)."""
    counts = Counter(item.path for item in items)

    def rank(item) -> tuple:
        browser = "browser" in item.path.parts
        return (not item.path.name.startswith("test_axe_"), not browser,
                item.path.name not in LONG_FILES, -counts[item.path], str(item.path))

    items.sort(key=rank)


# The Beijing time every test starts at, so that no test depends on the real date.
FIXED_NOW = datetime(2026, 6, 15, 10, 0)


class WallClock:
    """The machine's clock as the tests see it: it starts at a fixed Beijing
    time and runs on in real time (so timestamps taken one after the other
    still differ); ``set`` moves it to another date or time."""

    def __init__(self, moment: date | datetime):
        self.set(moment)

    def set(self, moment: date | datetime) -> None:
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, FIXED_NOW.time())
        self._start_utc = clock.utc_of_local(moment)
        self._started = walltime.monotonic()

    def utcnow(self) -> datetime:
        return self._start_utc + timedelta(seconds=walltime.monotonic() - self._started)

    def run_on_to(self, moment_utc: datetime) -> None:
        """Move the clock on to ``moment_utc`` if it is not there yet."""
        behind = (moment_utc - self.utcnow()).total_seconds()
        if behind > 0:
            self._started -= behind

    @property
    def started_at(self) -> datetime:
        return self._start_utc


@pytest.fixture
def now(request) -> datetime:
    """The Beijing time the test starts at: FIXED_NOW, or the test's
    ``@pytest.mark.now("YYYY-MM-DD[ HH:MM]")``; a module may override this fixture."""
    marker = request.node.get_closest_marker("now")
    if marker is None:
        return FIXED_NOW
    value = marker.args[0]
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if " " in value or "T" in value else date.fromisoformat(value)
    return value if isinstance(value, datetime) else datetime.combine(value, FIXED_NOW.time())


@pytest.fixture(autouse=True)
def wall_clock(now, monkeypatch) -> WallClock:
    """Every test runs on a fixed clock (``coop.clock.system_utcnow``; ``today``
    and ``utcnow`` follow it). Process-wide, so a browser test's server thread
    sees the same date."""
    fixed = WallClock(now)
    monkeypatch.setattr(clock, "system_utcnow", fixed.utcnow)
    return fixed


def _config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": None,
        "HUEY_IMMEDIATE": True,  # queued tasks run at once, in the test's process
        "HUEY_SQLITE_PATH": str(instance / "huey.sqlite3"),
    }


def _reset_schema(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
                drop_leftover_schemas(conn)
        upgrade(revision="heads")


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database,
    ``<name>_<worker>`` beside DATABASE_URL's (created when missing)."""
    if worker == "master":
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id) -> str:
    url = os.environ.get("DATABASE_URL")
    url = _worker_database(url, worker_id) if url else (
        "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3"))
    app = create_app(_config(url, tmp_path_factory.getbasetemp()))
    _reset_schema(app)
    return url


def _empty_all_tables(app) -> None:
    """Every table emptied, dependents first; on PostgreSQL every sequence
    used starts again at 1 (as on SQLite, where an id is the largest plus
    one). A DELETE of the tables that have rows, not a TRUNCATE of all: a
    TRUNCATE gives each of the ~70 tables and their indexes new files, which
    took 0.6-1.4 s a test on the shared machine against 0.1-0.4 s. On
    PostgreSQL the deletes and the sequences' reset go in one round trip."""
    with app.app_context():
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name != "postgresql":
                for table in tables:
                    conn.execute(table.delete())
                return
            filled = set(conn.execute(text(" UNION ALL ".join(
                f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"
                for t in tables))).scalars())
            conn.exec_driver_sql("".join(
                [f'DELETE FROM "{t.name}";' for t in tables if t.name in filled]
                + ["SELECT setval(('public.' || quote_ident(sequencename))::regclass, 1, false) "
                   "FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"]))


class CoopClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token unless told not to:
    the token Flask-WTF gives the client's session (kept in its cookie), as
    a page's form would carry it, without rendering a page for it."""

    def csrf_token(self) -> str:
        field = self.application.config["WTF_CSRF_FIELD_NAME"]
        with self.session_transaction() as kept, self.application.test_request_context():
            if field in kept:
                session[field] = kept[field]
            token = generate_csrf()
            kept[field] = session[field]
        return token

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = dict(kwargs.pop("data", None) or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(_config(database_url, tmp_path))
    app.test_client_class = CoopClient
    template_cache.use(app)
    yield app
    _empty_all_tables(app)


@pytest.fixture
def client(app) -> CoopClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def credit_code_for(n: int) -> str:
    """The ``n``-th test cooperative's credit code: valid, and its own (a
    code another cooperative has is refused); t1's is credit_code_for(1)."""
    return uscc_with_check(f"93150299MA{n:07d}")


@pytest.fixture
def create_coop(app):
    """Factory: a cooperative with the default charter; returns its code."""
    from coop.cooperatives.services import create_cooperative

    counter = iter(range(1, 10_000))

    def make(code: str | None = None, **values) -> str:
        n = next(counter)
        code = code or f"t{n}"
        values.setdefault("name", f"测试合作社{n}")
        values.setdefault("credit_code", credit_code_for(n))
        values.setdefault("village", "测试村")
        values.setdefault("town", "测试镇")
        with app.app_context():
            create_cooperative(code, **values)
            db.session.commit()
        return code

    return make


@pytest.fixture
def create_user(app):
    """Factory: a user of a cooperative; returns the user id."""
    from coop.auth.services import create_user as service
    from coop.cooperatives.services import get_by_code

    def make(coop_code: str, username: str, role: str = "admin", password: str = PASSWORD,
             must_change: bool = False, display_name: str | None = None) -> int:
        with app.app_context():
            user, _ = service(get_by_code(coop_code), username, display_name or username, role,
                              password=password, must_change=must_change)
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def create_overseer(app):
    """Factory: an overseer's account of the township (or with ``county=True``
    a county made above it) of cooperative ``coop_code``; returns the area's
    code, which the overseer types at login instead of a cooperative's."""
    from coop.auth.services import create_overseer as service
    from coop.cooperatives.area_services import add_area
    from coop.cooperatives.services import get_by_code

    def make(coop_code: str = "t1", username: str = "overseer", county: bool = False,
             password: str = PASSWORD) -> str:
        with app.app_context():
            area = get_by_code(coop_code).area.parent
            if county:
                top = add_area(f"C-{area.code}", f"{area.name}所在县", "county")
                area.parent_id = top.id
                area = top
            code = area.code
            service(area, username, username, password=password, must_change=False)
            db.session.commit()
        return code

    return make


class AuthActions:
    def __init__(self, client: CoopClient):
        self._client = client

    def login(self, username: str = "admin", password: str = PASSWORD, coop: str = "t1",
              follow_redirects: bool = False):
        return self._client.post("/login", data={"coop": coop, "username": username,
                                                 "password": password},
                                 follow_redirects=follow_redirects)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_staff(create_coop, create_user):
    """Factory behind ``staff``, for loaders that build it with more."""
    def make() -> tuple[str, dict[str, int]]:
        code = create_coop("t1")
        ids = {role: create_user(code, role, role=role) for role in
               ("admin", "accountant", "supervisor", "member")}
        return code, ids
    return make


@pytest.fixture
def staff(make_staff):
    """Cooperative t1 with one user of every staff role and a member login."""
    return make_staff()


_CLOCK_AS_IMPORTED = (clock.utcnow, clock.today)


@pytest.fixture(scope="session")
def snapshots(database_url, tmp_path_factory):
    """This worker's database states built once (tests/db_snapshots.py)."""
    kept = Snapshots(tmp_path_factory.mktemp("snapshots"))
    yield kept
    app = create_app(_config(database_url, tmp_path_factory.getbasetemp()))
    with app.app_context():
        kept.drop()
        db.engine.dispose()


def _load_once(app, snapshots, wall_clock, loader, key: tuple = ()):
    """``loader()`` committed, or its rows copied in from the first time it
    ran in this worker with the same ``key`` on the same clock: only while
    the clock is the suite's own (a test that replaced ``clock.today`` or
    ``clock.utcnow`` gets a real load). What the loader returned."""
    def load():
        value = loader()
        db.session.commit()
        return value

    with app.app_context():
        if (clock.utcnow, clock.today) != _CLOCK_AS_IMPORTED or clock.system_utcnow != wall_clock.utcnow:
            return load()
        return snapshots.load((loader.__name__, *key, wall_clock.started_at), load, wall_clock)


@pytest.fixture
def load_once(app, snapshots, wall_clock):
    """``load_once(loader, *key)``: what ``loader`` writes to the empty
    database (and returns), built once per worker for each key and copied
    in for later tests (tests/db_snapshots.py)."""
    return lambda loader, *key: _load_once(app, snapshots, wall_clock, loader, key)


@pytest.fixture
def demo(app, snapshots, wall_clock):
    """The reference cooperative wljs, loaded as ``flask --app coop demo`` does."""
    from coop.demo import load_demo

    _load_once(app, snapshots, wall_clock, load_demo)
    return "wljs"


@pytest.fixture
def fsc_demo(app, snapshots, wall_clock):
    """The second demo cooperative hxnj (a farmers' specialized cooperative),
    loaded as ``flask --app coop demo`` does after wljs."""
    from coop.demo import load_fsc_demo

    _load_once(app, snapshots, wall_clock, load_fsc_demo)
    return "hxnj"


def db_fingerprint(app) -> dict[str, list[tuple]]:
    """Every row of every table as the driver reads it, in the order of its
    primary key, for 'nothing changed' assertions. Read through the driver's
    own cursor: building rows and their reprs through SQLAlchemy was 63 % of
    the bad-input corpus's time (about 3,900 rows a demo cooperative)."""
    with app.app_context():
        with db.engine.connect() as conn:
            cursor = conn.connection.cursor()
            try:
                prints = {}
                for t in db.metadata.sorted_tables:
                    order = ", ".join(f'"{c.name}"' for c in (t.primary_key.columns or t.columns))
                    cursor.execute(f'SELECT * FROM "{t.name}" ORDER BY {order}')
                    prints[t.name] = cursor.fetchall()
                return prints
            finally:
                cursor.close()


@pytest.fixture
def fingerprint(app):
    return lambda: db_fingerprint(app)


@pytest.fixture
def set_clock(wall_clock):
    """``set_clock(day)``: from then on it is ``day``, 10:00 in Beijing
    (02:00 UTC), running on from there."""
    return wall_clock.set
