"""Share pages: previews write nothing, refusals come back as 422 next to the field,
saves land in the register, and another cooperative's records are 404."""
from datetime import date

import pytest
from sqlalchemy import func, select

from coop.extensions import db
from coop.shares import movements, register
from coop.shares.models import ShareEntry
from tests.conftest import PASSWORD, credit_code_for
from tests.a11y_pages import alerts_on_load
from tests.query_plans import statements_run

HX = {"HX-Request": "true"}
D = "2024-06-01"


@pytest.fixture
def admin(share_world, create_user, client, auth):
    create_user(share_world.code, "admin", role="admin")
    create_user(share_world.code, "kuaiji", role="accountant")
    auth.login("admin")
    return client


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ShareEntry.id)))


def _field_block(html: str, field: str) -> str:
    start = html.index(f'id="field-{field}"')
    return html[start:html.index("</div>", start)]


LAND = {"member_no": "V003", "share_class": "villager", "contribution_kind": "land",
        "effective_on": D, "land_mu": "12.5", "price_per_mu_fen": "800"}


def test_structure_page_shows_ratios_chart_and_table(admin):
    html = admin.get("/shares/").get_data(as_text=True)
    assert "<svg" in html and "sh-structure-chart" in html
    for text in ("65.00%", "31.00%", "4.00%", "1,000", "区间内"):
        assert text in html
    assert "超出章程允许区间" not in html


def test_structure_as_of_an_earlier_date(admin):
    html = admin.get("/shares/?on=2023-12-31").get_data(as_text=True)
    assert "截至这一天还没有任何股权登记" in html


def test_contribution_preview_shows_shares_and_ratios_and_writes_nothing(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/shares/contribute/preview", data=LAND, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert "土地 12.50 亩 × 800.00 元/亩 = 10,000.00 元" in html
    assert "折合村民股 10,000 股" in html
    # villager 310 + 10,000 of 11,000 shares: far out of its band -> needs a resolution
    assert "登记后村民股占比将为 93.73%" in html
    assert fingerprint() == before


def test_contribution_preview_lists_blocking_messages(admin):
    resp = admin.post("/shares/contribute/preview",
                      data={**LAND, "member_no": "C000"}, headers=HX)
    assert "村集体只能持有集体股，不能持有村民股" in resp.get_data(as_text=True)


def test_save_land_contribution_then_dashboard_changes(admin, app):
    data = {**LAND, "land_mu": "0.5", "price_per_mu_fen": "100"}  # 50 shares
    resp = admin.post("/shares/contribute", data=data, headers=HX)
    assert resp.status_code == 204 and "/shares/entries/" in resp.headers["HX-Redirect"]
    with app.app_context():
        e = db.session.scalar(select(ShareEntry).order_by(ShareEntry.id.desc()))
        assert (e.shares, e.land_mu, e.contribution_kind, e.recorded_by.username) == (
            50, 50, "land", "admin")
    html = admin.get(resp.headers["HX-Redirect"]).get_data(as_text=True)
    assert "已登记：入股" in html and "0.50 亩 × 100.00 元/亩" in html
    html = admin.get("/shares/").get_data(as_text=True)
    assert "34.29%" in html  # villager 360 of 1,050


def test_save_without_js_redirects(admin):
    data = {**LAND, "land_mu": "0.5", "price_per_mu_fen": "100"}
    resp = admin.post("/shares/contribute", data=data)
    assert resp.status_code == 302 and "/shares/entries/" in resp.headers["Location"]


REFUSALS = [
    ({"contribution_kind": "cash", "amount_fen": "10.50"}, "amount_fen",
     "最接近的有效值是 10.00 元（10 股）或 11.00 元（11 股）"),
    ({"member_no": "NOPE"}, "member_no", "本合作社没有成员编号为 NOPE 的成员"),
    ({"share_class": "cadre"}, "share_class", "干部股只能由干部持有，该成员是村民"),
    ({"effective_on": "2024-13-01"}, "effective_on", "生效日期格式不正确"),
    ({"effective_on": "2999-01-01"}, "effective_on", "登记日期不能晚于今天"),
    ({"land_mu": "1.234"}, "land_mu", "土地亩数最多保留 2 位小数"),
    ({"land_mu": ""}, "land_mu", "请填写大于 0 的土地亩数"),
]


@pytest.mark.parametrize("change,field,message", REFUSALS)
def test_refusal_is_shown_next_to_its_field_and_nothing_saved(admin, fingerprint, change, field,
                                                              message):
    before = fingerprint()
    resp = admin.post("/shares/contribute", data={**LAND, **change}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in _field_block(html, field)
    assert "没有保存任何内容" in html
    assert fingerprint() == before


def test_band_refusal_asks_for_a_resolution_then_saves_with_it(admin, share_world, fingerprint, app):
    before = fingerprint()
    resp = admin.post("/shares/contribute", data=LAND, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "登记后村民股占比将为 93.73%（10,310 / 11,000 股），超出章程允许区间 26.00%–36.00%" in html
    assert "突破章程规定时须选择成员（代表）大会同意的决议" in _field_block(html, "resolution_no")
    assert "（无已通过的决议，请先" in html and 'href="/meetings/"' in html
    assert fingerprint() == before
    resp = admin.post("/shares/contribute", data={**LAND, "resolution_no": "成员大会决议〔2024〕1号"},
                      headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "“成员大会决议〔2024〕1号”不是本社已通过决议的编号" in _field_block(html, "resolution_no")
    assert fingerprint() == before
    share_world.resolution("2023-001")
    html = admin.get("/shares/contribute").get_data(as_text=True)
    assert '<option value="2023-001">2023-001 股权事项（2023-001）（2023-12-20 成员大会）</option>' in html
    assert "无已通过的决议" not in html
    preview = admin.post("/shares/contribute/preview", data={**LAND, "resolution_no": "2023-001"},
                         headers=HX).get_data(as_text=True)
    assert "已选择决议“2023-001”，将按决议登记" in preview
    resp = admin.post("/shares/contribute", data={**LAND, "resolution_no": "2023-001"}, headers=HX)
    assert resp.status_code == 204
    html = admin.get("/shares/").get_data(as_text=True)
    assert "超出章程允许区间" in html and "超出区间" in html  # the dashboard warns
    assert alerts_on_load(html) == 0


def test_transfer_and_register_filters(admin, app):
    resp = admin.post("/shares/transfer", data={
        "from_member_no": "V001", "to_member_no": "V004", "share_class": "villager",
        "shares": "100", "effective_on": D}, headers=HX)
    assert resp.status_code == 204
    html = admin.get("/shares/register?member_no=V004").get_data(as_text=True)
    assert "共 1 条登记" in html and "转让转入" in html and "来自 村民1" in html
    html = admin.get("/shares/register?entry_kind=transfer_out", headers=HX).get_data(as_text=True)
    assert "<html" not in html and "共 1 条登记" in html
    html = admin.get("/shares/register?share_class=cadre").get_data(as_text=True)
    assert "共 1 条登记" in html
    html = admin.get("/shares/register?date_from=2024-02-01&date_to=2024-12-31").get_data(
        as_text=True)
    assert "共 2 条登记" in html
    resp = admin.get("/shares/register?date_from=2024-12-31&date_to=2024-01-01")
    assert resp.status_code == 422 and "结束日期不能早于开始日期" in resp.get_data(as_text=True)


def test_transfer_to_a_member_of_another_cooperative_is_refused(admin, create_coop, app,
                                                                fingerprint):
    from coop.cooperatives.services import get_by_code
    from coop.members.models import Member

    code = create_coop("t2")
    with app.app_context():
        db.session.add(Member(cooperative_id=get_by_code(code).id, member_no="X9", name="外社",
                              kind="villager"))
        db.session.commit()
    before = fingerprint()
    resp = admin.post("/shares/transfer", data={
        "from_member_no": "V001", "to_member_no": "X9", "share_class": "villager",
        "shares": "10", "effective_on": D}, headers=HX)
    assert resp.status_code == 422
    assert "本合作社没有成员编号为 X9 的成员" in _field_block(resp.get_data(as_text=True),
                                                             "to_member_no")
    assert fingerprint() == before


def test_redemption_more_than_held_is_refused(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/shares/redeem", data={"member_no": "V002", "share_class": "villager",
                                              "shares": "161", "effective_on": D}, headers=HX)
    assert resp.status_code == 422
    assert "持有村民股 160 股，不足 161 股；持股不能小于零" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_inheritance_with_a_new_heir_through_the_form(admin, share_world, app):
    from coop.members.models import Member

    with app.app_context():
        m = db.session.get(Member, share_world.ids["V002"])
        m.status, m.status_changed_on = "deceased", date(2024, 5, 1)
        db.session.commit()
    data = {"deceased_no": "V002", "effective_on": D, "heir_member_no": "V200",
            "heir_name": "继承人甲", "heir_kind": "villager", "heir_id_number": "150203199001011232"}
    html = admin.post("/shares/inherit/preview", data=data, headers=HX).get_data(as_text=True)
    assert "继承人甲（新成员 V200）继承已故成员村民2（V002）的村民股 160 股" in html
    resp = admin.post("/shares/inherit", data=data, headers=HX)
    assert resp.status_code == 204, resp.get_data(as_text=True)
    with app.app_context():
        heir = db.session.scalar(select(Member).where(Member.member_no == "V200"))
        assert register.member_total_shares(heir.id) == 160


def test_inheritance_needs_an_heir(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/shares/inherit", data={"deceased_no": "V002", "effective_on": D},
                      headers=HX)
    assert resp.status_code == 422
    assert "请填写继承人的成员编号" in _field_block(resp.get_data(as_text=True), "heir_no")
    assert fingerprint() == before


def test_entry_page_and_reversal(admin, share_world, app):
    entry_id = share_world.contribute("V003", "villager", 30, on=date(2024, 6, 1))
    html = admin.get(f"/shares/entries/{entry_id}").get_data(as_text=True)
    assert "冲销这笔变动" in html and "村民3" in html
    html = admin.post(f"/shares/entries/{entry_id}/reverse/preview",
                      data={"effective_on": D}, headers=HX).get_data(as_text=True)
    assert "冲销第" in html and "31.00%" in html
    resp = admin.post(f"/shares/entries/{entry_id}/reverse",
                      data={"effective_on": D, "note": "录入错误"}, headers=HX)
    assert resp.status_code == 204
    assert share_world.holdings("V003")["villager"] == 0
    html = admin.get(f"/shares/entries/{entry_id}").get_data(as_text=True)
    assert "已被冲销" in html and "冲销这笔变动" not in html
    resp = admin.post(f"/shares/entries/{entry_id}/reverse", data={"effective_on": D},
                      headers=HX)
    assert resp.status_code == 422 and "已经冲销过，不能重复冲销" in resp.get_data(as_text=True)


def test_reversal_cites_only_a_recorded_resolution(admin, share_world, fingerprint):
    entry_id = share_world.contribute("V003", "villager", 30, on=date(2024, 6, 1))
    html = admin.get(f"/shares/entries/{entry_id}").get_data(as_text=True)
    assert "（无已通过的决议，请先" in html
    before = fingerprint()
    resp = admin.post(f"/shares/entries/{entry_id}/reverse",
                      data={"effective_on": D, "resolution_no": "冲销决议1号"}, headers=HX)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "“冲销决议1号”不是本社已通过决议的编号" in _field_block(html, "resolution_no")
    assert fingerprint() == before
    share_world.resolution("2023-003")
    html = admin.get(f"/shares/entries/{entry_id}").get_data(as_text=True)
    assert '<option value="2023-003">' in html and "无已通过的决议" not in html
    resp = admin.post(f"/shares/entries/{entry_id}/reverse",
                      data={"effective_on": D, "resolution_no": "2023-003"}, headers=HX)
    assert resp.status_code == 204
    assert share_world.holdings("V003")["villager"] == 0


def test_holdings_page_and_csv(admin):
    html = admin.get("/shares/holdings").get_data(as_text=True)
    assert "4 名成员持股" in html and "650" in html
    resp = admin.get("/shares/holdings.csv?on=2024-06-01")
    text = resp.get_data(as_text=True)
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert text.lstrip("\ufeff").splitlines()[0] == "member_no,name,kind,class,shares,value_fen"
    assert "V001,村民1,villager,villager,150,15000" in text


def test_member_page_shows_holdings_and_history(admin, share_world):
    html = admin.get(f"/shares/members/{share_world.ids['V001']}").get_data(as_text=True)
    assert "持股情况" in html and "150" in html and "股权登记记录" in html and "入股" in html


def test_a_members_history_joins_only_the_counterparty_and_the_recorder(admin, share_world, app):
    """The member page reads the member's register history in one statement
    that joins a transfer's counterparty and the recorder, not the member
    again nor the recorder's cooperative (PostgreSQL spent twice the
    execution planning those joins, issue 19); both names are on the page."""
    resp = admin.post("/shares/transfer", data={
        "from_member_no": "V001", "to_member_no": "V002", "share_class": "villager",
        "shares": "30", "effective_on": D}, headers=HX)
    assert resp.status_code == 204
    with statements_run(app, lambda s: "FROM share_entries" in s
                        and "ORDER BY share_entries.effective_on, share_entries.id" in s) as seen:
        html = admin.get(f"/shares/members/{share_world.ids['V002']}").get_data(as_text=True)
    assert len(seen) == 1, seen
    assert seen[0].count("JOIN members") == 1 and "cooperatives" not in seen[0], seen[0]
    assert "来自 村民1" in html and ">admin</td>" in html


def test_members_detail_page_includes_the_share_panel(admin, share_world, app):
    if "members.detail" not in app.view_functions:
        pytest.skip("members pages not there yet")
    html = admin.get(f"/members/{share_world.ids['V001']}").get_data(as_text=True)
    assert 'id="member-shares"' in html and "股权登记记录" in html


def test_certificate_content(admin, share_world, app):
    from coop.members.models import Member

    with app.app_context():
        m = db.session.get(Member, share_world.ids["V001"])
        m.id_number = "150203199001011232"
        db.session.commit()
    html = admin.get(f"/shares/certificates/{share_world.ids['V001']}?on=2024-06-01").get_data(
        as_text=True)
    assert html.count('class="sh-certificate"') == 1
    for text in ("股 权 证", "测试合作社", credit_code_for(1), "证号 T1-V001", "村民1",
                 "1502**********1232", "村民股", "150", "150.00", "理事长（签字）", "会计（签字）",
                 "（合作社盖章）", "发证日期：2024 年 6 月 1 日", "data-print"):
        assert text in html, text
    assert "150203199001011232" not in html


def test_batch_certificates_one_per_holder(admin):
    html = admin.get("/shares/certificates?on=2024-06-01").get_data(as_text=True)
    assert html.count('class="sh-certificate"') == 4 and "批量打印股权证" in html


def test_other_cooperatives_records_are_404(admin, create_coop, app):
    from tests.conftest_shares import ShareWorld

    other = ShareWorld(app, create_coop("t2"))
    member_id = other.member("X1", "外社", kind="collective")
    other.member("X2")
    entry_id = other.run(movements.record_contribution, member_id=member_id,
                         share_class="collective", contribution_kind="cash",
                         effective_on=date(2024, 1, 1), amount_fen=100,
                         resolution_no=other.resolution("2023-001"))
    for url in (f"/shares/entries/{entry_id}", f"/shares/members/{member_id}",
                f"/shares/certificates/{member_id}"):
        assert admin.get(url).status_code == 404, url
    assert admin.post(f"/shares/entries/{entry_id}/reverse",
                      data={"effective_on": D}).status_code == 404


def test_accountant_reads_but_cannot_record(share_world, create_user, client, auth):
    create_user(share_world.code, "kuaiji", role="accountant")
    auth.login("kuaiji")
    assert client.get("/shares/").status_code == 200
    html = client.get("/shares/register").get_data(as_text=True)
    assert "登记入股" not in html
    assert client.post("/shares/contribute", data=LAND).status_code == 403


def test_a_deceased_members_shares_are_inherited_from_the_page_the_flash_names(admin, share_world, specialized):
    specialized(share_world.code)
    member_id = share_world.ids["V002"]
    resp = admin.post(f"/members/{member_id}/status",
                      data={"status": "deceased", "on_date": D, "version": "1"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    page = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "其名下 160 股需要办理继承：点本页“持股情况”中的“办理继承”" in page
    assert 'id="member-shares"' in page and ">办理继承</a>" in page
    assert '<a href="#member-shares">持股情况</a>中办理' in page
