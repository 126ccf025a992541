"""What an annual statement says: every field of DESIGN.md section 3, from the
effective plan's line and the share register; the demo's statements against
the plan lines."""
from __future__ import annotations

from datetime import date

import pytest

from coop.extensions import db
from coop.fonts import CJKFont, choose, parse_fc_list
from coop.statements.numerals import capital_yuan
from coop.statements.services import per_unit_text
from tests.conftest import credit_code_for


def _statement(app, code: str, year: int, member_id: int):
    from coop.cooperatives.services import get_by_code
    from coop.statements.services import statement_for

    with app.app_context():
        s = statement_for(get_by_code(code), year, member_id)
        if s is None:
            return None
        return {
            "number": s.number, "member_no": s.member.member_no, "name": s.member.name,
            "rows": [(r.share_class, r.opening, r.change, r.closing) for r in s.rows],
            "movements": [(m.effective_on, m.kind_label, m.shares, m.counterparty)
                          for m in s.movements],
            "contributions": [(c.effective_on, c.kind_label, c.valuation, c.shares)
                              for c in s.contributions],
            "total_fen": s.line.total_fen, "capital": s.total_capital, "per_share": s.per_share,
            "plan_version": s.plan.version_no, "payment": s.payment_text,
        }


def test_statement_of_a_member_from_the_effective_version(app, portal_world):
    s = _statement(app, "t1", 2025, portal_world.members["CY0001"])
    assert s["number"] == "DZ2025-CY0001-V2"
    assert s["plan_version"] == 2
    assert s["total_fen"] == 17_000_05
    assert s["capital"] == "壹万柒仟元零伍分"
    assert s["rows"] == [("villager", 150, 20, 170)]
    assert s["movements"] == [(date(2025, 6, 1), "转让转入", 20, "李德胜")]
    assert s["contributions"] == [(date(2024, 1, 10), "货币", "150.00 元", 150)]
    assert s["payment"] == "尚未发放"
    # capital pool 100,000.00 yuan over 1,000 shares
    assert s["per_share"] == "100.0000"


def test_statement_of_a_paid_year_and_in_kind_contribution(app, portal_world):
    s = _statement(app, "t1", 2024, portal_world.members["JT001"])
    assert s["number"] == "DZ2024-JT001"
    assert s["rows"] == [("collective", 0, 650, 650)]
    assert s["contributions"] == [(date(2024, 1, 10), "实物", "拖拉机一台，评估作价 650.00 元", 650)]
    assert s["payment"] == "2025-03-28（惠农一卡通）"
    assert s["capital"] == "陆万伍仟元整"


def test_no_statement_from_a_draft_or_for_a_member_without_a_line(app, portal_world):
    assert _statement(app, "t1", 2026, portal_world.members["CY0001"]) is None
    assert _statement(app, "t1", 2025, portal_world.members["CY0003"]) is None
    assert _statement(app, "t1", 2023, portal_world.members["CY0001"]) is None


def test_statement_page_shows_every_field(client, auth, portal_world):
    auth.login("admin")
    text = client.get(f"/statements/2025/members/{portal_world.members['CY0001']}").get_data(
        as_text=True)
    for expected in (
        "测试合作社1",                     # cooperative name
        f"统一社会信用代码：{credit_code_for(1)}",
        "2025 年度股金分红对账单", "对账单编号：DZ2025-CY0001-V2",
        "<dd>CY0001</dd>", '<dd class="st-name">张秀兰</dd>',
        "1502**********1528",               # masked ID
        "<dd>H001</dd>",                     # household
        "年初<small>2025-01-01</small>", "年末<small>2025-12-31</small>",
        '<td class="num" data-label="年初（2025-01-01）">150</td>'
        '<td class="num" data-label="本年变动">+20</td>'
        '<td class="num" data-label="年末（2025-12-31）">170</td>',
        "转让转入", "李德胜",                # the movement and its counterparty
        '<td data-label="出资方式">货币</td><td data-label="作价">150.00 元</td>',  # kind and valuation
        "125,000.00 元", "12,500.00 元", "6,250.00 元",  # surplus, reserve, welfare (= risk)
        "100,000.00 元", "100.0000 元",      # capital pool, per share
        "17,000.05 元", "大写：<strong>壹万柒仟元零伍分</strong>",
        "发放日期：尚未发放",
        "理事长（签字）", "会计（签字）", "（合作社盖章）",
        "测股合〔2026〕2号",
    ):
        assert expected in text, expected
    assert "1,234.56" not in text and "150203196805121528" not in text


def test_demo_statements_match_the_plan_lines(app, demo):
    """The demo's 2024 plan (approved, published, paid): one statement per line,
    each with the line's figures, its holdings at the year end equal to the
    line's shares, and the total in capital numerals."""
    from coop.cooperatives.services import get_by_code
    from coop.dividends.models import DividendLine
    from coop.portal.demo import demo_member
    from coop.shares.register import member_holdings
    from coop.statements.services import build_statements, effective_plan

    with app.app_context():
        coop = get_by_code(demo)
        plan = effective_plan(coop.id, 2024)
        assert plan is not None and plan.status == "paid"
        lines = {l.member_id: l for l in db.session.scalars(
            db.select(DividendLine).where(DividendLine.plan_id == plan.id))}
        statements = build_statements(coop, plan)
        assert len(statements) == len(lines) > 30
        assert [s.member.member_no for s in statements] == sorted(l.member_no for l in lines.values())
        for s in statements:
            line = lines[s.member.id]
            assert s.line.id == line.id and s.member.name == line.name
            assert s.closing_total == line.shares == line.weight
            assert s.total_capital == capital_yuan(line.total_fen)
            assert s.paid and s.line.paid_on == line.paid_on
        assert sum(s.line.total_fen for s in statements) == (
            plan.capital_pool_fen + plan.patronage_pool_fen + plan.guaranteed_total_fen)
        member = demo_member(coop)
        mine = next(s for s in statements if s.member.id == member.id)
        held = member_holdings(member.id, date(2024, 12, 31))
        assert {r.share_class: r.closing for r in mine.rows} == {k: v for k, v in held.items() if v}
        assert mine.contributions and all(c.shares > 0 and c.valuation for c in mine.contributions)


@pytest.mark.parametrize("pool,weight,places,expected", [
    (100_000_00, 1_000, 4, "100.0000"),
    (217_999_90, 1_000_000, 4, "约 0.2180"),  # rounded: said so
    (218_000_00, 1_000_000, 4, "0.2180"),
    (1, 3, 4, "约 0.0033"),
    (2, 3, 4, "约 0.0067"),          # half-up
    (770_935, 1_000_000, 6, "约 0.007709"),
    (5_740, 1_600, 4, "约 0.0359"),  # 1,600 shares x 0.0359 would be 57.44, not 57.40
    (0, 10, 4, "0.0000"),
    (5, 0, 4, "—"),
])
def test_per_share_rate(pool, weight, places, expected):
    assert per_unit_text(pool, weight, places) == expected


def test_fc_list_parsing_and_choice():
    output = (
        "/usr/share/fonts/a/NotoSansCJK-Bold.ttc: Noto Sans CJK JP,Noto Sans CJK JP Bold\n"
        "/usr/share/fonts/a/NotoSansCJK-Regular.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular\n"
        "/usr/share/fonts/b/wqy.ttc: WenQuanYi Micro Hei\n"
        "garbage line\n"
    )
    fonts = parse_fc_list(output)
    assert CJKFont("Noto Sans CJK SC", "/usr/share/fonts/a/NotoSansCJK-Regular.ttc") in fonts
    assert choose(fonts).family == "Noto Sans CJK SC"
    assert choose(parse_fc_list("/x/wqy.ttc: WenQuanYi Micro Hei\n/y/z.ttf: Zeta CJK\n")).family \
        == "WenQuanYi Micro Hei"
    assert choose(parse_fc_list("/y/z.ttf: Zeta CJK\n/y/a.ttf: Alpha Hei\n")).family == "Alpha Hei"
    assert choose([]) is None


def test_specialized_share_days_plan_shows_every_part(client, auth, portal_world):
    """A plan with guaranteed land payments, patronage refunds and share-day weights:
    the statement names each part and the rate per share-day."""
    from coop.dividends.models import DividendLine, DividendPlan

    with client.application.app_context():
        plan = db.session.get(DividendPlan, portal_world.plans["2025"])
        plan.weight_basis = "share_days"
        plan.guaranteed_total_fen, plan.patronage_pool_fen = 500_00, 60_000_00
        plan.total_weight = 365_000
        line = db.session.get(DividendLine, portal_world.lines[("2025", "CY0001")])
        line.weight, line.land_mu_hundredths, line.guaranteed_fen = 62_050, 250, 500_00
        line.transactions_fen, line.patronage_fen = 3_000_00, 1_200_00
        line.total_fen = line.capital_fen + 500_00 + 1_200_00
        db.session.commit()
    auth.login("CY0001")
    text = client.get("/me/statements/2025").get_data(as_text=True)
    for expected in ("土地保底收益", "入股土地 2.50 亩保底", "500.00 元",
                     "按交易量返还", "按交易量返还（交易额 3,000.00 元）", "1,200.00 元",
                     "每股·天分红", "0.273973 元",  # 100,000.00 / 365,000
                     "持股天数（股·天）", "62,050", "18,700.05 元", "壹万捌仟柒佰元零伍分"):
        assert expected in text, expected
