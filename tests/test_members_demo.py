"""The demo roster of wljs: the collective, 200 villagers in 120 households,
31 party-member households, 6 cadres, valid and stable IDs and numbers."""
from collections import Counter

from sqlalchemy import select

from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.idcodes import resident_id_error
from coop.members import services
from coop.members.demo import plan_members
from coop.members.models import Member


def test_demo_roster(app, demo):
    with app.app_context():
        coop_id = get_by_code(demo).id
        # only the members this demo step made (the shares demo adds an heir later)
        ours = {m["member_no"] for m in plan_members()}
        members = [m for m in db.session.scalars(
            select(Member).where(Member.cooperative_id == coop_id)) if m.member_no in ours]
        assert len(members) == len(ours) == 207
        kinds = Counter(m.kind for m in members)
        assert kinds == {"collective": 1, "villager": 200, "cadre": 6}
        collective = next(m for m in members if m.kind == "collective")
        assert (collective.member_no, collective.id_number, collective.household_no) == (
            "JT001", None, "")
        persons = [m for m in members if m.kind != "collective"]
        assert len({m.household_no for m in persons}) == 120
        assert len({m.household_no for m in persons if m.is_party_member}) == 31
        assert services.household_count(coop_id) >= 119  # an inheritance may empty one
        assert all(resident_id_error(m.id_number) is None for m in persons)
        assert all(m.id_number.startswith("1502") for m in persons)
        assert len({m.id_number for m in persons}) == 207 - 1
        assert all(m.name_initials and m.id_tail == m.id_number[-6:][::-1] for m in persons)
        cadres = sorted(m.member_no for m in persons if m.kind == "cadre")
        assert cadres == [f"GB{i:03d}" for i in range(1, 7)]
        assert all(m.is_party_member for m in persons if m.kind == "cadre")
        names = {m.name for m in persons}
        assert {"王建国", "李秀英"} <= names


def test_demo_is_the_same_on_every_run():
    first, second = plan_members(), plan_members()
    assert first == second
    assert [m["member_no"] for m in first[:3]] == ["JT001", "CY0001", "CY0002"]
