"""The roster's counts are kept per process while the cooperative's roster
mark stays the same, and counted again after any write of a member (issue
19: households were counted over every member on each view)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import event, insert, select

from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.members import counts, roster, services
from coop.members.models import Member
from tests.conftest_members import make_id


def _statements(app):
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def capture(conn, cursor, statement, *_args):
        if "FROM members" in statement:
            seen.append(statement)

    return engine, capture, seen


def _roster(create_coop, create_member):
    code = create_coop("t1")
    create_member(code, member_no="CY0001", name="张三", id_number=make_id(1), household_no="01")
    create_member(code, member_no="CY0002", name="李四", id_number=make_id(2), household_no="01",
                  joined_on=date(2025, 3, 1))
    create_member(code, member_no="CY0003", name="王五", id_number=make_id(3), household_no="02")
    return code


def test_counts_are_kept_until_a_member_is_written(app, create_coop, create_member):
    code = _roster(create_coop, create_member)
    engine, capture, seen = _statements(app)
    with app.app_context():
        coop = get_by_code(code)
        first = roster.roster_counts(coop.id)
        assert first == {"active": 3, "total": 3, "households": 2}
        event.listen(engine, "before_cursor_execute", capture)
        try:
            assert roster.roster_counts(coop.id) == first
            assert services.household_count(coop.id) == 2
            assert seen == []  # nothing counted again: only the mark was read
            member = db.session.scalar(select(Member).where(Member.member_no == "CY0003"))
            services.change_status(member, "deceased", date(2026, 5, 1))
            assert roster.roster_counts(coop.id) == {"active": 2, "deceased": 1, "total": 3,
                                                        "households": 1}
            assert seen  # counted afresh after the write
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        db.session.rollback()
        # the write was rolled back with its mark: the kept counts of the old mark hold
        assert roster.roster_counts(coop.id) == first


def test_every_kind_of_member_write_changes_the_mark(app, create_coop, create_member):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)

        def mark():
            return counts.ROSTER.mark(coop.id)

        marks = [mark()]
        assert marks[0] is not None
        services.create_member(coop, member_no="CY0004", name="赵六", kind="villager",
                               household_no="03", id_number=make_id(4))
        db.session.commit()
        marks.append(mark())
        member = db.session.scalar(select(Member).where(Member.member_no == "CY0004"))
        services.update_member(member, {"member_no": "CY0004", "name": "赵六", "kind": "villager",
                                        "household_no": "01", "id_number": make_id(4)})
        db.session.commit()
        marks.append(mark())
        assert len(set(marks)) == 3
        assert roster.roster_counts(coop.id)["households"] == 2


def test_an_edit_of_what_is_not_counted_leaves_the_mark(app, create_coop, create_member):
    """A new phone number or name changes no count: the kept counts stay
    (the load test's secretaries edit phones all the time)."""
    code = _roster(create_coop, create_member)
    engine, capture, seen = _statements(app)
    with app.app_context():
        coop = get_by_code(code)
        before, first = counts.ROSTER.mark(coop.id), roster.roster_counts(coop.id)
        member = db.session.scalar(select(Member).where(Member.member_no == "CY0002"))
        services.update_member(member, {"member_no": "CY0002", "name": "李思", "kind": "villager",
                                        "household_no": "01", "id_number": make_id(2),
                                        "phone": "13800000000", "joined_on": date(2025, 3, 1)})
        db.session.commit()
        assert member.phone == "13800000000" and member.name == "李思"
        assert counts.ROSTER.mark(coop.id) == before
        event.listen(engine, "before_cursor_execute", capture)
        try:
            assert roster.roster_counts(coop.id) == first
            assert seen == []
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        services.update_member(member, {"member_no": "CY0002", "name": "李思", "kind": "villager",
                                        "household_no": "01", "id_number": make_id(2),
                                        "phone": "13800000000", "joined_on": date(2025, 4, 1)})
        db.session.commit()
        assert counts.ROSTER.mark(coop.id) != before


def test_another_cooperatives_write_leaves_the_mark_alone(app, create_coop, create_member):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop_id = get_by_code(code).id
        before = counts.ROSTER.mark(coop_id)
    create_member(create_coop("t2"), member_no="X1", name="外社", id_number=make_id(9))
    with app.app_context():
        assert counts.ROSTER.mark(coop_id) == before


def test_without_a_mark_the_counts_are_read_every_time(app, create_coop):
    """Members loaded in bulk past the ORM leave no mark: nothing is kept."""
    code = create_coop("t1")
    with app.app_context():
        coop_id = get_by_code(code).id
        rows = [{"cooperative_id": coop_id, "member_no": f"B{i}", "name": f"成员{i}",
                 "name_initials": "cy", "kind": "villager", "household_no": f"H{i}",
                 "village_group": "", "id_number": None, "id_tail": "", "phone": "",
                 "is_party_member": False, "status": "active", "version": 1,
                 "created_at": date(2024, 1, 1)} for i in range(3)]
        db.session.execute(insert(Member), rows[:2])
        assert roster.roster_counts(coop_id)["households"] == 2
        db.session.execute(insert(Member), rows[2:])
        assert roster.roster_counts(coop_id)["households"] == 3
        assert counts.member_counts(coop_id) == counts.count_members(coop_id)
        db.session.rollback()


def test_the_home_page_figures_come_from_the_same_counts(app, client, auth, create_coop,
                                                         create_member, create_user):
    code = _roster(create_coop, create_member)
    create_user(code, "admin", role="admin")
    auth.login(coop=code)
    html = client.get("/").get_data(as_text=True)
    assert 'data-key="members"' in html and "在册 3 人" in html
    with app.app_context():
        assert counts.member_counts(get_by_code(code).id).last_joined is not None


def test_a_savepoint_rolled_back_does_not_forget_the_members_written_before_it(
        app, create_coop, create_member):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        before = counts.ROSTER.mark(coop.id)
        member = db.session.scalar(select(Member).where(Member.member_no == "CY0003"))
        services.change_status(member, "deceased", date(2026, 5, 1))
        db.session.begin_nested().rollback()
        db.session.commit()
        assert counts.ROSTER.mark(coop.id) not in (None, before)
        assert roster.roster_counts(coop.id)["households"] == 1


def test_the_unfiltered_roster_takes_its_total_from_the_kept_counts(app, create_coop,
                                                                     create_member):
    """All members, or those of one status, without a search text: the
    page's total is the kept count (counting 100,000 members took 8-12 ms
    on PostgreSQL on each such page); any other filter is counted in SQL."""
    code = _roster(create_coop, create_member)
    engine, capture, seen = _statements(app)
    with app.app_context():
        coop = get_by_code(code)
        member = db.session.scalar(select(Member).where(Member.member_no == "CY0003"))
        services.change_status(member, "deceased", date(2026, 5, 1))
        db.session.commit()
        roster.roster_counts(coop.id)
        event.listen(engine, "before_cursor_execute", capture)
        try:
            every = roster.search(coop.id, roster.Filters())
            deceased = roster.search(coop.id, roster.Filters(status="deceased"))
            withdrawn = roster.search(coop.id, roster.Filters(status="withdrawn"))
            assert not [s for s in seen if "count(" in s.lower()]
            assert (every.total, deceased.total, withdrawn.total) == (3, 1, 0)
            assert [m.member_no for m in deceased.items] == ["CY0003"]
            seen.clear()
            grouped = roster.search(coop.id, roster.Filters(status="active", kind="villager"))
            assert grouped.total == 2 and [s for s in seen if "count(" in s.lower()]
        finally:
            event.remove(engine, "before_cursor_execute", capture)
