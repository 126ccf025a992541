"""Migration 0019 gives every existing member a basis of membership: those
who joined before 2025-05-01 (or on an unknown day) were confirmed before the
law (《农村集体经济组织法》第六十六条), the others are founding members."""
from datetime import date


def test_existing_members_get_their_basis_and_confirmation_day(old_db):
    old_db.at("0018")
    old_db.insert_cooperative()
    for no, joined in (("1", date(2020, 3, 1)), ("2", date(2025, 5, 1)), ("3", None)):
        old_db.insert("members", cooperative_id=1, member_no=no, name="张三", name_initials="zs",
                      kind="villager", household_no="", village_group="", id_tail="", phone="",
                      is_party_member=False, joined_on=joined, status="active",
                      created_at="2026-01-01 00:00:00", version=1)
    old_db.upgrade()
    rows = old_db.rows("SELECT member_no, acquired_how, confirmed_on, relation_to_head, "
                       "distribution_rights_only FROM members ORDER BY member_no")
    assert [(r[0], r[1]) for r in rows] == [
        ("1", "confirmed_before_law"), ("2", "founding"), ("3", "confirmed_before_law")]
    assert [str(r[2]) if r[2] else None for r in rows] == ["2020-03-01", "2025-05-01", None]
    assert all(r[3] == "" and not r[4] for r in rows)
