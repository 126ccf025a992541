"""Role table of the machinery ledger: accountant and secretary (admin) write,
the supervisor reads (and confirms a year's reopening), a member's login gets 403 (see tests/test_roles.py).

POSTs carry no form data: a writer gets the form back with its errors (422),
except deleting an unpaid order of an open year and saving an empty price
list, which succeed (302), and an edit without the record's version (409)."""
from tests.roles import STAFF

READ = {r: 200 for r in STAFF}
WRITE_422 = {"admin": 422, "accountant": 422}
WRITE_200 = {"admin": 200, "accountant": 200}
WRITE_302 = {"admin": 302, "accountant": 302}
WRITE_409 = {"admin": 409, "accountant": 409}

ROLE_TABLE = {
    "machinery.orders": ("GET", "/machinery/orders", READ),
    "machinery.order_create": ("POST", "/machinery/orders", WRITE_422),
    "machinery.order_quote": ("GET", "/machinery/orders/quote?area_cmu=1", WRITE_200),
    "machinery.client_search": ("GET", "/machinery/clients/search?q=zs", READ),
    "machinery.order_detail": ("GET", "/machinery/orders/{order_id}", READ),
    "machinery.order_update": ("POST", "/machinery/orders/{order_id}", WRITE_409),
    "machinery.order_delete": ("POST", "/machinery/orders/{order_id}/delete", WRITE_302),
    "machinery.payment_create": ("POST", "/machinery/orders/{order_id}/payments", WRITE_422),
    "machinery.order_reverse": ("POST", "/machinery/orders/{order_id}/reverse", WRITE_422),
    "machinery.payment_reverse": ("POST", "/machinery/payments/{payment_id}/reverse", WRITE_422),
    "machinery.receivables": ("GET", "/machinery/receivables", READ),
    "machinery.client_payment": ("POST", "/machinery/receivables/pay", WRITE_422),
    "machinery.receivables_member": ("GET", "/machinery/receivables/members/{member_id}", READ),
    "machinery.receivables_client": ("GET", "/machinery/receivables/clients/{client_id}", READ),
    "machinery.machines": ("GET", "/machinery/machines", READ),
    "machinery.machine_create": ("POST", "/machinery/machines", WRITE_422),
    "machinery.machine_detail": ("GET", "/machinery/machines/{machine_id}", READ),
    "machinery.machine_update": ("POST", "/machinery/machines/{machine_id}", WRITE_409),
    "machinery.clients": ("GET", "/machinery/clients", READ),
    "machinery.client_create": ("POST", "/machinery/clients", WRITE_422),
    "machinery.client_detail": ("GET", "/machinery/clients/{client_id}", READ),
    "machinery.client_update": ("POST", "/machinery/clients/{client_id}", WRITE_409),
    "machinery.prices": ("GET", "/machinery/prices", READ),
    "machinery.prices_save": ("POST", "/machinery/prices/{year}", WRITE_302),
    "machinery.expenses": ("GET", "/machinery/expenses", READ),
    "machinery.expense_create": ("POST", "/machinery/expenses", WRITE_422),
    "machinery.expense_reverse": ("POST", "/machinery/expenses/{expense_id}/reverse", WRITE_422),
    "machinery.incomes": ("GET", "/machinery/incomes", READ),
    "machinery.income_create": ("POST", "/machinery/incomes", WRITE_422),
    "machinery.income_reverse": ("POST", "/machinery/incomes/{income_id}/reverse", WRITE_422),
    "machinery.years": ("GET", "/machinery/years", READ),
    "machinery.year_detail": ("GET", "/machinery/years/{year}", READ),
    "machinery.year_close": ("POST", "/machinery/years/{year}/close", WRITE_422),
    "machinery.year_reopen_request": ("POST", "/machinery/years/{year}/reopen", WRITE_422),
    "machinery.year_reopen_confirm": ("POST", "/machinery/years/{year}/reopen/confirm",
                                      {"supervisor": 422}),
    "machinery.year_reopen_cancel": ("POST", "/machinery/years/{year}/reopen/cancel",
                                     {r: 422 for r in STAFF}),
    "machinery.reports": ("GET", "/machinery/reports", READ),
    "machinery.report_xlsx": ("GET", "/machinery/reports/{year}/monthly.xlsx", READ),
    "machinery.orders_xlsx": ("GET", "/machinery/orders.xlsx", READ),
    "machinery.payments_xlsx": ("GET", "/machinery/payments.xlsx", READ),
}


def role_fixture(app) -> dict:
    from coop import clock
    from coop.cooperatives.services import get_by_code
    from coop.extensions import db
    from coop.machinery.cash import create_expense, create_income
    from coop.machinery.clients import create_client
    from coop.machinery.machines import create_machine
    from coop.machinery.orders import OrderInput, create_order
    from coop.machinery.payments import record_payment
    from coop.members.models import Member

    today = clock.today()
    with app.app_context():
        coop_id = get_by_code("t1").id
        member = Member(cooperative_id=coop_id, member_no="R101", name="张三")
        db.session.add(member)
        client = create_client(coop_id, {"kind": "village", "name": "沙尔沁村"})
        machine = create_machine(coop_id, {
            "name": "拖拉机", "category": "tractor", "acquired_on": today,
            "original_value_fen": 10_000_000, "source": "purchased", "useful_life_months": 120,
            "salvage_rate_bp": 500, "status": "in_service", "disposed_on": None})
        order = create_order(coop_id, OrderInput(
            service_on=today, client_ref=f"c:{client.id}", service="sowing", area_cmu=1000,
            unit_price_fen=3000))
        paid = create_order(coop_id, OrderInput(
            service_on=today, client_ref=f"c:{client.id}", service="sowing", area_cmu=1000,
            unit_price_fen=3000))
        payment = record_payment(coop_id, paid, today, 1000, "cash")
        expense = create_expense(coop_id, today, "fuel", 10_000, machine.id)
        income = create_income(coop_id, today, "rent", 10_000)
        db.session.commit()
        return {"order_id": order.id, "payment_id": payment.id, "machine_id": machine.id,
                "member_id": member.id,
                "client_id": client.id, "expense_id": expense.id, "income_id": income.id,
                "year": today.year}
