"""The machinery ledger records what happened: an order, a payment, a cash
entry, a machine's purchase or disposal and a reversal are dated today at
the latest (Beijing's today), refused with a Chinese message after it, and
the refusal changes nothing."""
from __future__ import annotations

from datetime import date

import pytest

from coop.errors import ValidationFailed
from coop.extensions import db
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.orders import reverse_order
from coop.machinery.payments import reverse_payment
from coop.tenancy import get_owned
from tests.test_machinery_views import order_data

pytestmark = pytest.mark.now("2026-06-16 07:00")  # Beijing: in UTC still the 15th

TODAY, TOMORROW = date(2026, 6, 16), date(2026, 6, 17)
MACHINE = {"name": "久保田收割机", "category": "harvester", "model": "PRO888", "plate": "",
           "original_value_fen": 8_000_000, "source": "purchased", "useful_life_months": 120,
           "salvage_rate_bp": 500, "status": "in_service", "disposed_on": None, "note": ""}


def _refused(fingerprint, write, field: str, message: str) -> None:
    before = fingerprint()
    with pytest.raises(ValidationFailed) as refused:
        write()
    assert message in refused.value.errors[field]
    assert fingerprint() == before


def test_an_order_of_tomorrow_is_refused_and_one_of_today_saved(mach, fingerprint):
    _refused(fingerprint, lambda: mach.ledger.order(TOMORROW, f"c:{mach.village}"),
             "service_on", "作业日期不能晚于今天（2026-06-16）")
    assert mach.ledger.order(TODAY, f"c:{mach.village}")


def test_a_payment_of_tomorrow_is_refused(mach, fingerprint):
    order = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
    _refused(fingerprint, lambda: mach.ledger.pay(order, TOMORROW, 100),
             "paid_on", "收款日期不能晚于今天")
    _refused(fingerprint, lambda: mach.ledger.record_client_payment(
        f"c:{mach.village}", TOMORROW, 100, "cash"), "paid_on", "收款日期不能晚于今天")
    assert mach.ledger.pay(order, TODAY, 100)


def test_reversals_of_tomorrow_are_refused(mach, fingerprint):
    order = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
    payment = mach.ledger.pay(order, date(2026, 5, 4), 100)
    closed = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}")
    mach.ledger.close(2025)  # an order is reversed once its year is closed

    def a_payments_reversal():
        with mach.ledger.app.app_context():
            reverse_payment(mach.coop_id, get_owned(ServicePayment, payment, mach.coop_id),
                            TOMORROW, "收错了")

    def an_orders_reversal():
        with mach.ledger.app.app_context():
            reverse_order(mach.coop_id, get_owned(ServiceOrder, closed, mach.coop_id), TOMORROW,
                          None, "面积量错")

    _refused(fingerprint, a_payments_reversal, "on", "冲销日期不能晚于今天")
    _refused(fingerprint, an_orders_reversal, "on", "冲销日期不能晚于今天")


@pytest.mark.parametrize("create", ["create_expense", "create_income"])
def test_cash_entries_of_tomorrow_are_refused(mach, fingerprint, create):
    kind = "fuel" if create == "create_expense" else "other"
    field = "spent_on" if create == "create_expense" else "received_on"
    _refused(fingerprint, lambda: getattr(mach.ledger, create)(TOMORROW, kind, 10_000),
             field, "日期不能晚于今天")
    assert getattr(mach.ledger, create)(TODAY, kind, 10_000)


def test_a_machine_bought_or_disposed_of_tomorrow_is_refused(mach, fingerprint):
    _refused(fingerprint, lambda: mach.ledger.create_machine({**MACHINE, "acquired_on": TOMORROW}),
             "acquired_on", "购置（入股）日期不能晚于今天")
    _refused(fingerprint, lambda: mach.ledger.create_machine(
        {**MACHINE, "acquired_on": date(2025, 1, 1), "status": "disposed",
         "disposed_on": TOMORROW}), "disposed_on", "处置日期不能晚于今天")
    assert mach.ledger.create_machine({**MACHINE, "acquired_on": TODAY})


def test_the_order_form_says_so_and_keeps_what_was_typed(client, auth, mach, fingerprint):
    auth.login("accountant")
    before = fingerprint()
    resp = client.post("/machinery/orders", data=order_data(mach, service_on="2026-06-17"),
                       headers={"HX-Request": "true"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "作业日期不能晚于今天（2026-06-16）" in html and "东滩 3 号地" in html
    assert fingerprint() == before
    with mach.ledger.app.app_context():
        assert db.session.query(ServiceOrder).count() == 0
