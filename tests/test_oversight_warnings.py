"""The warnings of the township and county view: each pure rule with dates,
then each warning found in the records of an area's cooperatives, with the
drill-down page of its cause."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from coop.cooperatives.api import LegalRegime, YearClose, get_by_code
from coop.dividends.api import DividendLine, DividendPlan
from coop.extensions import db
from coop.governance.api import AgendaItem, Meeting
from coop.machinery.models import Expense, Machine, ServiceOrder
from coop.members.api import Member
from coop.membership.models import RosterVersion
from coop.oversight import rules
from coop.oversight.first_years import first_years
from coop.oversight.warnings import Thresholds, area_warnings
from coop.shares.api import ShareEntry

# -- the rules, pure ----------------------------------------------------------------


def test_a_year_must_be_closed_by_31_march_of_the_next_year():
    assert not rules.close_overdue(2025, False, 2020, date(2026, 3, 31))
    assert rules.close_overdue(2025, False, 2020, date(2026, 4, 1))
    assert not rules.close_overdue(2025, True, 2020, date(2026, 4, 1))
    assert not rules.close_overdue(2025, False, 2026, date(2026, 4, 1))  # founded after it
    assert rules.year_due_for_close(date(2026, 3, 31)) == 2024
    assert rules.year_due_for_close(date(2026, 4, 1)) == 2025


def test_a_plan_must_be_approved_by_30_june_unless_nothing_is_to_distribute():
    assert not rules.plan_overdue(2025, False, 100, 2020, date(2026, 6, 30))
    assert rules.plan_overdue(2025, False, 100, 2020, date(2026, 7, 1))
    assert rules.plan_overdue(2025, False, None, 2020, date(2026, 7, 1))  # year still open
    assert not rules.plan_overdue(2025, False, 0, 2020, date(2026, 7, 1))
    assert not rules.plan_overdue(2025, True, 100, 2020, date(2026, 7, 1))
    assert rules.year_due_for_plan(date(2026, 7, 1)) == 2025
    assert rules.year_due_for_plan(date(2026, 6, 30)) == 2024


def test_old_receivables_warn_from_the_threshold():
    assert rules.old_receivables_over(1_000_000, 1_000_000)
    assert not rules.old_receivables_over(999_999, 1_000_000)
    assert not rules.old_receivables_over(0, 0)


def test_a_cash_payment_is_large_from_the_threshold():
    assert rules.cash_payment_large(5_000_000, 5_000_000)
    assert not rules.cash_payment_large(4_999_999, 5_000_000)


def test_a_failed_resolution_is_shown_for_a_year():
    assert rules.failed_resolution_recent(date(2025, 6, 15), date(2026, 6, 15))
    assert not rules.failed_resolution_recent(date(2025, 6, 14), date(2026, 6, 15))


# -- the warnings found in the records ------------------------------------------------


@pytest.fixture
def coop(app, create_coop):
    """Cooperative w1, founded in 2025, with one member."""
    code = create_coop("w1")
    with app.app_context():
        c = get_by_code(code)
        c.created_at = datetime(2025, 1, 1)
        member = Member(cooperative_id=c.id, member_no="M001", name="张三", household_no="H1")
        db.session.add(member)
        db.session.commit()
        return c.id, member.id


def _warnings(app, today: date, **thresholds) -> list[tuple[str, str, dict]]:
    with app.app_context():
        found = area_warnings([get_by_code("w1")], today, Thresholds(**thresholds))
        return [(w.kind, w.cause.endpoint, w.cause.values, w.text) for w in found]


def _kinds(found) -> list[str]:
    return [kind for kind, *_ in found]


def _close(app, coop_id: int, year: int, surplus_fen: int) -> None:
    with app.app_context():
        db.session.add(YearClose(
            cooperative_id=coop_id, year=year, service_income_members_fen=surplus_fen,
            service_income_nonmembers_fen=0, other_income_fen=0, nondistributable_income_fen=0,
            expenses_fen=0, depreciation_fen=0, carried_surplus_fen=0, carried_loss_fen=0,
            surplus_fen=surplus_fen))
        db.session.commit()


def test_an_unclosed_year_warns_after_31_march(app, coop):
    assert "close" not in _kinds(_warnings(app, date(2026, 3, 31)))
    found = _warnings(app, date(2026, 4, 1))
    assert ("close", "machinery.years", {}) == found[0][:3]
    assert "2025 年度未在 2026年3月31日 前结账" in found[0][3]
    _close(app, coop[0], 2025, 0)
    assert "close" not in _kinds(_warnings(app, date(2026, 4, 1)))


def test_a_plan_not_approved_warns_after_30_june(app, coop):
    _close(app, coop[0], 2025, 1_000_00)
    assert "plan" not in _kinds(_warnings(app, date(2026, 6, 30)))
    found = [w for w in _warnings(app, date(2026, 7, 1)) if w[0] == "plan"]
    assert found and found[0][1] == "dividends.index"
    assert found[0][3].endswith("前表决通过（尚未计算分配方案）")
    # where it stands: the draft waits for the supervisor's review
    with app.app_context():
        db.session.add(DividendPlan(cooperative_id=coop[0], year=2025, status="draft",
                                    mode="joint_stock", record_date=date(2025, 12, 31)))
        db.session.commit()
    found = [w for w in _warnings(app, date(2026, 7, 1)) if w[0] == "plan"]
    assert found[0][3].endswith("前表决通过（现为草案（待监事审核））")
    with app.app_context():
        db.session.add(DividendPlan(cooperative_id=coop[0], year=2025, status="approved", version_no=2,
                                    mode="joint_stock", record_date=date(2025, 12, 31)))
        db.session.commit()
    assert "plan" not in _kinds(_warnings(app, date(2026, 7, 1)))


def test_a_roster_unfiled_after_30_days_warns(app, coop):
    with app.app_context():
        roster = RosterVersion(cooperative_id=coop[0], number=1, made_on=date(2026, 5, 1))
        db.session.add(roster)
        db.session.commit()
        roster_id = roster.id
    assert "roster" not in _kinds(_warnings(app, date(2026, 5, 31)))
    found = [w for w in _warnings(app, date(2026, 6, 1)) if w[0] == "roster"]
    assert found[0][1:3] == ("membership.roster", {"roster_id": roster_id})
    assert "第十二条" in found[0][3]


def test_a_failed_resolution_warns(app, coop):
    with app.app_context():
        meeting = Meeting(cooperative_id=coop[0], title="2026年成员大会", meeting_on=date(2026, 5, 20),
                          place="村委会", convened_by="理事会", notice_on=date(2026, 5, 1))
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(cooperative_id=coop[0], meeting_id=meeting.id, position=1,
                                  title="章程修改", outcome="failed"))
        db.session.add(AgendaItem(cooperative_id=coop[0], meeting_id=meeting.id, position=2,
                                  title="年度报告", outcome="passed"))
        db.session.commit()
        meeting_id = meeting.id
    found = [w for w in _warnings(app, date(2026, 6, 15)) if w[0] == "resolution"]
    assert len(found) == 1 and found[0][1:3] == ("governance.detail", {"meeting_id": meeting_id})
    assert "章程修改" in found[0][3]
    assert "resolution" not in _kinds(_warnings(app, date(2027, 6, 15)))


def test_old_receivables_over_the_threshold_warn(app, coop):
    with app.app_context():
        db.session.add(ServiceOrder(cooperative_id=coop[0], order_no="2025-0001",
                                    service_on=date(2025, 5, 1), member_id=coop[1], service="sowing",
                                    area_cmu=10000, unit_price_fen=1_500_000, amount_fen=1_500_000))
        db.session.commit()
    found = [w for w in _warnings(app, date(2026, 6, 15)) if w[0] == "receivables"]
    assert found[0][1] == "machinery.receivables" and "15,000.00" in found[0][3]
    assert "在应收款页“90 天以上”一栏中" in found[0][3]  # where the overseer finds it
    assert "receivables" not in _kinds(_warnings(app, date(2026, 6, 15), old_receivables_fen=1_500_001))
    assert "receivables" not in _kinds(_warnings(app, date(2026, 4, 30)))  # not yet a year old


def test_large_cash_payments_warn(app, coop):
    with app.app_context():
        plan = DividendPlan(cooperative_id=coop[0], year=2025, status="paid", mode="joint_stock",
                            record_date=date(2025, 12, 31))
        db.session.add(plan)
        db.session.flush()
        for no, method in (("M001", "cash"), ("M002", "bank")):
            db.session.add(DividendLine(plan_id=plan.id, member_id=coop[1], member_no=no, name="张三",
                                        kind="villager", total_fen=6_000_000,
                                        paid_on=date(2026, 3, 1), payment_method=method))
        db.session.add(Expense(cooperative_id=coop[0], spent_on=date(2026, 2, 1), kind="repair",
                               amount_fen=5_000_000, payee="农机维修站"))
        db.session.add(Expense(cooperative_id=coop[0], spent_on=date(2026, 2, 2), kind="fuel",
                               amount_fen=4_999_999, method="cash"))
        # paid in cash, by bank transfer
        db.session.add(Expense(cooperative_id=coop[0], spent_on=date(2026, 2, 3), kind="fuel",
                               amount_fen=7_000_000, payee="石油公司", method="cash"))
        db.session.add(Expense(cooperative_id=coop[0], spent_on=date(2026, 2, 4), kind="wages",
                               amount_fen=9_000_000, payee="机手工资", method="bank"))
        db.session.commit()
        plan_id = plan.id
    found = [w for w in _warnings(app, date(2026, 6, 15)) if w[0] == "cash"]
    assert [w[1:3] for w in found] == [("dividends.detail", {"plan_id": plan_id}),
                                       ("machinery.expenses", {}), ("machinery.expenses", {})]
    assert "60,000.00" in found[0][3]
    # recorded before the method was asked: listed, and said so
    assert "2026-02-01 单笔支出 50,000.00 元（农机维修站），未登记付款方式" in found[1][3]
    assert "2026-02-03 单笔现金支出 70,000.00 元（石油公司）" in found[2][3] and "未登记" not in found[2][3]


def test_an_overdue_disclosure_warns(app, coop):
    with app.app_context():
        get_by_code("w1").created_at = datetime(2026, 1, 1)
        db.session.add(Expense(cooperative_id=coop[0], spent_on=date(2026, 1, 5), kind="fuel",
                               amount_fen=10_000))
        db.session.commit()
    assert "disclosure" not in _kinds(_warnings(app, date(2026, 4, 15)))
    found = [w for w in _warnings(app, date(2026, 4, 16)) if w[0] == "disclosure"]
    assert len(found) == 1 and "2026 年第一季度" in found[0][3] and "第四十五条" in found[0][3]
    assert found[0][1:3] == ("disclosure.period", {"year": 2026, "period_key": "q1"})
    later = [w for w in _warnings(app, date(2026, 7, 16)) if w[0] == "disclosure"]
    assert len(later) == 1 and "2026 年第一季度等 2 期" in later[0][3]  # one line a cooperative


# -- the first year a cooperative owes a close and a plan for --------------------------


def _record(kind: str, coop_id: int, member_id: int) -> None:
    """One record of 2025 of ``kind`` (or of 2024: a closed year)."""
    if kind == "order":
        db.session.add(ServiceOrder(cooperative_id=coop_id, order_no="2025-0001", service_on=date(2025, 5, 1),
                                    member_id=member_id, service="sowing", area_cmu=1000,
                                    unit_price_fen=2_500, amount_fen=25_000))
    elif kind == "machine":
        db.session.add(Machine(cooperative_id=coop_id, name="拖拉机", acquired_on=date(2025, 3, 10),
                               original_value_fen=12_000_000))
    elif kind == "shares":
        db.session.add(ShareEntry(cooperative_id=coop_id, member_id=member_id, share_class="villager",
                                  effective_on=date(2025, 3, 15), shares=1000, entry_kind="subscribe",
                                  contribution_kind="cash", value_fen=100_000, movement="f1",
                                  recorded_at=datetime(2026, 2, 1)))
    elif kind == "close":
        db.session.add(YearClose(
            cooperative_id=coop_id, year=2024, service_income_members_fen=0,
            service_income_nonmembers_fen=0, other_income_fen=0, nondistributable_income_fen=0,
            expenses_fen=0, depreciation_fen=0, carried_surplus_fen=0, carried_loss_fen=0,
            surplus_fen=0))
    elif kind == "plan":
        db.session.add(DividendPlan(cooperative_id=coop_id, year=2025, status="draft",
                                    mode="joint_stock", record_date=date(2025, 12, 31)))
    elif kind == "expense of 2026":
        db.session.add(Expense(cooperative_id=coop_id, spent_on=date(2026, 1, 5), kind="fuel",
                               amount_fen=10_000))


@pytest.fixture
def entered_this_year(app, coop):
    """w1 entered into the system on 1 February 2026."""
    with app.app_context():
        get_by_code("w1").created_at = datetime(2026, 2, 1)
        db.session.commit()
    return coop


@pytest.mark.parametrize("kind", ["order", "machine", "shares", "close", "plan"])
def test_a_cooperative_entered_this_year_with_last_years_records_owes_last_years_close_and_plan(
        app, entered_this_year, kind):
    """The day its row was made is not the day it was founded: its own records
    of 2025 (or a close of 2024) show it existed in 2025."""
    coop_id, member_id = entered_this_year
    with app.app_context():
        _record(kind, coop_id, member_id)
        db.session.commit()
        assert first_years([get_by_code("w1")]) == {coop_id: 2024 if kind == "close" else 2025}
    assert "close" not in _kinds(_warnings(app, date(2026, 3, 31)))
    closes = [w for w in _warnings(app, date(2026, 4, 1)) if w[0] == "close"]
    assert [w[3] for w in closes] == ["2025 年度未在 2026年3月31日 前结账"]
    plans = [w for w in _warnings(app, date(2026, 7, 1)) if w[0] == "plan"]
    assert len(plans) == 1 and plans[0][3].startswith("2025 年度分配方案未在 2026年6月30日 前表决通过")


@pytest.mark.parametrize("kind", [None, "expense of 2026"])
def test_a_cooperative_entered_this_year_with_no_earlier_records_owes_nothing_of_last_year(
        app, entered_this_year, kind):
    coop_id, member_id = entered_this_year
    with app.app_context():
        if kind:
            _record(kind, coop_id, member_id)
            db.session.commit()
        assert first_years([get_by_code("w1")]) == {coop_id: 2026}
    found = _kinds(_warnings(app, date(2026, 7, 1)))
    assert "close" not in found and "plan" not in found


def test_the_first_year_is_the_earliest_record_of_any_kind(app, create_coop, coop):
    """w1 (entered in 2025) with an order of 2025 and shares of 2023; a
    second cooperative entered in 2026 with nothing; every cooperative asked
    is answered, in two queries whatever their number."""
    coop_id, member_id = coop
    other = create_coop("w2")
    with app.app_context():
        _record("order", coop_id, member_id)
        db.session.add(ShareEntry(cooperative_id=coop_id, member_id=member_id, share_class="villager",
                                  effective_on=date(2023, 3, 15), shares=1000, entry_kind="subscribe",
                                  contribution_kind="cash", value_fen=100_000, movement="f0",
                                  recorded_at=datetime(2026, 2, 1)))
        get_by_code(other).created_at = datetime(2026, 2, 1)
        db.session.commit()
        w1, w2 = get_by_code("w1"), get_by_code(other)
        assert first_years([w1, w2]) == {w1.id: 2023, w2.id: 2026}
        assert first_years([]) == {}


# -- each warning cites the cooperative's own law ---------------------------------------


def test_an_overdue_disclosure_cites_the_law_of_the_cooperatives_regime(app, entered_this_year):
    with app.app_context():
        db.session.add(Expense(cooperative_id=entered_this_year[0], spent_on=date(2026, 1, 5), kind="fuel",
                               amount_fen=10_000))
        db.session.commit()
    collective = [w for w in _warnings(app, date(2026, 4, 16)) if w[0] == "disclosure"][0][3]
    assert collective.endswith("已逾期 1 天；《农村集体经济组织法》第四十五条，《村民委员会组织法》第三十条）")
    with app.app_context():
        get_by_code("w1").legal_regime = LegalRegime.SPECIALIZED.value
        db.session.commit()
    specialized = [w for w in _warnings(app, date(2026, 4, 16)) if w[0] == "disclosure"][0][3]
    assert specialized.endswith("已逾期 1 天；本社章程、《农民专业合作社法》第二十一条）")
    assert "农村集体经济组织法" not in specialized and "村民委员会组织法" not in specialized


def test_an_unfiled_roster_cites_the_law_of_the_cooperatives_regime(app, coop):
    with app.app_context():
        db.session.add(RosterVersion(cooperative_id=coop[0], number=1, made_on=date(2026, 5, 1)))
        get_by_code("w1").legal_regime = LegalRegime.SPECIALIZED.value
        db.session.commit()
    text = [w for w in _warnings(app, date(2026, 6, 1)) if w[0] == "roster"][0][3]
    assert "应于 2026-05-31 前报送（《农民专业合作社法》第十九条第二款：农民专业合作社应当置备成员名册，并报登记机关）" in text
    assert "农村集体经济组织法" not in text and "乡镇" not in text
