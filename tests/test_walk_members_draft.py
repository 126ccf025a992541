"""A distribution plan disclosed to the members before the assembly (FSC art
40, RCEO art 46) is theirs to read on /me/ from its disclosure date: on the
home page, 我的分红, 分红公示 and 财务公开 as a card marked 草案已公开、待成员大会表决
with the assembly's date once one is convened, with the member's own line
and its parts; and whole on /me/plans/<id>. Before the disclosure date, and
once the plan is approved, there is no draft to show. The laws cited follow
the cooperative's regime."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.api import get_by_code
from coop.dividends import approval
from coop.dividends.api import DividendPlan
from coop.extensions import db
from tests.conftest import PASSWORD

PAGES = ("/me/", "/me/dividends", "/me/notice", "/me/disclosures")
RCEO, FSC = "《农村集体经济组织法》", "《农民专业合作社法》"


def _text(client, url: str) -> str:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True)))


def _plan_id(app, code: str, year: int) -> int:
    with app.app_context():
        return db.session.scalar(select(DividendPlan.id).where(
            DividendPlan.cooperative_id == get_by_code(code).id, DividendPlan.year == year))


# -- hxnj on 1 March 2026: the 2025 plan disclosed on 24 February, the
# assembly on 12 March (README) --------------------------------------------------


@pytest.mark.now("2026-03-01")
def test_the_disclosed_plan_is_on_every_members_page(app, client, auth, fsc_demo):
    draft = _plan_id(app, fsc_demo, 2025)
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    for url in PAGES:
        text = _text(client, url)
        assert "2025 年度盈余分配方案（草案）" in text, url
        # README: HX004's 2025 line, 12,637.88 by his transactions and 2,537.83 by the rest
        assert ("15,175.71 元 拟分配给您：按交易量返还 12,637.88 元，"
                "按出资额、公积金份额和补助量化返还 2,537.83 元") in text, url
        assert "草案已公开、待成员大会表决 2026-03-12 召开成员大会" in text, url
        assert f'href="/me/plans/{draft}"' in client.get(url).get_data(as_text=True)
    # the paid 2024 line is still there, and 2025 is not called approved
    dividends = _text(client, "/me/dividends")
    assert "2024 年度 10,470.43 元 已发放" in dividends
    assert "还没有经成员大会表决通过" not in dividends


@pytest.mark.now("2026-03-01")
def test_the_draft_page_shows_the_members_line_and_every_line(app, client, auth, fsc_demo):
    draft = _plan_id(app, fsc_demo, 2025)
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    html = client.get(f"/me/plans/{draft}").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2025 年度盈余分配方案（草案）公开查阅" in text
    assert "草案已公开、待成员大会表决" in text and "将提交 2026-03-12 召开的成员大会表决" in text
    assert f"会议召开前供成员查阅（{FSC}第四十条）" in text and RCEO not in text
    card = re.search(r'<section class="pt-card" id="my-line">(.*?)</section>', html, re.S).group(1)
    card = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card))
    assert "按此方案我可分得 15,175.71 元" in card
    assert "按交易量返还 12,637.88 元" in card and "其中拟转为出资（4,552 股） 4,552.00 元" in card
    assert html.count('class="pt-mine"') == 1 and "拟分配明细（43 人）" in text
    # the approved 2024 plan is not a draft: no page of this kind
    assert client.get(f"/me/plans/{_plan_id(app, fsc_demo, 2024)}").status_code == 404


@pytest.mark.now("2026-02-23")
def test_nothing_before_the_disclosure_date(app, client, auth, fsc_demo):
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    for url in PAGES:
        assert "（草案）" not in _text(client, url), url
    assert client.get(f"/me/plans/{_plan_id(app, fsc_demo, 2025)}").status_code == 404


def test_nothing_once_the_plan_is_approved(app, client, auth, fsc_demo):
    """The suite's day (2026-06-15): the 2025 plan was approved and paid."""
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    for url in PAGES:
        assert "（草案）" not in _text(client, url), url
    assert client.get(f"/me/plans/{_plan_id(app, fsc_demo, 2025)}").status_code == 404


def test_financial_disclosure_cites_the_specialized_law(client, auth, fsc_demo):
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    text = _text(client, "/me/disclosures")
    assert f"成员有权查阅本社的财务会计报告和会计账簿（{FSC}第二十一条）" in text
    assert RCEO not in text


@pytest.mark.now("2026-03-01")
def test_no_member_page_cites_the_collective_law_on_a_specialized_cooperative(
        app, client, auth, fsc_demo):
    """Every page reached from /me/ for HX004, with a disclosed draft."""
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    seen, todo = set(), ["/me/"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        resp = client.get(url)
        if resp.mimetype != "text/html":
            continue
        html = resp.get_data(as_text=True)
        assert RCEO not in html, url
        todo += [h for h in re.findall(r'href="(/me/[^"#?]*)"', html) if not h.endswith(".pdf")]
    assert len(seen) > 12 and any(u.startswith("/me/plans/") for u in seen)


def test_a_specialized_cooperatives_member_reads_of_surplus_returns(client, auth, fsc_demo):
    """The menu and the statement say 盈余返还 (FSC art 44), not 分红."""
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    home = client.get("/me/").get_data(as_text=True)
    nav = home[home.index('<nav class="pt-nav'):home.index("</nav>", home.index('<nav class="pt-nav'))]
    assert ">我的盈余返还</a>" in nav and ">盈余分配公示</a>" in nav and "分红" not in nav
    assert "2025 年度盈余返还对账单" in _text(client, "/me/statements")
    assert "2025 年度盈余返还对账单" in _text(client, "/me/statements/2025")


# -- a village collective's draft disclosed with no meeting convened yet ----------


@pytest.fixture
def disclosed(app, portal_world, set_clock):
    """The portal world's 2026 draft (CY0001's line 88,888.88 yuan),
    reviewed and disclosed from 2026-06-05; no meeting convened."""
    set_clock(date(2026, 6, 5))
    with app.app_context():
        plan = db.session.get(DividendPlan, portal_world.plans["2026"])
        approval.review_plan(plan, note="经审核，方案符合章程", user_id=None)
        approval.disclose_plan(plan, disclosed_on=date(2026, 6, 5))
        db.session.commit()
    return portal_world.plans["2026"]


def test_a_draft_without_a_meeting_says_the_date_is_to_come(client, auth, disclosed):
    auth.login("CY0001", PASSWORD)
    text = _text(client, "/me/dividends")
    assert "2026 年度收益分配方案（草案） 88,888.88 元 拟分配给您：按股分红 88,888.88 元" in text
    assert "草案已公开、待成员大会表决 会议日期待通知" in text
    page = _text(client, f"/me/plans/{disclosed}")
    assert "将提交成员大会表决，会议日期另行通知" in page
    assert f"会议召开前供成员查阅（{RCEO}第四十六条）" in page and FSC not in page


def test_a_member_without_a_line_is_told_so(client, auth, disclosed):
    auth.login("CY0002", PASSWORD)  # the draft has lines for JT001 and CY0001 only
    text = _text(client, "/me/dividends")
    assert "2026 年度收益分配方案（草案） 本方案中没有您的分配" in text
    assert 'id="my-line"' not in client.get(f"/me/plans/{disclosed}").get_data(as_text=True)


def test_a_collectives_disclosure_cites_the_collective_law(client, auth, disclosed):
    auth.login("CY0001", PASSWORD)
    text = _text(client, "/me/disclosures")
    assert f"依据：{RCEO}第四十五条、《村民委员会组织法》第三十条。" in text and FSC not in text
    assert "2026 年度收益分配方案（草案）" in text


def test_another_cooperatives_draft_is_a_404(app, client, auth, disclosed, fsc_demo):
    auth.login("HX004", DEMO_PASSWORD, coop=fsc_demo)
    assert client.get(f"/me/plans/{disclosed}").status_code == 404
