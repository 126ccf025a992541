"""Rules of the service ledger through the services: amounts, payment limits,
locked years (refused with nothing changed), reversals, year figures and the
functions the dividends domain uses."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from coop.audit.api import AuditEntry
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery import distribution
from coop.machinery.clients import resolve_client, search_clients
from coop.machinery.cash import reverse_expense
from coop.machinery.machines import MACHINE_FIELDS, create_machine, update_machine
from coop.machinery.models import Expense, Machine, OtherIncome, ServiceOrder, ServicePayment
from coop.machinery.orders import OrderInput, delete_order, outstanding_fen, reverse_order, update_order
from coop.machinery.payments import reverse_payment
from coop.machinery.periods import is_year_closed
from coop.machinery.receivables import receivables
from coop.machinery.tallies import receivable_tallies
from coop.machinery.years import close_year, year_figures
from coop.tenancy import find_owned


def entries_for(record_type: str, record_id: int) -> list[AuditEntry]:
    """The record's audit entries, oldest first."""
    return list(db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == record_type, AuditEntry.record_id == str(record_id))
        .order_by(AuditEntry.id)))


def test_order_takes_the_price_by_client_type(mach):
    member_order = mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1235)
    village_order = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1235)

    def amounts(coop_id):
        return [(o.unit_price_fen, o.amount_fen, o.order_no) for o in
                (find_owned(ServiceOrder, member_order, coop_id), find_owned(ServiceOrder, village_order, coop_id))]

    # 12.35 mu x 25.00 = 308.75; 12.35 mu x 35.00 = 432.25
    assert mach.ledger.run(amounts) == [(2500, 30875, "2025-00001"), (3500, 43225, "2025-00002")]


def test_manual_price_wins_and_amount_is_rounded_half_up(mach):
    order_id = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1235, price=4550)
    order = mach.ledger.run(lambda c: find_owned(ServiceOrder, order_id, c))
    assert (order.unit_price_fen, order.amount_fen) == (4550, 56193)


def test_order_without_a_price_is_refused(mach, fingerprint):
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "baling", 1000)
    assert exc.value.errors["unit_price_fen"] == "请填写单价（价格表中没有这一项）"
    assert fingerprint() == before


def test_order_field_errors_in_chinese(mach):
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.order(date(2025, 5, 3), "", "nothing", 0)
    assert exc.value.errors == {
        "client": "请填写客户（输入姓名、拼音首字母或编号后从列表中选择）",
        "service": "请选择作业项目",
        "area_cmu": "面积必须大于 0",
        "unit_price_fen": "请填写单价（价格表中没有这一项）",
    }


def test_client_resolved_from_exact_text_without_a_pick(mach):
    def resolve(coop_id):
        return (resolve_client(coop_id, "", "张三").ref,
                resolve_client(coop_id, "", "M0002").ref,
                resolve_client(coop_id, "", "哈业胡同村").ref)

    assert mach.ledger.run(resolve) == (f"m:{mach.zhang}", f"m:{mach.li}", f"c:{mach.village}")
    with pytest.raises(ServiceError, match="没有名为“王五”的成员或客户"):
        mach.ledger.run(lambda c: resolve_client(c, "", "王五"))


def test_client_of_another_cooperative_is_not_found(mach, create_coop, app):
    from coop.cooperatives.services import get_by_code

    other = create_coop("t2")
    with app.app_context():
        other_id = get_by_code(other).id
    with pytest.raises(ServiceError, match="找不到所选客户"):
        with app.app_context():
            resolve_client(other_id, f"c:{mach.village}")
    with pytest.raises(ServiceError, match="找不到所选客户"):
        with app.app_context():
            resolve_client(other_id, f"m:{mach.zhang}")


def test_search_by_initials_number_and_part_of_name(mach):
    def refs(text):
        return mach.ledger.run(lambda c: [h.ref for h in search_clients(c, text)])

    assert refs("zs") == [f"m:{mach.zhang}"]
    assert refs("M000") == [f"m:{mach.zhang}", f"m:{mach.li}"]
    assert refs("胡同") == [f"c:{mach.village}"]
    assert refs("hy") == [f"c:{mach.village}"]
    assert refs("%") == []


# ---------------------------------------------------------------- payments

def test_partial_payments_up_to_the_amount_owed(mach, fingerprint):
    order_id = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)  # 350.00
    mach.ledger.pay(order_id, date(2025, 5, 10), 20_000)
    mach.ledger.pay(order_id, date(2025, 6, 1), 10_000)
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.pay(order_id, date(2025, 6, 2), 5_001)
    assert exc.value.errors["amount_fen"] == "收款 50.01 元超过了未收金额 50.00 元"
    assert fingerprint() == before
    mach.ledger.pay(order_id, date(2025, 6, 2), 5_000)
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.pay(order_id, date(2025, 6, 3), 1)
    assert exc.value.errors["amount_fen"] == "作业单 2025-00001 已全部收清，不能再收款"
    order = mach.ledger.run(lambda c: find_owned(ServiceOrder, order_id, c))
    assert mach.ledger.run(lambda c: outstanding_fen(find_owned(ServiceOrder, order_id, c))) == 0
    assert order.amount_fen == 35_000


def test_payment_must_be_positive(mach):
    order_id = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.pay(order_id, date(2025, 5, 10), 0)
    assert exc.value.errors["amount_fen"] == "收款金额必须大于 0"


def test_client_lump_sum_settles_oldest_orders_first(mach):
    first = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)  # 350.00
    second = mach.ledger.order(date(2025, 6, 3), f"c:{mach.village}", "spraying", 1000)  # 120.00
    ids = mach.ledger.record_client_payment(f"c:{mach.village}", date(2025, 7, 1), 40_000, "bank")
    assert len(ids) == 2
    out = mach.ledger.run(lambda c: (outstanding_fen(find_owned(ServiceOrder, first, c)),
                                     outstanding_fen(find_owned(ServiceOrder, second, c))))
    assert out == (0, 7_000)
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.record_client_payment(f"c:{mach.village}", date(2025, 7, 2), 7_001, "cash")
    assert exc.value.errors["amount_fen"] == "收款 70.01 元超过了该客户的未收总额 70.00 元"


def test_reversed_payment_reopens_the_receivable(mach):
    order_id = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)
    payment_id = mach.ledger.pay(order_id, date(2025, 5, 10), 35_000)

    def reverse(coop_id):
        payment = find_owned(ServicePayment, payment_id, coop_id)
        reverse_payment(coop_id, payment, date(2025, 5, 11), "重复登记")
        db.session.commit()
        return outstanding_fen(find_owned(ServiceOrder, order_id, coop_id))

    assert mach.ledger.run(reverse) == 35_000
    with pytest.raises(ServiceError, match="该收款已冲销过"):
        mach.ledger.run(lambda c: reverse_payment(
            c, find_owned(ServicePayment, payment_id, c), date(2025, 5, 12), "再来一次"))


# ---------------------------------------------------------------- receivables

def test_receivables_aging_by_client(mach):
    mach.ledger.order(date(2026, 3, 31), f"c:{mach.village}", "sowing", 1000)   # 0 days: 350.00
    mach.ledger.order(date(2026, 3, 1), f"c:{mach.village}", "sowing", 100)     # 30 days: 35.00
    mach.ledger.order(date(2026, 2, 28), f"c:{mach.village}", "sowing", 200)    # 31 days: 70.00
    mach.ledger.order(date(2025, 12, 31), f"m:{mach.zhang}", "sowing", 1000)    # 90 days: 250.00
    old = mach.ledger.order(date(2025, 12, 30), f"m:{mach.zhang}", "sowing", 400)  # 91: 100.00
    mach.ledger.pay(old, date(2026, 1, 5), 4_000)  # 60.00 left
    mach.ledger.order(date(2026, 4, 1), f"c:{mach.company}", "sowing", 1000)    # after as_of
    rec = mach.ledger.run(lambda c: receivables(c, date(2026, 3, 31)))
    by_name = {c.name: c for c in rec.clients}
    assert set(by_name) == {"哈业胡同村", "张三"}
    assert by_name["哈业胡同村"].buckets == {"0_30": 38_500, "31_90": 7_000, "over_90": 0}
    assert by_name["张三"].buckets == {"0_30": 0, "31_90": 25_000, "over_90": 6_000}
    assert by_name["张三"].kind_label == "本社成员"
    assert rec.totals == {"0_30": 38_500, "31_90": 32_000, "over_90": 6_000}
    assert rec.total_fen == 76_500
    assert [c.name for c in rec.clients] == ["哈业胡同村", "张三"]  # largest first



def test_a_payment_after_the_date_does_not_reduce_that_dates_receivable(mach):
    order = mach.ledger.order(date(2026, 3, 1), f"m:{mach.zhang}", "sowing", 1000)  # 250.00
    mach.ledger.pay(order, date(2026, 3, 10), 5_000)
    mach.ledger.pay(order, date(2026, 4, 10), 20_000)  # after the date asked about
    on_march_31 = mach.ledger.run(lambda c: receivables(c, date(2026, 3, 31)))
    assert on_march_31.total_fen == 20_000
    assert [(c.name, c.total_fen) for c in on_march_31.clients] == [("张三", 20_000)]
    tally = mach.ledger.run(lambda c: receivable_tallies([c], date(2026, 3, 31))[c])
    assert tally.total_fen == 20_000
    assert mach.ledger.run(lambda c: receivables(c, date(2026, 4, 10))).clients == []
    assert mach.ledger.run(lambda c: receivable_tallies([c], date(2026, 4, 10))) == {}

# ---------------------------------------------------------------- year close and locking

def test_closed_year_refuses_every_entry_and_nothing_changes(mach, fingerprint, monkeypatch):
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 6, 1))
    order_id = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)
    expense_id = mach.ledger.create_expense(date(2025, 5, 4), "fuel", 10_000, mach.machine)
    mach.ledger.close(2025)
    before = fingerprint()
    message = re.escape("2025 年度已结账，不能登记 2025-12-31 及以前的日期；请按本年度（2026）的日期登记")
    locked = re.escape("2025 年度已结账，2025-05-03 的作业单属于已结账期间，不能再更改；"
                       "更正请按本年度（2026）的日期登记冲销")
    with pytest.raises(ServiceError, match=message):
        mach.ledger.order(date(2025, 12, 30), f"c:{mach.village}", "sowing", 1000)
    with pytest.raises(ServiceError, match=message):
        mach.ledger.pay(order_id, date(2025, 12, 31), 100)
    with pytest.raises(ServiceError, match=message):
        mach.ledger.create_expense(date(2025, 8, 1), "repair", 10_000)
    with pytest.raises(ServiceError, match=message):
        mach.ledger.create_income(date(2025, 8, 1), "rent", 10_000)

    def edit(coop_id):
        order = find_owned(ServiceOrder, order_id, coop_id)
        update_order(coop_id, order, OrderInput(
            service_on=date(2025, 5, 3), client_ref=f"c:{mach.village}", service="sowing",
            area_cmu=2000), order.version)

    with pytest.raises(ServiceError, match=locked):
        mach.ledger.run(edit)
    with pytest.raises(ServiceError, match=locked):
        mach.ledger.run(lambda c: delete_order(c, find_owned(ServiceOrder, order_id, c)))
    with pytest.raises(ServiceError, match="2025 年度已结账锁定，价格表不能再修改"):
        mach.ledger.set_prices(2025, {"sowing": (1, 2)})
    with pytest.raises(ServiceError, match="会改变已结账的 2025 年度折旧"):
        mach.ledger.run(lambda c: create_machine(c, {
            "name": "补录的播种机", "category": "seeder", "acquired_on": date(2025, 3, 1),
            "original_value_fen": 1_000_000, "source": "purchased", "useful_life_months": 60,
            "salvage_rate_bp": 500, "status": "in_service", "disposed_on": None}))
    with pytest.raises(ServiceError, match="2025 年度已经结账"):
        mach.ledger.close(2025)
    with pytest.raises(ServiceError, match=message):
        mach.ledger.run(lambda c: reverse_expense(
            c, find_owned(Expense, expense_id, c), date(2025, 12, 31), "错"))
    assert fingerprint() == before


def test_closed_year_order_is_corrected_by_a_reversal_in_the_open_year(mach, fingerprint):
    order_id = mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)  # 350.00
    mach.ledger.pay(order_id, date(2025, 5, 10), 10_000)
    mach.ledger.close(2025)
    before = fingerprint()
    with pytest.raises(ServiceError, match="冲销金额 350.00 元超过了未收部分"):
        mach.ledger.run(lambda c: reverse_order(
            c, find_owned(ServiceOrder, order_id, c), date(2026, 1, 5), None, "面积多报"))
    assert fingerprint() == before

    def reverse(coop_id):
        rev = reverse_order(coop_id, find_owned(ServiceOrder, order_id, coop_id),
                                     date(2026, 1, 5), 400, "面积多报 4 亩")
        db.session.commit()
        return rev.order_no, rev.area_cmu, rev.amount_fen, rev.reverses_id

    assert mach.ledger.run(reverse) == ("2026-00001", -400, -14_000, order_id)
    after = mach.ledger.run(lambda c: (year_figures(c, 2025).service_income_fen,
                                       year_figures(c, 2026).service_income_fen,
                                       outstanding_fen(find_owned(ServiceOrder, order_id, c))))
    assert after == (35_000, -14_000, 35_000 - 10_000 - 14_000)


def test_reversal_only_for_closed_years(mach):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    with pytest.raises(ServiceError, match="2026 年度尚未结账，请直接修改作业单"):
        mach.ledger.run(lambda c: reverse_order(
            c, find_owned(ServiceOrder, order_id, c), date(2026, 5, 5), None, "错"))


def test_years_close_in_order(mach, monkeypatch):
    mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)
    monkeypatch.setattr("coop.clock.today", lambda: date(2027, 1, 5))
    with pytest.raises(ServiceError, match="请先结账 2025 年度"):
        mach.ledger.close(2026)
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 12, 31))
    mach.ledger.close(2025)
    with pytest.raises(ServiceError, match="2026 年度还没有结束，12 月 31 日以后才能结账"):
        mach.ledger.close(2026)


def test_close_refuses_when_figures_changed_since_shown(mach, fingerprint):
    mach.ledger.order(date(2025, 5, 3), f"c:{mach.village}", "sowing", 1000)
    before = fingerprint()
    with pytest.raises(ServiceError, match="结账期间账目已有变动"):
        mach.ledger.run(lambda c: close_year(c, 2025, None, 0, 123))
    assert fingerprint() == before


def test_year_figures_and_surplus_hand_worked(mach):
    # machine: 120,000.00 yuan from 2024-12-10, 5% salvage, 120 months ->
    # 950.00 a month from January 2025: 11,400.00 in 2025
    mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1000)          # 250.00
    mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 10050)  # 8,040.00
    mach.ledger.order(date(2025, 9, 21), f"c:{mach.company}", "harvesting", 10000)  # 8,000.00
    mach.ledger.create_expense(date(2025, 9, 30), "fuel", 100_000, mach.machine)     # 1,000.00
    mach.ledger.create_income(date(2025, 10, 1), "rent", 50_000)                     # 500.00
    mach.ledger.create_income(date(2025, 10, 2), "government_grant", 200_000)        # 2,000.00
    fig = mach.ledger.run(lambda c: year_figures(c, 2025))
    assert fig.service_income_members_fen == 25_000
    assert fig.service_income_nonmembers_fen == 1_604_000
    assert fig.other_income_fen == 50_000
    assert fig.nondistributable_income_fen == 200_000
    assert fig.expenses_fen == 100_000
    assert fig.depreciation_fen == 1_140_000
    assert (fig.carried_surplus_fen, fig.carried_loss_fen) == (0, 0)
    # 250 + 16,040 + 500 - 1,000 - 11,400 = 4,390.00
    assert fig.surplus_fen == 439_000
    assert fig.closed is False

    mach.ledger.close(2025, carry_forward_fen=100_000)
    closed = mach.ledger.run(lambda c: year_figures(c, 2025))
    assert closed.closed and closed.surplus_fen == 439_000
    assert (closed.retained_fen, closed.to_distribute_fen, closed.distributed_fen) == (
        100_000, 339_000, None)
    assert mach.ledger.run(lambda c: is_year_closed(c, 2025)) is True
    assert mach.ledger.run(lambda c: is_year_closed(c, 2026)) is False
    nxt = mach.ledger.run(lambda c: year_figures(c, 2026))
    # No plan has distributed the 3,390.00 yet: 2026 carries all 4,390.00.
    assert (nxt.carried_surplus_fen, nxt.carried_loss_fen) == (439_000, 0)
    # Once 2025's plan distributes 3,390.00, 2026 carries the 1,000.00 kept:
    # depreciation 11,400.00, carried 1,000.00 -> -10,400.00
    def record(coop_id):
        distribution.record_distribution(coop_id, 2025, 339_000)
        db.session.commit()

    mach.ledger.run(record)
    nxt = mach.ledger.run(lambda c: year_figures(c, 2026))
    assert (nxt.carried_surplus_fen, nxt.carried_loss_fen) == (100_000, 0)
    assert nxt.surplus_fen == 100_000 - 1_140_000


def test_a_distribution_other_than_the_surplus_less_the_kept_part_is_refused(mach, fingerprint):
    mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 100000)  # 80,000.00
    mach.ledger.close(2025, carry_forward_fen=1_000_000)
    before = fingerprint()
    with pytest.raises(ServiceError, match="方案分配 70,000.00 元，与 2025 年度结账确定的可分配盈余"):
        mach.ledger.run(lambda c: distribution.record_distribution(c, 2025, 7_000_000))
    assert fingerprint() == before


def test_loss_carries_into_the_next_year(mach):
    mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1000)  # 250.00 - 11,400.00
    mach.ledger.close(2025)
    fig = mach.ledger.run(lambda c: year_figures(c, 2026))
    assert fig.carried_loss_fen == 1_115_000
    assert fig.surplus_fen == -1_115_000 - 1_140_000


def test_carry_forward_cannot_exceed_the_surplus(mach, fingerprint):
    mach.ledger.order(date(2025, 9, 20), f"c:{mach.village}", "harvesting", 100000)  # 80,000.00
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.close(2025, carry_forward_fen=10_000_000)
    assert exc.value.errors["carry_forward_fen"] == "留存不分配、结转下年的盈余应在 0 到本年盈余之间"
    assert fingerprint() == before


def test_member_transactions_group_by_member_net_of_reversals(mach):
    mach.ledger.order(date(2025, 5, 3), f"m:{mach.zhang}", "sowing", 1000)     # 250.00
    mach.ledger.order(date(2025, 9, 3), f"m:{mach.zhang}", "harvesting", 500)  # 300.00
    li_order = mach.ledger.order(date(2025, 5, 4), f"m:{mach.li}", "sowing", 200)  # 50.00
    mach.ledger.order(date(2025, 5, 4), f"c:{mach.village}", "sowing", 1000)   # not a member
    mach.ledger.order(date(2026, 5, 4), f"m:{mach.li}", "sowing", 1000)        # another year
    assert mach.ledger.member_transactions(2025) == {mach.zhang: 55_000, mach.li: 5_000}
    mach.ledger.close(2025)

    def reverse(coop_id):
        reverse_order(coop_id, find_owned(ServiceOrder, li_order, coop_id), date(2026, 1, 10),
                               None, "未作业")
        db.session.commit()

    mach.ledger.run(reverse)
    # the reversal belongs to 2026 (the open year): 250.00 - 50.00
    assert mach.ledger.member_transactions(2026) == {mach.li: 20_000}
    assert mach.ledger.member_transactions(2025) == {mach.zhang: 55_000, mach.li: 5_000}


def test_open_year_order_edit_is_audited_and_respects_payments(mach):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    mach.ledger.pay(order_id, date(2026, 5, 4), 30_000)

    def edit(area):
        def run(coop_id):
            order = find_owned(ServiceOrder, order_id, coop_id)
            update_order(coop_id, order, OrderInput(
                service_on=date(2026, 5, 3), client_ref=f"c:{mach.village}", service="sowing",
                area_cmu=area), order.version)
            db.session.commit()
        return run

    with pytest.raises(ValidationFailed) as exc:
        mach.ledger.run(edit(500))
    assert exc.value.errors["area_cmu"] == "修改后金额 175.00 元少于已收款 300.00 元，请先冲销收款"
    mach.ledger.run(edit(1200))
    entries = mach.ledger.run(lambda c: [(e.action, e.after) for e in
                                         entries_for("service_orders", order_id)])
    assert entries[-1][0] == "update"
    assert entries[-1][1]["area_cmu"] == 1200 and entries[-1][1]["amount_fen"] == 42_000


def test_delete_only_without_payments(mach, fingerprint):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    payment_id = mach.ledger.pay(order_id, date(2026, 5, 4), 100)
    before = fingerprint()
    with pytest.raises(ServiceError, match="该作业单已有收款记录（包括已冲销的收款），不能删除"):
        mach.ledger.run(lambda c: delete_order(c, find_owned(ServiceOrder, order_id, c)))
    assert fingerprint() == before
    # a reversed payment still is payment history: the order stays
    mach.ledger.run(lambda c: (reverse_payment(
        c, find_owned(ServicePayment, payment_id, c), date(2026, 5, 5), "录错"), db.session.commit()))
    before = fingerprint()
    with pytest.raises(ServiceError, match="包括已冲销的收款"):
        mach.ledger.run(lambda c: delete_order(c, find_owned(ServiceOrder, order_id, c)))
    assert fingerprint() == before


def test_deleting_an_open_year_order_is_audited_with_its_values(mach):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", "sowing", 1000)
    mach.ledger.run(lambda c: (delete_order(c, find_owned(ServiceOrder, order_id, c)),
                               db.session.commit()))
    assert mach.ledger.run(lambda c: find_owned(ServiceOrder, order_id, c)) is None
    entries = mach.ledger.run(lambda c: [(e.action, e.before, e.after) for e in
                                         entries_for("service_orders", order_id)])
    assert [e[0] for e in entries] == ["create", "delete"]
    action, before, after = entries[-1]
    assert after is None
    assert (before["order_no"], before["area_cmu"], before["amount_fen"]) == (
        "2026-00001", 1000, 35_000)


def test_machine_change_touching_a_closed_year_is_refused(mach, fingerprint):
    mach.ledger.close(2025)
    before = fingerprint()
    machine = mach.ledger.run(lambda c: find_owned(Machine, mach.machine, c))
    values = {k: getattr(machine, k) for k in MACHINE_FIELDS}
    with pytest.raises(ServiceError, match="会改变已结账的 2025 年度折旧（11,400.00 元 → 9,000.00 元）"):
        mach.ledger.run(lambda c: update_machine(
            c, find_owned(Machine, mach.machine, c),
            {**values, "original_value_fen": 9_473_685}, None))
    assert fingerprint() == before
    # a plate or name change is fine; so is a disposal in the open year
    mach.ledger.run(lambda c: (update_machine(
        c, find_owned(Machine, mach.machine, c),
        {**values, "plate": "蒙B·99999", "status": "disposed", "disposed_on": date(2026, 3, 1)},
        None), db.session.commit()))
    fig = mach.ledger.run(lambda c: year_figures(c, 2026))
    assert fig.depreciation_fen == 3 * 95_000


def test_grant_income_is_not_distributable(mach):
    income_id = mach.ledger.create_income(date(2026, 6, 1), "government_grant", 3_000_000)
    fig = mach.ledger.run(lambda c: year_figures(c, 2026))
    assert fig.nondistributable_income_fen == 3_000_000 and fig.other_income_fen == 0
    row = mach.ledger.run(lambda c: find_owned(OtherIncome, income_id, c))
    assert row.distributable is False
