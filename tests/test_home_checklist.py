"""The home page says what is next: the checklist of the year with each
step's state, the key figures, the getting-started guide of a new
cooperative, and each role's own list. States are checked on hand-made
records of cooperative t1 (the clock: 2026-06-15, so the distribution steps
are those of 2025)."""
from __future__ import annotations

import re
import time
from datetime import date, datetime

import pytest

from coop.cooperatives.models import Cooperative, YearClose
from coop.dividends.models import DividendPlan
from coop.extensions import db
from coop.governance.models import Meeting
from coop.machinery.models import ServiceOrder
from coop.machinery.order_figures import ORDER_COUNTS
from coop.members.models import Member
from coop.membership.models import RosterVersion
from coop.shares.models import ShareEntry
from coop.statements.models import StatementJob
from tests.query_plans import statements_run

STEP = re.compile(r'data-step="(\d+)" data-state="(\w+)"')
CHARTER, ROSTER, FILING, CONTRIBUTIONS, ORDERS, RECEIVABLES, CLOSE = 10, 20, 30, 40, 50, 55, 60
COMPUTED, REVIEWED, DISCLOSED, MEETING, APPROVED, NOTICED, PAID, PRINTED, AUDIT = (
    70, 72, 74, 75, 76, 78, 80, 90, 95)


def _page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _states(client) -> dict[int, str]:
    return {int(order): state for order, state in STEP.findall(_page(client))}


@pytest.fixture
def t1(app, staff):
    """t1 with one active member holding 100 shares (so not a new cooperative)."""
    with app.app_context():
        coop = db.session.scalar(db.select(Cooperative).where(Cooperative.code == "t1"))
        member = Member(cooperative_id=coop.id, member_no="001", name="张三", household_no="H1",
                        joined_on=date(2020, 1, 1))
        db.session.add(member)
        db.session.flush()
        db.session.add(ShareEntry(cooperative_id=coop.id, member_id=member.id, share_class="villager",
                                  effective_on=date(2020, 1, 1), shares=100, entry_kind="subscribe",
                                  movement="m0", recorded_at=datetime(2020, 1, 1)))
        db.session.commit()
        return coop.id, member.id


def _add(app, *rows) -> list[int]:
    with app.app_context():
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def _login(auth, role="admin"):
    auth.login(role)


def test_a_new_cooperative_gets_the_guide_instead_of_panels(client, auth, staff):
    _login(auth)
    html = _page(client)
    assert 'id="guide"' in html and 'id="checklist"' not in html and 'id="figures"' not in html
    for href in ("/charter", "/members/import", "/shares/founding", "/machinery/machines",
                 "/machinery/orders"):
        assert f'href="{href}"' in html, href
    assert re.findall(r"(\d)\. ", re.sub(r"<[^>]+>", " ", html.split('id="guide"')[1]))[:5] == list("12345")


def test_secretary_steps_before_anything_is_done(client, auth, t1):
    _login(auth)
    states = _states(client)
    assert states[CHARTER] == "done" and states[ROSTER] == "done"
    assert states[FILING] == "todo"
    assert states[CONTRIBUTIONS] == "todo" and states[ORDERS] == "todo"
    assert states[CLOSE] == "late"  # due 2026-03-31
    for step in (COMPUTED, REVIEWED, DISCLOSED, APPROVED, NOTICED, PAID, PRINTED):
        assert states[step] == "todo", step
    assert RECEIVABLES not in states and AUDIT not in states


@pytest.mark.now("2026-03-31")
def test_year_close_is_to_do_until_the_end_of_march(client, auth, t1):
    _login(auth)
    assert _states(client)[CLOSE] == "todo" and "2026-03-31" in _page(client)


@pytest.mark.now("2026-04-01")
def test_year_close_is_late_after_march_and_done_when_closed(app, client, auth, t1):
    coop_id, _ = t1
    _login(auth)
    html = _page(client)
    assert _states(client)[CLOSE] == "late" and "2026-03-31" in html and "1 项逾期" in html
    zero = dict.fromkeys(("service_income_members_fen", "service_income_nonmembers_fen",
                          "other_income_fen", "nondistributable_income_fen", "expenses_fen",
                          "depreciation_fen", "carried_surplus_fen", "carried_loss_fen",
                          "surplus_fen"), 0)
    _add(app, YearClose(cooperative_id=coop_id, year=2025, closed_at=datetime(2026, 2, 1, 3), **zero))
    assert _states(client)[CLOSE] == "done" and "2026-02-01" in _page(client)


def test_a_step_done_late_in_the_evening_is_dated_by_beijings_day(app, client, auth, t1):
    """Stored times are UTC: a year closed at 17:00 UTC on 31 January was
    closed on 1 February in Beijing, and the checklist says so."""
    coop_id, _ = t1
    _login(auth)
    zero = dict.fromkeys(("service_income_members_fen", "service_income_nonmembers_fen",
                          "other_income_fen", "nondistributable_income_fen", "expenses_fen",
                          "depreciation_fen", "carried_surplus_fen", "carried_loss_fen",
                          "surplus_fen"), 0)
    _add(app, YearClose(cooperative_id=coop_id, year=2025, closed_at=datetime(2026, 1, 31, 17),
                        **zero))
    html = _page(client)
    assert _states(client)[CLOSE] == "done"
    assert "2026-02-01" in html and "2026-01-31" not in html


def test_filing_late_after_30_days_and_done_when_filed(app, client, auth, t1):
    coop_id, _ = t1
    _login(auth)
    _add(app, RosterVersion(cooperative_id=coop_id, number=1, made_on=date(2026, 6, 1)))
    assert _states(client)[FILING] == "todo" and "2026-07-01" in _page(client)
    with app.app_context():
        db.session.execute(db.update(RosterVersion).values(made_on=date(2026, 5, 1)))
        db.session.commit()
    assert _states(client)[FILING] == "late"
    with app.app_context():
        db.session.execute(db.update(RosterVersion).values(filed_on=date(2026, 6, 10)))
        db.session.commit()
    assert _states(client)[FILING] == "done" and "2026-06-10" in _page(client)


def test_contributions_and_orders_done_by_this_years_records(app, client, auth, t1):
    coop_id, member_id = t1
    _login(auth)
    _add(app, ShareEntry(cooperative_id=coop_id, member_id=member_id, share_class="villager",
                         effective_on=date(2026, 3, 3), shares=10, entry_kind="subscribe",
                         movement="m1", recorded_at=datetime(2026, 3, 3)),
         ServiceOrder(cooperative_id=coop_id, order_no="O1", member_id=member_id,
                      service_on=date(2026, 5, 5), service="ploughing", area_cmu=1000,
                      unit_price_fen=5000, amount_fen=50000))
    states = _states(client)
    assert states[CONTRIBUTIONS] == "done" and states[ORDERS] == "done"
    html = _page(client)
    assert "2026-03-03" in html and "2026-05-05" in html
    assert re.search(r'data-key="receivables">\s*<span[^>]*>应收款</span>\s*<span[^>]*>500.00 元', html)


def test_a_steps_count_stops_at_the_cap_and_still_dates_the_latest(app, client, auth, t1,
                                                                      monkeypatch):
    """Past the cap the note says 'more than' instead of counting a county's
    largest cooperative's 240,000 contributions on every home page."""
    monkeypatch.setattr("coop.cooperatives.home.STEP_COUNT_CAP", 2)
    coop_id, member_id = t1
    _login(auth)
    days = [date(2026, 3, 3), date(2026, 4, 9), date(2026, 2, 1)]
    _add(app, *(ServiceOrder(cooperative_id=coop_id, order_no=f"O{n}", member_id=member_id,
                             service_on=day, service="ploughing", area_cmu=1000,
                             unit_price_fen=5000, amount_fen=50000) for n, day in enumerate(days)),
         *(ShareEntry(cooperative_id=coop_id, member_id=member_id, share_class="villager",
                      effective_on=day, shares=10, entry_kind="subscribe", movement=f"m{n}",
                      recorded_at=datetime(2026, 4, 10)) for n, day in enumerate(days[:2])))
    steps = {part.partition('"')[0]: part for part in _page(client).split('data-step="')[1:]}
    orders, contributions = steps["50"], steps["40"]
    assert "超过 2 单" in orders and "2026-04-09" in orders
    assert "2 笔" in contributions and "超过" not in contributions and "2026-04-09" in contributions


def test_a_contribution_of_last_year_does_not_count(app, client, auth, t1):
    _login(auth)
    assert _states(client)[CONTRIBUTIONS] == "todo"  # t1's shares are of 2020


def test_plan_steps_follow_the_plan_of_the_year_just_ended(app, client, auth, t1):
    coop_id, _ = t1
    _login(auth)
    plan = DividendPlan(cooperative_id=coop_id, year=2025, mode="collective",
                        record_date=date(2025, 12, 31), computed_at=datetime(2026, 3, 1, 2))
    plan_id, = _add(app, plan)
    states = _states(client)
    assert states[COMPUTED] == "done" and states[REVIEWED] == "todo"
    assert "第 1 版待审核" in _page(client)
    with app.app_context():  # the supervisor returns it
        db.session.execute(db.update(DividendPlan).values(
            returned_at=datetime(2026, 3, 3, 2), returned_reason="登记日持股有误"))
        db.session.commit()
    page = _page(client)
    assert "监事审核（已退回）" in page and "第 1 版已于 2026-03-03 退回书记修改：登记日持股有误" in page
    assert "待审核" not in page
    with app.app_context():  # recomputed: waiting again
        db.session.execute(db.update(DividendPlan).values(returned_at=None))
        db.session.commit()
    assert "第 1 版已按退回意见修改，待监事重新审核" in _page(client)
    with app.app_context():
        db.session.execute(db.update(DividendPlan).values(
            reviewed_at=datetime(2026, 3, 5, 2), disclosed_on=date(2026, 3, 6),
            status="approved", assembly_date=date(2026, 3, 25), notice_start=date(2026, 3, 28)))
        db.session.commit()
    states = _states(client)
    for step in (COMPUTED, REVIEWED, DISCLOSED, APPROVED, NOTICED):
        assert states[step] == "done", step
    assert states[PAID] == "todo" and states[PRINTED] == "todo"
    html = _page(client)
    assert f'href="/dividends/{plan_id}"' in html and "2026-03-25" in html


def test_statements_printed_by_a_finished_batch(app, client, auth, t1, staff):
    coop_id, _ = t1
    _login(auth)
    plan = DividendPlan(cooperative_id=coop_id, year=2025, mode="collective",
                        record_date=date(2025, 12, 31))
    plan_id, = _add(app, plan)
    now = datetime(2026, 6, 1, 2)
    _add(app, StatementJob(token="abc", cooperative_id=coop_id, user_id=staff[1]["admin"], year=2025,
                           plan_id=plan_id, state="done", total=1, done=1, message="", filename="x.pdf",
                           created_at=now, updated_at=now, finished_at=now))
    assert _states(client)[PRINTED] == "done"


def test_accountant_sees_orders_receivables_close_and_computation(client, auth, t1):
    _login(auth, "accountant")
    assert set(_states(client)) == {CHARTER, ORDERS, RECEIVABLES, CLOSE, COMPUTED}


def test_supervisor_sees_review_meetings_and_the_audit_log(app, client, auth, t1):
    coop_id, _ = t1
    _login(auth, "supervisor")
    states = _states(client)
    assert set(states) == {CHARTER, REVIEWED, MEETING, AUDIT}
    assert 'href="/audit/"' in _page(client)
    _add(app, Meeting(cooperative_id=coop_id, title="2025 年度成员大会", meeting_on=date(2026, 6, 1),
                      place="村委会", convened_by="理事会", notice_on=date(2026, 5, 20)))
    assert _states(client)[MEETING] == "late" and "2025 年度成员大会" in _page(client)


def test_secretary_sees_a_planned_meeting_but_not_the_audit_log(app, client, auth, t1):
    coop_id, _ = t1
    _login(auth)
    assert MEETING not in _states(client)
    _add(app, Meeting(cooperative_id=coop_id, title="临时会议", meeting_on=date(2026, 7, 1),
                      place="村委会", convened_by="理事会", notice_on=date(2026, 6, 10)))
    states = _states(client)
    assert states[MEETING] == "todo" and AUDIT not in states


def test_demo_home_page_figures_and_steps(app, demo, client, auth):
    auth.login("shuji", "wljs2023", coop="wljs")
    html = _page(client)
    for key in ("members", "households", "shares", "income", "surplus", "receivables"):
        assert f'data-key="{key}"' in html, key
    assert re.search(r'data-key="shares">\s*<span[^>]*>总股数</span>\s*<span[^>]*>1,000,000<', html)
    states = _states(client)
    assert states[ROSTER] == states[FILING] == states[CLOSE] == "done"
    assert 'id="guide"' not in html


def test_demo_home_page_is_cheap(app, demo, client, auth):
    """The busiest page: the whole checklist within a few dozen queries."""
    from sqlalchemy import event

    auth.login("shuji", "wljs2023", coop="wljs")
    _page(client)
    with app.app_context():
        engine = db.engine
    count = [0]

    def on_execute(*_args):
        count[0] += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        started = time.perf_counter()
        _page(client)
        elapsed = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    print(f"home page: {count[0]} queries, {elapsed * 1000:.0f} ms")
    assert count[0] <= 60


def test_the_home_page_takes_what_clients_owe_from_the_order_mark(app, client, auth, t1):
    """The checklist's 应收款清收 and the key figure 应收款 show what every
    owing order owes, carried with the order mark by the writers: the page
    sums no order, in a process that keeps nothing either (at 500,000 owing
    orders the sum cost 374 ms, then 50-66 ms through the partial index;
    issue 19)."""
    coop_id, member_id = t1
    _login(auth)
    _add(app, ServiceOrder(cooperative_id=coop_id, order_no="O1", member_id=member_id,
                           service_on=date(2026, 5, 5), service="ploughing", area_cmu=1000,
                           unit_price_fen=5000, amount_fen=50000))
    ORDER_COUNTS._kept.clear()
    with statements_run(app, lambda s: "sum(service_orders.unpaid_fen)" in s) as sums:
        html = _page(client)
    assert sums == []
    assert re.search(r'data-key="receivables">\s*<span[^>]*>应收款</span>\s*<span[^>]*>500.00 元', html)


def test_an_overseer_reads_the_supervisors_steps(app, demo, client, auth, create_overseer):
    """An overseer reading a cooperative got the checklist's heading with no
    step under it (no step is an overseer's): they read the supervisor's."""
    area = create_overseer("wljs")
    auth.login("overseer", coop=area)
    assert client.get("/oversight/coops/wljs").status_code == 302
    page = client.get("/").get_data(as_text=True)
    checklist = page.split('id="checklist"', 1)[1].split("</section>", 1)[0]
    assert checklist.count('class="step ') >= 3 and 'href="/audit/"' in checklist
