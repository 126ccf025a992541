"""The demo is the same whatever day it is loaded (issue 12): 2024 and 2025
are fixed history, only the current year moves with the date."""
from datetime import date

from sqlalchemy import select

from coop import clock
from coop.cooperatives.models import YearClose
from coop.cooperatives.services import get_by_code
from coop.demo import load_demo
from coop.dividends.models import DividendLine, DividendPlan
from coop.extensions import db
from coop.machinery.periods import closed_years, is_year_closed
from coop.machinery.models import Expense, OtherIncome, ServiceOrder, ServicePayment
from coop.members.models import Member
from coop.shares.models import ShareEntry

DAYS = (
    date(2026, 1, 1), date(2026, 2, 28), date(2026, 3, 31), date(2026, 5, 20),
    date(2026, 7, 31), date(2026, 9, 10), date(2026, 11, 26), date(2026, 11, 30),
    date(2026, 12, 31), date(2027, 1, 1), date(2027, 6, 15), date(2028, 2, 29),
)
HISTORY_END = date(2025, 12, 31)
PLAN_FIELDS = (
    "version_no", "status", "is_preview", "mode", "weight_basis", "record_date",
    "service_income_members_fen", "service_income_nonmembers_fen", "other_income_fen",
    "nondistributable_income_fen", "expenses_fen", "depreciation_fen", "carried_surplus_fen",
    "carried_loss_fen", "surplus_fen", "reserve_fen", "welfare_fen", "risk_fen",
    "distributable_fen", "guaranteed_total_fen", "patronage_pool_fen", "capital_pool_fen",
    "total_weight", "total_shares", "total_transactions_fen", "line_count", "assembly_date",
    "households_total", "households_present", "votes_for", "votes_against", "votes_abstain",
    "resolution_no", "notice_start", "notice_days", "reviewed_at", "review_note", "disclosed_on",
    "disclosed_at",
)


def _rows(query) -> list[tuple]:
    return sorted(tuple(row) for row in db.session.execute(query).all())


def _history(coop_id: int) -> dict:
    """Everything the demo says about 2024 and 2025, without row ids (a
    rolled-back PostgreSQL sequence does not go back)."""
    closes = {c.year: (c.surplus_fen, c.carry_forward_fen, c.service_income_members_fen,
                       c.service_income_nonmembers_fen, c.other_income_fen,
                       c.nondistributable_income_fen, c.expenses_fen, c.depreciation_fen)
              for c in db.session.scalars(select(YearClose).where(
                  YearClose.cooperative_id == coop_id, YearClose.year <= 2025))}
    plans = {}
    for plan in db.session.scalars(select(DividendPlan).where(
            DividendPlan.cooperative_id == coop_id)):
        lines = _rows(select(DividendLine.member_no, DividendLine.shares, DividendLine.weight,
                             DividendLine.total_fen, DividendLine.paid_on)
                      .where(DividendLine.plan_id == plan.id))
        plans[plan.year] = ({name: getattr(plan, name) for name in PLAN_FIELDS}, lines)
    return {
        "closes": closes,
        "plans": plans,
        "2024 times": (plans[2024][0]["status"],
                       *db.session.execute(select(DividendPlan.computed_at, DividendPlan.approved_at)
                                           .where(DividendPlan.cooperative_id == coop_id,
                                                  DividendPlan.year == 2024)).one(),
                       db.session.scalar(select(YearClose.closed_at).where(
                           YearClose.cooperative_id == coop_id, YearClose.year == 2024))),
        "orders": _rows(select(ServiceOrder.order_no, ServiceOrder.service_on,
                               ServiceOrder.amount_fen, ServiceOrder.service)
                        .where(ServiceOrder.cooperative_id == coop_id,
                               ServiceOrder.service_on <= HISTORY_END)),
        "payments": _rows(select(ServiceOrder.order_no, ServicePayment.paid_on,
                                 ServicePayment.amount_fen)
                          .join(ServiceOrder, ServiceOrder.id == ServicePayment.order_id)
                          .where(ServicePayment.cooperative_id == coop_id,
                                 ServicePayment.paid_on <= HISTORY_END)),
        "expenses": _rows(select(Expense.spent_on, Expense.kind, Expense.amount_fen)
                          .where(Expense.cooperative_id == coop_id,
                                 Expense.spent_on <= HISTORY_END)),
        "incomes": _rows(select(OtherIncome.received_on, OtherIncome.amount_fen)
                         .where(OtherIncome.cooperative_id == coop_id,
                                OtherIncome.received_on <= HISTORY_END)),
        "register": _rows(select(Member.member_no, ShareEntry.entry_kind, ShareEntry.share_class,
                                 ShareEntry.shares, ShareEntry.effective_on,
                                 ShareEntry.recorded_at)
                          .join(Member, Member.id == ShareEntry.member_id)
                          .where(ShareEntry.cooperative_id == coop_id)),
        "members": _rows(select(Member.member_no, Member.name, Member.status, Member.joined_on)
                         .where(Member.cooperative_id == coop_id)),
    }


def test_the_demo_tells_the_same_2024_and_2025_on_every_day(app, wall_clock):
    seen = {}
    with app.app_context():
        for day in DAYS:
            wall_clock.set(day)
            assert clock.today() == day
            load_demo()
            coop_id = get_by_code("wljs").id
            # the current year is open, every earlier one closed
            assert closed_years(coop_id) == set(range(2024, day.year))
            assert not is_year_closed(coop_id, day.year)
            assert db.session.scalar(select(ServiceOrder.service_on).where(
                ServiceOrder.cooperative_id == coop_id)
                .order_by(ServiceOrder.service_on.desc()).limit(1)) <= day
            seen[day] = _history(coop_id)
            db.session.rollback()

    first = seen[DAYS[0]]
    for day in DAYS[1:]:
        for part, value in first.items():
            assert seen[day][part] == value, (day, part)

    fields, lines = first["plans"][2024]
    assert first["closes"][2024][0] == fields["surplus_fen"] > 0
    assert fields["status"] == "paid" and fields["notice_start"] == date(2025, 3, 16)
    assert fields["line_count"] == len(lines) >= 90
    assert all(paid_on == date(2025, 3, 28) for *_, total, paid_on in lines if total > 0)
    assert sum(total for *_, total, _ in lines) == (
        fields["capital_pool_fen"] + fields["patronage_pool_fen"] + fields["guaranteed_total_fen"])
    assert fields["reserve_fen"] > 0 and fields["welfare_fen"] > 0 and fields["risk_fen"] > 0
    draft, draft_lines = first["plans"][2025]
    assert draft["status"] == "draft" and not draft["is_preview"]
    assert draft["surplus_fen"] == first["closes"][2025][0] > 0 and len(draft_lines) >= 90
    assert set(first["plans"]) == {2024, 2025}


def test_the_demo_member_sees_what_the_readme_says(client, auth, demo):
    """README, demo section: CY0003's holdings, paid 2024 dividend and statement."""
    from coop.demo import DEMO_PASSWORD

    assert auth.login("CY0003", DEMO_PASSWORD, coop=demo).status_code == 302
    home = client.get("/me/").get_data(as_text=True)
    assert "高敏" in home and "1,600 股" in home and "村民股 1,600 股" in home
    assert "2024 年度分红" in home and "57.40 元" in home and "已发放" in home
    holdings = client.get("/me/holdings").get_data(as_text=True)
    assert "2023-05-28" in holdings and "1,600.00" in holdings
    dividends = client.get("/me/dividends").get_data(as_text=True)
    assert "57.40" in dividends and "2025 年度" not in dividends
    statement = client.get("/me/statements/2024").get_data(as_text=True)
    for expected in ("伍拾柒元肆角", "2025-03-28", "惠农一卡通", "0.0359", "1,600"):
        assert expected in statement, expected
