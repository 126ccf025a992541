"""A member's own line (/me/dividends/<id>) says why as well as how much: the
surplus the plan distributes, and before each part the figures it follows
(the shares and the rate per share; the member's transactions; the capital,
reserve share and grants), only the money the member receives in bold; and
the assembly that approved the plan by its name (成员大会 or 成员代表大会),
on the line's page, the notice and the statement."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends.api import DividendLine, DividendPlan, approving_assembly
from coop.extensions import db
from coop.governance.api import AgendaItem, Meeting

pytestmark = pytest.mark.now("2026-06-15")  # wljs's 2024 plan and hxnj's 2024 and 2025 paid


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _line_id(app, code: str, year: int, member_no: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(DividendLine.id).join(DividendPlan, DividendPlan.id == DividendLine.plan_id)
            .where(DividendPlan.cooperative_id == get_by_code(code).id, DividendPlan.year == year,
                   DividendPlan.status == "paid", DividendLine.member_no == member_no))


def _card(html: str) -> str:
    return re.search(r'<section class="pt-card" id="my-line">(.*?)</section>', html, re.S).group(1)


def _rows(html: str) -> list[str]:
    """The card's rows, each as its words."""
    items = re.search(r'<ul class="pt-list">(.*?)</ul>', _card(html), re.S).group(1)
    return [_words(li) for li in re.findall(r"<li>(.*?)</li>", items, re.S)]


def _bold(html: str) -> list[str]:
    """What the card's list puts in bold: the money the member receives."""
    items = re.search(r'<ul class="pt-list">(.*?)</ul>', _card(html), re.S).group(1)
    return re.findall(r"<strong>(.*?)</strong>", items)


def test_the_collectives_line_gives_the_surplus_and_the_rate_per_share(app, client, auth, demo):
    line = _line_id(app, demo, 2024, "CY0003")
    auth.login("CY0003", DEMO_PASSWORD, coop=demo)
    html = client.get(f"/me/dividends/{line}").get_data(as_text=True)
    # README: 57.40 yuan, 0.0359 yuan a share, of the 2024 surplus of 44,845.12 yuan
    assert _rows(html) == [
        "本年可分配盈余 44,845.12 元 提取公积金 4,484.51 元、公益金 2,242.26 元、风险金 2,242.26 元后分配",
        "每股分红 约 0.0359 元 按股分红总额 35,876.09 元 ÷ 全体登记日持股 1,000,000 股",
        "登记日持股 1,600 股",
        "按股分红 57.40 元 35,876.09 元 × 本人 1,600 股 ÷ 全体 1,000,000 股"]
    assert _bold(html) == ["57.40 元"]
    text = _words(html)
    assert "成员大会表决通过：2025-03-15，决议文号 乌三股合〔2025〕1号" in text
    assert "成员（代表）大会" not in text


def test_the_specialized_line_gives_the_transactions_and_the_accounts(app, client, auth, fsc_demo):
    line = _line_id(app, fsc_demo, 2025, "HX004")
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/me/dividends/{line}").get_data(as_text=True)
    assert _rows(html) == [
        "本年可分配盈余 268,627.90 元 本年盈余（弥补亏损后）298,475.44 元，提取公积金 29,847.54 元后"
        "（《农民专业合作社法》第四十四条）",
        "本人与本社交易额 24,400.00 元",
        "按交易量返还 12,637.88 元 返还总额 161,176.74 元 × 本人交易额 24,400.00 元 ÷ 全体成员交易额 "
        "311,184.50 元",
        "本人返还依据 30,237.84 元 出资额 23,000.00 元 + 公积金份额 3,873.49 元 + 补助量化 3,364.35 元",
        "按出资额、公积金份额和补助量化返还 2,537.83 元 其余部分 107,451.16 元 × 本人返还依据 "
        "30,237.84 元 ÷ 全体成员 1,280,265.62 元",
        "本年量化到我的成员账户 公积金 2,340.35 元，补助和捐赠 697.68 元",
        "其中转为出资（4,552 股） 4,552.00 元 盈余转增（《农民专业合作社法》第四十四条第三款）",
        "现金发放 10,623.71 元"]
    # the basis (30,237.84, 24,400.00) is not in bold like a payout
    assert _bold(html) == ["12,637.88 元", "2,537.83 元", "4,552.00 元", "10,623.71 元"]
    text = _words(html)
    assert "成员大会表决通过：2026-03-12，决议文号 红星农机社〔2026〕1号" in text
    assert "成员（代表）大会" not in text


def test_a_plan_approved_by_the_representatives_names_them(app, client, auth, fsc_demo):
    """The name comes from the meeting that approved the plan: were it a
    representative assembly (FSC art 32), the member reads 成员代表大会."""
    line = _line_id(app, fsc_demo, 2025, "HX004")
    with app.app_context():
        plan = db.session.get(DividendLine, line).plan
        item = db.session.get(AgendaItem, plan.resolution_item_id)
        db.session.execute(update(Meeting).where(Meeting.id == item.meeting_id)
                           .values(body="representatives"))
        db.session.commit()
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    assert "成员代表大会表决通过：2026-03-12" in _words(
        client.get(f"/me/dividends/{line}").get_data(as_text=True))
    statement = _words(client.get("/me/statements/2025").get_data(as_text=True))
    assert "2026-03-12 成员代表大会表决通过" in statement
    assert "经成员代表大会表决通过的 2025 年度分配方案出具" in statement
    assert "经成员代表大会表决通过" in _words(client.get("/me/notice").get_data(as_text=True))


def test_a_plan_approved_under_the_old_rule_names_both(app):
    """Approved before plans passed at a meeting (households typed): no
    meeting says which assembly it was."""
    with app.app_context():
        assert approving_assembly(DividendPlan(cooperative_id=1, resolution_item_id=None)) == \
            "成员（代表）大会"


def test_the_statement_and_the_notice_name_the_assembly(app, client, auth, demo):
    auth.login("CY0003", DEMO_PASSWORD, coop=demo)
    statement = _words(client.get("/me/statements/2024").get_data(as_text=True))
    assert "2025-03-15 成员大会表决通过（乌三股合〔2025〕1号）" in statement
    assert "成员（代表）大会" not in statement
    assert "经成员大会表决通过" in _words(client.get("/me/notice").get_data(as_text=True))
    auth.logout()
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    with app.app_context():
        plan_id = db.session.scalar(select(DividendPlan.id).where(
            DividendPlan.cooperative_id == get_by_code(demo).id, DividendPlan.year == 2024))
    assert "经 2025-03-15 成员大会表决通过" in _words(
        client.get(f"/dividends/{plan_id}/notice").get_data(as_text=True))
