"""Upgrading keeps the data (issue 22): a database written by the previous
release is brought to the current schema with every record intact.

The previous release is main as the session of 2026-11-23 left it (commit
e29c34b; the repository has no tags): its schema is migration 0010. The test
builds that database itself, portably, on SQLite and on PostgreSQL (in a
schema of its own on the suite's server): it runs the migrations up to 0010,
then writes with plain SQL what that release wrote - a cooperative, its
secretary, members, the share register, machinery orders with a payment, the
closed year 2024 and its approved, published and paid dividend plan with the
lines and the audit entries. It then upgrades to head (what `make serve`
does) and checks that every total is the same, that what the later
migrations derive from old rows is there (the distributed surplus, the
notice's publication time, the legal regime), and that the app works on it:
/healthz, the old secretary's login, the plan's page.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from coop import create_app, schema_heads
from coop.extensions import db
from tests.conftest import CoopClient

OLD_REVISION = "0010"  # the schema of the previous release (commit e29c34b, 2026-11-23)
OLD_PASSWORD = "old-release-pass-1"
NOW = datetime(2025, 1, 10, 2, 0)

TOTALS = {
    "members": "SELECT COUNT(*), COUNT(id_number), MIN(member_no), MAX(member_no) FROM members",
    "share entries": "SELECT COUNT(*), SUM(shares), SUM(value_fen) FROM share_entries",
    "shares by class": "SELECT share_class, SUM(shares), SUM(value_fen) FROM share_entries "
                       "GROUP BY share_class ORDER BY share_class",
    "orders": "SELECT COUNT(*), SUM(area_cmu), SUM(amount_fen), SUM(fuel_cl), MAX(order_no) "
              "FROM service_orders",
    "payments": "SELECT COUNT(*), SUM(amount_fen) FROM service_payments",
    "order counters": "SELECT cooperative_id, year, last_no FROM order_counters",
    "expenses": "SELECT COUNT(*), SUM(amount_fen) FROM expenses",
    "year closes": "SELECT year, surplus_fen, carry_forward_fen, expenses_fen FROM year_closes",
    "plans": "SELECT year, status, surplus_fen, distributable_fen, capital_pool_fen, reserve_fen, "
             "total_shares, line_count, resolution_no FROM dividend_plans",
    "lines": "SELECT COUNT(*), SUM(total_fen), SUM(capital_fen), SUM(shares), COUNT(paid_on) "
             "FROM dividend_lines",
    "users": "SELECT username, role, password_hash FROM users ORDER BY username",
    "audit": "SELECT COUNT(*) FROM audit_entries",
}


def _write_previous_release_data(conn) -> None:
    """What the release at 0010 wrote, as its own tables held it."""
    def insert(table: str, **values) -> None:
        columns = ", ".join(f'"{c}"' for c in values)
        params = ", ".join(f":{c}" for c in values)
        conn.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({params})"), values)

    insert("cooperatives", id=1, code="olds", name="旧版本村股份经济合作社",
           credit_code="93150203MA0LWJ3K0L", village="旧村", town="旧镇", par_value_fen=100,
           distribution_mode="joint_stock", collective_target_bp=6500, collective_min_bp=5000,
           collective_max_bp=8000, villager_target_bp=3100, villager_min_bp=2000,
           villager_max_bp=4500, cadre_target_bp=400, cadre_min_bp=0, cadre_max_bp=1000,
           member_cap_bp=2000, reserve_rate_bp=1000, welfare_rate_bp=500, risk_rate_bp=0,
           patronage_rate_bp=6000, guaranteed_fen_per_mu=0, created_at=NOW, version=1)
    insert("users", id=1, cooperative_id=1, username="laoshuji", display_name="老书记",
           role="admin", password_hash=generate_password_hash(OLD_PASSWORD, "pbkdf2:sha256:1000"),
           must_change_password=False, is_enabled=True, created_at=NOW, last_login_at=None,
           member_id=None)
    members = [
        (1, "CY0001", "村集体", "cjt", "collective", "00000", None, ""),
        (2, "CY0002", "王大山", "wds", "cadre", "01001", "110101199003074514", "074514"),
        (3, "CY0003", "李小梅", "lxm", "villager", "01002", "110101198506126021", "126021"),
        (4, "CY0004", "赵长林", "zcl", "villager", "01003", None, ""),
    ]
    for mid, no, name, initials, kind, household, id_number, tail in members:
        insert("members", id=mid, cooperative_id=1, member_no=no, name=name, name_initials=initials,
               kind=kind, household_no=household, village_group="一组", id_number=id_number,
               id_tail=tail, phone="", is_party_member=kind == "cadre", joined_on=date(2023, 3, 15),
               status="active", status_changed_on=None, created_at=NOW, version=1)
    shares = [(1, 1, "collective", 65_000), (2, 2, "cadre", 4_000), (3, 2, "villager", 1_000),
              (4, 3, "villager", 20_000), (5, 4, "villager", 10_000)]
    for eid, member_id, share_class, count in shares:
        insert("share_entries", id=eid, cooperative_id=1, member_id=member_id,
               share_class=share_class, effective_on=date(2023, 3, 15), shares=count,
               entry_kind="subscribe", contribution_kind="cash", value_fen=count * 100,
               land_mu=None, unit_price_fen=None, labour_days=None, asset_name="", machine_id=None,
               counterparty_id=None, movement=f"m{eid}", resolution_no="", note="设立入股",
               reverses_id=None, recorded_by_id=1, recorded_at=NOW)
    insert("share_entries", id=6, cooperative_id=1, member_id=4, share_class="villager",
           effective_on=date(2024, 5, 1), shares=-2_000, entry_kind="redeem", contribution_kind=None,
           value_fen=-200_000, land_mu=None, unit_price_fen=None, labour_days=None, asset_name="",
           machine_id=None, counterparty_id=None, movement="m6", resolution_no="乌三股〔2024〕2号",
           note="部分退股", reverses_id=None, recorded_by_id=1, recorded_at=NOW)
    insert("machines", id=1, cooperative_id=1, name="东方红拖拉机", category="tractor", model="LX1204",
           plate="蒙B12345", acquired_on=date(2023, 4, 1), original_value_fen=38_000_000,
           source="purchased", useful_life_months=120, salvage_rate_bp=500, status="in_service",
           disposed_on=None, note="", created_at=NOW, version=1)
    orders = [(1, "2024-00001", 2, 150_00, 3_500, 525_000), (2, "2024-00002", 3, 80_00, 4_000, 320_000),
              (3, "2024-00003", 4, 100_00, 3_000, 300_000)]
    for oid, no, member_id, area_cmu, price, amount in orders:
        insert("service_orders", id=oid, cooperative_id=1, order_no=no, service_on=date(2024, 5, 10),
               member_id=member_id, client_id=None, service="ploughing", plot="东坡", area_cmu=area_cmu,
               unit_price_fen=price, amount_fen=amount, machine_id=1, operator="张师傅", fuel_cl=4_000,
               note="", reverses_id=None, created_at=NOW, version=1)
    insert("order_counters", cooperative_id=1, year=2024, last_no=3)
    insert("service_payments", id=1, cooperative_id=1, order_id=1, paid_on=date(2024, 6, 1),
           amount_fen=525_000, method="cash", note="", reverses_id=None, created_at=NOW)
    insert("expenses", id=1, cooperative_id=1, spent_on=date(2024, 5, 9), kind="fuel", machine_id=1,
           amount_fen=145_000, payee="加油站", note="", reverses_id=None, created_at=NOW)
    insert("year_closes", id=1, cooperative_id=1, year=2024, closed_at=NOW, closed_by_id=1,
           service_income_members_fen=1_145_000, service_income_nonmembers_fen=0, other_income_fen=0,
           nondistributable_income_fen=0, expenses_fen=145_000, depreciation_fen=0,
           carried_surplus_fen=0, carried_loss_fen=0, surplus_fen=1_000_000, carry_forward_fen=0,
           note="")
    insert("dividend_plans", id=1, cooperative_id=1, year=2024, version_no=1, supersedes_id=None,
           superseded_by_id=None, status="paid", is_preview=False, mode="joint_stock",
           weight_basis="record_date", record_date=date(2024, 12, 31),
           service_income_members_fen=1_145_000, service_income_nonmembers_fen=0, other_income_fen=0,
           nondistributable_income_fen=0, expenses_fen=145_000, depreciation_fen=0,
           carried_surplus_fen=0, carried_loss_fen=0, surplus_fen=1_000_000, reserve_rate_bp=1000,
           welfare_rate_bp=500, risk_rate_bp=0, patronage_rate_bp=6000, guaranteed_fen_per_mu=0,
           par_value_fen=100, reserve_fen=100_000, welfare_fen=50_000, risk_fen=0,
           distributable_fen=850_000, guaranteed_total_fen=0, patronage_pool_fen=0,
           capital_pool_fen=850_000, total_weight=98_000, total_shares=98_000,
           total_transactions_fen=0, line_count=4, computed_at=NOW, assembly_date=date(2025, 3, 15),
           households_total=4, households_present=4, votes_for=4, votes_against=0, votes_abstain=0,
           resolution_no="旧三股合〔2025〕1号", approved_at=datetime(2025, 3, 15, 3, 0),
           notice_start=date(2025, 3, 16), notice_days=7, created_at=NOW, version=5)
    lines = [(1, 1, "CY0001", "村集体", "collective", "集体股", 65_000, 563_775),
             (2, 2, "CY0002", "王大山", "cadre", "干部股、村民股", 5_000, 43_367),
             (3, 3, "CY0003", "李小梅", "villager", "村民股", 20_000, 173_469),
             (4, 4, "CY0004", "赵长林", "villager", "村民股", 8_000, 69_389)]
    for lid, member_id, no, name, kind, share_class, count, amount in lines:
        insert("dividend_lines", id=lid, plan_id=1, member_id=member_id, member_no=no, name=name,
               kind=kind, share_class=share_class, shares=count, weight=count, land_mu_hundredths=0,
               transactions_fen=0, guaranteed_fen=0, patronage_fen=0, capital_fen=amount,
               total_fen=amount, paid_on=date(2025, 3, 28), payment_method="card")
    for aid, at, status in ((1, datetime(2025, 3, 15, 3, 0), "approved"),
                            (2, datetime(2025, 3, 16, 1, 30), "published"),
                            (3, datetime(2025, 3, 28, 2, 0), "paid")):
        insert("audit_entries", id=aid, cooperative_id=1, user_id=1, at=at, action="update",
               record_type="dividend_plans", record_id="1", before=None, after=f'{{"status": "{status}"}}')


def _totals(conn) -> dict[str, list[tuple]]:
    return {name: [tuple(row) for row in conn.execute(text(sql))] for name, sql in TOTALS.items()}


def _restart_sequences(conn) -> None:
    """Rows written with explicit ids leave PostgreSQL's sequences behind: the
    release's own inserts never did, so move them on as its app would have."""
    if conn.dialect.name != "postgresql":
        return
    for table in ("cooperatives", "users", "members", "share_entries", "machines", "service_orders",
                  "service_payments", "expenses", "year_closes", "dividend_plans", "dividend_lines",
                  "audit_entries"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"(SELECT MAX(id) FROM {table}))"))


def test_a_database_of_the_previous_release_upgrades_to_head_with_every_record(old_database, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": old_database,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "HUEY_IMMEDIATE": True, "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3")})
    with app.app_context():
        upgrade(revision=OLD_REVISION)
        with db.engine.begin() as conn:
            _write_previous_release_data(conn)
            _restart_sequences(conn)
        with db.engine.connect() as conn:
            before = _totals(conn)
        assert app.test_client().get("/healthz").status_code == 503  # behind: not served yet

        upgrade(revision="heads")

        with db.engine.connect() as conn:
            after = _totals(conn)
            assert set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars()) \
                == set(schema_heads())
            # what the later migrations derive from the old rows
            assert conn.execute(text("SELECT distributed_fen FROM year_closes")).scalar() == 1_000_000
            assert conn.execute(text("SELECT retained_fen FROM dividend_plans")).scalar() == 0
            published = conn.execute(text("SELECT published_at FROM dividend_plans")).scalar()
            assert str(published).startswith("2025-03-16 01:30:00")  # the audit entry's time
            assert conn.execute(text("SELECT legal_regime FROM cooperatives")).scalar() == "collective"
            assert conn.execute(text("SELECT COUNT(session_token) FROM users")).scalar() == 1
            # the lines paid before payments were batches: one batch of the day and method
            assert [(*r[:5], str(r[5]), r[6]) for r in conn.execute(text(
                "SELECT plan_id, number, kind, line_count, cash_fen, paid_on, method "
                "FROM dividend_payment_batches"))] == [
                (1, 1, "all", 4, 850_000, "2025-03-28", "card")]
            assert conn.execute(text(
                "SELECT COUNT(*), SUM(cash_fen), MIN(state) FROM dividend_payment_items "
                "JOIN dividend_lines ON dividend_lines.payment_batch_id = "
                "dividend_payment_items.batch_id AND dividend_lines.id = "
                "dividend_payment_items.line_id")).one() == (4, 850_000, "paid")
        assert after == before
        assert before["lines"] == [(4, 850_000, 850_000, 98_000, 4)]
        assert before["share entries"] == [(6, 98_000, 9_800_000)]

        from coop.shares.register import holdings_as_of

        held = {(h.member_id, h.share_class): h.shares for h in holdings_as_of(1, date(2025, 1, 1))}
        assert held == {(1, "collective"): 65_000, (2, "cadre"): 4_000, (2, "villager"): 1_000,
                        (3, "villager"): 20_000, (4, "villager"): 8_000}
        db.session.remove()

    app.test_client_class = CoopClient
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    resp = client.post("/login", data={"coop": "olds", "username": "laoshuji",
                                       "password": OLD_PASSWORD})
    assert resp.status_code == 302 and "/login" not in resp.headers["Location"]
    page = client.get("/dividends/").get_data(as_text=True)
    assert "2024" in page and "已发放" in page
    with app.app_context():
        db.engine.dispose()
