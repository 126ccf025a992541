"""Browser tests: the app served on 127.0.0.1 in a thread, driven by Debian's
Chromium through Playwright. In CI a missing browser fails the run."""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


# The axe runs (test_axe_<role>_browser.py) read the pages' markup and
# styles, which do not depend on the database: they run where DATABASE_URL
# is not PostgreSQL (CI's SQLite run). On PostgreSQL every page is still
# requested by the role tables (tests/test_roles.py) and the browser flows.
AXE_ON_SQLITE_ONLY = pytest.mark.skip(reason="axe reads markup, the same on every database: run on SQLite")


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgresql")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if item.path.name.startswith("test_axe_") and on_postgresql():
                item.add_marker(AXE_ON_SQLITE_ONLY)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (Debian package 'chromium')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def live_server(app):
    """The app on a free port of 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture
def phone_context(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2, locale="zh-CN")
    yield context
    context.close()
