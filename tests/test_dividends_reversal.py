"""Payments recorded as batches, their reversal with a reason (撤销发放), and
the payment by a recorded bank list (按代发清单发放), issue 16, on
``div_world`` (tests/conftest_dividends.py): the 2024 plan's lines are
C000 5,200.00, V001 1,200.00, V002 1,280.00 and G001 320.00 yuan; V001 and
V002 have bank details, C000 and G001 are paid in cash."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.audit.models import AuditEntry
from coop.auth.models import User
from coop.dividends import bank, compute, payments, reading, reversal, workflow
from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch, PaymentItem
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.members.models import Member
from coop.shares.models import ShareEntry
from tests.conftest_dividends import YEAR

PAID = date(YEAR + 1, 3, 20)
TODAY = date(YEAR + 1, 4, 1)
RESOLUTION = "社决〔2025〕1号"


def _published(w, set_clock, *, conversion_bp: int = 0) -> int:
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    if conversion_bp:
        w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 12, 31),
                    conversion_bp=conversion_bp)
    assert w.approve(plan_id, resolution_no=RESOLUTION).passed
    set_clock(date(YEAR + 1, 3, 2))
    w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2), notice_days=7)
    set_clock(TODAY)
    return plan_id


def _user(w, username: str) -> int:
    with w.app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def _line_id(w, plan_id: int, no: str) -> int:
    return w.plan(plan_id)["lines"][no]["id"]


def _pay_line(w, plan_id: int, no: str, method: str = "cash", on: date = PAID) -> None:
    line_id = _line_id(w, plan_id, no)
    w.with_plan(plan_id, lambda plan: payments.pay_line(
        plan, reading.get_line(plan, line_id), paid_on=on, method=method,
        user_id=_user(w, "admin")).id)


def _reverse_line(w, plan_id: int, no: str, reason: str | None = "误登记，该成员尚未领取",
                  user: str = "accountant") -> None:
    line_id = _line_id(w, plan_id, no)
    w.with_plan(plan_id, lambda plan: reversal.reverse_line(
        plan, reading.get_line(plan, line_id), reason=reason, user_id=_user(w, user)).id)


def _batch(w, plan_id: int, number: int) -> int:
    with w.app.app_context():
        return db.session.scalar(select(PaymentBatch.id).where(
            PaymentBatch.plan_id == plan_id, PaymentBatch.number == number))


def _reverse_batch(w, plan_id: int, number: int, reason: str | None = "发放日期登记错了") -> int:
    batch_id = _batch(w, plan_id, number)
    return w.with_plan(plan_id, lambda plan: reversal.reverse_batch(
        plan, db.session.get(PaymentBatch, batch_id), reason=reason, user_id=_user(w, "admin")))


def _paid(w, plan_id: int) -> dict[str, tuple]:
    return {no: (line["paid_on"], line["payment_method"])
            for no, line in w.plan(plan_id)["lines"].items()}


def _items(w, plan_id: int) -> list[tuple]:
    with w.app.app_context():
        return [(b.number, b.kind, line.member_no, i.state, i.reversal_reason)
                for i, b, line in db.session.execute(
                    select(PaymentItem, PaymentBatch, DividendLine)
                    .join(PaymentBatch, PaymentBatch.id == PaymentItem.batch_id)
                    .join(DividendLine, DividendLine.id == PaymentItem.line_id)
                    .where(PaymentBatch.plan_id == plan_id)
                    .order_by(PaymentBatch.number, DividendLine.member_no))]


def _progress(w, plan_id: int) -> tuple[int, int, str]:
    with w.app.app_context():
        plan = db.session.get(DividendPlan, plan_id)
        return reading.paid_count(plan), reading.payable_count(plan), plan.status


# -- one line ------------------------------------------------------------------------


def test_a_line_paid_by_mistake_is_reversed_with_its_reason_and_history_kept(div_world, set_clock):
    w = div_world
    plan_id = _published(w, set_clock)
    _pay_line(w, plan_id, "V001", method="bank")
    assert _progress(w, plan_id) == (1, 4, "published")
    _reverse_line(w, plan_id, "V001")
    assert _paid(w, plan_id)["V001"] == (None, None)
    assert w.plan(plan_id)["lines"]["V001"]["payment_batch_id"] is None
    assert _progress(w, plan_id) == (0, 4, "published")
    assert _items(w, plan_id) == [(1, "single", "V001", "reversed", "误登记，该成员尚未领取")]
    with w.app.app_context():
        item = db.session.scalar(select(PaymentItem))
        assert item.reversed_by_id == _user(w, "accountant") and item.reversed_at is not None
        batch = db.session.scalar(select(PaymentBatch))
        assert (batch.paid_on, batch.method, batch.recorded_by_id) == (PAID, "bank", _user(w, "admin"))
        # audited: the item's reversal with its reason, the line's payment cleared
        entries = {(e.record_type, e.action): e for e in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))}
    assert entries[("dividend_payment_items", "update")].after["reversal_reason"] == "误登记，该成员尚未领取"
    line_entry = entries[("dividend_lines", "update")]
    assert line_entry.before["paid_on"] == PAID.isoformat() and line_entry.after["paid_on"] is None
    # paid again: a new batch; the old one keeps its reversed item
    _pay_line(w, plan_id, "V001", on=date(YEAR + 1, 3, 25))
    assert _paid(w, plan_id)["V001"] == (date(YEAR + 1, 3, 25), "cash")
    assert [i[:4] for i in _items(w, plan_id)] == [(1, "single", "V001", "reversed"),
                                                   (2, "single", "V001", "paid")]


def test_a_paid_plan_is_published_again_when_a_line_is_reversed(div_world, set_clock):
    w = div_world
    plan_id = _published(w, set_clock)
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash") == 4
    assert _progress(w, plan_id) == (4, 4, "paid")
    _reverse_line(w, plan_id, "V002")
    assert _progress(w, plan_id) == (3, 4, "published")
    # the rest of the bulk payment is reversed as one: three lines, the batch marked
    assert _reverse_batch(w, plan_id, 1) == 3
    assert _progress(w, plan_id) == (0, 4, "published")
    assert set(_paid(w, plan_id).values()) == {(None, None)}
    assert _items(w, plan_id) == [
        (1, "all", "C000", "reversed", "发放日期登记错了"),
        (1, "all", "G001", "reversed", "发放日期登记错了"),
        (1, "all", "V001", "reversed", "发放日期登记错了"),
        (1, "all", "V002", "reversed", "误登记，该成员尚未领取")]
    with w.app.app_context():
        batch = db.session.scalar(select(PaymentBatch))
        assert (batch.kind, batch.line_count, batch.cash_fen) == ("all", 4, 800_000)
        assert (batch.reversed_by_id, batch.reversal_reason) == (_user(w, "admin"), "发放日期登记错了")
        logged = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "dividend_payment_batches", AuditEntry.action == "update")).all()
        lines_logged = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "dividend_lines", AuditEntry.record_id == f"plan {plan_id}")
            .order_by(AuditEntry.id)).all()
    assert [e.after.get("reversal_reason") for e in logged] == ["发放日期登记错了"]
    assert [(e.after["paid_on"], e.after["lines"]) for e in lines_logged] == [
        (PAID.isoformat(), 4), (None, 3)]
    # paid again as a new batch
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 28), method="card") == 4
    assert _progress(w, plan_id) == (4, 4, "paid")


def test_refused_reversals_change_nothing(div_world, set_clock, fingerprint):
    w = div_world
    plan_id = _published(w, set_clock)
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash") == 4
    before = fingerprint()
    for reason in (None, "  ", "长" * 181):
        with pytest.raises(ValidationFailed) as exc:
            _reverse_line(w, plan_id, "V001", reason=reason)
        assert "reason" in exc.value.errors
    with pytest.raises(ValidationFailed, match="请填写撤销发放的原因"):
        _reverse_batch(w, plan_id, 1, reason="")
    assert fingerprint() == before
    _reverse_line(w, plan_id, "V001")
    before = fingerprint()
    with pytest.raises(ServiceError, match="村民1 的分红尚未发放，无需撤销"):
        _reverse_line(w, plan_id, "V001")
    _reverse_batch(w, plan_id, 1)
    before = fingerprint()
    with pytest.raises(ServiceError, match="第 1 号发放已于 2025-04-01 撤销，不能重复撤销"):
        _reverse_batch(w, plan_id, 1)
    assert fingerprint() == before


def test_a_payment_in_a_closed_year_is_not_reversed(client, auth, div_world, set_clock,
                                                    fingerprint):
    w = div_world
    plan_id = _published(w, set_clock)
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash") == 4
    set_clock(date(YEAR + 2, 2, 1))
    w.close(YEAR + 1)
    before = fingerprint()
    with pytest.raises(ServiceError, match="属于已结账的 2025 年度.*不能撤销发放"):
        _reverse_line(w, plan_id, "V001")
    with pytest.raises(ServiceError, match="属于已结账的 2025 年度"):
        _reverse_batch(w, plan_id, 1)
    assert fingerprint() == before
    # the pages say so instead of offering the form
    auth.login("admin")
    line_url = f"/dividends/{plan_id}/lines/{_line_id(w, plan_id, 'V001')}"
    for url, form in ((line_url, f"{line_url}/reverse"),
                      (f"/dividends/{plan_id}", f"/payments/{_batch(w, plan_id, 1)}/reverse")):
        page = client.get(url).get_data(as_text=True)
        assert "属于已结账的 2025 年度" in page and form not in page


# -- a specialized cooperative's conversion to capital (FSC art 44 para 3) -----------------


@pytest.fixture
def fsc(div_world):
    div_world.charter(distribution_mode="specialized", legal_regime="specialized",
                      patronage_rate_bp=6000)
    return div_world


def _conversions(w) -> list[tuple]:
    with w.app.app_context():
        return [(e.member.member_no, e.shares, e.effective_on, e.reverses_id is not None)
                for e in db.session.scalars(select(ShareEntry).where(
                    ShareEntry.contribution_kind == "surplus").order_by(ShareEntry.id))]


def _held(w, no: str) -> int:
    with w.app.app_context():
        return sum(db.session.scalars(select(ShareEntry.shares).where(
            ShareEntry.member_id == w.ids[no])))


def test_reversing_a_converting_payment_reverses_its_register_entries(fsc, set_clock):
    # 33 %: V001 1,722 shares, V002 621, C000 278, G001 17 (tests/test_dividends_fsc.py)
    w = fsc
    plan_id = _published(w, set_clock, conversion_bp=3300)
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash") == 4
    assert _held(w, "V001") == 150 + 1722
    _reverse_line(w, plan_id, "V001")
    assert _held(w, "V001") == 150 and _held(w, "V002") == 160 + 621
    got = _conversions(w)
    assert got[-1] == ("V001", -1722, PAID, True)  # on the payment day, pointing at the original
    with w.app.app_context():
        reversing = db.session.scalar(select(ShareEntry).where(ShareEntry.reverses_id.is_not(None)))
        assert reversing.note == "撤销分红发放：误登记，该成员尚未领取"
        assert reversing.resolution_no == RESOLUTION
    assert _reverse_batch(w, plan_id, 1) == 3
    assert sorted(no for no, shares, _, rev in _conversions(w) if rev) == ["C000", "G001", "V001", "V002"]
    assert _held(w, "V002") == 160
    # paid again: converted again
    _pay_line(w, plan_id, "V001", on=date(YEAR + 1, 3, 25))
    assert _held(w, "V001") == 150 + 1722


def test_converted_shares_transferred_since_keep_the_payment(fsc, set_clock, fingerprint):
    from coop.shares.movements import record_transfer

    w = fsc
    plan_id = _published(w, set_clock, conversion_bp=3300)
    _pay_line(w, plan_id, "V001")
    w.charter(member_cap_bp=10_000)
    w.run(record_transfer, from_member_id=w.ids["V001"], to_member_id=w.ids["V002"],
          share_class="villager", shares=1700, effective_on=date(YEAR + 1, 3, 30))
    before = fingerprint()
    with pytest.raises(ServiceError, match="盈余转增.*第四十四条第三款.*股权登记簿不允许"):
        _reverse_line(w, plan_id, "V001")
    assert fingerprint() == before


def test_a_later_approved_plan_keeps_the_conversion(fsc, set_clock, fingerprint):
    w = fsc
    plan_id = _published(w, set_clock, conversion_bp=3300)
    _pay_line(w, plan_id, "V001")
    with w.app.app_context():  # the next year's plan, approved: its capital includes the shares
        db.session.add(DividendPlan(cooperative_id=w.coop().id, year=YEAR + 1, version_no=1,
                                    status="approved", mode="specialized",
                                    record_date=date(YEAR + 1, 12, 31)))
        db.session.commit()
    before = fingerprint()
    with pytest.raises(ServiceError, match="盈余转增.*2025 年度分配方案（第 1 版）已表决通过，它的计算包含这些出资"):
        _reverse_line(w, plan_id, "V001")
    assert fingerprint() == before
    # a cash line of the same plan is not held back by it
    _pay_line(w, plan_id, "V002")


# -- the bank's batch-payment list ----------------------------------------------------


def _with_bank_details(w) -> None:
    with w.app.app_context():
        for no, account in (("V001", "6228480012345671231"), ("V002", "6228480012345671232")):
            m = db.session.scalar(select(Member).where(Member.member_no == no))
            m.bank_name, m.bank_account = "乌兰农商银行", account
        db.session.commit()


def _make_list(w, plan_id: int) -> int | None:
    def make(plan):
        listed = bank.make_bank_list(plan, _user(w, "admin"))
        return listed.batch.number if listed.batch else None
    return w.with_plan(plan_id, make)


def _pay_list(w, plan_id: int, number: int, on: date | None = PAID) -> tuple[int, list[str]]:
    batch_id = _batch(w, plan_id, number)

    def pay(plan):
        done = payments.pay_bank_list(plan, db.session.get(PaymentBatch, batch_id), paid_on=on,
                                      user_id=_user(w, "accountant"))
        return done.paid, done.skipped
    return w.with_plan(plan_id, pay)


def test_a_bank_list_is_recorded_and_paid_by_it_exactly(div_world, set_clock):
    w = div_world
    plan_id = _published(w, set_clock)
    _with_bank_details(w)
    assert _make_list(w, plan_id) == 1
    assert _make_list(w, plan_id) == 1  # made again with nothing changed: the same list
    assert _items(w, plan_id) == [(1, "bank", "V001", "listed", None),
                                  (1, "bank", "V002", "listed", None)]
    _pay_line(w, plan_id, "V002", on=date(YEAR + 1, 3, 15))  # paid in cash meanwhile
    assert _pay_list(w, plan_id, 1) == (1, ["村民2"])
    assert _paid(w, plan_id) == {"V001": (PAID, "bank_batch"), "V002": (date(YEAR + 1, 3, 15), "cash"),
                                 "C000": (None, None), "G001": (None, None)}
    assert _items(w, plan_id) == [(1, "bank", "V001", "paid", None),
                                  (1, "bank", "V002", "skipped", None),
                                  (2, "single", "V002", "paid", None)]
    with w.app.app_context():
        batch = db.session.get(PaymentBatch, _batch(w, plan_id, 1))
        assert (batch.paid_on, batch.method, batch.paid_by_id, batch.recorded_by_id) == (
            PAID, "bank_batch", _user(w, "accountant"), _user(w, "admin"))
        assert batch.method_label == "银行代发"
    # a list made now lists no one (the two with bank details are paid): nothing recorded
    assert _make_list(w, plan_id) is None
    # the bank payment is reversed like any batch
    assert _reverse_batch(w, plan_id, 1) == 1
    assert _paid(w, plan_id)["V001"] == (None, None)
    assert _progress(w, plan_id) == (1, 4, "published")


def test_bank_list_payment_refusals_change_nothing(div_world, set_clock, fingerprint):
    w = div_world
    plan_id = _published(w, set_clock)
    _with_bank_details(w)
    assert _make_list(w, plan_id) == 1
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        _pay_list(w, plan_id, 1, on=None)
    assert exc.value.errors["paid_on"] == "请填写发放日期"
    with pytest.raises(ValidationFailed, match="公示期满之后"):
        _pay_list(w, plan_id, 1, on=date(YEAR + 1, 3, 5))
    with pytest.raises(ValidationFailed, match="请选择发放方式"):  # the bank list's own method
        _pay_line(w, plan_id, "V001", method="bank_batch")
    with pytest.raises(ServiceError, match="第 1 号代发清单还没有按代发发放，无需撤销"):
        _reverse_batch(w, plan_id, 1)
    assert fingerprint() == before
    _pay_line(w, plan_id, "V001")
    _pay_line(w, plan_id, "V002")
    before = fingerprint()
    with pytest.raises(ServiceError, match=r"第 1 号代发清单所列 2 人的分红都已另行发放（村民1、村民2），"
                                           "无需再按此清单发放"):
        _pay_list(w, plan_id, 1)
    assert fingerprint() == before
    # after a change a new list gets a new number; a paid list is not paid twice
    _reverse_line(w, plan_id, "V001")
    assert _make_list(w, plan_id) == 4
    assert _pay_list(w, plan_id, 4) == (1, [])
    before = fingerprint()
    with pytest.raises(ServiceError, match="第 4 号代发清单已于 2025-03-20 按代发发放"):
        _pay_list(w, plan_id, 4)
    assert fingerprint() == before


def test_paying_everyone_leaves_a_standing_bank_list_to_the_bank(client, auth, div_world, set_clock,
                                                                 fingerprint):
    """A tester made a bank list, then 全部登记为已发放 in cash: the listed
    members were marked paid in cash while the bank was paying them."""
    w = div_world
    plan_id = _published(w, set_clock)
    _with_bank_details(w)
    assert _make_list(w, plan_id) == 1
    auth.login("admin")
    page = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert "把尚未发放的 2 人一次登记为已发放（银行代发清单上的 2 人不在其内" in page
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash") == 2
    assert _paid(w, plan_id) == {"V001": (None, None), "V002": (None, None),
                                 "C000": (PAID, "cash"), "G001": (PAID, "cash")}
    before = fingerprint()
    with pytest.raises(ServiceError, match="未发放的 2024 年度分红都在第 1 号银行代发清单上"):
        w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash")
    assert fingerprint() == before
    assert _pay_list(w, plan_id, 1) == (2, [])
    assert _paid(w, plan_id)["V001"] == (PAID, "bank_batch")
    assert _progress(w, plan_id)[2] == "paid"


# -- the pages ------------------------------------------------------------------------


def _logged_in(client, auth, role: str):
    client.post("/logout")
    auth.login(role)
    return client


def test_the_line_page_reverses_a_payment_with_a_reason(client, auth, div_world, set_clock,
                                                         fingerprint):
    w = div_world
    plan_id = _published(w, set_clock)
    _pay_line(w, plan_id, "V001", method="bank")
    line_id = _line_id(w, plan_id, "V001")
    url = f"/dividends/{plan_id}/lines/{line_id}"
    page = _logged_in(client, auth, "supervisor").get(url).get_data(as_text=True)
    assert "发放记录" in page and "第 1 号单人发放" in page and "银行转账" in page
    assert f"{url}/reverse" not in page  # the supervisor reads
    page = _logged_in(client, auth, "accountant").get(url).get_data(as_text=True)
    assert f'action="{url}/reverse"' in page and "撤销原因" in page
    before = fingerprint()
    resp = client.post(f"{url}/reverse", data={"reason": " "})
    assert resp.status_code == 422 and "请填写撤销发放的原因" in resp.get_data(as_text=True)
    resp = client.post(f"{url}/reverse", data={"reason": ""}, headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写撤销发放的原因" in body and "<html" not in body
    assert fingerprint() == before
    resp = client.post(f"{url}/reverse", data={"reason": "登记错了人"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "已撤销 村民1 的分红发放，重新列为未发放" in page
    assert "已撤销发放" in page and "登记错了人" in page and "未发放" in page
    assert "已发放 0 / 4 人" in client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    with w.app.app_context():  # audited as the accountant
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.record_type == "dividend_payment_items", AuditEntry.action == "update"))
        assert entry.user_id == _user(w, "accountant")
        assert entry.after["reversal_reason"] == "登记错了人"
    resp = client.post(f"{url}/reverse", data={"reason": "再撤一次"})
    assert resp.status_code == 422 and "尚未发放，无需撤销" in resp.get_data(as_text=True)


def test_the_plan_page_lists_the_payments_and_reverses_a_bulk_payment(client, auth, div_world,
                                                                      set_clock, fingerprint):
    w = div_world
    plan_id = _published(w, set_clock)
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=PAID, method="cash") == 4
    batch_id = _batch(w, plan_id, 1)
    url = f"/dividends/{plan_id}"
    page = _logged_in(client, auth, "supervisor").get(url).get_data(as_text=True)
    assert "发放记录" in page and "第 1 号" in page and "全部发放" in page and "已发放 4 / 4 人" in page
    assert f"/payments/{batch_id}/reverse" not in page
    page = _logged_in(client, auth, "admin").get(url).get_data(as_text=True)
    assert f'action="{url}/payments/{batch_id}/reverse"' in page
    assert "撤销后这一批的每个人都重新列为未发放" in page and "撤销后该成员重新列为未发放" not in page
    before = fingerprint()
    resp = client.post(f"{url}/payments/{batch_id}/reverse", data={f"batch{batch_id}-reason": ""},
                       headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写撤销发放的原因" in body and "<html" not in body
    assert fingerprint() == before
    resp = client.post(f"{url}/payments/{batch_id}/reverse",
                       data={f"batch{batch_id}-reason": "发放日期登记错了"})
    assert resp.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "已撤销第 1 号发放：4 人重新列为未发放" in page
    assert "已发放 0 / 4 人" in page and "发放日期登记错了" in page and "批量登记发放" in page
    assert w.plan(plan_id)["status"] == "published"


def test_the_bank_list_button_records_a_list_and_pays_by_it(client, auth, div_world, set_clock,
                                                           fingerprint):
    from io import BytesIO
    from urllib.parse import unquote

    from openpyxl import load_workbook

    w = div_world
    plan_id = _published(w, set_clock)
    _with_bank_details(w)
    url = f"/dividends/{plan_id}"
    admin = _logged_in(client, auth, "admin")
    assert f'action="{url}/bank-list.xlsx"' in admin.get(url).get_data(as_text=True)
    resp = admin.post(f"{url}/bank-list.xlsx")
    assert resp.status_code == 200 and "第1号" in unquote(resp.headers["Content-Disposition"])
    sheet = load_workbook(BytesIO(resp.data)).worksheets[0]
    assert "银行代发清单第 1 号" in sheet["A1"].value
    _pay_line(w, plan_id, "V002", on=date(YEAR + 1, 3, 15))
    batch_id = _batch(w, plan_id, 1)
    page = _logged_in(client, auth, "accountant").get(url).get_data(as_text=True)
    assert "银行代发清单" in page and "尚未按清单发放" in page and "按代发清单发放" in page
    assert "<th>发放金额（元）</th>" in page and "现金金额" not in page  # a bank list is no cash
    before = fingerprint()
    resp = client.post(f"{url}/payments/{batch_id}/pay", data={f"batch{batch_id}-paid_on": ""})
    assert resp.status_code == 422 and "请填写发放日期" in resp.get_data(as_text=True)
    assert fingerprint() == before
    resp = client.post(f"{url}/payments/{batch_id}/pay",
                       data={f"batch{batch_id}-paid_on": PAID.isoformat()})
    assert resp.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert ("已按第 1 号代发清单登记 1 人的分红发放（银行代发）；1 人此前已另行发放，未重复登记：村民2"
            in page)
    assert "已发放 2 / 4 人" in page and "1 人已另行发放，跳过" in page
    assert _paid(w, plan_id)["V001"] == (PAID, "bank_batch")
    # the bank payment is reversed from the same section
    resp = client.post(f"{url}/payments/{batch_id}/reverse",
                       data={f"batch{batch_id}-reason": "银行退回：账号有误"})
    assert resp.status_code == 302
    assert "已发放 1 / 4 人" in client.get(url).get_data(as_text=True)
    assert _paid(w, plan_id)["V001"] == (None, None)
