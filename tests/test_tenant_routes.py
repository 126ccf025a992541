"""Every route that names a record, walked with another cooperative's records
(issue 18, one tenant guard).

Cooperative A is ``t1`` of ``portal_world`` (members, a register, dividend
plans, member logins); cooperative B is the demo ``wljs`` (every kind of
record) with one more plan, for 2023, a year A has nothing in, and a batch
statement job. Signed in as A's secretary (admin) and then as one of A's
members, the test requests every rule of ``app.url_map`` whose arguments
name a record, with B's records in them, and expects 404 (403 where the
role may not use the route at all). The rules are read from the url map: an
argument the test does not know how to fill with B's record fails it, so a
new route is covered the day it is added.

A year is not a record: ``/statements/<year>/print`` or
``/machinery/years/<year>`` with a year only B has data for is A's (empty)
year, which may answer 200 or 404 or refuse, but must not show any of B's
data. Every answer is searched for B's names (members, outside clients,
cooperative), spreadsheets and PDFs included, and B's rows (every table,
every column, versions too) must be the same after each write as before.
"""
from __future__ import annotations

import io
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from flask import url_for
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from coop.extensions import db
from tests.conftest_portal import _lines, _plan

ONLY_B_YEAR = 2023
# a year-route may show A's own (empty) year, send it elsewhere, or refuse it
YEAR_STATUSES = {200, 302, 404, 422}
REPORT_NAMES = ("monthly", "services", "groups", "machines", "members", "receivables")
SKIP = {"static"}


@dataclass
class World:
    a_id: int
    b_id: int
    values: dict[str, list[Any]] = field(default_factory=dict)  # argument -> candidates
    b_values: dict[str, set[Any]] = field(default_factory=dict)  # argument -> B's records
    other_members_line: int = 0  # a line of another member of A
    years_only_b: set[int] = field(default_factory=set)
    markers: list[str] = field(default_factory=list)

    def foreign(self, role: str) -> dict[str, set[Any]]:
        """The records the role may not see: B's, and for a member another member's line."""
        if role != "member":
            return self.b_values
        return {**self.b_values, "line_id": self.b_values["line_id"] | {self.other_members_line}}


def _first(model, *where):
    """The id of B's latest record of ``model`` matching ``where``."""
    query = select(model.id).where(*where).order_by(model.id.desc()).limit(1)
    value = db.session.scalar(query)
    assert value is not None, f"cooperative B has no {model.__name__} to try"
    return value


def _years(coop_id: int) -> set[int]:
    from coop.cooperatives.models import YearClose
    from coop.dividends.models import DividendPlan
    from coop.machinery.models import Expense, OtherIncome, ServiceOrder, ServicePrice

    years = set(db.session.scalars(select(DividendPlan.year).where(
        DividendPlan.cooperative_id == coop_id)))
    years |= set(db.session.scalars(select(YearClose.year).where(YearClose.cooperative_id == coop_id)))
    years |= set(db.session.scalars(select(ServicePrice.year).where(
        ServicePrice.cooperative_id == coop_id)))
    for model, column in ((ServiceOrder, ServiceOrder.service_on), (Expense, Expense.spent_on),
                          (OtherIncome, OtherIncome.received_on)):
        years |= {day.year for day in db.session.scalars(
            select(column).where(model.cooperative_id == coop_id))}
    return years


@pytest.fixture
def world(app, portal_world, demo, jobs_dir) -> World:
    from coop.auth.models import User
    from coop.cooperatives.models import Cooperative
    from coop.disclosure.models import Disclosure
    from coop.dividends.models import DividendLine, DividendPlan, PaymentBatch
    from coop.governance.meetings import ItemSpec, convene_meeting
    from coop.machinery.models import (Expense, Machine, OtherIncome, OutsideClient, ServiceOrder,
                                       ServicePayment)
    from coop.members.models import Member, MemberStatusChange
    from coop.membership import lists, rosters
    from coop.membership.models import Dispute, MembershipEvent
    from coop.shares.models import ShareEntry
    from coop.statements.models import StatementJob

    with app.app_context():
        a_id = db.session.scalar(select(Cooperative.id).where(Cooperative.code == portal_world.code))
        b = db.session.scalar(select(Cooperative).where(Cooperative.code == demo))
        b_id = b.id
        members = {m.member_no: m for m in db.session.scalars(
            select(Member).where(Member.cooperative_id == b_id))}
        # B's 2023 distribution, published and paid: a year A has nothing in
        rows = (("CY0001", 100, 1_000_00), ("CY0002", 120, 1_200_00))
        plan = _plan(b_id, ONLY_B_YEAR, 1, "paid", rows, notice_start=date(2024, 3, 16),
                     surplus_fen=10_000_00)
        _lines(plan, members, rows, paid_on=date(2024, 3, 28))
        admin = db.session.scalar(select(User.id).where(User.cooperative_id == b_id,
                                                        User.role == "admin"))
        now = datetime(2026, 6, 15, 2, 0)
        job = StatementJob(token="b0b0b0b0b0b0b0b0", cooperative_id=b_id, user_id=admin,
                           year=2024, plan_id=_first(DividendPlan, DividendPlan.cooperative_id == b_id,
                                                     DividendPlan.year == 2024),
                           state="done", done=95, total=95, message="完成",
                           filename="wljs-2024-对账单.pdf", created_at=now, updated_at=now)
        db.session.add(job)
        db.session.commit()

        draft = _first(DividendPlan, DividendPlan.cooperative_id == b_id,
                       DividendPlan.status == "draft")
        paid = _first(DividendPlan, DividendPlan.cooperative_id == b_id, DividendPlan.year == 2024)
        line = _first(DividendLine, DividendLine.plan_id == paid)
        member = db.session.get(Member, members["CY0001"].id)
        meeting = convene_meeting(b_id, regime="collective", body="assembly", title="成员大会",
                                  meeting_on=date(2026, 7, 1), place="村委会", convened_by="理事会",
                                  notice_on=date(2026, 6, 15), items=[ItemSpec("other", "村道硬化")])
        # B's confirmation list on notice (a death to confirm), an objection, roster version 1
        event = MembershipEvent(cooperative_id=b_id, member_id=members["CY0002"].id, reason="death",
                                occurs_on=date(2026, 6, 1), status="pending")
        db.session.add(event)
        db.session.flush()
        roster = rosters.version_by_number(b_id, None) or rosters.make_first_version(b_id)
        b_list = lists.create_list(b_id, [event.id])
        lists.publish(b_list, notice_start=date(2026, 6, 15), notice_days=7)
        objection = lists.record_objection(b_list, raised_by="村民", raised_on=date(2026, 6, 15),
                                           content="异议")
        # a line of B's member's status history (a past re-joining)
        change = MemberStatusChange(cooperative_id=b_id, member_id=member.id, from_status="withdrawn",
                                    to_status="active", on_date=date(2025, 4, 1), reason="重新入社")
        db.session.add(change)
        db.session.commit()
        open_day = date(2026, 1, 1)  # B's open year: a write that got through would stick
        b_values: dict[str, set[Any]] = {
            "member_id": {member.id},
            "plan_id": {draft, paid},
            "line_id": {line},
            "batch_id": {_first(PaymentBatch, PaymentBatch.cooperative_id == b_id)},
            "order_id": {_first(ServiceOrder, ServiceOrder.cooperative_id == b_id,
                                ServiceOrder.service_on >= open_day)},
            "payment_id": {_first(ServicePayment, ServicePayment.cooperative_id == b_id,
                                  ServicePayment.paid_on >= open_day,
                                  ServicePayment.reverses_id.is_(None))},
            "machine_id": {_first(Machine, Machine.cooperative_id == b_id)},
            "client_id": {_first(OutsideClient, OutsideClient.cooperative_id == b_id)},
            "expense_id": {_first(Expense, Expense.cooperative_id == b_id,
                                  Expense.spent_on >= open_day, Expense.reverses_id.is_(None))},
            "income_id": {_first(OtherIncome, OtherIncome.cooperative_id == b_id,
                                 OtherIncome.reverses_id.is_(None))},
            "entry_id": {_first(ShareEntry, ShareEntry.cooperative_id == b_id)},
            "user_id": {_first(User, User.cooperative_id == b_id, User.role == "accountant")},
            "household_no": {member.household_no},
            "token": {job.token},
            "meeting_id": {meeting.id},
            "item_id": {meeting.items[0].id},
            "dispute_id": {_first(Dispute, Dispute.cooperative_id == b_id)},
            "list_id": {b_list.id},
            "event_id": {event.id},
            "objection_id": {objection.id},
            "roster_id": {roster.id},
            "disclosure_id": {_first(Disclosure, Disclosure.cooperative_id == b_id)},
            "change_id": {change.id},
        }
        a_years = _years(a_id)
        b_years = _years(b_id)
        a_names = set(db.session.scalars(select(Member.name).where(Member.cooperative_id == a_id)))
        markers = {b.name, b.village}
        markers |= {name for name in db.session.scalars(select(Member.name).where(
            Member.cooperative_id == b_id)) if len(name) >= 3 and name not in a_names}
        markers |= set(db.session.scalars(select(OutsideClient.name).where(
            OutsideClient.cooperative_id == b_id)))

    values: dict[str, list[Any]] = {name: sorted(ids) for name, ids in b_values.items()}
    # a record of A's with one of B's beneath it: /dividends/<A's plan>/lines/<B's line>
    values["plan_id"].append(portal_world.plans["2025"])
    # another member's line of A itself, for A's member walking /me/dividends/<line_id>
    values["line_id"].append(portal_world.lines[("2025", "CY0002")])
    values["year"] = sorted(b_years | {ONLY_B_YEAR})
    values["name"] = list(REPORT_NAMES)
    values["kind"] = ["sign-in", "minutes"]   # a meeting's papers: a kind is not a record
    values["period_key"] = ["q1"]  # a disclosure period of a year: not a record
    values["code"] = [b.code]   # an overseer's choice of a cooperative (staff: 403)
    return World(a_id=a_id, b_id=b_id, values=values, b_values=b_values,
                 other_members_line=portal_world.lines[("2025", "CY0002")],
                 years_only_b=b_years - a_years, markers=sorted(markers))


def b_snapshot(app, coop_id: int) -> dict[str, list[tuple]]:
    """Every row of cooperative B: the rows of tables with a cooperative_id,
    the rows of tables beneath one of those (dividend lines under plans), and
    every row of any other table."""
    with app.app_context(), db.engine.connect() as conn:
        out = {}
        for table in db.metadata.sorted_tables:
            if table.name == "cooperatives":
                query = table.select().where(table.c.id == coop_id)
            elif "cooperative_id" in table.c:
                query = table.select().where(table.c.cooperative_id == coop_id)
            else:
                owners = [(fk.parent, fk.column) for fk in table.foreign_keys
                          if "cooperative_id" in fk.column.table.c]
                query = table.select()
                if owners:
                    column, target = owners[0]
                    query = query.where(column.in_(select(target).where(
                        target.table.c.cooperative_id == coop_id)))
            out[table.name] = sorted(tuple(map(repr, row)) for row in conn.execute(query))
        return out


def text_of(resp) -> str:
    """What a person would read in the answer: the page, the cells of a
    spreadsheet, the text of a PDF."""
    if resp.mimetype == "application/pdf":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(resp.data)).pages)
    if resp.mimetype.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(resp.data), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)
    return resp.get_data(as_text=True)


@dataclass(frozen=True)
class Request:
    endpoint: str
    method: str
    url: str
    foreign: bool  # one of its arguments is a record the user may not see


def requests_for(app, world: World, role: str) -> list[Request]:
    """Every rule with arguments, filled with B's records (and A's parent of a
    B record), every year B has data for, every report."""
    foreign = world.foreign(role)
    unknown = []
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIP or not rule.arguments:
            continue
        names = sorted(rule.arguments)
        missing = [name for name in names if name not in world.values]
        if missing:
            unknown.append(f"{rule.rule} ({', '.join(missing)})")
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for combo in itertools.product(*(world.values[name] for name in names)):
                args = dict(zip(names, combo))
                is_foreign = any(args[name] in foreign.get(name, ()) for name in names)
                if not is_foreign and any(name in foreign for name in names):
                    continue  # only the user's own records: not this test's business
                with app.test_request_context():
                    url = url_for(rule.endpoint, **args)
                out.append(Request(rule.endpoint, method, url, is_foreign))
    assert not unknown, ("routes with an argument tests/test_tenant_routes.py cannot fill with "
                         "cooperative B's record; add it to the world fixture: " + "; ".join(unknown))
    return out


def walk(app, client, world: World, role: str, before: dict) -> list[str]:
    problems = []
    allowed = {endpoint: getattr(view, "allowed_roles", None) or ()
               for endpoint, view in app.view_functions.items()}
    for req in requests_for(app, world, role):
        resp = client.get(req.url) if req.method == "GET" else client.post(req.url, data={})
        where = f"{role} {req.method} {req.url} ({req.endpoint})"
        if role not in allowed[req.endpoint]:
            expected, why = {403}, "not this role's page"
        elif req.foreign:
            expected, why = {404}, "a record not its own"
        else:
            expected, why = YEAR_STATUSES, "the user's own year"
        if resp.status_code not in expected:
            problems.append(f"{where}: {resp.status_code}, expected {sorted(expected)} ({why})")
        body = text_of(resp)
        shown = [marker for marker in world.markers if marker in body]
        if shown:
            problems.append(f"{where}: shows B's data {shown[:5]}")
        if req.method != "GET" and b_snapshot(app, world.b_id) != before:
            problems.append(f"{where}: changed B's rows")
            before = b_snapshot(app, world.b_id)
    return problems


def test_the_world_has_a_year_only_b_has(world):
    assert ONLY_B_YEAR in world.years_only_b
    assert len(world.markers) > 100


def test_a_secretary_gets_404_for_every_record_of_another_cooperative(app, client, auth, world):
    before = b_snapshot(app, world.b_id)
    auth.login("admin")
    problems = walk(app, client, world, "admin", before)
    assert not problems, "\n".join(problems)
    assert b_snapshot(app, world.b_id) == before


def test_a_member_gets_404_or_403_for_every_record_of_another_cooperative(app, client, auth,
                                                                         world):
    before = b_snapshot(app, world.b_id)
    auth.login("CY0001")
    assert client.get("/me/").status_code == 200
    problems = walk(app, client, world, "member", before)
    assert not problems, "\n".join(problems)
    assert b_snapshot(app, world.b_id) == before


def test_a_route_with_an_argument_the_walk_cannot_fill_fails_it(app):
    known = {name for rule in app.url_map.iter_rules() for name in rule.arguments}
    app.add_url_rule("/widgets/<int:widget_id>", "widgets.detail", lambda widget_id: "")
    world = World(a_id=1, b_id=2, values={name: [1] for name in known},
                  b_values={name: {1} for name in known})
    with pytest.raises(AssertionError, match=r"/widgets/<int:widget_id> \(widget_id\)"):
        requests_for(app, world, "admin")
