"""Members' bank details (issue 16): the account in full only on the edit
form, masked everywhere else (pages, audit log); the rules in Chinese."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coop.audit.models import AuditEntry
from coop.extensions import db
from coop.members.bank import BankDetails, bank_errors, clean_bank, mask_account
from coop.members.models import Member
from tests.conftest_members import make_id

ACCOUNT = "6228480012345671234"
BASE = {"member_no": "CY0001", "name": "张三", "kind": "villager", "household_no": "01001",
        "village_group": "一组", "id_number": make_id(1), "phone": "", "joined_on": ""}


def test_mask_account_shows_four_and_four():
    assert mask_account(ACCOUNT) == "6228 **** **** 1234"
    assert mask_account("") == "" and mask_account("12345") == "*****"


@pytest.mark.parametrize("raw, field, message", [
    ({"bank_name": "农村信用社", "bank_account": "6228abc123456"}, "bank_account", "只能是数字"),
    ({"bank_name": "农村信用社", "bank_account": "１２３４５６７８９０１２"}, "bank_account", "只能是数字"),
    ({"bank_name": "农村信用社", "bank_account": "12345678901"}, "bank_account", "12–30 位"),
    ({"bank_name": "农村信用社", "bank_account": "1" * 31}, "bank_account", "12–30 位"),
    ({"bank_name": "", "bank_account": ACCOUNT}, "bank_name", "请同时填写开户行"),
    ({"bank_name": "农村信用社", "bank_account": ""}, "bank_account", "请同时填写银行账号"),
])
def test_bank_rules_in_chinese(raw, field, message):
    assert message in bank_errors(clean_bank(raw))[field]


def test_bank_details_are_cleaned():
    assert clean_bank({"bank_name": " 农商银行 ", "bank_account": "6228 4800 1234 5671 234",
                       "bank_holder": ""}) == BankDetails("农商银行", ACCOUNT, "")
    assert bank_errors(BankDetails("", "", "")) == {}


@pytest.fixture
def member(staff, create_member):
    return create_member("t1", member_no="CY0001", name="张三", id_number=make_id(1),
                         household_no="01001", village_group="一组")


def test_edit_form_saves_bank_details_and_only_it_shows_the_full_account(app, client, auth,
                                                                          member):
    auth.login("admin")
    resp = client.post(f"/members/{member}", data={
        **BASE, "version": "1", "bank_name": "乌兰农商银行", "bank_account": "6228 4800 1234 5671 234",
        "bank_holder": ""})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        m = db.session.get(Member, member)
        assert (m.bank_name, m.bank_account, m.bank_holder_name) == ("乌兰农商银行", ACCOUNT, "张三")
        logged = " ".join(f"{e.before} {e.after}" for e in db.session.scalars(select(AuditEntry)))
    assert ACCOUNT not in logged and "6228 **** **** 1234" in logged
    edit = client.get(f"/members/{member}/edit").get_data(as_text=True)
    assert f'value="{ACCOUNT}"' in edit and "开户行" in edit
    detail = client.get(f"/members/{member}").get_data(as_text=True)
    assert ACCOUNT not in detail and "6228 **** **** 1234" in detail and "乌兰农商银行" in detail


def test_bad_bank_details_change_nothing(client, auth, member, fingerprint):
    auth.login("admin")
    before = fingerprint()
    resp = client.post(f"/members/{member}", data={**BASE, "version": "1", "bank_name": "",
                                                    "bank_account": "6228-abc"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "银行账号只能是数字" in body
    assert fingerprint() == before


def test_a_new_member_is_added_with_the_bank_account(app, client, auth, staff):
    """The plan page sends the secretary to a member's bank details: the
    new-member form takes them too, checked by the same rules."""
    auth.login("admin")
    form = client.get("/members/new").get_data(as_text=True)
    assert 'name="bank_account"' in form and "银行账户（用于银行代发分红" in form
    resp = client.post("/members/", data={**BASE, "bank_name": "乌兰农商银行",
                                          "bank_account": "6228 4800 1234 5671 234",
                                          "bank_holder": "张大山"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        m = db.session.scalars(select(Member).where(Member.member_no == "CY0001")).one()
        assert (m.bank_name, m.bank_account, m.bank_holder_name) == ("乌兰农商银行", ACCOUNT, "张大山")
        logged = " ".join(f"{e.before} {e.after}" for e in db.session.scalars(select(AuditEntry)))
    assert ACCOUNT not in logged and "6228 **** **** 1234" in logged


def test_a_new_member_with_bad_bank_details_is_not_added(client, auth, staff, fingerprint):
    auth.login("admin")
    before = fingerprint()
    resp = client.post("/members/", headers={"HX-Request": "true"},
                       data={**BASE, "bank_name": "", "bank_account": "6228 4800 1234 5671 234"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "填写了银行账号，请同时填写开户行" in body
    assert 'id="bank_name-error"' in body
    assert fingerprint() == before
    check = client.post("/members/validate", headers={"HX-Request": "true"},
                        data={**BASE, "member_no": "", "bank_name": "农商银行",
                              "bank_account": "12345"})
    assert "银行账号应为 12–30 位数字，现在是 5 位" in check.get_data(as_text=True)


# -- the bank's batch-payment list of a published plan --------------------------------

from datetime import date  # noqa: E402
from decimal import Decimal  # noqa: E402
import io  # noqa: E402

from openpyxl import load_workbook  # noqa: E402

from coop.dividends import bank, compute, reading, workflow  # noqa: E402
from coop.dividends.models import DividendPlan  # noqa: E402
from coop.workbooks import YUAN_FORMAT  # noqa: E402
from tests.conftest_dividends import YEAR  # noqa: E402

FORMULA_HOLDER = "=HYPERLINK(\"http://x\")"


def _published(w, set_clock) -> int:
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    w.approve(plan_id)
    set_clock(date(YEAR + 1, 3, 2))
    w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2), notice_days=7)
    set_clock(date(YEAR + 1, 4, 1))
    return plan_id


def _published_with_bank(w, set_clock) -> int:
    plan_id = _published(w, set_clock)
    with w.app.app_context():
        for no, holder in (("V001", ""), ("V002", FORMULA_HOLDER)):
            m = db.session.scalar(select(Member).where(Member.member_no == no))
            m.bank_name, m.bank_account, m.bank_holder = "乌兰农商银行", ACCOUNT[:-1] + no[-1], holder
        db.session.commit()
    return plan_id


def _batches(w, plan_id):
    from coop.auth.models import User
    from coop.dividends.models import PaymentBatch

    with w.app.app_context():
        return [(b.number, b.kind, b.line_count, b.cash_fen,
                 db.session.get(User, b.recorded_by_id).username if b.recorded_by_id else None)
                for b in db.session.scalars(select(PaymentBatch).where(
                    PaymentBatch.plan_id == plan_id).order_by(PaymentBatch.number))]


def _books(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets


def test_bank_list_lists_owed_lines_with_bank_details_and_the_rest_for_cash(
        client, auth, div_world, set_clock):
    plan_id = _published_with_bank(div_world, set_clock)
    g001 = div_world.plan(plan_id)["lines"]["G001"]["id"]
    div_world.with_plan(plan_id, lambda plan: workflow.pay_line(
        plan, reading.get_line(plan, g001), paid_on=date(YEAR + 1, 3, 20), method="cash").id)
    auth.login("admin")
    resp = client.post(f"/dividends/{plan_id}/bank-list.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    bank, cash = _books(resp.data)
    assert bank.title == "银行代发" and cash.title == "现金发放"
    # batch 1 is the payment of G001
    assert "银行代发清单第 2 号" in bank["A1"].value and "制表日期 2025-04-01" in bank["A1"].value
    assert bank.freeze_panes == "A4"
    assert [c.value for c in bank[3]] == ["序号", "户名", "身份证号", "开户行", "账号", "金额"]
    rows = [[c.value for c in r] for r in bank.iter_rows(min_row=4, max_row=bank.max_row - 1)]
    assert [r[0] for r in rows] == [1, 2]
    assert rows[0][1] == "村民1"  # the member's own name as the holder
    assert rows[0][3] == "乌兰农商银行" and rows[0][4] == ACCOUNT[:-1] + "1"
    assert rows[1][1] == FORMULA_HOLDER and bank.cell(5, 2).quotePrefix  # stays text
    assert rows[0][5] == Decimal("1200") and bank.cell(4, 6).number_format == YUAN_FORMAT
    totals = [c.value for c in bank[bank.max_row]]
    assert totals[0] == "合计" and totals[1] == "2 人" and totals[5] == Decimal("2480")
    # the collective (650 shares, no bank account) is paid in cash; G001 is paid already
    cash_rows = [[c.value for c in r] for r in cash.iter_rows(min_row=4, max_row=cash.max_row - 1)]
    assert [r[1] for r in cash_rows] == ["C000"]
    assert cash_rows[0][4] == Decimal("5200")
    assert [c.value for c in cash[cash.max_row]][4] == Decimal("5200")


def test_bank_list_is_for_those_who_record_payments_and_needs_a_published_plan(client, auth, div_world,
                                                                set_clock, fingerprint):
    div_world.close()
    plan_id = div_world.call(compute.compute_plan, YEAR)
    auth.login("admin")
    before = fingerprint()
    resp = client.post(f"/dividends/{plan_id}/bank-list.xlsx")
    assert resp.status_code == 302
    assert "登记公示后才能生成银行代发清单" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert fingerprint() == before
    client.post("/logout")
    auth.login("supervisor")
    assert client.post(f"/dividends/{plan_id}/bank-list.xlsx").status_code == 403


def test_plan_page_offers_the_bank_list_to_those_who_record_payments(client, auth, div_world, set_clock):
    plan_id = _published_with_bank(div_world, set_clock)
    for role, offered in (("admin", True), ("accountant", True), ("supervisor", False)):
        auth.login(role)
        assert ("下载银行代发清单" in client.get(f"/dividends/{plan_id}").get_data(as_text=True)) is offered, role
        client.post("/logout")


def test_plan_page_counts_who_the_bank_list_holds(client, auth, div_world, set_clock):
    plan_id = _published_with_bank(div_world, set_clock)
    with div_world.app.app_context():
        plan = db.session.get(DividendPlan, plan_id)
        listed = bank.bank_list(plan)
        assert bank.bank_counts(plan) == bank.BankCounts(bank=len(listed.bank), cash=len(listed.cash)) \
            == bank.BankCounts(bank=2, cash=2)
    auth.login("accountant")
    page = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert "有银行账户的 2 人列入代发清单" in page and "没有的 2 人列入第二页" in page
    assert 'id="bank-list-empty"' not in page


def test_an_empty_bank_list_is_announced_before_it_is_made(client, auth, runner, div_world, set_clock,
                                                           tmp_path):
    plan_id = _published(div_world, set_clock)
    auth.login("admin")
    page = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert "有银行账户的 0 人列入代发清单" in page
    assert "尚未发放的 4 人都没有登记开户行和账号，代发清单会是空的" in page
    result = runner.invoke(args=["dividends", "bank-list", "--coop", "t1", "--year", str(YEAR),
                                 str(tmp_path / "bank.xlsx"), "--by", "admin"])
    assert result.exit_code == 0, result.output
    assert "代发 0 人，现金发放 4 人" in result.output
    assert "注意：尚未发放的 4 人都没有登记开户行和账号，代发清单是空的，没有登记编号" in result.output
    assert _batches(div_world, plan_id) == []


def test_cli_bank_list(runner, div_world, set_clock, tmp_path):
    out = tmp_path / "bank.xlsx"
    args = ["dividends", "bank-list", "--coop", "t1", "--year", str(YEAR), str(out)]
    result = runner.invoke(args=args + ["--by", "admin"])
    assert result.exit_code != 0 and "还没有分配方案" in result.output
    plan_id = _published_with_bank(div_world, set_clock)
    for by, message in ((None, "请用 --by 写明制表人"), ("supervisor", "只有书记（管理员）或会计可以制作"),
                        ("nobody", "没有用户名为 nobody 的用户")):
        result = runner.invoke(args=args + (["--by", by] if by else []))
        assert result.exit_code != 0 and message in result.output, result.output
    assert _batches(div_world, plan_id) == []
    result = runner.invoke(args=args + ["--by", "admin"])
    assert result.exit_code == 0, result.output
    assert "银行代发清单第 1 号" in result.output and "代发 2 人，现金发放 2 人" in result.output
    bank, cash = _books(out.read_bytes())
    assert "银行代发清单第 1 号" in bank["A1"].value
    assert bank[bank.max_row][5].value == Decimal("2480")
    assert _batches(div_world, plan_id) == [(1, "bank", 2, 248_000, "admin")]
    result = runner.invoke(args=["dividends", "bank-list", "--coop", "t1", "--year", str(YEAR),
                                 str(tmp_path / "bank.csv"), "--by", "admin"])
    assert result.exit_code != 0 and "*.xlsx" in result.output
    help_text = runner.invoke(args=["dividends", "bank-list", "--help"]).output
    assert "银行代发清单" in help_text
