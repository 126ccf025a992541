from sqlalchemy import select

from coop.audit.models import AuditEntry
from coop.extensions import db
from tests.test_charter import GOOD


def test_charter_update_is_audited_with_before_and_after(app, client, auth, staff):
    auth.login("admin")
    client.post("/charter", data={**GOOD, "reserve_rate_bp": "12", "version": "1"})
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "cooperatives", AuditEntry.action == "update")).one()
        assert entry.user_id == staff[1]["admin"]
        assert entry.before["reserve_rate_bp"] == 1000 and entry.after["reserve_rate_bp"] == 1200
        assert "welfare_rate_bp" not in entry.after


def test_create_is_audited_and_password_hash_hidden(app, client, auth, staff):
    auth.login("admin")
    client.post("/users", data={"username": "kj2", "display_name": "会计二", "role": "accountant"})
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "users", AuditEntry.action == "create")
            .order_by(AuditEntry.id.desc())).first()
        assert entry.after["username"] == "kj2" and entry.after["password_hash"] == "***"
        assert entry.user_id == staff[1]["admin"]


def test_audit_page_filters(app, client, auth, staff):
    auth.login("admin")
    client.post("/charter", data={**GOOD, "reserve_rate_bp": "12", "version": "1"})
    html = client.get("/audit/?record_type=cooperatives").get_data(as_text=True)
    assert "合作社与章程" in html and "修改" in html and "公积金提取比例" in html
    html = client.get("/audit/?record_type=users").get_data(as_text=True)
    assert "公积金提取比例" not in html
    uid = staff[1]["supervisor"]
    html = client.get(f"/audit/?user={uid}").get_data(as_text=True)
    assert "没有符合条件的记录" in html
    html = client.get("/audit/?date_from=2000-01-01&date_to=2000-01-02").get_data(as_text=True)
    assert "没有符合条件的记录" in html
    resp = client.get("/audit/?date_from=2020-01-02&date_to=2020-01-01")
    assert resp.status_code == 422 and "结束日期不能早于开始日期" in resp.get_data(as_text=True)


def test_audit_page_htmx_returns_only_results(client, auth, staff):
    auth.login("supervisor")
    resp = client.get("/audit/?record_type=users", headers={"HX-Request": "true"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<table" in body and "<html" not in body


def test_audit_shows_only_own_cooperative(app, client, auth, staff, create_coop, create_user):
    create_coop("t2", name="别的合作社")
    create_user("t2", "stranger2")
    auth.login("admin")
    html = client.get("/audit/?record_type=users").get_data(as_text=True)
    assert "stranger2" not in html


def test_times_are_shown_and_filtered_as_beijing_days(app, client, auth, staff):
    """The log keeps UTC; 17:30 UTC on 23 November is 01:30 on 24 November in
    Beijing, which is the day a secretary looks it up under."""
    from datetime import datetime

    auth.login("admin")
    client.post("/charter", data={**GOOD, "reserve_rate_bp": "12", "version": "1"})
    with app.app_context():
        for entry in db.session.scalars(select(AuditEntry).where(
                AuditEntry.record_type == "cooperatives")):
            entry.at = datetime(2026, 11, 23, 17, 30)
        db.session.commit()
    html = client.get("/audit/?record_type=cooperatives&date_from=2026-11-24&date_to=2026-11-24"
                      ).get_data(as_text=True)
    assert "2026-11-24 01:30" in html and "公积金提取比例" in html
    html = client.get("/audit/?record_type=cooperatives&date_from=2026-11-23&date_to=2026-11-23"
                      ).get_data(as_text=True)
    assert "公积金提取比例" not in html and "没有符合条件的记录" in html


def test_clock_converts_stored_utc_to_beijing():
    from datetime import date, datetime

    from coop import clock

    assert clock.local(datetime(2026, 12, 31, 16, 0)) == datetime(2027, 1, 1, 0, 0)
    assert clock.utc_start_of(date(2027, 1, 1)) == datetime(2026, 12, 31, 16, 0)
