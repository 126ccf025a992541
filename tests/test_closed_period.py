"""A closed year is a closed fact: with 2024 and 2025 closed, no dated record may
fall on or before 2025-12-31 (DESIGN.md "Surplus"), not even in 2023, which
never had a ledger to close. Every writer of a dated record is tried through
its service, the importers through their row errors and the CLI, and the
contribution and status forms through their views."""
from __future__ import annotations

import io
from datetime import date
from typing import Any, Callable

import pytest

from coop import clock
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.machinery.cash import create_expense, create_income, reverse_expense, reverse_income
from coop.machinery.machines import create_machine
from coop.machinery.orders import OrderInput, create_order, delete_order, reverse_order, update_order
from coop.machinery.payments import record_client_payment, record_payment, reverse_payment
from coop.machinery.years import close_year
from coop.machinery.models import Expense, OtherIncome, ServiceOrder, ServicePayment
from coop.tenancy import find_owned
from coop.members import importing as member_importing
from coop.members import services as members
from coop.members.models import Member
from coop.shares import importing as share_importing
from coop.shares import movements
from coop.shares.models import ShareEntry
from tests.conftest_members import make_id
from tests.conftest_shares import passed_resolution
from tests.workbooks import xlsx_bytes

TODAY = date(2026, 3, 10)
OPEN_DAY = date(2026, 1, 5)
NEVER_CLOSED = date(2023, 6, 1)  # before the first closed year: 2023 had no ledger
LAST_CLOSED = date(2025, 12, 31)
MESSAGE = "2025 年度已结账，不能登记 2025-12-31 及以前的日期；请按本年度（2026）的日期登记"
HX = {"HX-Request": "true"}


class Closed:
    """Cooperative t1 of ``share_world`` with 2025 records of every kind, then
    2024 and 2025 closed; today is 2026-03-10."""

    def __init__(self, world, app):
        self.world, self.app = world, app
        self.ids = world.ids
        with app.app_context():
            coop = world.coop()
            self.coop_id = coop.id
            members.change_status(db.session.get(Member, self.ids["V002"]), "deceased",
                                  date(2025, 6, 1))
            self.ids["P001"] = members.create_member(coop, **_person(50, date(2024, 2, 1))).id
            order = create_order(coop.id, OrderInput(
                service_on=date(2025, 5, 1), client_ref=f"m:{self.ids['V003']}",
                service="sowing", area_cmu=10_000, unit_price_fen=25_00))
            self.order_id = order.id
            self.payment_id = record_payment(coop.id, order, date(2025, 5, 2),
                                                       100_00, "cash").id
            self.expense_id = create_expense(coop.id, date(2025, 5, 3), "fuel",
                                                       50_00).id
            self.income_id = create_income(coop.id, date(2025, 5, 4), "rent",
                                                     80_00).id
            self.entry_id = db.session.scalar(
                db.select(ShareEntry.id).where(ShareEntry.member_id == self.ids["V001"]))
            for year in (2024, 2025):
                close_year(coop.id, year, None)
            db.session.commit()

    def run(self, action: Callable[["Closed", Any, date], Any], on: date) -> Any:
        with self.app.app_context():
            try:
                result = action(self, self.world.coop(), on)
            except Exception:
                db.session.rollback()
                raise
            db.session.commit()
            return result

    def member(self, no: str) -> Member:
        return db.session.get(Member, self.ids[no])


@pytest.fixture
def closed(share_world, app, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return Closed(share_world, app)


def _person(n: int, on: date) -> dict[str, Any]:
    return {"member_no": f"N{n:03d}", "name": f"新成员{n}", "kind": "villager",
            "household_no": f"H9{n:02d}", "village_group": "一组", "id_number": make_id(n),
            "phone": "", "is_party_member": False, "joined_on": on}


def _member_values(member: Member, **changes: Any) -> dict[str, Any]:
    values = {f: getattr(member, f) for f in ("member_no", "name", "kind", "household_no",
                                              "village_group", "id_number", "phone",
                                              "is_party_member", "joined_on")}
    return {**values, **changes}


# (kind, field the refusal is on, action(closed, coop, on))
WRITERS: list[tuple[str, str, Callable[[Closed, Any, date], Any]]] = [
    ("subscribe", "effective_on", lambda c, coop, on: movements.record_contribution(
        coop, member_id=c.ids["V003"], share_class="villager", contribution_kind="cash",
        effective_on=on, amount_fen=10_00)),
    ("land subscription", "effective_on", lambda c, coop, on: movements.record_contribution(
        coop, member_id=c.ids["V003"], share_class="villager", contribution_kind="land",
        effective_on=on, land_mu=100, price_per_mu_fen=10_00)),
    ("transfer", "effective_on", lambda c, coop, on: movements.record_transfer(
        coop, from_member_id=c.ids["V001"], to_member_id=c.ids["V003"],
        share_class="villager", shares=10, effective_on=on)),
    ("redeem", "effective_on", lambda c, coop, on: movements.record_redemption(
        coop, member_id=c.ids["V001"], share_class="villager", shares=10, effective_on=on)),
    ("inherit", "effective_on", lambda c, coop, on: movements.record_inheritance(
        coop, deceased_id=c.ids["V002"], heir_id=c.ids["V003"], effective_on=on)),
    ("inherit by a new heir", "effective_on", lambda c, coop, on: movements.record_inheritance(
        coop, deceased_id=c.ids["V002"], new_heir=_person(1, None), effective_on=on)),
    ("share reversal", "effective_on", lambda c, coop, on: movements.reverse_entry(
        coop, c.entry_id, effective_on=on,
        resolution_no=passed_resolution(coop.id, "成员大会决议〔2026〕1号"))),
    ("service order", "service_on", lambda c, coop, on: create_order(
        coop.id, OrderInput(service_on=on, client_ref=f"m:{c.ids['V003']}",
                                      service="sowing", area_cmu=1000, unit_price_fen=25_00))),
    ("payment", "paid_on", lambda c, coop, on: record_payment(
        coop.id, find_owned(ServiceOrder, c.order_id, coop.id), on, 10_00, "cash")),
    ("client payment", "paid_on", lambda c, coop, on: record_client_payment(
        coop.id, f"m:{c.ids['V003']}", on, 10_00, "cash")),
    ("order reversal", "on", lambda c, coop, on: reverse_order(
        coop.id, find_owned(ServiceOrder, c.order_id, coop.id), on, 100, "面积量错")),
    ("payment reversal", "on", lambda c, coop, on: reverse_payment(
        coop.id, find_owned(ServicePayment, c.payment_id, coop.id), on, "退款")),
    ("expense", "spent_on", lambda c, coop, on: create_expense(
        coop.id, on, "repair", 30_00)),
    ("expense reversal", "on", lambda c, coop, on: reverse_expense(
        coop.id, find_owned(Expense, c.expense_id, coop.id), on, "重复登记")),
    ("other income", "received_on", lambda c, coop, on: create_income(
        coop.id, on, "produce_sales", 30_00)),
    ("income reversal", "on", lambda c, coop, on: reverse_income(
        coop.id, find_owned(OtherIncome, c.income_id, coop.id), on, "重复登记")),
    ("new member's join date", "joined_on", lambda c, coop, on: members.create_member(
        coop, **_person(2, on))),
    ("join date added to a member", "joined_on", lambda c, coop, on: members.update_member(
        members.create_member(coop, **_person(3, None)), _person(3, on))),
    ("withdrawal", "on_date", lambda c, coop, on: members.change_status(
        c.member("V004"), "withdrawn", on)),
    ("death", "on_date", lambda c, coop, on: members.change_status(
        c.member("V005"), "deceased", on)),
]


def _message_on(exc: ServiceError, field: str) -> str:
    if isinstance(exc, ValidationFailed):
        return exc.errors[field]
    assert exc.field == field, exc.message
    return exc.message


@pytest.mark.parametrize("on", [NEVER_CLOSED, LAST_CLOSED], ids=["2023", "2025-12-31"])
@pytest.mark.parametrize("kind,field,action", WRITERS, ids=[w[0] for w in WRITERS])
def test_no_record_is_dated_in_the_closed_period(closed, fingerprint, kind, field, action, on):
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        closed.run(action, on)
    assert _message_on(exc.value, field) == MESSAGE
    assert fingerprint() == before


@pytest.mark.parametrize("kind,field,action", WRITERS, ids=[w[0] for w in WRITERS])
def test_the_same_record_dated_in_the_open_year_is_written(closed, fingerprint, kind, field,
                                                           action):
    before = fingerprint()
    closed.run(action, OPEN_DAY)
    assert fingerprint() != before


def test_a_member_who_joined_in_a_closed_year_keeps_the_date(closed, fingerprint):
    def edit(c, coop, on):
        member = c.member("P001")
        return members.update_member(member, _member_values(member, joined_on=on))

    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        closed.run(edit, OPEN_DAY)
    assert exc.value.errors["joined_on"] == (
        "2025 年度已结账，2024-02-01 的入社日期属于已结账期间，不能再更改")
    assert fingerprint() == before
    # an edit that leaves the join date alone is not a dated record
    closed.run(lambda c, coop, on: members.update_member(
        c.member("P001"), _member_values(c.member("P001"), phone="13800001234")), OPEN_DAY)
    with closed.app.app_context():
        assert closed.member("P001").phone == "13800001234"


def test_a_closed_years_order_is_not_edited_or_deleted(closed, fingerprint):
    def edit(c, coop, on):
        order = find_owned(ServiceOrder, c.order_id, coop.id)
        return update_order(coop.id, order, OrderInput(
            service_on=on, client_ref=f"m:{c.ids['V003']}", service="sowing", area_cmu=500,
            unit_price_fen=25_00), order.version)

    before = fingerprint()
    for action in (edit, lambda c, coop, on: delete_order(
            coop.id, find_owned(ServiceOrder, c.order_id, coop.id))):
        with pytest.raises(ServiceError) as exc:
            closed.run(action, OPEN_DAY)
        assert exc.value.message == (
            "2025 年度已结账，2025-05-01 的作业单属于已结账期间，不能再更改；"
            "更正请按本年度（2026）的日期登记冲销")
    assert fingerprint() == before


def test_an_open_years_order_is_not_moved_into_the_closed_period(closed, fingerprint):
    data = dict(client_ref=f"m:{closed.ids['V003']}", service="sowing", area_cmu=500,
                unit_price_fen=25_00)
    order_id = closed.run(lambda c, coop, on: create_order(
        coop.id, OrderInput(service_on=on, **data)).id, OPEN_DAY)

    def move(c, coop, on):
        order = find_owned(ServiceOrder, order_id, coop.id)
        return update_order(coop.id, order, OrderInput(service_on=on, **data),
                                      order.version)

    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        closed.run(move, LAST_CLOSED)
    assert _message_on(exc.value, "service_on") == MESSAGE
    assert fingerprint() == before


def test_message_names_the_first_open_year_when_it_is_not_this_year(share_world, app,
                                                                    monkeypatch, fingerprint):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    with app.app_context():
        close_year(share_world.coop().id, 2024, None)
        db.session.commit()
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        share_world.contribute("V003", "villager", 10, on=NEVER_CLOSED)
    assert exc.value.errors["effective_on"] == (
        "2024 年度已结账，不能登记 2024-12-31 及以前的日期；请按未结账年度（2025 年起）的日期登记")
    assert fingerprint() == before
    share_world.contribute("V003", "villager", 10, on=date(2025, 1, 1))


def test_an_earlier_year_is_not_closed_after_a_later_one(closed, fingerprint):
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        closed.run(lambda c, coop, on: close_year(coop.id, 2023, None), OPEN_DAY)
    assert exc.value.message == "2025 年度已结账，更早的 2023 年度不能再结账"
    assert fingerprint() == before


# -- machines: the acquired date is a fact about the machine, not a ledger record; the
# depreciation frozen in a closed year's figures does not move --

MACHINE = {"name": "旧拖拉机", "category": "tractor", "model": "", "plate": "",
           "original_value_fen": 120_000_00, "source": "collective_in_kind",
           "salvage_rate_bp": 500, "status": "in_service", "disposed_on": None, "note": ""}


def test_a_machine_that_would_depreciate_in_a_closed_year_is_refused(closed, fingerprint):
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        closed.run(lambda c, coop, on: create_machine(coop.id, {
            **MACHINE, "acquired_on": on, "useful_life_months": 120}), NEVER_CLOSED)
    assert exc.value.message == (
        "此项修改会改变已结账的 2024 年度折旧（0.00 元 → 11,400.00 元），不能保存。"
        "已结账年度的数据不能更改。")
    assert fingerprint() == before


def test_a_machine_fully_depreciated_before_the_closed_years_may_be_recorded(closed):
    machine_id = closed.run(lambda c, coop, on: create_machine(coop.id, {
        **MACHINE, "acquired_on": on, "useful_life_months": 12}).id, date(2019, 3, 1))
    assert machine_id


# -- importers: the row number and the date column --------------------------------------


def _xlsx(headers: list[str], rows: list[list[Any]]) -> io.BytesIO:
    return io.BytesIO(xlsx_bytes(headers, rows))


SHARE_HEADERS = [h for _, h in share_importing.COLUMNS]


def test_share_import_refuses_a_row_dated_in_the_closed_period(closed, fingerprint):
    stream = _xlsx(SHARE_HEADERS, [
        ["V003", "村民股", "货币", 20, None, None, None, None, "2026-01-05"],
        ["V004", "村民股", "货币", 20, None, None, None, None, "2023-06-01"],
        ["V005", "村民股", "货币", 20, None, None, None, None, "2025-12-31"],
    ])
    before = fingerprint()
    with pytest.raises(share_importing.ImportFailed) as exc:
        closed.run(lambda c, coop, on: share_importing.import_file(coop, stream), OPEN_DAY)
    assert [(e.row, e.column, e.message) for e in exc.value.result.errors] == [
        (3, "日期", MESSAGE), (4, "日期", MESSAGE)]
    assert fingerprint() == before


def test_share_import_cli_names_the_row(closed, runner, tmp_path, fingerprint, create_user):
    create_user(closed.world.code, "shuji", role="admin")
    path = tmp_path / "late.xlsx"
    path.write_bytes(_xlsx(SHARE_HEADERS, [
        ["V003", "村民股", "货币", 20, None, None, None, None, "2023-06-01"]]).getvalue())
    before = fingerprint()
    result = runner.invoke(args=["shares", "import", str(path), "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1
    assert f"第 2 行 日期：{MESSAGE}" in result.output
    assert fingerprint() == before


MEMBER_HEADERS = [h for _, h in member_importing.COLUMNS]


def test_member_import_refuses_a_join_date_in_the_closed_period(closed, fingerprint):
    def row(n: int, on: str) -> list[Any]:
        p = _person(n, None)
        return [p["member_no"], p["name"], p["id_number"], p["household_no"], "一组", "",
                "村民", "否", on]

    stream = _xlsx(MEMBER_HEADERS, [row(11, "2026-01-05"), row(12, "2023-06-01"),
                                    row(13, "2025-12-31")])
    before = fingerprint()
    with pytest.raises(member_importing.ImportFailed) as exc:
        closed.run(lambda c, coop, on: member_importing.import_file(coop, stream, "x.xlsx"),
                   OPEN_DAY)
    assert [(e.row, e.column, e.message) for e in exc.value.plan.errors] == [
        (3, "入社日期", MESSAGE), (4, "入社日期", MESSAGE)]
    assert fingerprint() == before


def test_member_import_of_an_unchanged_roster_passes(closed):
    """Re-importing an export: join dates in closed years that do not change are fine."""
    def export_and_import(c, coop, on):
        out = io.BytesIO()
        member_importing.write_xlsx([c.member("P001")], out, full_id=True)
        out.seek(0)
        return member_importing.import_file(coop, out, "roster.xlsx")

    result = closed.run(export_and_import, OPEN_DAY)
    assert result["created"] == 0 and result["updated"] == 0


# -- views: 422 with the message next to the date field ------------------------------------


@pytest.fixture
def admin(closed, create_user, client, auth):
    create_user(closed.world.code, "admin", role="admin")
    auth.login("admin")
    return client


def _field_block(html: str, field: str) -> str:
    start = html.index(f'id="field-{field}"')
    return html[start:html.index("</div>", start)]


def test_back_dated_contribution_form_gets_422_next_to_the_date(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/shares/contribute", headers=HX, data={
        "member_no": "V003", "share_class": "villager", "contribution_kind": "cash",
        "effective_on": "2023-06-01", "amount_fen": "1000"})
    assert resp.status_code == 422
    assert MESSAGE in _field_block(resp.get_data(as_text=True), "effective_on")
    assert fingerprint() == before


def test_back_dated_expense_form_gets_422_next_to_the_date(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/machinery/expenses", headers=HX, data={
        "spent_on": "2025-12-31", "kind": "repair", "amount_fen": "300"})
    assert resp.status_code == 422
    assert MESSAGE in _field_block(resp.get_data(as_text=True), "spent_on")
    assert fingerprint() == before


def test_back_dated_withdrawal_form_gets_422_next_to_the_date(admin, closed, fingerprint,
                                                             specialized):
    specialized("t1")  # the member page's direct status change is the FSC's
    with closed.app.app_context():
        version = closed.member("V004").version
    before = fingerprint()
    resp = admin.post(f"/members/{closed.ids['V004']}/status", headers=HX, data={
        "status": "withdrawn", "on_date": "2024-05-01", "version": str(version)})
    assert resp.status_code == 422
    assert MESSAGE in _field_block(resp.get_data(as_text=True), "on_date")
    assert fingerprint() == before
