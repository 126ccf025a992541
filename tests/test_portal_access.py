"""A member sees only their own records, only from effective plans (never a
draft, never a superseded version), and every other record by URL is a 404."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coop.extensions import db
from tests.conftest import PASSWORD
from tests.roles.disclosure import make_disclosure

MEMBER_ENDPOINTS = {
    "portal.home", "portal.membership", "portal.holdings", "portal.account", "portal.dividends",
    "portal.dividend", "portal.certificate_pdf",
    "portal.statement_list", "portal.statement", "portal.statement_pdf", "portal.notice",
    "portal.meetings", "portal.meeting", "portal.meeting_plan",
    "portal.disclosures", "portal.disclosure", "portal.draft_plan",
}


def member_urls(app, values: dict) -> dict[str, str]:
    """Every member-facing URL of the app, built with ``values`` for its arguments."""
    from flask import url_for

    urls = {}
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            if getattr(view, "allowed_roles", None) != ("member",):
                continue
            args = {name: values[name] for name in rule.arguments}
            urls[rule.endpoint] = url_for(rule.endpoint, **args)
    return urls


def test_the_member_endpoints_are_the_ones_this_file_checks(app):
    urls = member_urls(app, {"line_id": 1, "year": 2025, "meeting_id": 1, "item_id": 1,
                             "disclosure_id": 1, "plan_id": 1})
    assert set(urls) == MEMBER_ENDPOINTS


def test_own_pages_answer_with_own_records(app, client, auth, portal_world, set_clock):
    from datetime import date

    from coop.cooperatives.api import get_by_code
    from coop.dividends import approval
    from coop.dividends.models import DividendPlan
    from coop.governance.meetings import ItemSpec, convene_meeting

    set_clock(date(2026, 6, 1))
    with app.app_context():
        plan = db.session.get(DividendPlan, portal_world.plans["2026"])
        approval.review_plan(plan, note="同意", user_id=None)
        approval.disclose_plan(plan, disclosed_on=date(2026, 6, 1))
        meeting = convene_meeting(get_by_code(portal_world.code).id, regime="collective",
                                  body="assembly", title="成员大会", meeting_on=date(2026, 6, 25),
                                  place="村委会", convened_by="理事会", notice_on=date(2026, 6, 10),
                                  items=[ItemSpec(kind="distribution", title="2026 年度分配方案",
                                                  plan_id=plan.id)])
        db.session.commit()
        meeting_id, item_id = meeting.id, meeting.items[0].id
    disclosure_id = make_disclosure(app, code=portal_world.code, key="q1", on=date(2026, 4, 10))
    auth.login("CY0001")
    own = {"line_id": portal_world.lines[("2025", "CY0001")], "year": 2025, "meeting_id": meeting_id,
           "item_id": item_id, "disclosure_id": disclosure_id,
           "plan_id": portal_world.plans["2026"]}
    for endpoint, url in member_urls(client.application, own).items():
        resp = client.get(url)
        assert resp.status_code == 200, (endpoint, url)
        if endpoint not in ("portal.statement_pdf", "portal.certificate_pdf"):  # PDFs: tests/test_certificates.py
            text = resp.get_data(as_text=True)
            assert "张秀兰" in text, endpoint


@pytest.mark.parametrize("plan_key,no", [
    ("2025", "CY0002"),     # another member's line, effective plan
    ("2024", "CY0002"),     # another member's line, paid plan
    ("2025", "JT001"),      # the collective's line
    ("2025v1", "CY0001"),   # own line, superseded version
    ("2026", "CY0001"),     # own line, draft
])
def test_a_line_that_is_not_shown_is_a_404_on_every_url_that_takes_it(
        client, auth, portal_world, plan_key, no):
    auth.login("CY0001")
    line_id = portal_world.lines[(plan_key, no)]
    urls = member_urls(client.application, {"line_id": line_id, "year": 2025, "meeting_id": 1, "item_id": 1,
                                            "disclosure_id": 1, "plan_id": 1})
    for endpoint, url in urls.items():
        if "<line_id>" in str(next(r for r in client.application.url_map.iter_rules()
                                    if r.endpoint == endpoint)):
            resp = client.get(url)
            assert resp.status_code == 404, (endpoint, url)
            assert "页面不存在" in resp.get_data(as_text=True)


@pytest.mark.parametrize("year", [2026, 2023, 1999])
def test_a_statement_of_a_year_without_an_effective_plan_is_a_404(client, auth, portal_world, year):
    auth.login("CY0001")
    assert client.get(f"/me/statements/{year}").status_code == 404
    assert client.get(f"/me/statements/{year}.pdf").status_code == 404


def test_a_member_without_a_line_has_no_statement_and_no_dividend(
        client, auth, portal_world, create_user):
    from coop.auth.models import User

    create_user(portal_world.code, "CY0003", role="member")
    with client.application.app_context():
        user = db.session.scalar(select(User).where(User.username == "CY0003"))
        user.member_id = portal_world.members["CY0003"]
        db.session.commit()
    auth.login("CY0003")
    assert client.get("/me/statements/2025").status_code == 404
    assert client.get("/me/statements/2025.pdf").status_code == 404
    assert client.get(f"/me/dividends/{portal_world.lines[('2025', 'CY0001')]}").status_code == 404
    text = client.get("/me/dividends").get_data(as_text=True)
    assert "还没有经成员大会表决通过的分红方案" in text and "17,000.05" not in text
    assert "目前未持有股份" in client.get("/me/holdings").get_data(as_text=True)


def test_query_arguments_do_not_reach_another_member(client, auth, portal_world):
    """Member pages take no member id: whatever is added to the URL, the page is one's own."""
    auth.login("CY0001")
    other = portal_world.members["CY0002"]
    # CY0002's own figures: ID tail 153X, 140 shares at the end of 2025, 13,999.95 yuan
    for url in (f"/me/statements/2025?member_id={other}", f"/me/holdings?member_id={other}",
                f"/me/dividends?member={other}", f"/me/?member_id={other}"):
        text = client.get(url).get_data(as_text=True)
        assert "张秀兰" in text, url
        assert "153X" not in text and "13,999.95" not in text and "140 股" not in text, url


def test_office_urls_with_another_members_id_are_refused_to_a_member(client, auth, portal_world):
    auth.login("CY0001")
    other = portal_world.members["CY0002"]
    for url in (f"/statements/2025/members/{other}", f"/statements/2025/members/{other}.pdf",
                "/statements/2025/print", f"/shares/members/{other}", f"/members/{other}"):
        resp = client.get(url)
        assert resp.status_code in (403, 404), url
        assert "李德胜" not in resp.get_data(as_text=True)


def test_drafts_and_superseded_versions_never_show(client, auth, portal_world):
    auth.login("CY0001")
    pages = "".join(client.get(u).get_data(as_text=True) for u in (
        "/me/", "/me/dividends", "/me/statements", "/me/statements/2025", "/me/notice",
        f"/me/dividends/{portal_world.lines[('2025', 'CY0001')]}"))
    assert "17,000.05" in pages          # the effective 2025 (version 2)
    assert "1,234.56" not in pages       # version 1, superseded
    assert "88,888.88" not in pages      # the 2026 draft
    assert "2026 年度" not in pages


def test_dividends_by_year_with_their_status(client, auth, portal_world):
    auth.login("CY0001")
    text = client.get("/me/dividends").get_data(as_text=True)
    assert text.index("2025 年度") < text.index("2024 年度")
    assert "已公示，待发放" in text
    assert "已发放 2025-03-28（惠农一卡通）" in text
    detail = client.get(f"/me/dividends/{portal_world.lines[('2024', 'CY0001')]}").get_data(
        as_text=True)
    assert "15,000.00 元" in detail and "发放：2025-03-28（惠农一卡通）" in detail
    assert "2025-03-16 至 2025-03-22" in detail


def test_holdings_and_contributions(client, auth, portal_world):
    auth.login("CY0001")
    text = client.get("/me/holdings").get_data(as_text=True)
    assert "170 股" in text and "村民股" in text
    assert "出资：150.00 元" in text
    assert "转让转入" in text and "李德胜" in text and "+20 股" in text


def test_notice_shows_the_published_plan_with_the_members_row(client, auth, portal_world):
    auth.login("CY0002")
    text = client.get("/me/notice").get_data(as_text=True)
    assert "2025 年度收益分配方案公示" in text
    assert "公示期：2026-03-20 至 2026-03-26（7 天）" in text
    assert 'class="pt-mine"><td data-label="成员编号">CY0002</td>' in text
    assert '李德胜 <span class="pt-me">本人</span>' in text
    assert "88,888.88" not in text and "6,543.21" not in text


def test_a_login_without_a_member_record_sees_no_records(client, auth, staff):
    auth.login("member")
    text = client.get("/me/").get_data(as_text=True)
    assert "还没有关联到成员记录" in text
    for url in ("/me/holdings", "/me/dividends", "/me/statements", "/me/notice",
                "/me/statements/2025", "/me/dividends/1"):
        assert client.get(url).status_code == 404, url


def test_a_member_id_of_another_cooperative_is_not_followed(client, auth, portal_world,
                                                            create_coop, create_user):
    """A login of t2 whose member_id points into t1 (a forged row) sees nothing of t1."""
    from coop.auth.models import User

    create_coop("t2")
    create_user("t2", "CY0001", role="member")
    with client.application.app_context():
        user = db.session.scalar(select(User).join(User.cooperative).where(
            User.username == "CY0001", User.cooperative.has(code="t2")))
        user.member_id = None
        db.session.flush()
        # the unique member_id column allows one login per member; drop t1's link to forge it
        t1_login = db.session.get(User, portal_world.logins["cy1"])
        t1_login.member_id = None
        db.session.flush()
        user.member_id = portal_world.members["CY0001"]
        db.session.commit()
    auth.login("CY0001", coop="t2")
    assert "还没有关联到成员记录" in client.get("/me/").get_data(as_text=True)
    assert client.get("/me/statements/2025").status_code == 404
    assert client.get(f"/me/dividends/{portal_world.lines[('2025', 'CY0001')]}").status_code == 404


def test_member_login_by_member_number_in_any_case(client, auth, portal_world):
    resp = auth.login("cy0001")
    assert resp.status_code == 302
    assert client.get("/", follow_redirects=False).headers["Location"].endswith("/me/")


def test_member_login_is_throttled_like_every_login(client, auth, portal_world):
    for _ in range(5):
        resp = auth.login("CY0001", password="wrong-password")
        assert "用户名或密码不正确" in resp.get_data(as_text=True)
    resp = auth.login("CY0001", password=PASSWORD)
    assert resp.status_code == 422
    assert "登录失败次数过多，已暂时锁定" in resp.get_data(as_text=True)
