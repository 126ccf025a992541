"""Migration 0019 gives every existing member a basis of membership: those
who joined before 2025-05-01 (or on an unknown day) were confirmed before the
law (《农村集体经济组织法》第六十六条), the others are founding members."""
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from coop import create_app


def test_existing_members_get_their_basis_and_confirmation_day(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="0018")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO cooperatives (id, code, name, credit_code, village, town, par_value_fen, "
            "distribution_mode, collective_target_bp, collective_min_bp, collective_max_bp, "
            "villager_target_bp, villager_min_bp, villager_max_bp, cadre_target_bp, cadre_min_bp, "
            "cadre_max_bp, member_cap_bp, reserve_rate_bp, welfare_rate_bp, risk_rate_bp, "
            "patronage_rate_bp, guaranteed_fen_per_mu, version) VALUES (1, 'c', '合作社', '', '', '', "
            "100, 'collective', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6000, 0, 1)"))
        for no, joined in (("1", "2020-03-01"), ("2", "2025-05-01"), ("3", None)):
            conn.execute(text(
                "INSERT INTO members (cooperative_id, member_no, name, name_initials, kind, "
                "household_no, village_group, id_tail, phone, is_party_member, joined_on, status, "
                "created_at, version) VALUES (1, :no, '张三', 'zs', 'villager', '', '', '', '', "
                "0, :joined, 'active', '2026-01-01 00:00:00', 1)"), {"no": no, "joined": joined})
    engine.dispose()
    with app.app_context():
        upgrade(revision="heads")
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT member_no, acquired_how, confirmed_on, relation_to_head, "
            "distribution_rights_only FROM members ORDER BY member_no")).all()
    engine.dispose()
    assert [(r[0], r[1]) for r in rows] == [
        ("1", "confirmed_before_law"), ("2", "founding"), ("3", "confirmed_before_law")]
    assert [str(r[2]) if r[2] else None for r in rows] == ["2020-03-01", "2025-05-01", None]
    assert all(r[3] == "" and not r[4] for r in rows)
