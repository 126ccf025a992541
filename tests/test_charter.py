import pytest
from sqlalchemy import select

from coop.cooperatives.models import Cooperative
from coop.cooperatives.rules import CHARTER_FIELDS
from coop.extensions import db

GOOD = {
    "name": "测试合作社", "credit_code": "93150203MA0LWJ3K0L", "village": "测试村",
    "town": "测试镇", "par_value_fen": "1.00", "distribution_mode": "joint_stock",
    "collective_target_bp": "65", "collective_min_bp": "60", "collective_max_bp": "70",
    "villager_target_bp": "31", "villager_min_bp": "26", "villager_max_bp": "36",
    "cadre_target_bp": "4", "cadre_min_bp": "2", "cadre_max_bp": "6",
    "member_cap_bp": "20", "reserve_rate_bp": "10", "welfare_rate_bp": "5",
    "risk_rate_bp": "5", "patronage_rate_bp": "60", "guaranteed_fen_per_mu": "0",
    "legal_regime": "collective", "notice_days": "10", "representative_term_years": "5",
    "extra_votes_basis": "",
}


@pytest.fixture
def admin(client, auth, staff):
    auth.login("admin")
    return client


def test_charter_page_shows_values(admin):
    html = admin.get("/charter").get_data(as_text=True)
    assert "合作社章程" in html and 'value="65.00"' in html


def test_save_good_charter(app, admin):
    resp = admin.post("/charter", data={**GOOD, "reserve_rate_bp": "12.5", "version": "1"})
    assert resp.status_code == 302
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        assert coop.reserve_rate_bp == 1250 and coop.version == 2


def test_htmx_save_reloads_the_whole_page_with_the_message_once(admin):
    resp = admin.post("/charter", data={**GOOD, "version": "1"}, headers={"HX-Request": "true"})
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/charter"
    html = admin.get("/charter").get_data(as_text=True)
    assert html.count("章程已保存") == 1


BAD = [
    ({"reserve_rate_bp": "120"}, "reserve_rate_bp", "公积金提取比例必须在 0% 到 100% 之间"),
    ({"welfare_rate_bp": "-1"}, "welfare_rate_bp", "公益金提取比例不能为负数"),
    ({"risk_rate_bp": "abc"}, "risk_rate_bp", "风险金提取比例不是有效的数字"),
    ({"reserve_rate_bp": "50", "welfare_rate_bp": "40", "risk_rate_bp": "20"}, "risk_rate_bp",
     "合计 110.00%，不能超过 100%"),
    ({"collective_target_bp": "75"}, "collective_target_bp", "不在允许区间 60.00%–70.00% 内"),
    ({"cadre_min_bp": "7"}, "cadre_max_bp", "干部股区间上限不能低于下限"),
    ({"collective_target_bp": "64"}, "cadre_target_bp", "三类股份目标比例之和必须等于 100%，现在是 99.00%"),
    ({"patronage_rate_bp": "59.99"}, "patronage_rate_bp",
     "按交易量返还比例不得低于 60%（农民专业合作社法第四十四条）"),
    ({"member_cap_bp": "0"}, "member_cap_bp", "单一成员持股上限必须大于 0%"),
    ({"par_value_fen": "0"}, "par_value_fen", "每股面值必须大于 0"),
    ({"par_value_fen": "1.005"}, "par_value_fen", "最多保留 2 位小数"),
    ({"credit_code": "93150203MA0LWJ3K01"}, "credit_code", "统一社会信用代码校验位不正确"),
    ({"name": ""}, "name", "请填写合作社名称"),
    ({"distribution_mode": "other"}, "distribution_mode", "不是有效的选择"),
    ({"guaranteed_fen_per_mu": "-5"}, "guaranteed_fen_per_mu", "每亩保底收益不能为负数"),
    ({"reserve_rate_bp": "10.123"}, "reserve_rate_bp", "最多保留 2 位小数"),
]


@pytest.mark.parametrize("change,field,message", BAD)
def test_bad_value_gets_its_message_and_nothing_saved(admin, fingerprint, change, field, message):
    before = fingerprint()
    resp = admin.post("/charter", data={**GOOD, **change, "version": "1"},
                      headers={"HX-Request": "true"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    # the message stands next to its field
    start = html.index(f'id="field-{field}"')
    assert message in html[start:html.index("</div>", start)], html[start:start + 800]
    assert fingerprint() == before


def test_inline_validation_returns_errors_without_saving(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/charter/validate", data={**GOOD, "reserve_rate_bp": "101", "version": "1"},
                      headers={"HX-Request": "true", "HX-Trigger-Name": "reserve_rate_bp"})
    assert resp.status_code == 422 and "必须在 0% 到 100% 之间" in resp.get_data(as_text=True)
    assert admin.post("/charter/validate", data={**GOOD, "version": "1"}).status_code == 200
    assert fingerprint() == before


def test_stale_version_refused_with_what_changed(app, admin, fingerprint):
    assert admin.post("/charter", data={**GOOD, "reserve_rate_bp": "12", "version": "1"}).status_code == 302
    before = fingerprint()
    # a second editor still holds version 1
    resp = admin.post("/charter", data={**GOOD, "welfare_rate_bp": "6", "version": "1"})
    assert resp.status_code == 409
    body = resp.get_data(as_text=True)
    assert "已被他人修改" in body and "公积金提取比例：10.00% → 12.00%" in body
    assert fingerprint() == before


def test_supervisor_sees_charter_read_only(client, auth, staff):
    auth.login("supervisor")
    html = client.get("/charter").get_data(as_text=True)
    assert "只有书记可以修改章程" in html and "<fieldset disabled" in html


# -- the par value is fixed once shares are issued ---------------------------------------

PAR_LOCKED = "已有股份登记，每股面值不能再修改"


def _coop(app, code: str = "t1") -> tuple[int, int]:
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == code))
        return coop.par_value_fen, coop.version


@pytest.fixture
def issued_admin(share_world, create_user, client, auth):
    """t1 with 1,000 shares issued at 1.00 yuan, and its secretary logged in."""
    create_user(share_world.code, "admin", role="admin")
    auth.login("admin")
    return client


def _par_block(html: str) -> str:
    start = html.index('id="field-par_value_fen"')
    return html[start:html.index("</div>", start)]


def test_service_refuses_a_new_par_value_once_shares_exist(share_world, app, fingerprint):
    from coop.cooperatives.services import update_charter
    from coop.errors import ValidationFailed

    before = fingerprint()
    with app.app_context():
        coop = share_world.coop()
        values = {**{f: getattr(coop, f) for f in CHARTER_FIELDS}, "par_value_fen": 200}
        with pytest.raises(ValidationFailed) as exc:
            update_charter(coop, values, coop.version)
        db.session.rollback()
    assert exc.value.errors == {"par_value_fen": PAR_LOCKED}
    assert fingerprint() == before


def test_charter_form_shows_the_par_value_read_only_with_the_reason(issued_admin):
    block = _par_block(issued_admin.get("/charter").get_data(as_text=True))
    assert "disabled" in block and 'value="1.00"' in block and PAR_LOCKED in block


def test_posting_a_changed_par_value_gets_422_and_changes_nothing(issued_admin, app,
                                                                   fingerprint):
    before = fingerprint()
    for url in ("/charter", "/charter/validate"):
        resp = issued_admin.post(url, data={**GOOD, "par_value_fen": "2.00", "version": "1"},
                                 headers={"HX-Request": "true"})
        assert resp.status_code == 422
        assert PAR_LOCKED in _par_block(resp.get_data(as_text=True))
    assert fingerprint() == before


def test_the_rest_of_the_charter_still_saves_without_the_disabled_par_value(issued_admin, app):
    data = {k: v for k, v in {**GOOD, "reserve_rate_bp": "12", "version": "1"}.items()
            if k != "par_value_fen"}  # a disabled input is not posted
    resp = issued_admin.post("/charter", data=data)
    assert resp.status_code == 302
    assert _coop(app) == (100, 2)


def test_par_value_changes_freely_while_the_register_is_empty(admin, app):
    assert "disabled" not in _par_block(admin.get("/charter").get_data(as_text=True))
    resp = admin.post("/charter", data={**GOOD, "par_value_fen": "2.00", "version": "1"})
    assert resp.status_code == 302
    assert _coop(app) == (200, 2)


# -- the charter's governance (issue 13) ----------------------------------------------

FSC_GOOD = {**GOOD, "legal_regime": "specialized", "distribution_mode": "specialized"}


def test_governance_fields_are_saved_shown_and_audited(app, admin):
    from coop.audit.models import AuditEntry

    resp = admin.post("/charter", data={
        **GOOD, "version": "1", "notice_days": "15", "representative_assembly": "y",
        "representative_term_years": "5", "majority_distribution": "3/4", "majority_other": "4/5"})
    assert resp.status_code == 302
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        assert (coop.legal_regime, coop.notice_days, coop.representative_assembly) == ("collective", 15, True)
        assert coop.majority("distribution") == (3, 4) and coop.majority("other") == (4, 5)
        assert coop.majority("charter") is None and not coop.extra_votes_allowed
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "cooperatives", AuditEntry.action == "update")).one()
        assert entry.before["notice_days"] == 10 and entry.after["notice_days"] == 15
        assert entry.after["majority_distribution_num"] == 3 and entry.after["majority_distribution_den"] == 4
        assert entry.after["representative_assembly"] is True
    html = admin.get("/charter").get_data(as_text=True)
    assert "法律类型与议事规则" in html and 'value="3/4"' in html and 'value="15"' in html
    assert "收益分配方案表决比例" in html
    assert "附加表决权总票数上限" not in html      # a collective's page: one person one vote


def test_a_specialized_cooperative_sets_its_extra_votes(app, admin):
    # the rule now says how the extra votes are computed: a step, a threshold, a most per member
    resp = admin.post("/charter", data={**FSC_GOOD, "version": "1", "majority_other": "3/5",
                                        "extra_votes_allowed": "y", "extra_votes_cap_bp": "15",
                                        "extra_votes_basis": "transactions",
                                        "extra_votes_transactions_step_fen": "5000",
                                        "extra_votes_transactions_threshold_fen": "20000",
                                        "extra_votes_capital_step_fen": "100", "extra_votes_member_max": "3"})
    assert resp.status_code == 302
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        assert (coop.legal_regime, coop.extra_votes_allowed, coop.extra_votes_cap_bp,
                coop.extra_votes_basis) == ("specialized", True, 1500, "transactions")
        assert (coop.extra_votes_transactions_step_fen, coop.extra_votes_transactions_threshold_fen,
                coop.extra_votes_member_max) == (500_000, 2_000_000, 3)
        assert coop.extra_votes_capital_step_fen is None       # not the basis chosen: not kept
        assert coop.majority("other") == (3, 5)


GOVERNANCE_BAD = [
    ({"majority_distribution": "1/2"}, "majority_distribution", "《农村集体经济组织法》第二十七条"),
    ({"majority_charter": "3/5"}, "majority_charter", "不能规定 3/5"),
    ({"majority_other": "5/4"}, "majority_other", "应写成分数"),
    ({"majority_other": "abc"}, "majority_other", "应写成分数，如 3/4"),
    ({"majority_other": "0/3"}, "majority_other", "应写成分数"),
    ({"notice_days": "9"}, "notice_days", "《农村集体经济组织法》第二十七条"),
    ({"notice_days": ""}, "notice_days", "请填写会议通知提前的天数"),
    ({"notice_days": "-3"}, "notice_days", "应为整数"),
    ({"representative_assembly": "y", "representative_term_years": "3"}, "representative_term_years",
     "《农村集体经济组织法》第二十八条"),
    ({"representative_term_years": "40"}, "representative_term_years", "1 到 10 年"),
    ({"extra_votes_allowed": "y", "extra_votes_cap_bp": "10", "extra_votes_basis": "capital"},
     "extra_votes_allowed", "一人一票"),
    ({"legal_regime": "other"}, "legal_regime", "请从列表中选择法律类型"),
    ({"legal_regime": "specialized"}, "distribution_mode", "《农民专业合作社法》第四十四条"),
    ({"distribution_mode": "specialized"}, "distribution_mode", "《农村集体经济组织法》第四十二条"),
    ({**FSC_GOOD, "majority_other": "1/2"}, "majority_other", "《农民专业合作社法》第三十条"),
    # art 44: 70 % of the 90 % the reserve leaves is returned by transactions: the
    # welfare and risk funds may take at most 27 % of the surplus
    ({**FSC_GOOD, "reserve_rate_bp": "10", "welfare_rate_bp": "20", "risk_rate_bp": "10",
      "patronage_rate_bp": "70"}, "welfare_rate_bp",
     "《农民专业合作社法》第四十四条：提取公积金 10.00% 后的可分配盈余至少 70.00% 按交易量返还，"
     "公益金、风险金合计最多只能提取盈余的 27.00%，现为 30.00%"),
    ({**FSC_GOOD, "majority_merger": "3/5"}, "majority_merger", "《农民专业合作社法》第三十条"),
    ({**FSC_GOOD, "extra_votes_allowed": "y", "extra_votes_cap_bp": "25", "extra_votes_basis": "capital"},
     "extra_votes_cap_bp", "《农民专业合作社法》第二十二条"),
    ({**FSC_GOOD, "extra_votes_allowed": "y", "extra_votes_cap_bp": "10"},
     "extra_votes_basis", "第二十二条"),
    ({**FSC_GOOD, "extra_votes_allowed": "y", "extra_votes_cap_bp": "10", "extra_votes_basis": "both",
      "extra_votes_capital_step_fen": "1000", "extra_votes_member_max": "2"},
     "extra_votes_transactions_step_fen", "每多少元交易额增加一票"),
    ({**FSC_GOOD, "extra_votes_allowed": "y", "extra_votes_cap_bp": "10", "extra_votes_basis": "capital",
      "extra_votes_capital_step_fen": "1000"},
     "extra_votes_member_max", "每名成员最多享有的附加表决权票数"),
    ({**FSC_GOOD, "extra_votes_allowed": "y", "extra_votes_cap_bp": "10", "extra_votes_basis": "capital",
      "extra_votes_capital_step_fen": "1000", "extra_votes_capital_threshold_fen": "-5",
      "extra_votes_member_max": "2"},
     "extra_votes_capital_threshold_fen", "不能为负数"),
]


@pytest.mark.parametrize("change,field,message", GOVERNANCE_BAD)
def test_bad_governance_value_refused_next_to_its_field(admin, fingerprint, change, field, message):
    before = fingerprint()
    resp = admin.post("/charter", data={**GOOD, **change, "version": "1"}, headers={"HX-Request": "true"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    start = html.index(f'id="field-{field}"')
    assert message in html[start:html.index("</div>", start)], html[start:start + 800]
    assert fingerprint() == before


def test_governance_rules_are_pure_and_cite_the_law():
    from coop.cooperatives.rules import governance_errors, legal_majority
    from coop.cooperatives.constants import LegalRegime, ResolutionKind

    assert legal_majority(LegalRegime.SPECIALIZED, ResolutionKind.OTHER) == (1, 2, True)
    assert legal_majority(LegalRegime.SPECIALIZED, ResolutionKind.CHARTER) == (2, 3, False)
    base = {"legal_regime": "collective", "distribution_mode": "joint_stock", "notice_days": 10,
            "representative_term_years": 5}
    assert governance_errors({**base, "majority_other_num": 2, "majority_other_den": 3}) == {}
    assert "第二十七条" in governance_errors({**base, "majority_other_num": 13, "majority_other_den": 20})[
        "majority_other"]
    fsc = {**base, "legal_regime": "specialized", "distribution_mode": "specialized"}
    assert "第三十条" in governance_errors({**fsc, "majority_other_num": 1, "majority_other_den": 2})["majority_other"]
    assert governance_errors({**fsc, "majority_other_num": 51, "majority_other_den": 100}) == {}
    assert governance_errors({**fsc, "notice_days": 3}) == {}


def test_migration_gives_existing_cooperatives_the_regime_of_their_distribution_mode(tmp_path):
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from coop import create_app

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="0016")
    engine = create_engine(url)
    with engine.begin() as conn:
        for code, mode in (("a", "joint_stock"), ("b", "specialized")):
            conn.execute(text(
                "INSERT INTO cooperatives (code, name, credit_code, village, town, par_value_fen, "
                "distribution_mode, collective_target_bp, collective_min_bp, collective_max_bp, "
                "villager_target_bp, villager_min_bp, villager_max_bp, cadre_target_bp, cadre_min_bp, "
                "cadre_max_bp, member_cap_bp, reserve_rate_bp, welfare_rate_bp, risk_rate_bp, "
                "patronage_rate_bp, guaranteed_fen_per_mu, created_at, version) VALUES (:c, 'x', '', '', '', "
                "100, :m, 6500, 6000, 7000, 3100, 2600, 3600, 400, 0, 600, 2000, 1000, 500, 500, 6000, 0, "
                "'2026-01-01 00:00:00', 1)"), {"c": code, "m": mode})
    with app.app_context():
        upgrade(revision="0017")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT code, legal_regime FROM cooperatives")).all())
        assert rows == {"a": "collective", "b": "specialized"}
        assert conn.execute(text("SELECT notice_days, representative_assembly, extra_votes_allowed, "
                                 "majority_other_num FROM cooperatives WHERE code = 'a'")).one() == (10, 0, 0, None)


def test_a_credit_code_another_cooperative_has_is_refused(app, admin, create_coop, fingerprint):
    """One organization, one credit code: a second cooperative given t1's,
    or t1's charter given the second's, is a typing mistake, refused by name."""
    from coop.errors import ValidationFailed
    from tests.conftest import credit_code_for

    with pytest.raises(ValidationFailed) as exc:
        create_coop("t9", credit_code=credit_code_for(1))
    assert exc.value.errors["credit_code"].startswith(
        f"统一社会信用代码 {credit_code_for(1)} 已是本系统中“测试合作社")
    other = create_coop("t8")
    with app.app_context():
        taken = db.session.scalar(select(Cooperative.credit_code).where(Cooperative.code == other))
    before = fingerprint()
    resp = admin.post("/charter", data={**GOOD, "credit_code": taken, "version": "1"},
                      headers={"HX-Request": "true"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    start = html.index('id="field-credit_code"')
    assert "一个组织只有一个统一社会信用代码（GB 32100—2015）" in html[start:html.index("</div>", start)]
    assert fingerprint() == before
    # its own code saves as before
    assert admin.post("/charter", data={**GOOD, "version": "1"}).status_code == 302
