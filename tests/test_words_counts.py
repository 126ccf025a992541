"""户 counts households and 人 counts people, on the demo wljs, where the two
differ (about 200 members in fewer households): the plan list, the plan's
payment progress, the printed notice and the members' notice page."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.models import Cooperative
from coop.dividends.models import DividendLine, DividendPlan
from coop.extensions import db
from coop.members.models import Member


def _numbers_before(word: str, html: str) -> set[int]:
    text = re.sub(r"<[^>]+>", "", html)
    return {int(n.replace(",", "")) for n in re.findall(rf"([\d,]+)\s*{word}(?![号名主])", text)}


def _world(app):
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "wljs"))
        households = db.session.scalar(select(func.count(func.distinct(Member.household_no))).where(
            Member.cooperative_id == coop.id, Member.household_no != "")) or 0
        plan = db.session.scalar(select(DividendPlan).where(
            DividendPlan.cooperative_id == coop.id, DividendPlan.year == 2024,
            DividendPlan.superseded_by_id.is_(None)).order_by(DividendPlan.version_no.desc()))
        lines = db.session.scalar(select(func.count()).select_from(DividendLine).where(
            DividendLine.plan_id == plan.id))
        paid = db.session.scalar(select(func.count()).select_from(DividendLine).where(
            DividendLine.plan_id == plan.id, DividendLine.paid_on.is_not(None)))
        payable = db.session.scalar(select(func.count()).select_from(DividendLine).where(
            DividendLine.plan_id == plan.id, DividendLine.total_fen > 0))
        return {"households": households, "plan_id": plan.id, "lines": lines, "paid": paid,
                "payable": payable, "households_total": plan.households_total,
                "households_present": plan.households_present, "vote_unit": plan.vote_unit,
                "votes_for": plan.votes_for}


def test_households_and_people_differ_on_the_demo(app, demo):
    w = _world(app)
    assert w["households"] != w["lines"] and w["lines"] > 0


def test_the_plan_pages_count_people_as_people(app, client, auth, demo):
    w = _world(app)
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    listing = client.get("/dividends/").get_data(as_text=True)
    assert '<th class="num">人数</th>' in listing and '<th class="num">户数</th>' not in listing
    assert f'<td class="num">{w["lines"]}</td>' in listing

    detail = client.get(f"/dividends/{w['plan_id']}").get_data(as_text=True)
    assert f"已发放 {w['paid']} / {w['payable']} 人" in detail
    assert f"{w['lines']} 名成员" in detail
    # every 户 on the page is a count of households (the old rule's typed vote)
    assert _numbers_before("户", detail) <= {w["households_total"], w["households_present"],
                                             *_old_rule_votes(app, w)}


def _old_rule_votes(app, w) -> set[int]:
    with app.app_context():
        plan = db.session.get(DividendPlan, w["plan_id"])
        return {plan.votes_for or 0, plan.votes_against or 0, plan.votes_abstain or 0}


def test_the_members_notice_counts_people(app, client, auth, demo):
    w = _world(app)
    assert auth.login("CY0003", DEMO_PASSWORD, coop=demo).status_code == 302
    notice = client.get("/me/notice").get_data(as_text=True)
    assert "2024 年度收益分配方案公示" in notice
    assert f"分配明细（{w['lines']} 人）" in notice and "户/人" not in notice
    assert f"赞成 {w['votes_for']} {w['vote_unit']}" in notice
    # 户 only where households voted (the 2024 plan was approved under the old rule)
    assert _numbers_before("户", notice) <= {w["households_total"], w["households_present"],
                                             *_old_rule_votes(app, w)}


def test_the_home_page_counts_households_without_the_collective(app, client, auth, demo):
    with app.app_context():
        coop_id = db.session.scalar(select(Cooperative.id).where(Cooperative.code == "wljs"))
        households = db.session.scalar(select(func.count(func.distinct(Member.household_no))).where(
            Member.cooperative_id == coop_id, Member.household_no != "", Member.status == "active"))
        people = db.session.scalar(select(func.count()).select_from(Member).where(
            Member.cooperative_id == coop_id, Member.status == "active"))
    auth.login("shuji", DEMO_PASSWORD, coop=demo)
    home = client.get("/").get_data(as_text=True)
    figure = re.search(r'data-key="households">.*?figure-value">([\d,]+)<', home, re.S)
    assert figure and int(figure.group(1).replace(",", "")) == households
    members = re.search(r'data-key="members">.*?figure-value">([\d,]+)<', home, re.S)
    assert members and int(members.group(1).replace(",", "")) == people
