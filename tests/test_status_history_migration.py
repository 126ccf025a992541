"""Migration 0032 fills the status history of the members who are not
active from what is known: one change from 在册 to their status on their
status date, naming a confirmed loss event (the assembly's decision, not
reversed as an error) where one exists; a person not confirmed gets one from
待确认; active and pending members get none."""
from datetime import date


def _member(old_db, no: str, status: str, changed_on: date | None) -> None:
    old_db.insert("members", cooperative_id=1, member_no=no, name="张三", name_initials="zs",
                  kind="villager", household_no="", village_group="", id_tail="", phone="",
                  is_party_member=False, joined_on=date(2020, 3, 1), status=status,
                  status_changed_on=changed_on, created_at="2026-01-01 00:00:00", version=1)


def test_the_history_of_members_who_are_not_active_is_filled_in(old_db):
    old_db.at("0031")
    old_db.insert_cooperative()
    for n, (status, changed_on) in enumerate((
            ("active", None), ("withdrawn", date(2025, 4, 1)), ("deceased", date(2025, 6, 2)),
            ("lost", date(2026, 2, 1)), ("not_confirmed", None), ("pending", None)), start=1):
        _member(old_db, str(n), status, changed_on)
    old_db.insert("membership_events", id=1, cooperative_id=1, member_id=4, reason="civil_servant",
                  occurs_on=date(2026, 1, 5), detail="", membership_elsewhere="", household_from="",
                  household_to="", women_review=False, review_note="", doc_type="", doc_no="",
                  scan_name="", status="confirmed", recorded_at="2026-01-06 00:00:00", version=1)
    old_db.upgrade()
    rows = old_db.rows("SELECT m.member_no, c.from_status, c.to_status, c.on_date, c.source, c.reason, "
                       "c.recorded_at, c.recorded_by_id, c.reversed_at, c.version "
                       "FROM member_status_changes c JOIN members m ON m.id = c.member_id "
                       "ORDER BY m.member_no")
    assert [r[:3] for r in rows] == [("2", "active", "withdrawn"), ("3", "active", "deceased"),
                                     ("4", "active", "lost"), ("5", "pending", "not_confirmed")]
    assert [str(r[3]) if r[3] else None for r in rows] == ["2025-04-01", "2025-06-02", "2026-02-01", None]
    assert [r[4] for r in rows] == ["backfill", "backfill", "event", "event"]
    assert rows[0][5] == "据原有记录补录" and "成为公务员" in rows[2][5]
    assert str(rows[0][6]).startswith("2025-04-01 00:00")  # the earliest it can have been recorded
    assert all(r[7] is None and r[8] is None and r[9] == 1 for r in rows)
