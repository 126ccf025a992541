"""The second demo cooperative hxnj (issue 14): a farmers' specialized
machinery cooperative, so that the specialized mode can be seen. Its
regime and mode, member and non-member business in every year, the plans
approved by FSC member assemblies and paid, the logins, and the two demo
cooperatives kept apart."""
from datetime import date

import pytest
from sqlalchemy import func, select

from coop.accounts.api import AccountEntry, year_grants_fen
from coop.config import DEMO_PASSWORD
from coop.cooperatives.models import Cooperative, YearClose
from coop.cooperatives.services import get_by_code
from coop.demo import FSC_LOGINS, load_fsc_demo
from coop.dividends.models import DividendLine, DividendPlan
from coop.extensions import db
from coop.governance.models import AgendaItem, Meeting
from coop.idcodes import uscc_error
from coop.machinery.models import OutsideClient, ServiceOrder
from coop.members.models import Member
from coop.shares.models import ShareEntry
from coop.shares.register import member_total_shares


def _coop(code: str) -> Cooperative:
    return get_by_code(code)


def test_hxnj_is_a_specialized_cooperative_by_the_book(app, fsc_demo):
    with app.app_context():
        coop = _coop(fsc_demo)
        assert coop.legal_regime == "specialized" and coop.distribution_mode == "specialized"
        assert uscc_error(coop.credit_code) is None and coop.credit_code.startswith("93")
        assert coop.patronage_rate_bp >= 6000 and coop.notice_days >= 15
        members = list(db.session.scalars(select(Member).where(Member.cooperative_id == coop.id)))
        assert 30 <= len(members) <= 50
        assert [m.name for m in members if m.kind == "collective"] == ["红星村股份经济合作社"]
        kinds = set(db.session.scalars(select(ShareEntry.contribution_kind).where(
            ShareEntry.cooperative_id == coop.id, ShareEntry.entry_kind == "subscribe")))
        assert {"cash", "in_kind"} <= kinds
        collective = next(m for m in members if m.kind == "collective")
        total = db.session.scalar(select(func.sum(ShareEntry.shares)).where(
            ShareEntry.cooperative_id == coop.id))
        assert total == 1_090_000 + 80_568  # README: the 2025 plan's conversion
        # the collective holds about a fifth; no one passes the charter's cap
        assert 1200 <= member_total_shares(collective.id) * 10_000 // total <= 2600
        assert all(member_total_shares(m.id) * 10_000 <= coop.member_cap_bp * total
                   for m in members)
        # the state grant: a machine and an income that is not distributable
        closes = {c.year: c for c in db.session.scalars(select(YearClose).where(
            YearClose.cooperative_id == coop.id))}
        # README: the founding December's depreciation, then two good years
        assert [closes[y].surplus_fen for y in (2023, 2024, 2025)] == [
            -4_156_24, 264_180_75, 298_475_44]
        assert closes[2024].nondistributable_income_fen > 0
        assert closes[2025].nondistributable_income_fen > 0


def test_member_and_non_member_business_both_run_every_year(app, fsc_demo):
    with app.app_context():
        coop_id = _coop(fsc_demo).id
        for year in (2024, 2025, 2026):
            rows = dict(db.session.execute(
                select(ServiceOrder.member_id.is_not(None), func.sum(ServiceOrder.amount_fen))
                .where(ServiceOrder.cooperative_id == coop_id,
                       ServiceOrder.service_on.between(date(year, 1, 1), date(year, 12, 31)))
                .group_by(ServiceOrder.member_id.is_not(None))).all())
            assert rows.get(True, 0) > 0 and rows.get(False, 0) > 0, year
        kinds = set(db.session.scalars(select(OutsideClient.kind).where(
            OutsideClient.cooperative_id == coop_id)))
        assert {"village", "company", "individual"} <= kinds
        assert db.session.scalar(select(func.count()).select_from(ServiceOrder).where(
            ServiceOrder.cooperative_id == coop_id)) <= 400


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_approved_plans_add_up(app, fsc_demo, year):
    with app.app_context():
        coop = _coop(fsc_demo)
        plan = db.session.scalar(select(DividendPlan).where(
            DividendPlan.cooperative_id == coop.id, DividendPlan.year == year))
        close = db.session.scalar(select(YearClose).where(
            YearClose.cooperative_id == coop.id, YearClose.year == year))
        assert plan.status == "paid" and plan.mode == "specialized" and not plan.is_preview
        assert plan.surplus_fen == close.surplus_fen > 0
        assert plan.service_income_members_fen > 0 and plan.service_income_nonmembers_fen > 0
        # art 44: the reserve first, then at least 60 % back by the members' transactions
        assert plan.reserve_fen == (plan.surplus_fen * coop.reserve_rate_bp + 5_000) // 10_000
        assert plan.distributable_fen == plan.surplus_fen - plan.reserve_fen
        assert plan.patronage_pool_fen * 10_000 >= 6_000 * plan.distributable_fen
        assert plan.patronage_pool_fen + plan.capital_pool_fen == plan.distributable_fen
        lines = db.session.execute(select(
            func.sum(DividendLine.patronage_fen), func.sum(DividendLine.capital_fen),
            func.sum(DividendLine.total_fen), func.sum(DividendLine.transactions_fen),
            func.count()).where(DividendLine.plan_id == plan.id)).one()
        assert lines[:3] == (plan.patronage_pool_fen, plan.capital_pool_fen,
                             plan.distributable_fen)
        # the patronage basis is the members' business of the year, all of it
        assert lines[3] == plan.total_transactions_fen == plan.service_income_members_fen
        assert lines[4] == plan.line_count
        unpaid = db.session.scalar(select(func.count()).select_from(DividendLine).where(
            DividendLine.plan_id == plan.id, DividendLine.total_fen > 0,
            DividendLine.paid_on.is_(None)))
        assert unpaid == 0
        # approved by an FSC member assembly: one basic vote each and the
        # charter's extra votes by capital (the collective and HX009, 2 each:
        # at most 20 % of the basic votes, art 22), more than half of all the
        # votes, two thirds present, disclosed 15 days before
        item = db.session.scalar(select(AgendaItem).where(AgendaItem.plan_id == plan.id))
        meeting = db.session.get(Meeting, item.meeting_id)
        assert meeting.regime == "specialized" and meeting.body == "assembly"
        assert item.outcome == "passed" and item.quorum_met
        assert meeting.extra_votes == 4 and 5 * meeting.extra_votes <= item.entitled
        assert item.total_votes == item.entitled + meeting.extra_votes
        assert (item.present, item.entitled, item.votes_for, item.total_votes) == {
            2024: (35, 39, 37, 43), 2025: (39, 43, 40, 47)}[year]  # README
        assert 2 * item.votes_for > item.total_votes and 3 * item.present >= 2 * item.entitled
        assert item.disclosed_days >= 15
        # art 42-43: the year's reserve and grants quantified to the members' accounts
        quantified = dict(db.session.execute(
            select(AccountEntry.kind, func.sum(AccountEntry.amount_fen))
            .where(AccountEntry.cooperative_id == coop.id, AccountEntry.year == year)
            .group_by(AccountEntry.kind)).all())
        assert quantified == {"reserve": plan.reserve_fen, "grant": year_grants_fen(coop.id, year)}
        assert quantified["grant"] == close.nondistributable_income_fen + (86_000_00 if year == 2024
                                                                           else 0)
        # art 44 para 3: 2025 turned 30 % of each member's share into capital
        converted = db.session.execute(select(
            func.sum(DividendLine.converted_fen), func.sum(DividendLine.converted_shares))
            .where(DividendLine.plan_id == plan.id)).one()
        entries = db.session.execute(
            select(func.count(), func.sum(ShareEntry.shares), func.min(ShareEntry.resolution_no))
            .where(ShareEntry.cooperative_id == coop.id, ShareEntry.contribution_kind == "surplus")
            .where(ShareEntry.effective_on.between(date(year + 1, 1, 1), date(year + 1, 12, 31)))
        ).one()
        if year == 2024:
            assert plan.conversion_bp == 0 and converted == (0, 0) and entries[0] == 0
        else:
            assert plan.conversion_bp == 3000
            assert converted[0] == converted[1] * coop.par_value_fen > 0
            assert abs(converted[0] - plan.distributable_fen * 3 // 10) < 100 * plan.line_count
            converting = db.session.scalar(select(func.count()).select_from(DividendLine).where(
                DividendLine.plan_id == plan.id, DividendLine.converted_shares > 0))
            assert entries == (converting, converted[1], item.resolution_no)


def test_the_staff_and_the_member_log_in(client, auth, fsc_demo):
    for _, username, password in FSC_LOGINS:
        assert auth.login(username, password, coop=fsc_demo).status_code == 302, username
        page = client.get("/").get_data(as_text=True)
        assert "红星农机专业合作社" in page
        auth.logout()
    assert auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo).status_code == 302
    home = client.get("/me/").get_data(as_text=True)
    assert "HX004" in home or "红星" in home
    # a farmers' cooperative has no village secretary: its members ask the chair
    assert "忘记密码请找合作社理事长重置" in home and "村书记" not in home
    assert "2025 年度" in client.get("/me/dividends").get_data(as_text=True)


def test_the_demo_command_loads_both_and_prints_their_logins(app, runner, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for expected in ("wljs", "shuji", "CY0003", "hxnj", "hx-shuji", "hx-kuaiji", "hx-jianshi",
                     "HX004", DEMO_PASSWORD, "合作社或辖区代码 bt-demo  用户名 xian-jg",
                     "合作社或辖区代码 bt-beh  用户名 beh-jg"):
        assert expected in result.output, expected
    with app.app_context():
        assert {c.code for c in db.session.scalars(select(Cooperative))} == {
            "wljs", "hxnj", "hyht", "mhd", "dtc"}  # the demo county's small ones too
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "hx-shuji" in again.output and "xian-jg" in again.output

    # the demo county (issue 20): the county's overseer reads all five, the
    # township's the three of 卜尔汉图镇, not hxnj of 萨拉齐镇
    login = {"username": "xian-jg", "password": DEMO_PASSWORD}
    assert client.post("/login", data={**login, "coop": "bt-demo"}).status_code == 302
    overview = client.get("/oversight/").get_data(as_text=True)
    for name in ("乌兰计三村股份经济合作社", "土默特右旗红星农机专业合作社", "哈业胡同村", "毛忽洞村", "大台村"):
        assert name in overview, name
    assert client.get("/oversight/coops/hxnj").status_code == 302
    assert "大台村" not in client.get("/members/").get_data(as_text=True)
    client.post("/logout")
    login = {"username": "beh-jg", "password": DEMO_PASSWORD}
    assert client.post("/login", data={**login, "coop": "bt-beh"}).status_code == 302
    overview = client.get("/oversight/").get_data(as_text=True)
    assert "哈业胡同村" in overview and "乌兰计三村" in overview and "红星" not in overview
    assert client.get("/oversight/coops/hxnj").status_code == 404
    assert client.get("/oversight/coops/hyht").status_code == 302
    roster = client.get("/members/").get_data(as_text=True)
    assert "哈业胡同村集体经济组织" in roster


def test_the_two_demo_cooperatives_cannot_see_each_other(app, client, auth, demo, fsc_demo):
    with app.app_context():
        ids = {}
        for code in (demo, fsc_demo):
            coop_id = _coop(code).id
            ids[code] = (
                db.session.scalar(select(Member.id).where(Member.cooperative_id == coop_id)
                                  .order_by(Member.id.desc()).limit(1)),
                db.session.scalar(select(DividendPlan.id).where(
                    DividendPlan.cooperative_id == coop_id, DividendPlan.year == 2024)),
                db.session.scalar(select(Meeting.id).where(Meeting.cooperative_id == coop_id)
                                  .order_by(Meeting.id.desc()).limit(1)))
    # a member number or a staff login of one is not a login of the other
    assert auth.login("HX004", DEMO_PASSWORD, coop=demo).status_code != 302
    assert auth.login("CY0003", DEMO_PASSWORD, coop=fsc_demo).status_code != 302
    assert auth.login("hx-shuji", DEMO_PASSWORD, coop=demo).status_code != 302
    for (mine, staff), other in (((fsc_demo, "hx-shuji"), demo), ((demo, "shuji"), fsc_demo)):
        assert auth.login(staff, DEMO_PASSWORD, coop=mine).status_code == 302
        member_id, plan_id, meeting_id = ids[other]
        for url in (f"/members/{member_id}", f"/dividends/{plan_id}",
                    f"/meetings/{meeting_id}"):
            assert client.get(url).status_code == 404, (staff, url)
        auth.logout()
    for (mine, member_no), other in (((fsc_demo, "HX004"), demo), ((demo, "CY0003"), fsc_demo)):
        assert auth.login(member_no, DEMO_PASSWORD, coop=mine).status_code == 302
        _, _, meeting_id = ids[other]
        assert client.get(f"/me/meetings/{meeting_id}").status_code == 404
        assert client.get(f"/members/{ids[other][0]}").status_code in (403, 404)
        auth.logout()


def test_hxnj_tells_the_same_2024_and_2025_on_any_day_after_the_2025_payment(app, wall_clock):
    """As wljs (tests/test_demo_every_day.py): history is fixed, only the
    current year follows the date; before 2026-03-25 the 2025 plan has only
    got as far as that day (here: disclosed, its assembly still to come)."""
    seen = []
    with app.app_context():
        wall_clock.set(date(2026, 3, 1))
        coop_id = load_fsc_demo().id
        plans = {p.year: p for p in db.session.scalars(select(DividendPlan).where(
            DividendPlan.cooperative_id == coop_id))}
        assert (plans[2024].status, plans[2025].status) == ("paid", "draft")
        assert plans[2025].reviewed_at is not None and plans[2025].disclosed_on == date(2026, 2, 24)
        db.session.rollback()
        for day in (date(2026, 3, 25), date(2027, 8, 1)):
            wall_clock.set(day)
            coop_id = load_fsc_demo().id
            plans = sorted(db.session.execute(
                select(DividendPlan.year, DividendPlan.status, DividendPlan.surplus_fen,
                       DividendPlan.patronage_pool_fen, DividendPlan.capital_pool_fen)
                .where(DividendPlan.cooperative_id == coop_id)).all())
            lines = sorted(db.session.execute(
                select(DividendLine.member_no, DividendLine.total_fen, DividendLine.paid_on)
                .join(DividendPlan, DividendPlan.id == DividendLine.plan_id)
                .where(DividendPlan.cooperative_id == coop_id)).all())
            orders = sorted(db.session.execute(
                select(ServiceOrder.order_no, ServiceOrder.amount_fen)
                .where(ServiceOrder.cooperative_id == coop_id,
                       ServiceOrder.service_on <= date(2025, 12, 31))).all())
            assert db.session.scalar(select(func.max(ServiceOrder.service_on)).where(
                ServiceOrder.cooperative_id == coop_id)) <= day
            seen.append((plans, lines, orders))
            db.session.rollback()
    assert seen[0] == seen[1]
    assert [p[:2] for p in seen[0][0]] == [(2024, "paid"), (2025, "paid")]


def test_the_hxnj_member_sees_what_the_readme_says(app, client, auth, fsc_demo):
    """README, demo section of hxnj: HX004's capital, the two paid plans
    (2025's partly turned into his capital) and his member account."""
    assert auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo).status_code == 302
    home = client.get("/me/").get_data(as_text=True)
    assert "韩占奎" in home and "27,552 股" in home
    dividends = client.get("/me/dividends").get_data(as_text=True)
    for expected in ("10,470.43", "15,175.71", "2025-03-25", "2026-03-25"):
        assert expected in dividends, expected
    with app.app_context():
        line_id = db.session.scalar(
            select(DividendLine.id).join(DividendPlan, DividendPlan.id == DividendLine.plan_id)
            .where(DividendPlan.cooperative_id == _coop(fsc_demo).id, DividendPlan.year == 2025,
                   DividendLine.member_no == "HX004"))
    line = client.get(f"/me/dividends/{line_id}").get_data(as_text=True)
    for expected in ("15,175.71", "4,552.00", "10,623.71"):
        assert expected in line, expected
    holdings = client.get("/me/holdings").get_data(as_text=True)
    for expected in ("23,000", "+4,552", "2026-03-25"):
        assert expected in holdings, expected
    account = client.get("/me/account").get_data(as_text=True)
    for expected in ("1,533.14", "2,340.35", "2,666.67", "697.68"):
        assert expected in account, expected


def test_the_hxnj_member_reads_his_account_and_the_office_every_account(client, auth, fsc_demo):
    """The member accounts (art 43) of the demo: HX004's capital and his
    business with the cooperative year by year; the office's list of 2025
    shows member and non-member business apart (art 41)."""
    assert auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo).status_code == 302
    account = client.get("/me/account").get_data(as_text=True)
    for expected in ("23,000.00", "16,985.00", "24,400.00"):
        assert expected in account, expected
    auth.logout()
    assert auth.login("hx-kuaiji", DEMO_PASSWORD, coop=fsc_demo).status_code == 302
    office = client.get("/accounts/?year=2025").get_data(as_text=True)
    for expected in ("韩占奎", "311,184.50", "268,386.00", "1,090,000.00"):
        assert expected in office, expected
