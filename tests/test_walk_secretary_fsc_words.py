"""The secretary of a farmers' specialized cooperative (the demo hxnj, as on
2026-03-01: the 2025 plan reviewed and open to the members, the assembly not
held yet) reads the FSC's words, not the village collective's: the title,
the votes, the statuses, the agenda, the disclosure; a plan put on the
agenda names itself; the members' login slips say who sets the address."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.disclosure import services
from coop.disclosure.rules import Period
from coop.errors import ServiceError
from coop.extensions import db
from coop.governance.agenda_sources import PlanChoice, plan_choices
from coop.governance.meetings import cancel_meeting
from coop.governance.models import AgendaItem, Meeting

pytestmark = pytest.mark.now("2026-03-01")

RCEO_WORDS = ("《农村集体经济组织法》", "书记（管理员）", "村股份合作社管理系统", "有表决权的户")


@pytest.fixture
def chair(client, auth, fsc_demo):
    assert auth.login("hx-shuji", DEMO_PASSWORD, coop=fsc_demo).status_code == 302
    return client


def _text(html: str, element_id: str, end: str = "</") -> str:
    """The text of the element ``element_id`` up to ``end`` (its first closing tag)."""
    start = html.index(f'id="{element_id}"')
    return re.sub(r"<[^>]+>", "", html[html.index(">", start) + 1:html.index(end, start)])


def test_the_chair_is_named_so_and_the_roster_counts_votes_per_member(chair):
    page = chair.get("/members/").get_data(as_text=True)
    assert "赵振华 · 理事长（管理员）" in page
    voters = re.sub(r"<[^>]+>", "", page[page.index('id="voters"'):page.index("</span>。")])
    assert "有表决权的成员 43 名" in voters and "第二十二条" in voters
    for words in RCEO_WORDS:
        assert words not in page, words
    # membership is not confirmed by the assembly here (RCEO art 12): no such statuses to filter
    status = page[page.index('name="status"'):]
    status = status[:status.index("</select>")]
    assert "在册" in status and "已退社" in status
    assert "待确认" not in status and "未确认为成员" not in status and "已丧失成员身份" not in status
    households = chair.get("/members/households").get_data(as_text=True)
    assert "有在册成员的户" in households and "有表决权的户" not in households
    assert "理事长（管理员）" in chair.get("/users").get_data(as_text=True)


def test_the_disclosure_rests_on_the_charter_and_fsc_art_21(chair):
    page = chair.get("/disclosure/").get_data(as_text=True)
    basis = _text(page, "disclosure-basis")
    assert "本社章程" in basis and "《农民专业合作社法》第二十一条" in basis
    assert "农村集体经济组织法" not in basis and "村民委员会组织法" not in basis
    home = chair.get("/").get_data(as_text=True)
    if 'id="disclosure-overdue"' in home:
        assert "《农民专业合作社法》第二十一条" in _text(home, "disclosure-overdue", "</section>")
        assert "第四十五条" not in home


def test_the_charter_page_hints_at_the_fsc(chair):
    page = chair.get("/charter").get_data(as_text=True)
    assert "不按股份类别控股" in _text(page, "share-class-hint")
    assert "第四十条" in page and "第二十一条" in page
    assert "成员入社、除名表决比例" in page and "成员身份确认" not in page
    assert "农村集体经济组织不少于 10 日" not in page
    # the patronage floor is of what the reserve leaves, and the funds must leave it (art 44)
    assert "不低于弥补亏损、提取公积金后可分配盈余的 60%（《农民专业合作社法》第四十四条）" in page
    assert "(100% − 公积金比例) × (100% − 返还比例)" in page


def test_the_agenda_speaks_of_joining_and_of_the_surplus(chair, app):
    page = chair.get("/meetings/new").get_data(as_text=True)
    kinds = page[page.index('name="items-0-kind"'):]
    kinds = kinds[:kinds.index("</select>")]
    assert "成员入社、除名" in kinds and "盈余分配方案" in kinds and "成员身份确认" not in kinds
    assert 'name="items-0-membership_list_id"' not in page  # confirmation lists are the RCEO's


def test_a_plan_on_the_agenda_names_the_item_when_its_title_is_left_empty(chair, app):
    with app.app_context():
        coop = get_by_code("hxnj")
        [choice] = [c for c in plan_choices(coop.id) if c.year == 2025]
        # the demo's assembly of 2026-03-12 has the plan on its agenda: called off
        held = db.session.scalar(select(Meeting).join(AgendaItem).where(
            AgendaItem.plan_id == choice.plan_id))
        cancel_meeting(held, held.version)
        db.session.commit()
    assert choice.agenda_title == "2025 年度盈余分配方案（第 1 版）"
    assert "已向成员公开" in choice.progress and "草案" not in choice.agenda_title
    page = chair.get("/meetings/new").get_data(as_text=True)
    assert f'<option value="{choice.plan_id}">{choice.option_label}</option>' in page
    resp = chair.post("/meetings/", data={
        "body": "assembly", "title": "2025 年度成员大会", "meeting_on": "2026-03-20",
        "notice_on": "2026-03-01", "starts_at": "09:00", "place": "合作社会议室", "convened_by": "理事会",
        "items-0-kind": "", "items-0-title": "", "items-0-plan_id": str(choice.plan_id)})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    with app.app_context():
        item = db.session.scalar(select(AgendaItem).join(Meeting).where(
            AgendaItem.plan_id == choice.plan_id, Meeting.title == "2025 年度成员大会"))
        assert (item.kind, item.title) == ("distribution", choice.agenda_title)
        assert item.kind_label == "盈余分配方案"


def test_a_plan_choice_lists_its_progress_and_titles_the_item_without_it():
    choice = PlanChoice(7, 2025, "2025 年度盈余分配方案（第 1 版，草案）",
                        title="2025 年度盈余分配方案（第 1 版）", progress="草案（已向成员公开，待会议表决）")
    assert choice.agenda_title == "2025 年度盈余分配方案（第 1 版）"
    assert choice.option_label == "2025 年度盈余分配方案（第 1 版） · 草案（已向成员公开，待会议表决）"
    old = PlanChoice(7, 2025, "2025 年度收益分配方案（第 1 版，草案）")
    assert old.agenda_title == old.option_label == old.label


def test_the_login_page_names_no_one_regime_before_the_cooperative_is_known(client, fsc_demo, demo):
    page = client.get("/login").get_data(as_text=True)
    assert _text(page, "system-title") == "合作社管理系统"
    assert "村股份合作社" not in page


def test_the_login_slips_say_who_sets_the_address(app, chair):
    app.config["COOP_PUBLIC_URL"] = None
    page = chair.get("/member-logins").get_data(as_text=True)
    warning = _text(page, "missing-public-url")
    assert "COOP_PUBLIC_URL" not in warning and "环境变量" not in warning
    assert "还没有设置成员用手机能打开的网址" in warning
    assert "安装本系统的技术人员（系统管理员）" in warning and "手写" in warning


def test_a_disclosures_refusals_cite_the_charter_and_the_fsc(app, fsc_demo):
    """Publishing a quarter twice, or too early, is refused citing what a
    specialized cooperative's disclosure rests on, not the RCEO or the
    Village Committee Organization Law."""
    with app.app_context():
        coop = get_by_code(fsc_demo)
        q4 = Period(2025, "quarter", 4)
        services.publish(coop, q4, date(2026, 1, 10), None)
        with pytest.raises(ServiceError) as again:
            services.publish(coop, q4, date(2026, 1, 12), None)
        with pytest.raises(ServiceError) as early:
            services.publish(coop, Period(2026, "quarter", 1), date(2026, 3, 1), None)
        db.session.rollback()
    assert str(again.value).startswith("本社章程、《农民专业合作社法》第二十一条：2025 年第四季度已于 2026-01-10 公开")
    assert str(early.value).startswith("本社章程：财务公开按期进行")
    for message in (str(again.value), str(early.value)):
        assert "农村集体经济组织法" not in message and "村民委员会组织法" not in message


def test_the_menu_home_meetings_households_and_disputes_speak_the_fsc(chair, app):
    home = chair.get("/").get_data(as_text=True)
    assert ">盈余分配</a>" in home and ">分红</a>" not in home
    assert "名册备案（登记机关）" in home and "乡镇、县农业农村部门" not in home
    meetings = chair.get("/meetings/").get_data(as_text=True)
    assert "盈余分配方案、章程修改、成员入社和除名等事项" in meetings and "成员身份确认" not in meetings
    with app.app_context():
        from coop.members.api import Member
        coop = get_by_code("hxnj")
        household = db.session.scalar(select(Member.household_no).where(
            Member.cooperative_id == coop.id, Member.household_no > "").limit(1))
    page = chair.get(f"/membership/households/{household}").get_data(as_text=True)
    assert "成员入社、退社在成员页面办理" in page and "因出生、结婚、收养" not in page
    new = chair.get("/membership/disputes/new").get_data(as_text=True)
    assert "要求撤销除名决定" in new and "婚姻迁入" not in new and "concerns_women" not in new
    form = chair.get("/members/new").get_data(as_text=True)
    assert "表决按成员计，不按户" in form and "同户委托" not in form
    households = chair.get("/members/households").get_data(as_text=True)
    assert "<h1>按户查看</h1>" in households and "<th>基本表决权</th>" in households
    assert "附加表决权按章程在每次成员大会召开时计算（《农民专业合作社法》第二十二条）" in households
    assert "<td>1 票</td>" in households and "户与表决权" not in households


def test_the_distribution_page_offers_the_year_awaiting_its_plan_not_a_loss_year(chair):
    """hxnj closed 2023 with a loss: it never gets a plan, and must not stay
    the year the page offers first."""
    page = chair.get("/dividends/").get_data(as_text=True)
    selected = re.findall(r'<option selected value="(\d{4})">', page)
    assert selected == ["2025"], selected
    assert "<h1>年度盈余分配</h1>" in page and "年度分红" not in page


@pytest.mark.parametrize("closed,planned,awaiting,expected", [
    ({2023, 2024, 2025}, {2024, 2025}, {}, 2026),            # 2023 a loss: never offered
    ({2023, 2024, 2025}, {2024}, {2025: 100}, 2025),          # the year waiting for its plan
    ({2024, 2025}, set(), {2024: 100, 2025: 100}, 2025),      # 2024's surplus went on into 2025
    ({2024}, set(), {2024: 100}, 2024),
])
def test_the_year_offered_first(monkeypatch, closed, planned, awaiting, expected):
    from coop.dividends import reading

    monkeypatch.setattr(reading, "closed_years", lambda coop_id: sorted(closed))
    monkeypatch.setattr(reading, "effective_plan", lambda coop_id, year: object() if year in planned else None)
    monkeypatch.setattr(reading, "awaiting_plan_fen", lambda coop_id, year: awaiting.get(year, 0))
    monkeypatch.setattr(reading, "plan_years", lambda coop_id: [2026, 2025, 2024, 2023])
    assert reading.default_year(1) == expected
