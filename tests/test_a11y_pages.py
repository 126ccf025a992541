"""The accessibility run's table of pages covers every HTML GET route: a new
page is opened by tests/browser/axe_run.py by default, unless it is
a download, a redirect or a fragment named in the skip list with its reason."""
from pathlib import Path

from tests.a11y_pages import AXE_ROLES, SKIP, SKIP_ROLES, is_download, page_rows, role_rows

NOT_PAGES = {"static": "静态文件", "favicon": "网站图标（静态文件）", "healthz": "健康检查（纯文本）",
             "auth.logout": "只接受 POST"}
PUBLIC_PAGES = {"auth.login"}


def test_every_html_get_route_is_visited_or_skipped_with_a_reason(app):
    rows = role_rows()
    pages = page_rows()
    uncovered = []
    for rule in app.url_map.iter_rules():
        endpoint = rule.endpoint
        if "GET" not in (rule.methods or ()) or endpoint in NOT_PAGES or endpoint in PUBLIC_PAGES:
            continue
        if endpoint in pages or endpoint in SKIP:
            continue
        row = rows.get(endpoint)
        if row is not None and row[0] == "GET" and is_download(row[1]):
            continue
        uncovered.append(endpoint)
    assert uncovered == [], "open these pages in the axe run or add them to SKIP with a reason"


def test_every_page_is_reached_by_a_role_the_run_logs_in_as_or_one_skipped_with_a_reason():
    covered = set(AXE_ROLES) | set(SKIP_ROLES)
    assert {e: sorted(roles) for e, (_, roles) in page_rows().items() if not roles & covered} == {}
    assert all(reason.strip() for reason in SKIP_ROLES.values())


def test_the_skip_list_names_only_routes_that_exist_with_a_reason(app):
    assert set(SKIP) <= set(app.view_functions)
    assert all(reason.strip() for reason in SKIP.values())
    assert not set(SKIP) & set(page_rows())


def test_every_role_of_the_axe_run_has_its_own_test_file():
    """One file a role, so that the parallel suite's workers share the run."""
    browser_tests = Path(__file__).parent / "browser"
    assert {role for role in AXE_ROLES if not (browser_tests / f"test_axe_{role}_browser.py").exists()} == set()
    assert (browser_tests / "test_axe_overseer_browser.py").exists()
