"""A disclosure's statement against the ledger, its snapshot (a later ledger
change does not alter it, nothing can change it), corrections, and the
overdue periods the township reads (coop.disclosure.api.overdue). The clock:
2026-06-15; cooperative t1 of the ``mach`` fixture, whose machine was
acquired on 2024-12-10 (its first ledger day)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from coop.audit.models import AuditEntry
from coop.cooperatives.api import get_by_code
from coop.cooperatives.models import Cooperative
from coop.disclosure import api, services
from coop.disclosure.models import Disclosure
from coop.disclosure.rules import Period
from coop.disclosure.statement import Statement
from coop.errors import ServiceError
from coop.extensions import db
from coop.machinery.api import year_figures
from tests.conftest_machinery import Ledger

Q1, Q2 = Period(2026, "quarter", 1), Period(2026, "quarter", 2)
MONTHLY_DEPRECIATION = (12_000_000 - 600_000) // 120  # 95,000 fen


@pytest.fixture
def world(app, mach):
    """Orders, payments, other income (a grant), expenses in 2025 and 2026."""
    led = mach.ledger
    led.order(date(2025, 11, 1), f"c:{mach.company}", "sowing", 1000)            # 350.00
    sowing = led.order(date(2026, 1, 10), f"m:{mach.zhang}", "sowing", 1000)    # 250.00
    harvest = led.order(date(2026, 2, 20), f"c:{mach.village}", "harvesting", 20000)  # 16,000.00
    led.order(date(2026, 4, 5), f"m:{mach.li}", "spraying", 1000)               # 80.00
    led.pay(sowing, date(2026, 1, 10), 25_000)
    led.pay(harvest, date(2026, 2, 25), 1_000_000)
    led.pay(harvest, date(2026, 4, 10), 600_000)
    led.create_expense(date(2025, 12, 1), "fuel", 40_000)
    led.create_expense(date(2026, 3, 1), "fuel", 300_000, payee="加油站")
    led.create_expense(date(2026, 3, 15), "repair", 1_200_000, machine_id=mach.machine,
                       payee="农机修理厂")
    led.create_income(date(2026, 3, 20), "rent", 50_000, payer="养殖户")
    led.create_income(date(2026, 2, 1), "government_grant", 2_000_000, payer="农牧局")
    return mach


def _coop(coop_id: int) -> Cooperative:
    return db.session.get(Cooperative, coop_id)


def test_the_quarter_statement_adds_up_from_the_ledger(app, world):
    with app.app_context():
        st = services.compute(_coop(world.coop_id), Q1)
    income = {line.label: line.amount_fen for line in st.period.income}
    assert income == {"作业服务收入·播种": 25_000, "作业服务收入·收获": 1_600_000, "租金": 50_000,
                      "政府补助（不可分配）": 2_000_000}
    assert {line.label: line.amount_fen for line in st.period.expenses} == {"燃油": 300_000,
                                                                             "维修": 1_200_000}
    assert st.period.depreciation_fen == 3 * MONTHLY_DEPRECIATION
    assert st.period.result_fen == 3_675_000 - 1_500_000 - 285_000
    assert st.received_fen == 25_000 + 1_000_000 + 2_050_000 and st.paid_fen == 1_500_000
    # billed up to 31 March (the 2025 order too) less received up to then
    assert st.receivables_fen == 35_000 + 25_000 + 1_600_000 - 1_025_000
    # single items over the charter's 10,000 yuan, one by one, by date
    assert [(i.on, i.side, i.counterparty, i.amount_fen) for i in st.major_items] == [
        (date(2026, 2, 1), "收入", "农牧局", 2_000_000),
        (date(2026, 2, 20), "收入", "哈业胡同村", 1_600_000),
        (date(2026, 3, 15), "支出", "农机修理厂", 1_200_000)]
    # the first quarter is the year to date
    assert st.year_to_date == st.period


def test_the_year_to_date_is_the_quarters_added_and_a_year_equals_the_ledger(app, world):
    with app.app_context():
        coop = _coop(world.coop_id)
        q2 = services.compute(coop, Q2)
        q1 = services.compute(coop, Q1)
        assert q2.year_to_date.income_fen == q1.period.income_fen + q2.period.income_fen
        assert q2.year_to_date.expenses_fen == q1.period.expenses_fen + q2.period.expenses_fen
        assert q2.year_to_date.depreciation_fen == 6 * MONTHLY_DEPRECIATION
        quarters = [services.compute(coop, Period(2025, "quarter", n)) for n in (1, 2, 3, 4)]
        year = year_figures(world.coop_id, 2025)
    assert sum(q.period.income_fen for q in quarters) == (
        year.service_income_fen + year.other_income_fen + year.nondistributable_income_fen)
    assert sum(q.period.expenses_fen for q in quarters) == year.expenses_fen == 40_000
    assert sum(q.period.depreciation_fen for q in quarters) == year.depreciation_fen
    assert quarters[3].year_to_date.result_fen == year.operating_result_fen


def test_a_published_disclosure_keeps_its_figures_and_nothing_changes_it(app, world):
    with app.app_context():
        coop = _coop(world.coop_id)
        row = services.publish(coop, Q1, date(2026, 4, 10), world.users["admin"])
        db.session.commit()
        published_id, kept = row.id, dict(row.figures)
    # the ledger moves on: an expense dated in the quarter, recorded later
    world.ledger.create_expense(date(2026, 3, 30), "wages", 70_000)
    with app.app_context():
        row = db.session.get(Disclosure, published_id)
        assert row.figures == kept
        assert Statement.from_dict(row.figures).period.expenses_fen == 1_500_000
        assert services.compute(_coop(world.coop_id), Q1).period.expenses_fen == 1_570_000
        row.published_on = date(2026, 4, 11)
        with pytest.raises(ServiceError, match="第四十五条"):
            db.session.flush()
        db.session.rollback()
        row = db.session.get(Disclosure, published_id)
        db.session.delete(row)
        with pytest.raises(ServiceError, match="不能修改或删除"):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(Disclosure, published_id).published_on == date(2026, 4, 10)


def test_publishing_twice_is_refused_and_a_correction_supersedes(app, world):
    with app.app_context():
        coop = _coop(world.coop_id)
        first = services.publish(coop, Q1, date(2026, 4, 10), None)
        db.session.commit()
        first_id = first.id
        with pytest.raises(ServiceError, match="已于 2026-04-10 公开"):
            services.publish(coop, Q1, date(2026, 4, 12), None)
        with pytest.raises(ServiceError, match="须写明更正原因"):
            services.correct(coop, first_id, date(2026, 4, 12), "  ", None)
        db.session.rollback()
    world.ledger.create_expense(date(2026, 3, 30), "wages", 70_000)
    with app.app_context():
        coop = _coop(world.coop_id)
        second = services.correct(coop, first_id, date(2026, 4, 20), "漏记三月工资", None)
        db.session.commit()
        assert (second.revision, second.corrects_id, second.correction_reason) == (2, first_id, "漏记三月工资")
        assert Statement.from_dict(second.figures).period.expenses_fen == 1_570_000
        assert services.superseded_ids(coop.id) == {first_id}
        assert services.current_of(coop.id, Q1).id == second.id
        # the old one stays readable; correcting it again is refused (correct the latest)
        assert Statement.from_dict(db.session.get(Disclosure, first_id).figures).period.expenses_fen == 1_500_000
        with pytest.raises(ServiceError, match="第 2 版更正"):
            services.correct(coop, first_id, date(2026, 4, 21), "再改", None)
        db.session.rollback()
        assert [d.revision for d in api.published(coop.id)] == [2, 1]
        logged = db.session.execute(select(AuditEntry.action, AuditEntry.record_id).where(
            AuditEntry.record_type == "disclosures").order_by(AuditEntry.id)).all()
        assert [tuple(row) for row in logged] == [("create", str(first_id)), ("create", str(second.id))]


def test_refusals_change_nothing(app, world):
    with app.app_context():
        coop = _coop(world.coop_id)
        for period, on, message in ((Q2, date(2026, 6, 15), "第三十条"),
                                    (Period(2024, "quarter", 3), date(2026, 6, 1), "之前"),
                                    (Q1, date(2026, 6, 16), "晚于今天")):
            with pytest.raises(ServiceError, match=message):
                services.publish(coop, period, on, None)
            db.session.rollback()
        assert db.session.scalar(select(Disclosure.id)) is None


def test_overdue_periods_for_the_township(app, world):
    with app.app_context():
        late = api.overdue(world.coop_id, date(2026, 4, 15))
        assert [o.label for o in late] == ["2024 年第四季度", "2025 年第一季度", "2025 年第二季度",
                                           "2025 年第三季度", "2025 年第四季度"]
        assert late[-1].due_on == date(2026, 1, 15) and late[-1].days_late == 90
        assert api.overdue(world.coop_id, date(2026, 4, 16))[-1].period == Q1
        services.publish(_coop(world.coop_id), Q1, date(2026, 4, 30), None)
        db.session.commit()
        assert Q1 not in [o.period for o in api.overdue(world.coop_id, date(2026, 6, 15))]
        assert api.overdue(0, date(2026, 6, 15)) == []


def test_a_monthly_charter_counts_months_and_a_disclosed_quarter_covers_its_months(app, world):
    with app.app_context():
        coop = _coop(world.coop_id)
        services.publish(coop, Q1, date(2026, 4, 10), None)
        coop.disclosure_period = "month"
        db.session.commit()
        late = [o.period.key for o in api.overdue(world.coop_id, date(2026, 6, 15)) if o.period.year == 2026]
    assert late == ["m4"]  # April due 15 May; May due 15 June, still in time


def test_the_overdue_periods_of_many_cooperatives_at_once_are_each_ones_own(app, world, create_coop):
    """t1 (ledger from 2024-12-10, Q1 published late, then corrected); a monthly
    cooperative set up in mid-2025 with a quarter published on 20 May 2026; one
    whose first entry (an expense) predates its setting up; one set up in May
    2026 with no ledger; and none at all."""
    monthly, early, fresh = create_coop(), create_coop(), create_coop()
    with app.app_context():
        ids = {code: get_by_code(code).id for code in (monthly, early, fresh)}
        for code, created, period in ((monthly, datetime(2025, 7, 1), "month"),
                                      (early, datetime(2026, 1, 1), "quarter"),
                                      (fresh, datetime(2026, 5, 1), "quarter")):
            coop = _coop(ids[code])
            coop.created_at, coop.disclosure_period = created, period
        db.session.commit()
    Ledger(app, ids[early]).create_expense(date(2025, 8, 1), "fuel", 10_000)
    with app.app_context():
        first = services.publish(_coop(world.coop_id), Q1, date(2026, 4, 30), None)
        db.session.flush()
        services.correct(_coop(world.coop_id), first.id, date(2026, 5, 2), "数字有误", None)
        services.publish(_coop(ids[monthly]), Period(2025, "quarter", 3), date(2026, 5, 20), None)
        db.session.commit()
        coop_ids = [world.coop_id, *ids.values(), 0]
        days = [date(2025, 10, 15), date(2025, 10, 16), date(2026, 4, 15), date(2026, 4, 16),
                date(2026, 5, 19), date(2026, 5, 20), date(2026, 6, 15), date(2027, 1, 16)]
        for today in days:
            one_by_one = {i: late for i in coop_ids if (late := api.overdue(i, today))}
            assert services.overdue_of(coop_ids, today) == one_by_one, today
        states = services.overdue_of(coop_ids, date(2026, 6, 15))
        assert set(states) == {world.coop_id, ids[monthly], ids[early]}
        assert [o.period.kind for o in states[ids[monthly]]] == ["month"] * len(states[ids[monthly]])
        assert states[ids[early]][0].period == Period(2025, "quarter", 3)
        assert Q1 not in [o.period for o in states[world.coop_id]]
        assert services.overdue_of([], date(2026, 6, 15)) == {}
