"""The home page's receivables (checklist step and key figure) read the
orders' kept ``unpaid_fen`` and agree with billed less received, reversals
and reversed payments included, after every write."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from coop.extensions import db
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.receivers import _outstanding_fen
from tests.query_plans import captured_plans
from tests.test_oversight_tallies import _ledger_with_payments_and_reversals


def _billed_less_received(coop_id: int) -> int:
    billed = db.session.scalar(select(func.coalesce(func.sum(ServiceOrder.amount_fen), 0))
                               .where(ServiceOrder.cooperative_id == coop_id))
    received = db.session.scalar(select(func.coalesce(func.sum(ServicePayment.amount_fen), 0))
                                 .where(ServicePayment.cooperative_id == coop_id))
    return int(billed) - int(received)


def test_outstanding_from_kept_unpaid_equals_billed_less_received(mach, monkeypatch):
    assert mach.ledger.run(_outstanding_fen) == 0
    _ledger_with_payments_and_reversals(mach, monkeypatch)
    kept = mach.ledger.run(_outstanding_fen)
    # old: 350 - 150 = 200; reversed in part: 800 - 320 = 480; reversed whole: 0; late: 700 - 200
    assert kept == mach.ledger.run(_billed_less_received) == 118_000
    paid_off = mach.ledger.order(date(2026, 5, 1), f"m:{mach.zhang}", "sowing", 400)  # 100.00
    assert mach.ledger.run(_outstanding_fen) == mach.ledger.run(_billed_less_received) == 128_000
    mach.ledger.pay(paid_off, date(2026, 5, 2), 10_000)
    assert mach.ledger.run(_outstanding_fen) == mach.ledger.run(_billed_less_received) == 118_000


def test_outstanding_reads_the_partial_index_of_the_orders_that_owe(mach):
    def read(coop_id):
        with captured_plans("service_orders") as plans:
            _outstanding_fen(coop_id)
        with captured_plans("service_payments") as payment_plans:
            _outstanding_fen(coop_id)
        return plans, payment_plans

    plans, payment_plans = mach.ledger.run(read)
    assert plans and all("ix_service_orders_unpaid" in " ".join(plan) for plan in plans), plans
    assert payment_plans == []
