"""The demo cooperative's machinery ledger (DESIGN.md section 2)."""
from datetime import date

from sqlalchemy import func, select

from coop import clock
from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.machinery.periods import is_year_closed
from coop.machinery.receivables import receivables
from coop.machinery.years import member_transactions, year_figures
from coop.machinery.models import Expense, Machine, OutsideClient, ServiceOrder


def test_demo_machines_make_up_780000_yuan(app, demo):
    with app.app_context():
        coop_id = get_by_code(demo).id
        by_source = dict(db.session.execute(
            select(Machine.source, func.sum(Machine.original_value_fen))
            .where(Machine.cooperative_id == coop_id).group_by(Machine.source)).all())
        assert by_source == {"collective_in_kind": 65_000_000, "member_in_kind": 13_000_000}


def test_demo_clients_season_and_closed_years(app, demo):
    with app.app_context():
        coop_id = get_by_code(demo).id
        kinds = dict(db.session.execute(
            select(OutsideClient.kind, func.count()).where(OutsideClient.cooperative_id == coop_id)
            .group_by(OutsideClient.kind)).all())
        assert kinds["village"] == 15 and kinds["cooperative"] == 8 and kinds["company"] >= 3
        assert is_year_closed(coop_id, 2024) and is_year_closed(coop_id, 2025)
        assert not is_year_closed(coop_id, clock.today().year)
        fig = year_figures(coop_id, 2025)
        assert fig.closed and fig.surplus_fen > 0
        assert fig.service_income_nonmembers_fen > 0
        assert fig.nondistributable_income_fen == 3_000_000
        # three operators at 7,000 yuan a month, and a seasonal one
        wages = db.session.scalar(select(func.sum(Expense.amount_fen)).where(
            Expense.cooperative_id == coop_id, Expense.kind == "wages",
            Expense.spent_on.between(date(2025, 1, 1), date(2025, 12, 31)),
            Expense.payee == "赵永刚"))
        assert wages == 12 * 700_000
        orders_2025 = db.session.scalar(select(func.count()).where(
            ServiceOrder.cooperative_id == coop_id,
            ServiceOrder.service_on.between(date(2025, 1, 1), date(2025, 12, 31))))
        assert 100 <= orders_2025 <= 400
        assert receivables(coop_id).total_fen > 0
        patronage = member_transactions(coop_id, 2025)
        has_members = db.session.scalar(select(func.count()).where(
            ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None)))
        if has_members:
            assert sum(patronage.values()) == fig.service_income_members_fen
