"""The statements' index (/statements/) names the parts of a year's plan as
the plan does and gives what went to the members in full: a specialized plan
by the book is not a per-share dividend (FSC art 44), and its capital part is
not the total paid. A joint-stock plan reads as before."""
from __future__ import annotations

import re

from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends.api import DividendLine, DividendPlan
from coop.extensions import db
from coop.money import format_yuan


def _payout_text(client, year: int) -> str:
    html = client.get(f"/statements/?year={year}").get_data(as_text=True)
    found = re.search(r'<p id="st-payout">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", found))


def _figures(app, code: str, year: int) -> dict[str, int]:
    with app.app_context():
        plan = db.session.scalar(select(DividendPlan).where(
            DividendPlan.cooperative_id == get_by_code(code).id, DividendPlan.year == year,
            DividendPlan.status == "paid"))
        lines = list(db.session.scalars(select(DividendLine).where(DividendLine.plan_id == plan.id)))
        return {"patronage": plan.patronage_pool_fen, "rest": plan.capital_pool_fen,
                "converted": plan.converted_fen, "lines": len(lines),
                "paid": sum(line.total_fen for line in lines if line.paid_on),
                "cash": sum(line.cash_fen for line in lines if line.paid_on)}


def test_a_specialized_plan_names_both_returns_and_the_whole_paid(app, client, auth, fsc_demo):
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    f = _figures(app, fsc_demo, 2024)
    total = f["patronage"] + f["rest"]
    assert _payout_text(client, 2024) == (
        f"分配给成员合计{format_yuan(total)}元：按交易量返还{format_yuan(f['patronage'])}元，"
        f"按出资额、公积金份额和补助量化返还{format_yuan(f['rest'])}元。"
        f"已发放{f['lines']}位，共{format_yuan(f['paid'])}元。")
    assert f["paid"] == total  # every line paid: the whole, not the capital part


def test_a_plan_that_turned_part_into_capital_says_how_much(app, client, auth, fsc_demo):
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    f = _figures(app, fsc_demo, 2025)
    text = _payout_text(client, 2025)
    assert f"（其中转为成员出资{format_yuan(f['converted'])}元）" in text
    assert (f"共{format_yuan(f['paid'])}元（现金{format_yuan(f['cash'])}元，"
            f"转为出资{format_yuan(f['converted'])}元）") in text
    assert "按股分红" not in text


def test_a_joint_stock_plan_reads_as_a_dividend_by_shares(app, client, auth, demo):
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    f = _figures(app, demo, 2024)
    assert _payout_text(client, 2024) == (
        f"按股分红总额{format_yuan(f['rest'])}元。已发放{f['lines']}位，共{format_yuan(f['paid'])}元。")


def test_a_member_statement_names_the_patronage_part_as_the_plan_does(client, auth, fsc_demo):
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get("/me/statements/2024").get_data(as_text=True)
    # README: 8,278.97 by his 16,985.00 yuan of transactions, 2,191.46 by the rest
    assert "按交易量返还（交易额 16,985.00 元）</th><td class=\"num\">8,278.97 元" in html
    assert "按出资额、公积金份额和补助量化返还</th><td class=\"num\">2,191.46 元" in html
