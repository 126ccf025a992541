"""axe on every page the supervisor reaches, at both widths (tests/browser/axe_run.py)."""
from tests.browser.axe_run import axe_pages, run_role  # noqa: F401  (axe_pages is a fixture)


def test_axe_finds_no_wcag_violation_on_any_page_of_the_supervisor(live_server, browser, axe_pages):
    run_role(live_server, browser, axe_pages, "supervisor")
