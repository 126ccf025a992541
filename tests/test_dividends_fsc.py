"""A specialized cooperative's plan by the book through the services (农民专业
合作社法 arts 42-44, issue 14), on ``div_world`` (tests/conftest_dividends.py)
made specialized: surplus 10,000.00 yuan, funds 10 % + 5 % + 5 %, D = 8,000.00,
P = 60 % of the 9,000.00 left after the reserve (art 44) = 5,400.00 by
transactions V001 3,000.00 : V002 1,000.00, the rest 2,600.00 by the member
accounts. Capital at par 1.00 yuan: C000 650.00,
V001 150.00, V002 160.00, G001 40.00; six members on the record date (C000,
G001, V001-V004)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.accounts.api import AccountEntry, balances_before
from coop.dividends import compute, reading, workflow
from coop.dividends.models import DividendLine, DividendPlan
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.shares.api import ShareEntry, SurplusConversion, record_surplus_conversions
from tests.conftest_dividends import YEAR

RESOLUTION = "社决〔2025〕1号"


@pytest.fixture
def fsc(div_world):
    div_world.charter(distribution_mode="specialized", legal_regime="specialized",
                      patronage_rate_bp=6000)
    return div_world


def _plan(w, **charter):
    if charter:
        w.charter(**charter)
    w.close()
    return w.call(compute.compute_plan, YEAR)


def _lines(w, plan_id, *columns):
    return {no: tuple(line[c] for c in columns) for no, line in w.plan(plan_id)["lines"].items()}


def test_losses_are_covered_first(fsc):
    # 2023 closes with a loss of 3,000.00 yuan, carried into 2024: S = 7,000.00;
    # reserve 700.00, welfare and risk 350.00 each, D = 5,600.00, P = 60 % of
    # 6,300.00 = 3,780.00. Reserve 70,000 by transactions 3:1 -> V001 52,500,
    # V002 17,500. The rest 182,000 by C000 65,000, V001 15,000 + 52,500,
    # V002 16,000 + 17,500, G001 4,000 (W = 170,000): 69,588.24, 72,264.71,
    # 35,864.71, 4,282.35 -> the 2 fen left over to V001 and V002 (largest remainders).
    w = fsc
    w.ledger("create_expense", date(YEAR - 1, 6, 1), "repair", 300_000)
    w.close(YEAR - 1)
    plan_id = _plan(w)
    plan = w.plan(plan_id)
    assert (plan["carried_loss_fen"], plan["surplus_fen"], plan["reserve_fen"]) == (
        300_000, 700_000, 70_000)
    assert (plan["distributable_fen"], plan["patronage_pool_fen"], plan["capital_pool_fen"]) == (
        560_000, 378_000, 182_000)
    assert _lines(w, plan_id, "patronage_fen", "capital_fen", "reserve_share_fen") == {
        "C000": (0, 69_588, 0), "V001": (283_500, 72_265, 52_500),
        "V002": (94_500, 35_865, 17_500), "G001": (0, 4_282, 0)}
    with w.app.app_context():
        steps = reading.waterfall(db.session.get(DividendPlan, plan_id))
    assert [(s.label, s.amount_fen) for s in steps[:2]] == [("弥补亏损前的盈余", 1_000_000),
                                                           ("弥补亏损", 300_000)]
    assert sum(s.amount_fen for s in steps[1:]) == steps[0].amount_fen
    assert "第四十四条" in steps[1].note and "按交易量" in steps[2].note


def test_reserve_by_transactions_with_the_years_grants_equally(fsc):
    # A government grant of 600.00 yuan in 2024 is quantified equally: 100.00 to
    # each of the six members (art 43); it is no surplus. The rest weights:
    #   C000 65,000 + 10,000 = 75,000; V001 15,000 + 75,000 + 10,000 = 100,000;
    #   V002 16,000 + 25,000 + 10,000 = 51,000; G001 4,000 + 10,000 = 14,000;
    #   V003, V004 10,000 each; W = 260,000 = the rest 260,000: each its weight.
    w = fsc
    w.income(date(YEAR, 7, 1), 600, kind="government_grant")
    plan_id = _plan(w)
    plan = w.plan(plan_id)
    assert (plan["surplus_fen"], plan["year_grants_fen"], plan["member_count"]) == (
        1_000_000, 60_000, 6)
    assert plan["rest_weight_fen"] == 260_000
    assert _lines(w, plan_id, "capital_fen", "grant_share_fen", "capital_basis_fen",
                  "reserve_total_fen", "grants_total_fen") == {
        "C000": (75_000, 10_000, 65_000, 0, 10_000),
        "G001": (14_000, 10_000, 4_000, 0, 10_000),
        "V001": (100_000, 10_000, 15_000, 75_000, 10_000),
        "V002": (51_000, 10_000, 16_000, 25_000, 10_000),
        "V003": (10_000, 10_000, 0, 0, 10_000),
        "V004": (10_000, 10_000, 0, 0, 10_000)}
    lines = w.plan(plan_id)["lines"]
    assert sum(line["total_fen"] for line in lines.values()) == 800_000


def test_reserve_by_capital(fsc):
    # Reserve 100,000 by capital 65 : 15 : 16 : 4; the rest weights are twice the
    # capital, so the rest 260,000 goes as the capital: 169,000, 39,000, 41,600, 10,400.
    w = fsc
    plan_id = _plan(w, reserve_basis="capital")
    assert _lines(w, plan_id, "reserve_share_fen", "capital_fen") == {
        "C000": (65_000, 169_000), "V001": (15_000, 39_000), "V002": (16_000, 41_600),
        "G001": (4_000, 10_400)}


def test_reserve_equally(fsc):
    # Reserve 100,000 among six members: 16,666.67 each, the 4 fen left to C000,
    # G001, V001, V002 (natural order). Rest weights C000 81,667, G001 20,667,
    # V001 31,667, V002 32,667, V003 and V004 16,666 (W = 200,000): the rest
    # 260,000 is x 1.3 -> 106,167.1, 26,867.1, 41,167.1, 42,467.1, 21,665.8, 21,665.8;
    # the 2 fen left go to V003 and V004.
    w = fsc
    plan_id = _plan(w, reserve_basis="equal")
    assert _lines(w, plan_id, "reserve_share_fen", "capital_fen") == {
        "C000": (16_667, 106_167), "G001": (16_667, 26_867), "V001": (16_667, 41_167),
        "V002": (16_667, 42_467), "V003": (16_666, 21_666), "V004": (16_666, 21_666)}


def test_patronage_above_sixty_percent(fsc):
    # 75 % of 900,000: P = 675,000 (V001 506,250, V002 168,750); the rest 125,000 by
    # 65,000 : 90,000 : 41,000 : 4,000 (W = 200,000) -> 40,625, 56,250, 25,625, 2,500.
    w = fsc
    plan_id = _plan(w, patronage_rate_bp=7500)
    assert w.plan(plan_id)["patronage_pool_fen"] == 675_000
    assert _lines(w, plan_id, "patronage_fen", "capital_fen") == {
        "C000": (0, 40_625), "V001": (506_250, 56_250), "V002": (168_750, 25_625),
        "G001": (0, 2_500)}


def _entries(w):
    with w.app.app_context():
        return [(e.member_id, e.kind, e.amount_fen, e.plan_id, e.reverses_id is not None)
                for e in db.session.scalars(select(AccountEntry).order_by(AccountEntry.id))]


def test_approval_quantifies_and_a_new_version_reverses(fsc):
    w = fsc
    w.income(date(YEAR, 7, 1), 600, kind="donation")
    old = _plan(w)
    assert _entries(w) == []  # a draft writes nothing to the accounts
    assert w.approve(old, resolution_no=RESOLUTION).passed
    entries = _entries(w)
    assert sorted((e[0], e[1], e[2]) for e in entries) == sorted(
        [(w.ids["V001"], "reserve", 75_000), (w.ids["V002"], "reserve", 25_000)]
        + [(w.ids[no], "grant", 10_000) for no in ("C000", "G001", "V001", "V002", "V003", "V004")])
    with w.app.app_context():
        through = balances_before(w.coop().id, YEAR + 1)
    assert through[w.ids["V001"]] == (75_000, 10_000)

    # A new version by capital: its draft changes no account ...
    w.charter(reserve_basis="capital")
    new = w.with_plan(old, workflow.new_version)
    assert _entries(w) == entries
    # ... its approval reverses the old entries and writes its own.
    assert w.approve(new, resolution_no="社决〔2025〕2号").passed
    after = _entries(w)
    reversals = [e for e in after[len(entries):] if e[4]]
    assert sorted((m, k, -a) for m, k, a, _, _ in reversals) == sorted(e[:3] for e in entries)
    with w.app.app_context():
        through = balances_before(w.coop().id, YEAR + 1)
    assert {no: through.get(w.ids[no]) for no in ("C000", "V001", "V003")} == {
        "C000": (65_000, 10_000), "V001": (15_000, 10_000), "V003": (0, 10_000)}


def test_conversion_to_capital_on_payment(fsc, set_clock):
    # 33 % of each total becomes capital in whole shares at 1.00 yuan:
    #   V001 522,000 x 33 % = 172,260 -> 1,722 shares (172,200), cash 349,800
    #   V002 188,300 x 33 % =  62,139 ->   621 shares  (62,100), cash 126,200
    #   C000  84,500 x 33 % =  27,885 ->   278 shares  (27,800), cash  56,700
    #   G001   5,200 x 33 % =   1,716 ->    17 shares   (1,700), cash   3,500
    w = fsc
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 12, 31), conversion_bp=3300)
    assert _lines(w, plan_id, "total_fen", "converted_shares", "converted_fen") == {
        "C000": (84_500, 278, 27_800), "V001": (522_000, 1722, 172_200),
        "V002": (188_300, 621, 62_100), "G001": (5_200, 17, 1_700)}
    plan = w.plan(plan_id)
    assert (plan["converted_fen"], plan["converted_shares"]) == (263_800, 2638)
    assert w.approve(plan_id, resolution_no=RESOLUTION).passed
    set_clock(date(YEAR + 1, 3, 2))
    w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2), notice_days=7)
    set_clock(date(YEAR + 1, 4, 1))

    with w.app.app_context():
        plan_ = db.session.get(DividendPlan, plan_id)
        v1 = next(l.id for l in reading.browse_lines(plan_, "V001").items)
    w.with_plan(plan_id, lambda plan: workflow.pay_line(
        plan, reading.get_line(plan, v1), paid_on=date(YEAR + 1, 3, 20), method="bank"))
    w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 25), method="cash")
    with w.app.app_context():
        entries = db.session.scalars(select(ShareEntry).where(
            ShareEntry.contribution_kind == "surplus").order_by(ShareEntry.id)).all()
        got = [(e.member.member_no, e.share_class, e.shares, e.value_fen, e.effective_on,
                e.resolution_no, e.entry_kind, e.contribution_label) for e in entries]
        line = reading.get_line(db.session.get(DividendPlan, plan_id), v1)
        assert (line.cash_fen, line.converted_fen) == (349_800, 172_200)
    assert got == [
        ("V001", "villager", 1722, 172_200, date(YEAR + 1, 3, 20), RESOLUTION, "subscribe", "盈余转增"),
        ("C000", "collective", 278, 27_800, date(YEAR + 1, 3, 25), RESOLUTION, "subscribe", "盈余转增"),
        ("G001", "cadre", 17, 1_700, date(YEAR + 1, 3, 25), RESOLUTION, "subscribe", "盈余转增"),
        ("V002", "villager", 621, 62_100, date(YEAR + 1, 3, 25), RESOLUTION, "subscribe", "盈余转增")]
    assert w.plan(plan_id)["status"] == "paid"
    with w.app.app_context():
        from coop.shares.structure import structure

        kinds = {k: v for k, _, v in structure(w.coop(), date(YEAR + 1, 3, 31)).contributions}
    assert kinds["surplus"] == 263_800  # the structure lists the surplus turned into capital


def test_conversion_in_a_closed_year_is_refused_and_nothing_written(fsc, set_clock, fingerprint):
    w = fsc
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 12, 31), conversion_bp=5000)
    w.approve(plan_id, resolution_no=RESOLUTION)
    set_clock(date(YEAR + 1, 3, 2))
    w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2), notice_days=7)
    set_clock(date(YEAR + 2, 2, 1))
    w.close(YEAR + 1)
    before = fingerprint()
    with pytest.raises(ServiceError, match="已结账"):
        w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 25), method="cash")
    assert fingerprint() == before
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 2, 1, 5), method="cash") == 4


def test_the_conversion_service_needs_a_recorded_resolution(fsc, fingerprint):
    w = fsc
    before = fingerprint()
    with w.app.app_context(), pytest.raises(ServiceError, match="第四十四条"):
        record_surplus_conversions(w.coop(), [SurplusConversion(w.ids["V001"], 10)],
                                   effective_on=date(YEAR + 1, 3, 1), resolution_no="没有的决议",
                                   year=YEAR)
    assert fingerprint() == before


def test_conversion_is_for_specialized_cooperatives_only(div_world, fingerprint):
    w = div_world
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 12, 31),
                    conversion_bp=5000)
    assert "第四十四条" in exc.value.errors["conversion_bp"]
    assert fingerprint() == before


def test_surplus_kind_cannot_be_recorded_by_hand(fsc):
    from coop.shares.rules import RuleError, value_contribution

    with pytest.raises(RuleError, match="盈余转增"):
        value_contribution("surplus", 100, amount_fen=10_000)


def test_the_plan_page_and_the_line_show_the_arithmetic(client, auth, fsc):
    w = fsc
    w.income(date(YEAR, 7, 1), 600, kind="government_grant")
    w.ledger("create_expense", date(YEAR - 1, 6, 1), "repair", 300_000)
    w.close(YEAR - 1)
    w.close()
    auth.login("admin")
    resp = client.post("/dividends/compute", data={"year": "2024", "weight_basis": "record_date"})
    plan_url = resp.headers["Location"]
    plan_id = int(plan_url.rstrip("/").split("/")[-1])
    resp = client.post(f"/dividends/{plan_id}/record-date",
                       data={"record_date": "2024-12-31", "conversion_bp": "50",
                             "version": str(w.plan(plan_id)["version"])})
    assert resp.status_code == 302
    html = client.get(plan_url).get_data(as_text=True)
    for text in ("弥补亏损前的盈余", "弥补亏损", "按交易量量化到成员账户",
                 "按出资额、公积金份额和补助量化返还", "平均量化给登记日 6 名成员",
                 "每位成员应分盈余的 50.00%", "转增股数", "返还依据合计"):
        assert text in html, text
    assert 'id="grants-twice"' not in html  # a grant received as income only
    with w.app.app_context():
        v1 = next(l.id for l in reading.browse_lines(
            db.session.get(DividendPlan, plan_id), "V001").items)
    line = client.get(f"/dividends/{plan_id}/lines/{v1}").get_data(as_text=True)
    for text in ("本年公积金量化", "本人交易额", "本年补助和捐赠量化", "返还依据",
                 "按出资额、公积金份额和补助量化返还", "盈余转为出资"):
        assert text in line, text
    resp = client.post(f"/dividends/{plan_id}/record-date",
                       data={"record_date": "2024-12-31", "conversion_bp": "120",
                             "version": str(w.plan(plan_id)["version"])},
                       headers={"HX-Request": "true"})
    assert resp.status_code == 422 and "0% 到 100%" in resp.get_data(as_text=True)


def test_the_member_reads_the_parts_of_his_line_and_his_statement(client, auth, fsc_demo):
    """hxnj (a specialized cooperative computed by the book): HX004's own 2024
    line on /me/ and his statement name the rest pool and its weight."""
    from coop.config import DEMO_PASSWORD

    assert auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo).status_code == 302
    with client.application.app_context():
        line_id = db.session.scalar(
            select(DividendLine.id).join(DividendPlan, DividendPlan.id == DividendLine.plan_id)
            .where(DividendLine.member_no == "HX004", DividendPlan.year == 2024,
                   DividendPlan.status == "paid"))
    page = client.get(f"/me/dividends/{line_id}").get_data(as_text=True)
    for text in ("按出资额、公积金份额和补助量化返还", "本人返还依据", "出资额 23,000.00 元 + 公积金份额",
                 "本年量化到我的成员账户", "10,470.43"):
        assert text in page, text
    statement = client.get("/me/statements/2024").get_data(as_text=True)
    assert "按出资额、公积金份额和补助量化返还" in statement and "每股分红" not in statement
    assert "按成员与本社的交易额返还，其余按登记日的出资额" in statement and "按登记日持股" not in statement


def test_the_charter_sets_how_the_reserve_is_quantified(client, auth, app, staff):
    from coop.cooperatives.models import Cooperative
    from tests.test_charter import GOOD

    auth.login("admin")
    page = client.get("/charter").get_data(as_text=True)
    assert "公积金量化方式" not in page  # t1 is a collective: the field is the FSC's
    fsc_charter = {**GOOD, "legal_regime": "specialized", "distribution_mode": "specialized",
                   "notice_days": "15"}
    resp = client.post("/charter", data={**fsc_charter, "reserve_basis": "shares", "version": "1"},
                       headers={"HX-Request": "true"})
    assert resp.status_code == 422 and "公积金量化方式" in resp.get_data(as_text=True)
    assert "按交易量（默认）" in resp.get_data(as_text=True)
    resp = client.post("/charter", data={**fsc_charter, "reserve_basis": "equal", "version": "1"})
    assert resp.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Cooperative.reserve_basis).where(
            Cooperative.code == "t1")) == "equal"


def test_a_grant_recorded_as_income_and_as_a_machines_source_is_pointed_out(client, auth, fsc):
    # 600.00 yuan of grant income and a machine of 600.00 yuan whose source is a
    # government grant: the plan quantifies 1,200.00 (both are grants the ledger
    # holds), and its page says where they come from and what to change if the
    # machine was bought with that income.
    w = fsc
    w.income(date(YEAR, 7, 1), 600, kind="government_grant")
    machine = {"name": "补贴播种机", "category": "seeder", "model": "", "plate": "",
               "acquired_on": date(YEAR, 8, 1), "original_value_fen": 60_000,
               "source": "government_grant", "useful_life_months": 120, "salvage_rate_bp": 500,
               "status": "in_service", "disposed_on": None, "note": ""}
    w.ledger("create_machine", machine)
    plan_id = _plan(w)
    assert w.plan(plan_id)["year_grants_fen"] == 120_000
    auth.login("admin")
    html = client.get(f"/dividends/{plan_id}").get_data(as_text=True)
    assert 'id="grants-twice"' in html
    for text in ("其中其他收入记载的补助和捐赠 600.00 元", "来源为“政府补助”的农机原值 600.00 元",
                 "请把这些农机的来源改为“合作社购置”", "《农民专业合作社法》第四十三条"):
        assert text in html, text
