"""The busiest pages of the load test run statements built once, not anew on
each request (issue 19). Building a SELECT and having SQLAlchemy compute the
cache key of the new object cost 300-400 us a statement on the bench
machine, against about 150 us to run one built before with its values
bound; a member's home page ran six of its seven statements built afresh.

A statement counts as built afresh when the second of two identical
requests runs a statement object the first did not (the first request's
objects are kept, so none is freed and its address taken by another)."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.extensions import db
from coop.members.models import Member
from coop.shares.models import ShareEntry


def _run(app, client, path: str, headers: dict) -> list:
    with app.app_context():
        engine = db.engine
    ran: list = []

    def caught(_conn, statement, *_args):
        ran.append(statement)

    event.listen(engine, "before_execute", caught)
    try:
        client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_execute", caught)
    return ran


def _built_afresh(app, client, path: str, htmx: bool = False) -> list[str]:
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.get(path, headers=headers).status_code == 200
    first = _run(app, client, path, headers)
    second = _run(app, client, path, headers)
    assert first and len(first) == len(second), (first, second)
    seen = {id(statement) for statement in first}
    return [" ".join(str(s).split()) for s in second if id(s) not in seen]


@pytest.fixture
def member_id(app, demo):
    with app.app_context():
        coop = get_by_code(demo)
        return db.session.scalar(select(ShareEntry.member_id).where(
            ShareEntry.cooperative_id == coop.id).order_by(ShareEntry.member_id).limit(1))


@pytest.mark.parametrize("path, htmx", [
    ("/members/?q=wang", True), ("/members/", False), ("/members/?sort=village_group", False),
    ("/members/{member_id}", False), ("/members/{member_id}/edit", False),
    ("/machinery/orders", False), ("/machinery/orders?year=2025&unpaid=1", False),
    ("/shares/", False),
])
def test_a_secretarys_busiest_pages_build_no_statement_per_request(app, client, auth, demo,
                                                                     member_id, path, htmx):
    assert auth.login("shuji", DEMO_PASSWORD, coop=demo).status_code == 302
    assert _built_afresh(app, client, path.format(member_id=member_id), htmx) == []


@pytest.mark.parametrize("path", ["/me/", "/me/holdings", "/me/dividends", "/me/statements"])
def test_a_members_own_pages_build_no_statement_per_request(app, client, auth, demo, path):
    assert auth.login("CY0003", DEMO_PASSWORD, coop=demo).status_code == 302
    assert _built_afresh(app, client, path) == []


def test_a_statement_built_on_each_request_is_caught(app, client, auth, demo, monkeypatch):
    """The check itself: the member page with its household read built anew."""
    from coop.members import services

    monkeypatch.setattr(services, "_HOUSEHOLD", None)
    built = services.household_members

    def household_members(coop_id: int, household_no: str):
        monkeypatch.setattr(services, "_HOUSEHOLD", select(Member).where(
            Member.cooperative_id == coop_id, Member.household_no == household_no))
        return built(coop_id, household_no)

    monkeypatch.setattr(services, "household_members", household_members)
    assert auth.login("shuji", DEMO_PASSWORD, coop=demo).status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Member.id).where(
            Member.cooperative_id == get_by_code(demo).id, Member.household_no != "").limit(1))
    afresh = _built_afresh(app, client, f"/members/{member}")
    assert len(afresh) == 1 and "WHERE members.cooperative_id = :cooperative_id_1 AND members.household_no = :household_no_1" in afresh[0], afresh


# what the ORM itself builds for a flush: the record's own INSERT, and the
# savepoint an order's entry is written in
ORMS_OWN = ("SAVEPOINT", "RELEASE SAVEPOINT", "INSERT INTO service_orders ")


def _posted_twice(app, client, path: str, data) -> list[str]:
    with app.app_context():
        engine = db.engine
    runs: list[list] = [[], []]
    for ran in runs:
        def caught(_conn, statement, *_args, ran=ran):
            ran.append(statement)

        event.listen(engine, "before_execute", caught)
        try:
            assert client.post(path, data=data()).status_code in (200, 302)
        finally:
            event.remove(engine, "before_execute", caught)
    seen = {id(statement) for statement in runs[0]}
    assert len(runs[0]) == len(runs[1]) > 5, runs
    return [" ".join(str(s).split()) for s in runs[1] if id(s) not in seen]


def test_entering_an_order_builds_only_the_orms_own_statements(app, client, auth, mach):
    """The price, the closed years, the order number's counter, the audit
    entry and the cooperative's marks: built once."""
    auth.login("accountant")
    client.post("/machinery/orders", data={
        "service_on": "2026-05-02", "client_ref": f"c:{mach.village}", "client_text": "哈业胡同村",
        "service": "sowing", "area_cmu": "1"})
    area = iter(("12.35", "8"))
    afresh = _posted_twice(app, client, "/machinery/orders", lambda: {
        "service_on": "2026-05-03", "client_text": "哈业胡同村", "client_ref": f"c:{mach.village}",
        "service": "sowing", "plot": "东滩 3 号地", "area_cmu": next(area), "unit_price_fen": "",
        "machine_id": str(mach.machine), "operator": "赵永刚", "fuel_cl": "", "note": ""})
    ours = [s for s in afresh if not s.startswith(ORMS_OWN) and " AS service_orders_id" not in s]
    assert ours == [], afresh
