"""The plan workflow through the services, on the hand-worked figures of
``div_world`` (tests/conftest_dividends.py): surplus 10,000.00 yuan, funds
10 % + 5 % + 5 %, so D = 8,000.00 yuan; shares C000 650, V001 150, V002 160,
G001 40 of 1,000."""
from __future__ import annotations

import io
from datetime import date

import pytest

from coop.dividends import approval, compute, reading, workflow
from coop.errors import ServiceError, ValidationFailed
from tests.conftest_dividends import YEAR

RESOLUTION = "股合〔2024〕3号"  # recorded by w.resolution: lets a test move a class outside its band
AFTER = date(YEAR + 1, 4, 1)  # after every notice and payment of these tests


def _approved(w, **vote):
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    w.approve(plan_id, **vote)
    return plan_id


def _published(w, set_clock, start=date(YEAR + 1, 3, 2), days=7):
    """Published on the notice's first day; the clock then moves on to 1 April."""
    plan_id = _approved(w)
    set_clock(start)
    w.with_plan(plan_id, workflow.publish_plan, notice_start=start, notice_days=days)
    set_clock(AFTER)
    return plan_id


def test_joint_stock_hand_worked(div_world):
    w = div_world
    w.close()
    plan = w.plan(w.call(compute.compute_plan, YEAR))
    assert plan["surplus_fen"] == 1_000_000
    assert plan["service_income_members_fen"] == 400_000 and plan["other_income_fen"] == 600_000
    assert (plan["reserve_fen"], plan["welfare_fen"], plan["risk_fen"]) == (100_000, 50_000, 50_000)
    assert plan["distributable_fen"] == plan["capital_pool_fen"] == 800_000
    assert plan["patronage_pool_fen"] == plan["guaranteed_total_fen"] == 0
    assert not plan["is_preview"] and plan["status"] == "draft" and plan["record_date"] == date(YEAR, 12, 31)
    totals = {no: line["total_fen"] for no, line in plan["lines"].items()}
    assert totals == {"C000": 520_000, "V001": 120_000, "V002": 128_000, "G001": 32_000}
    assert plan["lines"]["C000"]["kind"] == "collective"
    assert plan["lines"]["G001"]["share_class"] == "cadre" and plan["lines"]["G001"]["shares"] == 40
    assert plan["total_weight"] == plan["total_shares"] == 1000 and plan["line_count"] == 4


def test_specialized_mode_hand_worked(div_world):
    w = div_world
    w.charter(distribution_mode="specialized", patronage_rate_bp=6000)
    w.close()
    plan = w.plan(w.call(compute.compute_plan, YEAR))
    # P = ceil(900,000 x 60 %) = 540,000 (60 % of the surplus after the reserve, art 44)
    # by transactions 300,000 : 100,000.
    # The reserve 100,000 is quantified by transactions (the charter's default, FSC
    # art 42): V001 75,000, V002 25,000. The rest 800,000 - 540,000 = 260,000 goes by
    # capital + reserve share (art 44): C000 65,000, V001 15,000 + 75,000,
    # V002 16,000 + 25,000, G001 4,000; W = 200,000 -> 84,500, 117,000, 53,300, 5,200.
    assert plan["patronage_pool_fen"] == 540_000 and plan["capital_pool_fen"] == 260_000
    assert plan["total_transactions_fen"] == 400_000
    assert plan["reserve_basis"] == "transactions" and plan["rest_weight_fen"] == 200_000
    lines = plan["lines"]
    assert (lines["V001"]["patronage_fen"], lines["V001"]["capital_fen"]) == (405_000, 117_000)
    assert (lines["V002"]["patronage_fen"], lines["V002"]["capital_fen"]) == (135_000, 53_300)
    assert lines["C000"]["total_fen"] == 84_500 and lines["G001"]["total_fen"] == 5_200
    assert (lines["V001"]["reserve_share_fen"], lines["V002"]["reserve_share_fen"]) == (75_000, 25_000)
    assert sum(line["total_fen"] for line in lines.values()) == 800_000


def test_guaranteed_land_payment_comes_first(div_world):
    w = div_world
    w.contribute("V003", "villager", 0, kind="land", land_mu=1250, price_per_mu_fen=800_00,
                 resolution_no=w.resolution(RESOLUTION))
    w.charter(guaranteed_fen_per_mu=100_00)  # 100 yuan a mu: 12.5 mu -> 1,250.00 yuan
    w.close()
    plan = w.plan(w.call(compute.compute_plan, YEAR))
    assert plan["guaranteed_total_fen"] == 125_000
    assert plan["capital_pool_fen"] == 800_000 - 125_000
    v3 = plan["lines"]["V003"]
    assert v3["guaranteed_fen"] == 125_000 and v3["land_mu_hundredths"] == 1250
    assert sum(line["capital_fen"] for line in plan["lines"].values()) == 675_000


def test_guaranteed_above_the_pool_is_refused_and_nothing_written(div_world, fingerprint):
    w = div_world
    w.contribute("V003", "villager", 0, kind="land", land_mu=10_000, price_per_mu_fen=800_00,
                 resolution_no=w.resolution(RESOLUTION))
    w.charter(guaranteed_fen_per_mu=100_00)  # 100 mu x 100 yuan = 10,000 yuan > 8,000
    w.close()
    before = fingerprint()
    with pytest.raises(ServiceError, match="保底收益合计 10,000.00 元，超过"):
        w.call(compute.compute_plan, YEAR)
    assert fingerprint() == before


@pytest.mark.parametrize("land_cmu,refused", [(4000, True), (2000, False)])
def test_specialized_patronage_floor_is_sixty_percent_of_d(div_world, fingerprint, land_cmu, refused):
    # S = 10,000.00 yuan, 9,000.00 after the reserve: the patronage floor is 60 % of
    # that, 5,400.00 (art 44), and D = 8,000.00 after the welfare and risk funds, so
    # the guarantees may take at most 2,600.00. 40 mu x 100 yuan = 4,000.00 is
    # refused; 20 mu (2,000.00) leaves 5,400.00 by transactions and 600.00 by shares.
    w = div_world
    w.contribute("V003", "villager", 0, kind="land", land_mu=land_cmu, price_per_mu_fen=800_00,
                 resolution_no=w.resolution(RESOLUTION))
    w.charter(distribution_mode="specialized", patronage_rate_bp=6000, guaranteed_fen_per_mu=100_00)
    w.close()
    if refused:
        before = fingerprint()
        with pytest.raises(ServiceError) as exc:
            w.call(compute.compute_plan, YEAR)
        assert str(exc.value) == (
            "可分配盈余（弥补亏损、提取公积金后）9,000.00 元，按交易量返还不得低于其 60.00%，"
            "即 5,400.00 元（农民专业合作社法第四十四条）；保底收益最多只能支付 2,600.00 元，"
            "而保底收益合计 4,000.00 元，分配方案不能成立。请核对保底标准。")
        assert fingerprint() == before
        return
    plan = w.plan(w.call(compute.compute_plan, YEAR))
    assert (plan["guaranteed_total_fen"], plan["patronage_pool_fen"], plan["capital_pool_fen"]) == (
        200_000, 540_000, 60_000)


def test_share_days_count_joins_and_exits(div_world):
    w = div_world
    w.contribute("V003", "villager", 100, on=date(YEAR, 7, 1), resolution_no=w.resolution(RESOLUTION))  # 184 days
    from coop.shares.movements import commit_plan
    from coop.shares.plans import plan_transfer

    def transfer(coop):
        return commit_plan(plan_transfer(coop, from_member_id=w.ids["V002"], to_member_id=w.ids["V004"],
                                         share_class="villager", shares=160,
                                         effective_on=date(YEAR, 4, 1)))
    w.run(transfer)
    w.close()
    by_date = w.plan(w.call(compute.compute_plan, YEAR))
    by_days = w.plan(w.call(compute.compute_plan, YEAR, basis="share_days"))
    assert "V002" not in by_date["lines"]  # left before the record date
    assert by_days["lines"]["V002"]["weight"] == 160 * 82  # 10 Jan - 31 Mar (2024 is a leap year)
    assert by_days["lines"]["V004"]["weight"] == 160 * 275  # 1 Apr - 31 Dec
    assert by_days["lines"]["V003"]["weight"] == 100 * 184
    assert by_days["lines"]["C000"]["weight"] == 650 * 357  # 10 Jan - 31 Dec
    assert sum(line["capital_fen"] for line in by_days["lines"].values()) == 800_000
    assert by_days["id"] != by_date["id"] and by_days["weight_basis"] == "share_days"


def test_recompute_keeps_one_draft_per_basis(div_world):
    w = div_world
    w.close()
    first = w.call(compute.compute_plan, YEAR)
    again = w.call(compute.compute_plan, YEAR)
    other = w.call(compute.compute_plan, YEAR, basis="share_days")
    assert first == again and other != first
    assert w.plan(other)["version_no"] == 2


def test_no_surplus_says_so(app, staff):
    from tests.conftest_dividends import DividendWorld

    w = DividendWorld(app, staff[0])
    w.member("V001")
    w.contribute("V001", "villager", 100, resolution_no=w.resolution(RESOLUTION))
    w.ledger("create_expense", date(YEAR, 3, 1), "fuel", 500_00)
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    plan = w.plan(plan_id)
    assert plan["surplus_fen"] == -500_00 and plan["lines"] == {} and plan["reserve_fen"] == 0
    with app.app_context():
        from coop.dividends.models import DividendPlan
        from coop.extensions import db

        text = reading.waterfall_text(db.session.get(DividendPlan, plan_id))
    assert "没有可分配盈余" in text and "-500.00" in text


def test_open_year_is_a_preview_that_cannot_be_approved(div_world, fingerprint):
    w = div_world
    plan_id = w.call(compute.compute_plan, YEAR)
    assert w.plan(plan_id)["is_preview"] is True
    before = fingerprint()
    with pytest.raises(ServiceError, match="预览"):
        w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)
    assert fingerprint() == before
    w.close()  # a preview computed before the close must be recomputed first
    with pytest.raises(ServiceError, match="重新计算"):
        w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None)


@pytest.mark.parametrize("year, field, message", [
    (None, "year", "请选择年度"),
    (1999, "year", "年度应在 2000"),
    (2999, "year", "年度应在 2000"),
])
def test_bad_years_refused(div_world, fingerprint, year, field, message):
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        div_world.call(compute.compute_plan, year)
    assert message in exc.value.errors[field]
    assert fingerprint() == before


def test_record_date_outside_the_year_refused(div_world, fingerprint):
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        div_world.call(compute.compute_plan, YEAR, record_date=date(YEAR + 1, 1, 1))
    assert "股权登记日应在 2024 年内" in exc.value.errors["record_date"]
    assert fingerprint() == before


def test_approved_plan_is_frozen(div_world, fingerprint):
    w = div_world
    plan_id = _approved(w)
    before = fingerprint()
    for call in (lambda: w.with_plan(plan_id, workflow.recompute),
                 lambda: w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 6, 30))):
        with pytest.raises(ServiceError, match="^此方案已表决通过，内容已冻结"):
            call()
    with pytest.raises(ServiceError, match="已有表决通过的分配方案"):
        w.call(compute.compute_plan, YEAR)
    assert fingerprint() == before


def test_a_published_plan_says_so_once(div_world, fingerprint, set_clock):
    w = div_world
    plan_id = _published(w, set_clock)
    before = fingerprint()
    with pytest.raises(ServiceError, match="^此方案已公示$"):
        w.with_plan(plan_id, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2))
    with pytest.raises(ServiceError, match="^此方案已公示，内容已冻结"):
        w.with_plan(plan_id, workflow.recompute)
    assert fingerprint() == before


def test_publish_then_pay_after_the_notice(div_world, fingerprint, set_clock):
    w = div_world
    plan_id = _published(w, set_clock, start=date(YEAR + 1, 3, 2), days=7)  # notice to 8 March
    with w.app.app_context():
        from coop.dividends.models import DividendPlan
        from coop.extensions import db

        assert reading.notice_end(db.session.get(DividendPlan, plan_id)) == date(YEAR + 1, 3, 8)
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 8), method="cash")
    assert "公示期到 2025-03-08 结束" in exc.value.errors["paid_on"]
    with pytest.raises(ValidationFailed) as exc:
        w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 9), method="gold")
    assert "请选择发放方式" in exc.value.errors["method"]
    assert fingerprint() == before

    v1 = w.plan(plan_id)["lines"]["V001"]["id"]

    def pay_one(plan):
        return workflow.pay_line(plan, reading.get_line(plan, v1), paid_on=date(YEAR + 1, 3, 9),
                                 method="bank").id
    w.with_plan(plan_id, pay_one)
    plan = w.plan(plan_id)
    assert plan["status"] == "published" and plan["lines"]["V001"]["payment_method"] == "bank"
    with pytest.raises(ServiceError, match="已于 2025-03-09 发放"):
        w.with_plan(plan_id, pay_one)
    assert w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 10), method="cash") == 3
    plan = w.plan(plan_id)
    assert plan["status"] == "paid"
    assert {no: line["paid_on"] for no, line in plan["lines"].items()} == {
        "V001": date(YEAR + 1, 3, 9), "V002": date(YEAR + 1, 3, 10),
        "C000": date(YEAR + 1, 3, 10), "G001": date(YEAR + 1, 3, 10)}
    with pytest.raises(ServiceError, match="已全部发放"):
        w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 10), method="cash")


def test_publish_rules(div_world, fingerprint):
    w = div_world
    w.close()
    draft = w.call(compute.compute_plan, YEAR)
    with pytest.raises(ServiceError, match="表决通过后才能公示"):
        w.with_plan(draft, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2))
    w.approve(draft)
    before = fingerprint()
    with pytest.raises(ValidationFailed) as exc:
        w.with_plan(draft, workflow.publish_plan, notice_start=date(YEAR + 1, 2, 1), notice_days=0)
    assert "不能早于大会日期" in exc.value.errors["notice_start"]
    assert "1 到 60 天" in exc.value.errors["notice_days"]
    with pytest.raises(ServiceError, match="公示期满后才能发放"):
        w.with_plan(draft, workflow.pay_all, paid_on=date(YEAR + 1, 4, 1), method="cash")
    assert fingerprint() == before


def test_new_version_supersedes_once_approved(div_world):
    w = div_world
    old = _approved(w)
    new = w.with_plan(old, workflow.new_version)
    assert w.plan(new)["supersedes_id"] == old and w.plan(new)["status"] == "draft"
    assert w.with_plan(old, workflow.new_version) == new  # the same draft, not a second one
    # the new draft can be recomputed, e.g. on another record date
    w.with_plan(new, workflow.change_draft, record_date=date(YEAR, 6, 30))
    assert w.approve(new, resolution_no="股合〔2025〕2号").passed
    assert w.plan(old)["superseded_by_id"] == new
    assert w.plan(old)["lines"]  # the old version stays readable
    with w.app.app_context():
        assert reading.effective_plan(w.coop().id, YEAR).id == new
    with pytest.raises(ServiceError, match="已被新版本取代"):
        w.with_plan(old, workflow.publish_plan, notice_start=date(YEAR + 1, 3, 2))


def test_no_new_version_after_payment(div_world, fingerprint, set_clock):
    w = div_world
    plan_id = _published(w, set_clock)
    w.with_plan(plan_id, workflow.pay_all, paid_on=date(YEAR + 1, 3, 20), method="cash")
    before = fingerprint()
    with pytest.raises(ServiceError, match="已有分红发放记录"):
        w.with_plan(plan_id, workflow.new_version)
    assert fingerprint() == before


def test_a_second_draft_cannot_overrule_an_approved_plan(div_world, fingerprint):
    w = div_world
    w.close()
    by_date = w.call(compute.compute_plan, YEAR)
    by_days = w.call(compute.compute_plan, YEAR, basis="share_days")
    w.approve(by_date)
    before = fingerprint()
    with pytest.raises(ServiceError, match="已有通过的方案"):
        w.with_plan(by_days, approval.ready_for_vote)
    assert fingerprint() == before


def test_stale_version_refused_with_what_changed(div_world, fingerprint):
    w = div_world
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    loaded = w.plan(plan_id)["version"]
    w.with_plan(plan_id, workflow.change_draft, record_date=date(YEAR, 6, 30))
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        w.with_plan(plan_id, approval.review_plan, note="同意", user_id=None,
                    expected_version=loaded)
    assert "此记录已被他人修改" in exc.value.message and "股权登记日" in exc.value.message
    assert fingerprint() == before


def test_compare_and_csv(div_world):
    w = div_world
    w.contribute("V003", "villager", 100, on=date(YEAR, 7, 1), resolution_no=w.resolution(RESOLUTION))
    w.close()
    a = w.call(compute.compute_plan, YEAR)
    b = w.call(compute.compute_plan, YEAR, basis="share_days")
    with w.app.app_context():
        from coop.dividends.models import DividendPlan
        from coop.extensions import db

        pa, pb = db.session.get(DividendPlan, a), db.session.get(DividendPlan, b)
        c = reading.compare(pa, pb)
        assert c.changed == 5 and c.differences[0][0] in {"C000", "V003"}
        out = io.StringIO()
        assert reading.write_csv(out, pa) == 5
    rows = out.getvalue().splitlines()
    assert rows[0] == "member_no,name,class,weight,guaranteed_fen,patronage_fen,capital_fen,total_fen"
    assert rows[-1] == "TOTAL,合计,,1100,0,0,800000,800000"
    assert sum(int(r.split(",")[-1]) for r in rows[1:-1]) == 800_000


def test_line_arithmetic(div_world):
    w = div_world
    w.contribute("V003", "villager", 1, on=date(YEAR, 1, 10))  # 1,001 shares: remainders
    w.close()
    plan_id = w.call(compute.compute_plan, YEAR)
    with w.app.app_context():
        from coop.dividends.models import DividendPlan
        from coop.extensions import db

        plan = db.session.get(DividendPlan, plan_id)
        lines = {line.member_no: line for line in db.session.scalars(reading.lines_query(plan))}
        extra = 0
        for line in lines.values():
            calc = reading.line_arithmetic(plan, line).capital
            assert calc.floor_fen + calc.extra_fen == line.capital_fen
            assert calc.extra_fen in (0, 1)
            assert calc.floor_fen == 800_000 * line.weight // 1001
            extra += calc.extra_fen
        assert extra == 800_000 - sum(800_000 * line.weight // 1001 for line in lines.values())


def test_a_member_holding_two_classes_has_one_line(div_world):
    w = div_world
    w.contribute("G001", "villager", 10, resolution_no=w.resolution(RESOLUTION))  # a cadre is a villager too
    w.close()
    for basis in ("record_date", "share_days"):
        plan = w.plan(w.call(compute.compute_plan, YEAR, basis=basis))
        g = plan["lines"]["G001"]
        assert (g["shares"], g["share_class"]) == (50, "villager+cadre")  # the charter's order
        assert g["weight"] == (50 if basis == "record_date" else 50 * 357)  # 10 Jan - 31 Dec
        assert plan["line_count"] == len(plan["lines"]) == 4 and plan["total_shares"] == 1010


def test_share_days_with_an_earlier_record_date(div_world):
    """Share-days count the whole year; shares and classes are those held on
    the record date."""
    w = div_world
    w.contribute("V003", "villager", 100, on=date(YEAR, 7, 1), resolution_no=w.resolution(RESOLUTION))
    w.close()
    plan = w.plan(w.call(compute.compute_plan, YEAR, basis="share_days",
                         record_date=date(YEAR, 6, 30)))
    v3 = plan["lines"]["V003"]
    assert (v3["shares"], v3["share_class"], v3["weight"]) == (0, "", 100 * 184)
    assert plan["total_shares"] == 1000 and plan["total_weight"] == 1000 * 357 + 100 * 184
    assert sum(line["capital_fen"] for line in plan["lines"].values()) == 800_000


def test_a_member_with_transactions_but_no_shares_gets_a_patronage_line(div_world):
    w = div_world
    w.charter(distribution_mode="specialized", patronage_rate_bp=6000)
    w.order("V004", date(YEAR, 6, 1), 4000)  # surplus 14,000.00 yuan, D = 11,200.00
    w.close()
    plan = w.plan(w.call(compute.compute_plan, YEAR))
    v4 = plan["lines"]["V004"]
    assert (v4["name"], v4["kind"], v4["shares"], v4["share_class"]) == ("村民4", "villager", 0, "")
    # P = 60 % of 1,260,000 (after the reserve) = 756,000 by transactions
    # 300,000 : 100,000 : 400,000. The reserve 140,000 is quantified by the same
    # transactions (V004 70,000), so V004 also has a part of the rest
    # 1,120,000 - 756,000 = 364,000 (FSC art 44): 364,000 x 70,000 / 240,000 =
    # 106,166.67, and one of the two fen left over (remainders .67: G001 and V004).
    assert (v4["transactions_fen"], v4["patronage_fen"], v4["capital_fen"]) == (400_000, 378_000,
                                                                              106_167)
    assert (v4["capital_basis_fen"], v4["reserve_share_fen"]) == (0, 70_000)
    assert sum(line["total_fen"] for line in plan["lines"].values()) == 1_120_000
