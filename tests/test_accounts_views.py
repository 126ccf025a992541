"""The member accounts (成员账户, 农民专业合作社法第四十三条, 第四十一条): the
reading, the office's pages and export, the member's own page, the annual
statement, and what a joint-stock cooperative sees instead.

``fsc``: ``div_world`` (par 1 yuan; 2024-01-10 C000 650, G001 40, V001 150,
V002 160 shares; 2024 orders V001 100 mu x 30 yuan = 3,000.00, V002 100 mu x
10 yuan = 1,000.00) made a specialized cooperative, plus an outside village's
2024 order of 50 mu x 40 yuan = 2,000.00, V001's 30 more shares on
2025-04-01 and a 2025 order of 20 mu x 25 yuan = 500.00, and the 2024 plan's
quantification: reserve V001 750.00, V002 250.00; grants V001 100.00, C000
900.00. Today is 2026-06-15.

V001's account, worked by hand (yuan):
    year  capital  change  reserve  bal  grants  bal   total     business
    2023     0.00    0.00     0      0     0      0       0.00      0
    2024   150.00 +150.00   750.00 750  100.00  100  1,000.00  3,000.00 100 mu 1
    2025   180.00  +30.00     0    750     0    100  1,030.00    500.00  20 mu 1
    2026   180.00    0.00     0    750     0    100  1,030.00      0
"""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from coop.extensions import db
from tests.conftest_dividends import DividendWorld


def _plan_row(w: DividendWorld, year: int, status: str = "draft") -> int:
    from sqlalchemy import func, select

    from coop.dividends.models import DividendPlan

    with w.app.app_context():
        versions = db.session.scalar(select(func.count()).where(
            DividendPlan.cooperative_id == w.coop().id, DividendPlan.year == year))
        plan = DividendPlan(cooperative_id=w.coop().id, year=year, mode="specialized",
                            record_date=date(year, 12, 31), status=status,
                            version_no=versions + 1)
        db.session.add(plan)
        db.session.commit()
        return plan.id


@pytest.fixture
def fsc(div_world, staff) -> DividendWorld:
    from coop.accounts.api import record_quantification
    from coop.machinery.orders import OrderInput

    w = div_world
    w.charter(distribution_mode="specialized")
    village = w.ledger("create_client", {"kind": "village", "name": "哈业胡同村"})
    w.ledger("create_order", OrderInput(service_on=date(2024, 6, 1), client_ref=f"c:{village}",
                                        service="sowing", area_cmu=5_000, unit_price_fen=4_000))
    w.contribute("V001", "villager", 30, on=date(2025, 4, 1))
    w.ledger("create_order", OrderInput(service_on=date(2025, 5, 1), client_ref=f"m:{w.ids['V001']}",
                                        service="sowing", area_cmu=2_000, unit_price_fen=2_500))
    w.plan_2024 = _plan_row(w, 2024)
    with w.app.app_context():
        record_quantification(w.coop().id, 2024, plan_id=w.plan_2024,
                              reserve={w.ids["V001"]: 75_000, w.ids["V002"]: 25_000},
                              grants={w.ids["V001"]: 10_000, w.ids["C000"]: 90_000}, user_id=None)
        db.session.commit()
    return w


def _member_account(w, no):
    from coop.accounts.api import member_account
    from coop.members.models import Member

    with w.app.app_context():
        return member_account(db.session.get(Member, w.ids[no]))


# -- the reading ------------------------------------------------------------------


def test_a_members_account_year_by_year_with_running_balances(fsc):
    from coop.machinery.api import Business

    account = _member_account(fsc, "V001")
    rows = [(y.year, y.capital_fen, y.capital_change_fen, y.reserve_fen, y.reserve_balance_fen,
             y.grants_fen, y.grants_balance_fen, y.total_fen, y.business) for y in account.years]
    assert rows == [
        (2023, 0, 0, 0, 0, 0, 0, 0, Business()),
        (2024, 15_000, 15_000, 75_000, 75_000, 10_000, 10_000, 100_000, Business(300_000, 10_000, 1)),
        (2025, 18_000, 3_000, 0, 75_000, 0, 10_000, 103_000, Business(50_000, 2_000, 1)),
        (2026, 18_000, 0, 0, 75_000, 0, 10_000, 103_000, Business()),
    ]
    assert [(e.year, e.kind, e.amount_fen) for e in account.entries] == [
        (2024, "grant", 10_000), (2024, "reserve", 75_000)]


def test_a_replaced_plan_leaves_the_balances_of_the_new_one(fsc):
    from coop.accounts.api import record_quantification, reverse_quantification

    w = fsc
    new = _plan_row(w, 2024)
    with w.app.app_context():
        reverse_quantification(w.coop().id, 2024, plan_id=new, user_id=None)
        record_quantification(w.coop().id, 2024, plan_id=new, reserve={w.ids["V001"]: 60_000},
                              grants={}, user_id=None)
        db.session.commit()
    y2024 = _member_account(w, "V001").years[1]
    assert (y2024.reserve_fen, y2024.reserve_balance_fen, y2024.grants_balance_fen) == (60_000, 60_000, 0)
    assert len(_member_account(w, "V001").entries) == 5  # 2 + their 2 reversals + 1


def test_the_years_business_member_and_nonmember_apart(fsc):
    from coop.accounts.reading import business_by_year

    with fsc.app.app_context():
        rows = {b.year: b for b in business_by_year(fsc.coop().id)}
    assert list(rows) == [2026, 2025, 2024]
    b = rows[2024]
    assert (b.split.members.amount_fen, b.split.members.area_cmu, b.split.members.orders) == (400_000, 20_000, 2)
    assert (b.split.nonmembers.amount_fen, b.split.nonmembers.area_cmu) == (200_000, 5_000)
    assert b.members_share_bp == 6666
    assert rows[2026].members_share_bp is None


def test_totals_of_a_year_add_up_every_account(fsc):
    from coop.accounts.reading import account_totals, all_accounts

    with fsc.app.app_context():
        for year in (2024, 2025):
            rows = all_accounts(fsc.coop().id, year)
            t = account_totals(fsc.coop().id, year)
            for name in ("capital_fen", "capital_change_fen", "reserve_fen", "reserve_balance_fen",
                         "grants_fen", "grants_balance_fen", "total_fen"):
                assert getattr(t, name) == sum(getattr(r.account, name) for r in rows), (year, name)
            assert t.business.amount_fen == sum(r.account.business.amount_fen for r in rows)
        t = account_totals(fsc.coop().id, 2024)
    assert (t.capital_fen, t.reserve_balance_fen, t.grants_balance_fen, t.total_fen) == (
        100_000, 100_000, 100_000, 300_000)


# -- the office's pages ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "accountant", "supervisor"])
def test_staff_read_every_account_of_a_year(fsc, client, auth, role):
    auth.login(role)
    text = client.get("/accounts/?year=2024").get_data(as_text=True)
    assert "成员账户" in text and "第四十三条" in text and "第四十一条" in text
    row = text[text.index(">V001<"):text.index("</tr>", text.index(">V001<"))]
    for figure in ("150.00", "+150.00", "750.00", "100.00", "1,000.00", "3,000.00"):
        assert figure in row, figure
    foot = text[text.index("全体成员合计"):text.index("</tfoot>")]
    for figure in ("1,000.00", "3,000.00", "4,000.00", "200.00"):
        assert figure in foot, figure
    business = text[text.index('id="business-title"'):text.index("</section>", text.index('id="business-title"'))]
    assert "4,000.00" in business and "2,000.00" in business and "66.66%" in business


def test_the_year_defaults_to_this_year_and_a_bad_year_is_ignored(fsc, client, auth):
    auth.login("admin")
    for url in ("/accounts/", "/accounts/?year=1999", "/accounts/?year=abc", "/accounts/?year=２０２４"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "2026 年度" in resp.get_data(as_text=True), url


def test_search_by_number_name_or_initials(fsc, client, auth):
    from coop.members.models import Member

    with fsc.app.app_context():
        db.session.get(Member, fsc.ids["V001"]).name_initials = "cm1"
        db.session.commit()
    auth.login("admin")

    def found(q):
        text = client.get("/accounts/", query_string={"q": q, "year": "2024"}).get_data(as_text=True)
        return {no for no in ("C000", "G001", "V001", "V002", "V003", "V004") if f">{no}<" in text}

    assert found("v00") == {"V001", "V002", "V003", "V004"}
    assert found("村民2") == {"V002"}
    assert found("cm1") == {"V001"}
    assert found("干部") == {"G001"}
    assert found("100%") == set()
    assert found("") == {"C000", "G001", "V001", "V002", "V003", "V004"}


@pytest.mark.parametrize("query", [
    {"q": "村民\x001"}, {"q": "\x00"}, {"q": "x" * 10_000}, {"q": "%_\\"},
    {"year": "99999999999999999999"}, {"year": "-1"}, {"page": "-5"}, {"page": "99999999999"},
    {"page": "abc"}, {"year": "2024", "page": "1000000"},
])
def test_bad_query_arguments_answer_a_page_and_change_nothing(fsc, client, auth, fingerprint, query):
    auth.login("admin")
    before = fingerprint()
    for url in ("/accounts/", "/accounts/export.xlsx"):
        resp = client.get(url, query_string=query)
        assert resp.status_code == 200, (url, query)
    assert "村民1" in client.get("/accounts/", query_string={"q": "村民\x001"}).get_data(as_text=True)
    assert fingerprint() == before


def test_paging(fsc, client, auth, monkeypatch):
    from coop.accounts import views

    monkeypatch.setattr(views, "PER_PAGE", 4)
    auth.login("admin")
    first = client.get("/accounts/?year=2024").get_data(as_text=True)
    second = client.get("/accounts/?year=2024&page=2").get_data(as_text=True)
    assert "第 1 / 2 页" in first and ">V002<" in first and ">V003<" not in first
    assert ">V003<" in second and ">V004<" in second and ">C000<" not in second
    # the totals are every member's on every page
    assert "3,000.00" in second[second.index("全体成员合计"):]
    assert "year=2024" in second[second.index('class="pager"'):]


def test_htmx_search_answers_the_table_only(fsc, client, auth):
    auth.login("admin")
    text = client.get("/accounts/?year=2024&q=V001", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert ">V001<" in text and "<html" not in text and "business-title" not in text


def test_one_members_account_page(fsc, client, auth):
    auth.login("accountant")
    text = client.get(f"/accounts/{fsc.ids['V001']}").get_data(as_text=True)
    assert "村民1" in text
    for figure in ("1,030.00", "+30.00", "500.00", "20.00", "公积金量化", "国家财政补助和捐赠量化"):
        assert figure in text, figure


def test_another_cooperatives_member_is_a_404(fsc, client, auth, create_coop):
    from coop.cooperatives.services import get_by_code
    from tests.conftest_machinery import make_member

    create_coop("t2")
    with fsc.app.app_context():
        other_coop = get_by_code("t2").id
    other = make_member(fsc.app, other_coop, "X001", "外社成员")
    auth.login("admin")
    assert client.get(f"/accounts/{other}").status_code == 404
    assert client.get("/accounts/99999999").status_code == 404


def test_export_has_every_account_with_totals(fsc, client, auth):
    auth.login("supervisor")
    resp = client.get("/accounts/export.xlsx?year=2024&q=V001")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "测试合作社" in rows[0][0] and "2024 年度成员账户" in rows[0][0] and "2026-06-15" in rows[0][0]
    assert rows[2] == ("成员编号", "姓名", "年末出资额", "本年出资变动", "本年公积金量化",
                       "公积金量化累计", "本年补助和捐赠量化", "补助和捐赠量化累计", "账户合计",
                       "本年交易额", "本年作业面积（亩）", "本年作业单数")
    body, totals = rows[3:-1], rows[-1]
    assert [r[0] for r in body] == ["C000", "G001", "V001", "V002", "V003", "V004"]  # all, not the search
    v001 = body[2]
    assert v001[2:] == (Decimal("150"), Decimal("150"), Decimal("750"), Decimal("750"),
                        Decimal("100"), Decimal("100"), Decimal("1000"), Decimal("3000"),
                        Decimal("100"), 1)
    assert totals[:2] == ("合计", "6 名成员")
    for col in range(2, 12):
        assert totals[col] == sum(r[col] for r in body), col
    assert totals[8] == Decimal("3000") and totals[9] == Decimal("4000")


# -- a joint-stock cooperative ---------------------------------------------------------


def test_a_joint_stock_cooperative_has_no_member_accounts(div_world, client, auth, staff):
    from coop.auth.models import User

    w = div_world
    with w.app.app_context():
        db.session.get(User, staff[1]["member"]).member_id = w.ids["V001"]
        db.session.commit()
    auth.login("admin")
    home = client.get("/").get_data(as_text=True)
    assert "/accounts/" not in home
    for url in ("/accounts/", f"/accounts/{w.ids['V001']}", "/accounts/export.xlsx"):
        resp = client.get(url)
        assert resp.status_code == 200 and "农民专业合作社法》第四十三条" in resp.get_data(as_text=True), url
    auth.logout()
    auth.login("member")
    resp = client.get("/me/account")
    assert resp.status_code == 200 and "第四十三条" in resp.get_data(as_text=True)
    assert 'href="/me/account"' not in client.get("/me/").get_data(as_text=True)


def test_the_nav_shows_the_accounts_to_a_specialized_cooperatives_staff(fsc, client, auth):
    auth.login("supervisor")
    assert 'href="/accounts/"' in client.get("/").get_data(as_text=True)


# -- the member's own page ------------------------------------------------------------


@pytest.fixture
def member_login(fsc, staff):
    from coop.auth.models import User

    with fsc.app.app_context():
        db.session.get(User, staff[1]["member"]).member_id = fsc.ids["V001"]
        db.session.commit()
    return fsc


def test_a_member_reads_their_own_account(member_login, client, auth):
    auth.login("member")
    assert 'href="/me/account"' in client.get("/me/").get_data(as_text=True)
    text = client.get("/me/account").get_data(as_text=True)
    assert "我的成员账户" in text and "1,030.00" in text
    for figure in ("750.00", "100.00", "180.00", "+30.00", "500.00", "20.00 亩", "3,000.00"):
        assert figure in text, figure
    assert text.index("2026 年") < text.index("2025 年") < text.index("2024 年")


def test_a_member_never_sees_another_members_account(member_login, client, auth):
    """IDOR: /me/account takes no id; whatever the URL carries, the figures are
    the logged-in member's own (V002's 250.00 reserve and 1,000.00 business never show)."""
    w = member_login
    auth.login("member")
    for url in ("/me/account", f"/me/account?member_id={w.ids['V002']}",
                f"/me/account?id={w.ids['V002']}"):
        text = client.get(url).get_data(as_text=True)
        assert "村民1" in text or "1,030.00" in text
        assert "250.00" not in text and "村民2" not in text, url
    # the office's page of another member is not a member's page
    assert client.get(f"/accounts/{w.ids['V002']}").status_code == 403


def test_a_login_without_its_member_gets_a_404(fsc, client, auth, staff, create_coop):
    from coop.auth.models import User
    from coop.cooperatives.services import get_by_code
    from tests.conftest_machinery import make_member

    create_coop("t2")
    with fsc.app.app_context():
        other_coop = get_by_code("t2").id
    stranger = make_member(fsc.app, other_coop, "X001", "外社成员")
    auth.login("member")
    assert client.get("/me/account").status_code == 404  # not linked
    with fsc.app.app_context():
        db.session.get(User, staff[1]["member"]).member_id = stranger
        db.session.commit()
    assert client.get("/me/account").status_code == 404  # linked to another cooperative's member


# -- the annual statement --------------------------------------------------------------


def _statement_2024(w) -> None:
    from coop.members.models import Member
    from tests.conftest_portal import _lines, _plan

    with w.app.app_context():
        plan = _plan(w.coop().id, 2024, 2, "paid", (("V001", 150, 1_234_00),),
                     notice_start=date(2025, 3, 16), surplus_fen=10_000_00)
        _lines(plan, {"V001": db.session.get(Member, w.ids["V001"])}, (("V001", 150, 1_234_00),),
               paid_on=date(2025, 3, 28))
        db.session.commit()


def test_the_statement_of_a_specialized_cooperative_includes_the_account(fsc, client, auth):
    w = fsc
    _statement_2024(w)
    auth.login("admin")
    text = client.get(f"/statements/2024/members/{w.ids['V001']}").get_data(as_text=True)
    block = text[text.index("五、成员账户"):]
    block = block[:block.index("</section>")]
    for figure in ("150.00", "750.00 / 750.00", "100.00 / 100.00", "1,000.00", "3,000.00（100.00 亩）"):
        assert figure in block, figure


def test_a_joint_stock_statement_has_no_account(portal_world, client, auth):
    auth.login("admin")
    text = client.get(f"/statements/2025/members/{portal_world.members['CY0001']}").get_data(as_text=True)
    assert "对账单" in text and "成员账户" not in text


def test_the_statement_with_its_account_still_prints_on_one_a4_page(fsc, client, auth):
    from pypdf import PdfReader

    from coop import fonts

    if fonts.find_cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    _statement_2024(fsc)
    auth.login("admin")
    resp = client.get(f"/statements/2024/members/{fsc.ids['V001']}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(resp.data))
    assert len(reader.pages) == 1
    assert "成员账户" in reader.pages[0].extract_text()


def test_a_reversed_order_counts_against_the_year_of_its_reversal(fsc):
    """V002's 2024 order (100 mu, 1,000.00) reversed for 40 mu on 2025-03-01
    after the 2024 close: 2024 keeps it, 2025's member business and V002's
    2025 account take -40 mu and -400.00 (art 41 accounts are per year)."""
    from sqlalchemy import select

    from coop.accounts.reading import business_by_year
    from coop.machinery.models import ServiceOrder
    from coop.machinery.orders import reverse_order

    w = fsc
    w.close(2024)
    with w.app.app_context():
        order = db.session.scalar(select(ServiceOrder).where(
            ServiceOrder.member_id == w.ids["V002"]))
        reverse_order(w.coop().id, order, date(2025, 3, 1), 4_000, "面积量错")
        db.session.commit()
        rows = {b.year: b for b in business_by_year(w.coop().id)}
    assert rows[2024].split.members.amount_fen == 400_000
    assert (rows[2025].split.members.amount_fen, rows[2025].split.members.area_cmu) == (10_000, -2_000)
    years = {y.year: y for y in _member_account(w, "V002").years}
    assert (years[2024].business.amount_fen, years[2024].business.area_cmu) == (100_000, 10_000)
    assert (years[2025].business.amount_fen, years[2025].business.area_cmu,
            years[2025].business.orders) == (-40_000, -4_000, 1)
