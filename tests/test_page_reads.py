"""The busiest pages of the load test read each table they need once (issue
19): on PostgreSQL each statement costs the app about 0.3 ms and the
database's own process as much again, so a read the page repeats is time
every request pays."""
from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import event, select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import YearClose, get_by_code
from coop.extensions import db
from coop.members import roster
from coop.members.models import Member
from coop.shares.models import ShareEntry
from coop.shares.register import member_holdings
from tests.query_plans import statements_run

TABLE = re.compile(r"\bFROM (\w+)")


def _by_first_table(statements: list[str]) -> Counter:
    return Counter(m.group(1) for s in statements if (m := TABLE.search(s)))


def _login(auth) -> None:
    assert auth.login("shuji", DEMO_PASSWORD, coop="wljs").status_code == 302


def test_the_member_page_reads_the_register_twice_and_each_panel_once(app, client, auth, demo):
    """The holdings figure (by class, one grouped read) and the shares
    panel's history (its holdings and land summed from it); the membership
    events and the disputes once each."""
    with app.app_context():
        coop = get_by_code(demo)
        member_id = db.session.scalar(select(ShareEntry.member_id).where(
            ShareEntry.cooperative_id == coop.id, ShareEntry.share_class == "villager")
            .order_by(ShareEntry.member_id).limit(1))
        held = member_holdings(member_id)
    assert sum(held.values()) > 0
    _login(auth)
    client.get(f"/members/{member_id}")
    with statements_run(app) as statements:
        html = client.get(f"/members/{member_id}").get_data(as_text=True)
    tables = _by_first_table(statements)
    assert tables["share_entries"] == 2, statements
    assert tables["membership_events"] == 1 and tables["membership_disputes"] == 1, tables
    assert len(statements) <= 9, tables
    panel = html[html.index('id="member-shares"'):]
    assert re.search(rf'class="sh-total"><th scope="row">合计</th><td class="num">{sum(held.values()):,}',
                     panel), panel[:2000]


def test_the_order_list_reads_the_closed_years_once_and_the_first_days_together(
        app, client, auth, demo):
    with app.app_context():
        coop = get_by_code(demo)
        closed = sorted(db.session.scalars(select(YearClose.year).where(
            YearClose.cooperative_id == coop.id)))
    assert closed
    _login(auth)
    client.get("/machinery/orders")
    with statements_run(app) as statements:
        html = client.get(f"/machinery/orders?year={closed[-1]}").get_data(as_text=True)
    tables = _by_first_table(statements)
    assert tables["year_closes"] == 1, statements
    # the first dates, the first machine's acquisition among them, in one statement;
    # the machines once, for the form's choices
    assert sum("min(" in s.lower() for s in statements) == 1, statements
    assert tables["machines"] == 1, statements
    assert len(statements) <= 7, tables
    assert f"{closed[-1]} 年作业单 <span class=\"badge locked\">已结账锁定</span>" in html
    years = re.findall(r'<option value="(\d{4})"', html)
    assert str(closed[0]) in years and str(closed[-1]) in years


def test_a_members_home_page_counts_the_meetings_to_come_without_reading_them(
        app, client, auth, demo):
    """The home page says how many meetings are to come: one count, not the
    meetings with the member's attendance, votes and the secret ballots
    (those are the meetings page's)."""
    assert auth.login("CY0003", DEMO_PASSWORD, coop=demo).status_code == 302
    client.get("/me/")
    with statements_run(app) as statements:
        html = client.get("/me/").get_data(as_text=True)
    tables = _by_first_table(statements)
    assert tables["meetings"] == 1 and not tables["attendances"] and not tables["votes"], tables
    assert len(statements) <= 8, tables
    assert "即将召开" in html


def test_a_roster_page_reads_only_what_its_table_shows(app, client, auth, demo):
    """One read of the page's members, with the columns the table shows (a
    member has 27: each costs the driver and the ORM on every row; the
    search at 100,000 members took 1-1.5 ms less), as rows rather than
    members in the session, and no member read again for a column left out."""
    _login(auth)
    client.get("/members/?sort=name", headers={"HX-Request": "true"})
    with statements_run(app) as statements:
        html = client.get("/members/?sort=name", headers={"HX-Request": "true"}).get_data(as_text=True)
    members = [s for s in statements if _by_first_table([s]).get("members")]
    assert len(members) == 1, members
    assert "members.phone" in members[0] and "members.distribution_rights_only" in members[0]
    assert "bank_account" not in members[0] and "created_at" not in members[0], members[0]
    with app.app_context():
        first = db.session.scalar(select(Member.name).where(
            Member.cooperative_id == get_by_code(demo).id).order_by(Member.name_initials, Member.name,
                                                                      Member.member_no).limit(1))
    assert f">{first}</a>" in html
    assert '<span class="badge badge-active">在册</span>' in html


def test_a_roster_page_holds_rows_not_members(app, demo):
    """The page's members come as the table's rows, with the labels the
    table shows; the session holds no member for them."""
    with app.app_context():
        coop_id = get_by_code(demo).id
        db.session.expunge_all()
        page = roster.search(coop_id, roster.Filters(sort="name"))
        assert page.items and all(isinstance(row, roster.RosterRow) for row in page.items)
        assert not [o for o in db.session.identity_map.values() if isinstance(o, Member)]
        first = page.items[0]
        member = db.session.get(Member, first.id)
        assert (first.member_no, first.name, first.joined_on, first.kind_label, first.status_label) == (
            member.member_no, member.name, member.joined_on, member.kind_label, member.status_label)


def test_the_home_and_roster_pages_read_each_mark_once(app, client, auth, demo):
    """The home page asks the roster's counts twice (the checklist and the
    key figures) and the order figures twice; the roster page its counts
    and its total: each mark's row is read once a request, then taken from
    what the transaction read."""
    with app.app_context():
        engine = db.engine
    read: list[tuple] = []

    def capture(_conn, _cursor, statement, parameters, *_args):
        if "FROM cooperative_marks" in statement:
            read.append(tuple(parameters.values()) if isinstance(parameters, dict)
                        else tuple(parameters))

    _login(auth)
    for path in ("/", "/members/"):
        client.get(path)
        read.clear()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        assert read and len(read) == len(set(read)), (path, read)
