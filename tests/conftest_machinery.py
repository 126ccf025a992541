"""Fixtures of the machinery ledger: a cooperative ``t1`` with staff logins
(the ``staff`` fixture), two members, an outside village, a machine, a price
list, and a ``ledger`` helper that writes through the services."""
from __future__ import annotations

from datetime import date

import pytest

from coop.extensions import db
from coop.machinery import cash, clients, machines, orders, payments, prices, receivables, years
from coop.machinery.clients import create_client
from coop.machinery.machines import create_machine
from coop.machinery.models import ServiceOrder
from coop.machinery.orders import OrderInput, create_order
from coop.machinery.payments import record_payment
from coop.machinery.prices import set_prices
from coop.machinery.years import close_year
from coop.tenancy import get_owned

SERVICE_MODULES = (cash, clients, machines, orders, payments, prices, receivables, years)


class Ledger:
    """Writes through the services of coop.machinery inside an app context,
    committing: ``ledger.create_expense(...)`` calls the service of that name
    with the cooperative's id first."""

    def __init__(self, app, coop_id: int):
        self.app = app
        self.coop_id = coop_id

    def __getattr__(self, name):
        func = next(getattr(module, name) for module in SERVICE_MODULES if hasattr(module, name))

        def call(*args, **kwargs):
            with self.app.app_context():
                result = func(self.coop_id, *args, **kwargs)
                db.session.commit()
                if hasattr(result, "id"):
                    return result.id
                return result

        return call

    def order(self, on: date, ref: str, service: str = "sowing", area_cmu: int = 1000,
              price: int | None = None, **kwargs) -> int:
        with self.app.app_context():
            order = create_order(self.coop_id, OrderInput(
                service_on=on, client_ref=ref, service=service, area_cmu=area_cmu,
                unit_price_fen=price, **kwargs))
            db.session.commit()
            return order.id

    def pay(self, order_id: int, on: date, amount: int, method: str = "cash") -> int:
        with self.app.app_context():
            order = get_owned(ServiceOrder, order_id, self.coop_id)
            payment = record_payment(self.coop_id, order, on, amount, method)
            db.session.commit()
            return payment.id

    def close(self, year: int, carry_forward_fen: int = 0) -> None:
        with self.app.app_context():
            close_year(self.coop_id, year, None, carry_forward_fen)
            db.session.commit()

    def run(self, func):
        """func(coop_id) inside an app context; returns its result."""
        with self.app.app_context():
            return func(self.coop_id)


def make_member(app, coop_id: int, member_no: str, name: str, kind: str = "villager") -> int:
    from coop.members.models import Member

    with app.app_context():
        member = Member(cooperative_id=coop_id, member_no=member_no, name=name, kind=kind,
                        name_initials="")
        db.session.add(member)
        db.session.commit()
        return member.id


@pytest.fixture
def mach(app, staff):
    """Cooperative t1 (with staff logins), two members, a village, a company,
    a machine and the 2025/2026 price lists. Returns a namespace of ids and
    a ``ledger`` helper."""
    from coop.cooperatives.services import get_by_code

    with app.app_context():
        coop_id = get_by_code(staff[0]).id
    ledger = Ledger(app, coop_id)
    zhang = make_member(app, coop_id, "M0001", "张三")
    li = make_member(app, coop_id, "M0002", "李四")
    with app.app_context():
        from coop.members.models import Member

        for member_id, initials in ((zhang, "zs"), (li, "ls")):
            db.session.get(Member, member_id).name_initials = initials
        village = create_client(coop_id, {"kind": "village", "name": "哈业胡同村",
                                                   "contact_person": "王主任",
                                                   "phone": "13800000001"})
        company = create_client(coop_id, {"kind": "company",
                                                   "name": "包头北方农牧业有限公司"})
        machine = create_machine(coop_id, {
            "name": "约翰迪尔拖拉机", "category": "tractor", "model": "JD-1204",
            "plate": "蒙B·12345", "acquired_on": date(2024, 12, 10),
            "original_value_fen": 12_000_000, "source": "collective_in_kind",
            "useful_life_months": 120, "salvage_rate_bp": 500, "status": "in_service",
            "disposed_on": None, "note": ""})
        for year in (2025, 2026):
            set_prices(coop_id, year, {
                "sowing": (2500, 3500), "harvesting": (6000, 8000), "spraying": (800, 1200)})
        db.session.commit()
        ids = {"village": village.id, "company": company.id, "machine": machine.id}

    class NS:
        pass

    ns = NS()
    ns.coop_id = coop_id
    ns.code = staff[0]
    ns.users = staff[1]
    ns.zhang, ns.li = zhang, li
    ns.village, ns.company, ns.machine = ids["village"], ids["company"], ids["machine"]
    ns.ledger = ledger
    return ns
