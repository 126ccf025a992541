"""axe on the county overseer's own pages and, after choosing wljs, pages
under the read-only banner, at both widths (tests/browser/axe_run.py)."""
from tests.browser.axe_run import run_overseer


def test_axe_finds_no_wcag_violation_on_the_overseers_pages(live_server, browser, app, demo, fsc_demo):
    run_overseer(live_server, browser, app)
