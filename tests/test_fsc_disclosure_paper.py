"""The draft put at the office for the members before the assembly (打印公开查阅稿,
FSC art 40, RCEO art 46) shows what the plan is made of. A specialized plan
by the book: each member's transactions and the part returned by them, the
capital, reserve share and grants and the part returned by them, the total,
the part turned into capital (FSC art 44 para 3) and the cash, in the
FSC's words and named as the specialized plan names them; printed across
the page. The collective's paper keeps its share class, shares and amount."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends.api import DividendPlan
from coop.extensions import db

pytestmark = pytest.mark.now("2026-06-15")  # both demo plans of hxnj paid, wljs's 2024 paid


def _plan_id(app, code: str, year: int) -> int:
    with app.app_context():
        return db.session.scalar(select(DividendPlan.id).where(
            DividendPlan.cooperative_id == get_by_code(code).id, DividendPlan.year == year,
            DividendPlan.status == "paid"))


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _headings(html: str) -> list[str]:
    head = re.search(r'<table class="dv-notice-table">.*?<thead>(.*?)</thead>', html, re.S).group(1)
    return [_words(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]


def _row(html: str, member_no: str) -> list[str]:
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = [_words(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        if len(cells) > 1 and cells[1] == member_no:
            return cells
    raise AssertionError(f"no row of {member_no}")


def _foot(html: str) -> list[str]:
    foot = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    return [_words(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", foot, re.S)]


SPECIALIZED = ["序号", "编号", "姓名", "交易额", "按交易量返还", "出资额等", "按出资额等返还",
               "拟分配", "其中转为出资", "现金发放"]


def test_a_specialized_paper_shows_what_each_members_return_is_made_of(app, client, auth, fsc_demo):
    plan_id = _plan_id(app, fsc_demo, 2025)
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/dividends/{plan_id}/disclosure").get_data(as_text=True)
    text = _words(html)
    assert "2025 年度盈余分配方案（草案）及财务情况" in text and "收益分配方案" not in text
    assert "将提交成员大会表决" in text  # the assembly that voted on it (2026-03-12)
    assert "按股分红" not in text and "股份类别" not in text
    assert ("按交易量返还依据成员与本社的交易额，其余部分依据成员账户记载的出资额、公积金份额和国家财政补助、"
            "捐赠量化份额（《农民专业合作社法》第四十四条；表中“出资额等”即三者之和），登记日 2025-12-31。") in text
    assert ("盈余转为出资：每位成员应分盈余的 30.00% 按每股面值折为整股，转为出资"
            "（《农民专业合作社法》第四十四条第三款），不足一股的部分以现金发放。") in text
    assert _headings(html) == SPECIALIZED and "<caption>金额单位：元</caption>" in html
    # README: HX004's 2025 line; HX003 with 9,000 shares gets more than HX009
    # with 120,000 because of their transactions, which the paper now shows
    assert _row(html, "HX004")[3:] == ["24,400.00", "12,637.88", "30,237.84", "2,537.83",
                                       "15,175.71", "4,552.00", "10,623.71"]
    assert _row(html, "HX003")[3:5] == ["24,800.00", "12,845.06"]
    assert _row(html, "HX009")[3:5] == ["2,882.50", "1,492.98"]
    with app.app_context():
        plan = db.session.get(DividendPlan, plan_id)
        total = plan.patronage_pool_fen + plan.capital_pool_fen
        sums = [plan.total_transactions_fen, plan.patronage_pool_fen, plan.rest_weight_fen,
                plan.capital_pool_fen, total, plan.converted_fen, total - plan.converted_fen]
    assert _foot(html) == ["合计 43 名"] + [f"{fen // 100:,}.{fen % 100:02d}" for fen in sums]
    assert _foot(html)[-2:] == ["80,568.00", "188,059.90"]
    assert 'class="dv-notice dv-wide"' in html  # printed across the page


def test_the_printable_paper_of_every_line_has_the_same_columns(app, client, auth, fsc_demo):
    plan_id = _plan_id(app, fsc_demo, 2025)
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/dividends/{plan_id}/disclosure?all=1").get_data(as_text=True)
    assert _headings(html) == SPECIALIZED
    assert _row(html, "HX004")[-2:] == ["4,552.00", "10,623.71"]
    assert len(re.findall(r'<td data-label="编号">', html)) == 43


def test_a_paper_without_conversion_has_no_cash_column(app, client, auth, fsc_demo):
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/dividends/{_plan_id(app, fsc_demo, 2024)}/disclosure").get_data(as_text=True)
    assert _headings(html) == SPECIALIZED[:-2]
    # README: HX004's 2024 line, 8,278.97 by his 16,985.00 of transactions, 2,191.46 by the rest
    row = _row(html, "HX004")
    assert row[3:5] == ["16,985.00", "8,278.97"] and row[6:] == ["2,191.46", "10,470.43"]


def test_the_collectives_paper_keeps_its_shares(app, client, auth, demo):
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    html = client.get(f"/dividends/{_plan_id(app, demo, 2024)}/disclosure").get_data(as_text=True)
    text = _words(html)
    assert _headings(html) == ["序号", "编号", "姓名", "股份类别", "股数", "拟分配（元）"]
    assert "2024 年度收益分配方案（草案）及财务情况" in text
    assert "按股分红按登记日持股，股权登记日 2024-12-31。" in text
    assert "交易额" not in text and "金额单位" not in text and "dv-wide" not in html
    # README: CY0003's 57.40 on 1,600 villager shares
    assert _row(html, "CY0003")[3:] == ["村民股", "1,600", "57.40"]
    assert _foot(html)[0] == "合计 95 名" and _foot(html)[-1] == "35,876.09"
