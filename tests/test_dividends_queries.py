"""An htmx fragment computes only what it renders: a keystroke in the search
box of a plan's lines asks the database for the signed-in user, the plan, and
one page of lines with its count, and for nothing the rest of the page needs
(waterfall, workflow forms, other versions, payment counts)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event

from coop.dividends.compute import compute_plan
from coop.extensions import db
from tests.conftest_dividends import YEAR

HTMX = {"HX-Request": "true"}


@contextmanager
def statements(app) -> Iterator[list[str]]:
    """The SQL statements sent to the database in the block."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plan(w) -> int:
    w.close()
    return w.call(compute_plan, YEAR)


def test_a_search_keystroke_reads_the_user_the_plan_and_one_page_of_lines(
        app, client, auth, div_world):
    plan_id = _plan(div_world)
    auth.login("admin")
    client.get(f"/dividends/{plan_id}")  # the page itself, once
    with statements(app) as seen:
        resp = client.get(f"/dividends/{plan_id}?q=V00", headers=HTMX)
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in body
    assert "村民1" in body and "村民2" in body and "干部一" not in body
    # the session's user, the plan (the tenant guard), the lines' count, the page of lines
    assert len(seen) <= 4, "\n".join(seen)
    assert sum("FROM dividend_lines" in s for s in seen) == 2, "\n".join(seen)


def test_an_empty_search_shows_the_totals_with_one_query_more(app, client, auth, div_world):
    plan_id = _plan(div_world)
    auth.login("admin")
    with statements(app) as seen:
        body = client.get(f"/dividends/{plan_id}?q=", headers=HTMX).get_data(as_text=True)
    assert "<tfoot>" in body and "合计" in body  # all lines on one page: the totals row
    assert len(seen) <= 5, "\n".join(seen)
    with statements(app) as seen:
        body = client.get(f"/dividends/{plan_id}?q=V", headers=HTMX).get_data(as_text=True)
    assert "<tfoot>" not in body  # a search shows no totals, and does not compute them
    assert len(seen) <= 4, "\n".join(seen)


def test_the_whole_page_still_has_everything(client, auth, div_world):
    plan_id = _plan(div_world)
    auth.login("admin")
    page = client.get(f"/dividends/{plan_id}?q=V00").get_data(as_text=True)
    assert "<html" in page and "dv-waterfall" in page and "表决、公示与发放" in page
    assert "村民1" in page and "干部一" not in page
