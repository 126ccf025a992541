"""The specialized cooperative hxnj as its users see it: each page says what
the Farmers' Specialized Cooperatives Law says, not the RCEO's words; the
member page counts the member's basic and extra votes (art 22), the member's
holdings name the converted surplus, the plan's lines fit their card, the
comparison names the rest pool by art 44, and the header names the regime.
An RCEO cooperative keeps its own wording."""
from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from coop.config import DEMO_PASSWORD
from coop.cooperatives.models import Cooperative
from coop.demo import load_fsc_demo
from coop.dividends.models import DividendPlan
from coop.dividends.reading import COMPARED_FIGURES, Comparison
from coop.extensions import db
from coop.members.models import Member

RCEO_VOTE = "在册成员一人一票（成员大会表决时须年满十八周岁）"
FSC_REGIME = "农民专业合作社（《农民专业合作社法》）"


@pytest.fixture
def hxnj(app, set_clock):
    """hxnj as on 2026-06-01: the 2025 plan paid (its conversion entered on
    2026-03-25), the charter's extra votes by capital (over 30,000 yuan, one
    per full 30,000, at most 2 each)."""
    set_clock(date(2026, 6, 1))
    with app.app_context():
        coop = load_fsc_demo()
        db.session.commit()
        ids = dict(db.session.execute(select(Member.member_no, Member.id).where(
            Member.cooperative_id == coop.id)).all())
        plan_id = db.session.scalar(select(DividendPlan.id).where(
            DividendPlan.cooperative_id == coop.id, DividendPlan.year == 2025))
    return SimpleNamespace(code="hxnj", members=ids, plan_2025=plan_id)


def _text(html: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (tags dropped)."""
    match = re.search(rf'<(\w+)[^>]*id="{element_id}".*?</\1>', html, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(0)))


def test_the_member_page_counts_basic_and_extra_votes_by_the_charter(client, auth, hxnj):
    assert auth.login("hx-shuji", DEMO_PASSWORD, coop=hxnj.code).status_code == 302
    page = client.get(f"/members/{hxnj.members['HX004']}").get_data(as_text=True)
    assert RCEO_VOTE not in page and "年满十八周岁" not in page
    assert "另按章程享有附加表决权（《农民专业合作社法》第二十二条" in page
    votes = _text(page, "member-votes")
    assert "按今天（2026-06-01）召开成员大会计算：基本表决权 1 票，附加表决权 0 票，合计 1 票" in votes
    assert "出资 27,552.00 元得 0 票" in votes and "交易" not in votes.split("本社章程")[0]
    assert "每满 30,000.00 元一票；每名成员最多 2 票" in votes
    # the collective's capital gives six, the charter caps it at two
    votes = _text(client.get(f"/members/{hxnj.members['JT001']}").get_data(as_text=True), "member-votes")
    assert "附加表决权 2 票，合计 3 票" in votes
    assert "出资 233,306.00 元得 6 票，超过章程每人最多 2 票的上限，按 2 票计" in votes


def test_hxnj_staff_pages_name_the_fsc_not_the_rceo(client, auth, hxnj):
    assert auth.login("hx-shuji", DEMO_PASSWORD, coop=hxnj.code).status_code == 302
    for url in ("/", "/charter"):
        assert FSC_REGIME in _text(client.get(url).get_data(as_text=True), "coop-regime"), url
    disputes = client.get("/membership/disputes").get_data(as_text=True)
    assert "第五十六条" not in disputes
    assert "由本社章程规定（《农民专业合作社法》第十五条）" in _text(disputes, "dispute-basis")
    rights = client.get("/membership/rights").get_data(as_text=True)
    assert "不适用于本社" in _text(rights, "rights-regime")
    assert "经成员大会全体成员四分之三以上同意" not in rights
    assert 'href="/membership/rights/new"' not in rights


def test_the_comparison_names_the_rest_pool_by_art_44(client, auth, hxnj):
    assert auth.login("hx-kuaiji", DEMO_PASSWORD, coop=hxnj.code).status_code == 302
    page = client.get(f"/dividends/compare?a={hxnj.plan_2025}&b={hxnj.plan_2025}").get_data(as_text=True)
    assert "<th>按出资额、公积金份额和补助量化返还（《农民专业合作社法》第四十四条）</th>" in page
    assert "<th>按股分红</th>" not in page


def test_a_comparison_of_a_plan_by_shares_and_one_by_the_book_names_both():
    def plan(book: bool) -> SimpleNamespace:
        return SimpleNamespace(is_by_the_book=book, **{attr: 100 for _label, attr in COMPARED_FIGURES})

    labels = [f.label for f in Comparison(plan(False), plan(True), 0, []).figures]
    assert labels[-1] == "按股分红 / 按出资额、公积金份额和补助量化返还（《农民专业合作社法》第四十四条）"
    assert [f.label for f in Comparison(plan(False), plan(False), 0, []).figures][-1] == "按股分红"


def test_the_specialized_plans_lines_leave_the_parts_to_the_line_page(client, auth, hxnj):
    assert auth.login("hx-kuaiji", DEMO_PASSWORD, coop=hxnj.code).status_code == 302
    page = client.get(f"/dividends/{hxnj.plan_2025}").get_data(as_text=True)
    lines = page[page.index('id="lines"'):]
    assert '<div class="table-wrap" tabindex="0" role="region" aria-label="分红明细表（可左右滚动）">' in lines
    head = lines[lines.index("<thead>"):lines.index("</thead>")]
    headers = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head)]
    assert headers == ["编号", "姓名", "交易额", "交易返还", "返还依据", "出资等返还", "合计（元）",
                       "转增股数", "现金", "发放"]
    # HX004's rest weight: 23,000 capital + reserve share + grants (README), on one cell
    assert "30,237.84" in lines


def test_the_member_reads_the_fsc_dispute_basis_and_the_converted_surplus(client, auth, hxnj):
    assert auth.login("HX004", DEMO_PASSWORD, coop=hxnj.code).status_code == 302
    membership = client.get("/me/membership").get_data(as_text=True)
    assert "农村集体经济组织法" not in membership
    assert "由本社章程规定（《农民专业合作社法》第十五条）" in _text(membership, "dispute-basis")
    holdings = client.get("/me/holdings").get_data(as_text=True)
    assert "入股（盈余转增） · 村民股" in holdings and "入股（货币） · 村民股" in holdings


def test_an_rceo_cooperative_keeps_its_wording(app, client, auth, staff, create_member):
    code, _ids = staff
    member_id = create_member(code)
    with app.app_context():
        assert db.session.scalar(select(Cooperative.legal_regime).where(Cooperative.code == code)) == "collective"
    assert auth.login("admin", coop=code).status_code == 302
    page = client.get(f"/members/{member_id}").get_data(as_text=True)
    assert RCEO_VOTE in page and 'id="member-votes"' not in page
    assert "农村集体经济组织（《农村集体经济组织法》）" in _text(client.get("/").get_data(as_text=True),
                                                             "coop-regime")
    assert "第五十六条" in _text(client.get("/membership/disputes").get_data(as_text=True), "dispute-basis")


def test_the_roster_and_household_pages_count_votes_by_the_fsc(client, auth, hxnj):
    assert auth.login("hx-shuji", DEMO_PASSWORD, coop=hxnj.code).status_code == 302
    expected = "每名成员一票基本表决权，另按章程享有附加表决权（《农民专业合作社法》第二十二条）"
    for url in ("/members/", "/members/households"):
        page = client.get(url).get_data(as_text=True)
        assert expected in page and "一人一票" not in page, url
    page = client.get("/members/households/04104").get_data(as_text=True)
    assert "另按章程享有附加表决权（《农民专业合作社法》第二十二条，见各成员页面）" in page
    assert "一人一票" not in page


def test_the_rceo_roster_keeps_one_person_one_vote(client, auth, staff, create_member):
    code, _ids = staff
    create_member(code, household_no="H0001")
    assert auth.login("admin", coop=code).status_code == 302
    for url in ("/members/", "/members/households", "/members/households/H0001"):
        assert "一人一票" in client.get(url).get_data(as_text=True), url
