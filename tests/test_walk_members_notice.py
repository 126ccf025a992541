"""The public notice of a plan (/dividends/<id>/notice) shows the columns of
the plan's mode: a specialized plan by the book each member's transactions
and the part returned by them, what the rest follows (capital, reserve share
and quantified grants) and the part returned by it, the total and the part
turned into capital; a joint-stock plan its share class, shares and
dividend, as before; a line without shares says 无股份 instead of a blank."""
from __future__ import annotations

import re

from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends import notice
from coop.dividends.api import DividendLine, DividendPlan
from coop.extensions import db
from coop.money import format_yuan

FSC_HEAD = ["序号", "编号", "姓名", "身份证号", "交易额（元）", "按交易量返还（元）",
            "出资额等（元）", "按出资额等返还（元）", "合计（元）",
            "其中转为出资（元）"]
JOINT_STOCK_HEAD = ["序号", "编号", "姓名", "身份证号", "股份类别", "股数", "分红（元）"]


def _cells(html: str, part: str) -> list[list[str]]:
    table = re.search(r'<table class="dv-notice-table">(.*?)</table>', html, re.S).group(1)
    section = re.search(rf"<{part}>(.*?)</{part}>", table, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)]


def _plan(app, code: str, year: int) -> tuple[int, dict]:
    with app.app_context():
        plan = db.session.scalar(select(DividendPlan).where(
            DividendPlan.cooperative_id == get_by_code(code).id, DividendPlan.year == year,
            DividendPlan.superseded_by_id.is_(None), DividendPlan.status != "draft"))
        lines = {line.member_no: line for line in db.session.scalars(
            select(DividendLine).where(DividendLine.plan_id == plan.id))}
        figures = {k: getattr(plan, k) for k in (
            "patronage_pool_fen", "capital_pool_fen", "converted_fen", "line_count")}
        figures["transactions"] = sum(line.transactions_fen for line in lines.values())
        figures["rest_weight"] = sum(line.rest_weight_fen for line in lines.values())
        figures["converted_lines"] = sum(line.converted_fen for line in lines.values())
        return plan.id, figures


def test_a_specialized_plan_shows_transactions_and_both_returns(app, client, auth, fsc_demo):
    plan_id, plan = _plan(app, fsc_demo, 2025)
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/dividends/{plan_id}/notice").get_data(as_text=True)
    assert _cells(html, "thead") == [FSC_HEAD]
    body = {row[1]: row for row in _cells(html, "tbody")}
    assert len(body) == plan["line_count"]
    # README: HX004's 2025 line, 15,175.71 of which 4,552.00 became shares
    assert body["HX004"][4:] == ["24,400.00", "12,637.88", "30,237.84", "2,537.83", "15,175.71",
                                 "4,552.00"]
    for row in body.values():
        patronage, rest, total = (int(row[i].replace(",", "").replace(".", "")) for i in (5, 7, 8))
        assert patronage + rest == total, row
    foot = _cells(html, "tfoot")[0]
    assert foot[0] == f"合计 {plan['line_count']} 名"
    assert foot[1:] == [format_yuan(v) for v in (
        plan["transactions"], plan["patronage_pool_fen"], plan["rest_weight"],
        plan["capital_pool_fen"], plan["patronage_pool_fen"] + plan["capital_pool_fen"],
        plan["converted_lines"])]
    assert plan["converted_lines"] == plan["converted_fen"]
    # the collective has no ID number: a dash, not a blank
    assert body["JT001"][3] == "—"
    assert "按股分红" not in html and "股份类别" not in html


def test_every_line_for_print_carries_the_same_columns(app, fsc_demo):
    plan_id, plan = _plan(app, fsc_demo, 2024)
    with app.app_context():
        p = db.session.get(DividendPlan, plan_id)
        rows = notice.notice_rows(p)
        assert [c.heading for c in rows.columns] == FSC_HEAD[4:-1]  # 2024 turned nothing into capital
        listed = list(rows)
        assert len(listed) == plan["line_count"]
        assert sum(r.patronage_fen for r in listed) == plan["patronage_pool_fen"]
        assert sum(r.capital_fen for r in listed) == plan["capital_pool_fen"]
        assert [c.total_fen for c in rows.columns] == [
            plan["transactions"], plan["patronage_pool_fen"], plan["rest_weight"],
            plan["capital_pool_fen"], plan["patronage_pool_fen"] + plan["capital_pool_fen"]]


def test_a_joint_stock_plan_keeps_its_columns(app, client, auth, demo):
    plan_id, plan = _plan(app, demo, 2024)
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    html = client.get(f"/dividends/{plan_id}/notice").get_data(as_text=True)
    assert _cells(html, "thead") == [JOINT_STOCK_HEAD]
    body = {row[1]: row for row in _cells(html, "tbody")}
    assert body["CY0003"][4:] == ["村民股", "1,600", "57.40"]  # README
    assert "交易额" not in html and "按交易量返还（元）" not in html


def test_a_line_without_shares_says_so(app, client, auth, demo):
    """A line whose holder had no shares on the record date (a share-days
    plan pays one who sold during the year): its class reads 无股份."""
    plan_id, _ = _plan(app, demo, 2024)
    with app.app_context():
        line = db.session.scalar(select(DividendLine).where(
            DividendLine.plan_id == plan_id, DividendLine.member_no == "CY0003"))
        line.share_class, line.shares = "", 0
        db.session.commit()
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    html = client.get(f"/dividends/{plan_id}/notice?q=CY0003").get_data(as_text=True)
    assert _cells(html, "tbody") and _cells(html, "tbody")[0][4:6] == ["无股份", "0"]


def test_the_printable_notice_of_every_line_has_the_plans_columns(app, client, auth, fsc_demo):
    plan_id, plan = _plan(app, fsc_demo, 2025)
    auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/dividends/{plan_id}/notice?all=1").get_data(as_text=True)
    assert _cells(html, "thead") == [FSC_HEAD]
    assert len(_cells(html, "tbody")) == plan["line_count"]
    assert _cells(html, "tfoot")[0][1:] == [format_yuan(v) for v in (
        plan["transactions"], plan["patronage_pool_fen"], plan["rest_weight"],
        plan["capital_pool_fen"], plan["patronage_pool_fen"] + plan["capital_pool_fen"],
        plan["converted_lines"])]
