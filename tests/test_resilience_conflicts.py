"""Two users at once: nothing is silently overwritten and nothing fails.

- Two people edit the same record: the second save is refused (409) with a
  message that says what the first one changed, and the database keeps the
  first save only (charter and member forms are covered in test_charter.py
  and test_members_views.py; here the machinery forms).
- Two clerks save a service order at the same moment: both read the same last
  order number; the second insert takes the next number instead of failing.
- A save that passes the version check while another one commits in between:
  the UPDATE ... WHERE version = n matches no row; the user gets the same 409,
  not a server error.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from coop.extensions import db
from coop.machinery.models import ServiceOrder
from coop.tenancy import find_owned
from tests.test_machinery_views import HX, order_data


@pytest.fixture
def two_clerks(app, mach):
    """The secretary and the accountant, each logged in with their own client."""
    from tests.conftest import AuthActions

    first, second = app.test_client(), app.test_client()
    AuthActions(first).login("admin")
    AuthActions(second).login("accountant")
    return first, second


def test_second_save_of_an_order_is_refused_with_what_changed(mach, two_clerks, fingerprint):
    order_id = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}", area_cmu=1235)
    first, second = two_clerks
    # both opened the edit form at version 1
    resp = first.post(f"/machinery/orders/{order_id}",
                      data=order_data(mach, area_cmu="20.00", version="1"))
    assert resp.status_code == 302
    saved = fingerprint()
    resp = second.post(f"/machinery/orders/{order_id}", headers=HX,
                       data=order_data(mach, operator="另一位机手", version="1"))
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "已被他人修改" in html and "12.35" in html and "20.00" in html
    assert "admin" in html  # who made the change
    assert fingerprint() == saved
    order = mach.ledger.run(lambda c: find_owned(ServiceOrder, order_id, c))
    assert (order.area_cmu, order.operator, order.version) == (2000, "赵永刚", 2)


def test_second_save_of_a_machine_is_refused_with_what_changed(mach, two_clerks, fingerprint):
    first, second = two_clerks
    data = {"name": "约翰迪尔拖拉机", "category": "tractor", "model": "JD-1204",
            "plate": "蒙B·12345", "acquired_on": "2024-12-10", "original_value_fen": "120,000",
            "source": "collective_in_kind", "useful_life_months": "120",
            "salvage_rate_bp": "5", "status": "in_service", "note": "", "version": "1"}
    resp = first.post(f"/machinery/machines/{mach.machine}", data={**data, "plate": "蒙B·99999"})
    assert resp.status_code == 302
    saved = fingerprint()
    resp = second.post(f"/machinery/machines/{mach.machine}", data={**data, "model": "JD-1504"})
    assert resp.status_code == 409
    html = resp.get_data(as_text=True)
    assert "已被他人修改" in html and "蒙B·12345" in html and "蒙B·99999" in html
    assert fingerprint() == saved


def test_orders_saved_at_the_same_moment_get_distinct_numbers(app, mach, monkeypatch):
    from coop.machinery import orders

    mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")  # 2026-00001
    real = orders._next_order_no
    calls = []

    def stale_read(coop_id, year):
        # the other clerk's order was committed after this one read the last number
        calls.append(year)
        return f"{year}-00001" if len(calls) == 1 else real(coop_id, year)

    monkeypatch.setattr(orders, "_next_order_no", stale_read)
    second = mach.ledger.order(date(2026, 5, 4), f"c:{mach.village}")
    with app.app_context():
        numbers = sorted(o.order_no for o in db.session.query(ServiceOrder))
        assert numbers == ["2026-00001", "2026-00002"]
        assert db.session.get(ServiceOrder, second).order_no == "2026-00002"
        from coop.audit.models import AuditEntry

        # one audit entry per order: the refused insert left nothing behind
        assert db.session.query(AuditEntry).filter_by(record_type="service_orders").count() == 2
    assert len(calls) == 2


def test_next_order_number_counts_on_per_year(app, mach):
    """Each year has its own counter; a year's first number starts after the
    highest already in the table, read as a range on (cooperative_id,
    order_no), not a LIKE that SQLite answers by walking every order."""
    from sqlalchemy import event

    from coop.machinery.orders import _next_order_no

    for day in (3, 4):
        mach.ledger.order(date(2025, 5, day), f"c:{mach.village}")
    mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
    with app.app_context():
        statements = []

        def capture(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            assert _next_order_no(mach.coop_id, 2025) == "2025-00003"
            assert _next_order_no(mach.coop_id, 2025) == "2025-00004"
            assert _next_order_no(mach.coop_id, 2026) == "2026-00002"
            assert _next_order_no(mach.coop_id, 2027) == "2027-00001"
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
            db.session.rollback()
        assert statements and not any("LIKE" in st for st in statements), statements


def test_a_deleted_orders_number_is_never_given_again(mach):
    from coop.machinery.orders import delete_order

    first = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
    last = mach.ledger.order(date(2026, 5, 4), f"c:{mach.village}")
    mach.ledger.run(lambda c: (delete_order(c, find_owned(ServiceOrder, last, c)),
                               db.session.commit()))
    again = mach.ledger.order(date(2026, 5, 5), f"c:{mach.village}")
    numbers = mach.ledger.run(lambda c: [find_owned(ServiceOrder, i, c).order_no for i in (first, again)])
    assert numbers == ["2026-00001", "2026-00003"]


def test_numbers_count_on_past_99999(app, mach):
    first = mach.ledger.order(date(2026, 5, 3), f"c:{mach.village}")
    with app.app_context():  # an order numbered before counters existed
        db.session.get(ServiceOrder, first).order_no = "2026-99999"
        db.session.execute(text("DELETE FROM order_counters"))
        db.session.commit()
    second = mach.ledger.order(date(2026, 5, 4), f"c:{mach.village}")
    third = mach.ledger.order(date(2026, 5, 5), f"c:{mach.village}")
    numbers = mach.ledger.run(lambda c: [find_owned(ServiceOrder, i, c).order_no for i in (second, third)])
    assert numbers == ["2026-100000", "2026-100001"]


def test_save_overtaken_between_check_and_write_is_a_409_not_an_error(
        app, client, auth, staff, create_member, monkeypatch):
    """Two saves of the same member pass the version check at the same moment;
    the other one commits first. This one's UPDATE ... WHERE version = 1 then
    matches no row: the user is told, and the other save stays."""
    from sqlalchemy import text

    from coop.members import services
    from tests.conftest_members import make_id

    member_id = create_member("t1", member_no="CY0001", name="张三", id_number=make_id(1))
    auth.login("admin")
    real_check = services.check_version

    def overtaken(obj, expected, describe):
        real_check(obj, expected, describe)
        with db.engine.begin() as conn:  # the other secretary's save lands now
            conn.execute(text("UPDATE members SET phone = '13700000000', version = version + 1 "
                              "WHERE id = :i"), {"i": member_id})

    monkeypatch.setattr(services, "check_version", overtaken)
    data = {"member_no": "CY0001", "name": "张三", "kind": "villager", "household_no": "H1",
            "village_group": "", "id_number": make_id(1), "phone": "13912345678",
            "joined_on": "", "version": "1"}
    resp = client.post(f"/members/{member_id}", data=data)
    assert resp.status_code == 409
    assert "此记录已被他人修改，您的修改没有保存" in resp.get_data(as_text=True)
    with app.app_context():
        from coop.members.models import Member

        member = db.session.get(Member, member_id)
        assert (member.phone, member.version) == ("13700000000", 2)
