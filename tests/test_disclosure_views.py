"""The disclosure pages: the secretary publishes a period and corrects it,
the list of periods with their states, the home page's step and panel, the
poster with the QR code of COOP_PUBLIC_URL, the charter's settings, and the
members' pages (newest first; another cooperative's disclosure is a 404).
The clock: 2026-06-15; t1's first ledger day is 2024-12-10 (``mach``)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from coop.disclosure.models import Disclosure
from coop.extensions import db
from coop.publicurl import qr_data_uri
from tests.a11y_pages import alerts_on_load
from tests.roles.disclosure import make_disclosure

PUBLIC = "https://coop.example.cn"


@pytest.fixture
def ledger_world(app, mach):
    led = mach.ledger
    order = led.order(date(2026, 2, 20), f"c:{mach.village}", "harvesting", 20000)  # 16,000.00
    led.pay(order, date(2026, 2, 25), 1_000_000)
    led.create_expense(date(2026, 3, 1), "fuel", 300_000, payee="加油站")
    return mach


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Disclosure.id)))


def test_the_secretary_publishes_a_quarter_and_it_cannot_be_published_again(app, client, auth,
                                                                             ledger_world):
    auth.login("admin")
    draft = client.get("/disclosure/periods/2026/q1").get_data(as_text=True)
    assert "2026 年第一季度财务公开（草稿）" in draft and 'id="ds-income-total">16,000.00' in draft
    resp = client.post("/disclosure/periods/2026/q1/publish", data={"published_on": "2026-04-10"})
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="published-on">2026-04-10' in page and "哈业胡同村" in page  # the major item
    assert 'id="ds-receivables">6,000.00' in page
    again = client.post("/disclosure/periods/2026/q1/publish", data={"published_on": "2026-04-11"})
    assert again.status_code == 422 and "《农村集体经济组织法》第四十五条" in again.get_data(as_text=True)
    assert _count(app) == 1


def test_a_draft_read_before_its_period_ends_says_the_receivables_are_so_far(client, auth, ledger_world):
    auth.login("admin")
    running = client.get("/disclosure/periods/2026/q2").get_data(as_text=True)
    assert "截至 2026-06-15（本期到 2026-06-30 结束）应收未收作业款" in running
    ended = client.get("/disclosure/periods/2026/q1").get_data(as_text=True)
    assert "2026-03-31 应收未收作业款" in ended and "截至" not in ended.split('id="ds-cash"')[1]


def test_refusals_in_chinese_change_nothing(app, client, auth, ledger_world):
    auth.login("admin")
    not_ended = client.post("/disclosure/periods/2026/q2/publish", data={"published_on": "2026-06-15"})
    assert not_ended.status_code == 422 and "《村民委员会组织法》第三十条" in not_ended.get_data(as_text=True)
    before = client.post("/disclosure/periods/2024/q3/publish", data={"published_on": "2026-06-01"})
    assert before.status_code == 422 and "没有可以公开的财务" in before.get_data(as_text=True)
    bad_date = client.post("/disclosure/periods/2026/q1/publish", data={"published_on": "四月十日"})
    assert bad_date.status_code == 422 and "公开日期格式应为" in bad_date.get_data(as_text=True)
    assert client.get("/disclosure/periods/2026/q5").status_code == 404
    assert client.get("/disclosure/periods/2026/w1").status_code == 404
    assert _count(app) == 0
    auth.logout()
    auth.login("accountant")
    assert client.post("/disclosure/periods/2026/q1/publish",
                       data={"published_on": "2026-04-10"}).status_code == 403
    assert _count(app) == 0


def test_a_correction_needs_a_reason_and_supersedes_the_old_one(app, client, auth, ledger_world):
    auth.login("admin")
    client.post("/disclosure/periods/2026/q1/publish", data={"published_on": "2026-04-10"})
    with app.app_context():
        first = db.session.scalar(select(Disclosure.id))
    ledger_world.ledger.create_expense(date(2026, 3, 30), "wages", 70_000)
    empty = client.post(f"/disclosure/{first}/correct", data={"published_on": "2026-04-20", "reason": ""})
    assert empty.status_code == 422 and "须写明更正原因" in empty.get_data(as_text=True)
    assert _count(app) == 1
    resp = client.post(f"/disclosure/{first}/correct",
                       data={"published_on": "2026-04-20", "reason": "漏记三月工资"})
    assert resp.status_code == 302
    new = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "更正原因：漏记三月工资" in new and 'id="ds-expense-total">6,550.00' in new  # 3,000 + 700 + 2,850 depreciation
    old = client.get(f"/disclosure/{first}").get_data(as_text=True)
    assert 'id="superseded"' in old and 'id="ds-expense-total">5,850.00' in old
    assert "公开更正" not in old  # the superseded one is not corrected again
    assert client.post(f"/disclosure/{first}/correct",
                       data={"published_on": "2026-04-21", "reason": "再改"}).status_code == 422
    assert _count(app) == 2


def test_the_periods_page_shows_each_state_newest_first(app, client, auth, ledger_world):
    make_disclosure(app, key="q4", year=2025, on=date(2026, 1, 10))
    auth.login("supervisor")
    html = client.get("/disclosure/").get_data(as_text=True)
    states = re.findall(r'data-period="([\d]+-q\d)" data-state="(\w+)"', html)
    assert states[:3] == [("2026-q2", "not_ended"), ("2026-q1", "overdue"), ("2025-q4", "disclosed")]
    assert states[-1] == ("2024-q4", "overdue")
    assert "未到期" in html and "逾期" in html and "已公开" in html


@pytest.mark.now("2026-04-10")
def test_a_period_is_to_publish_until_its_15th_day(app, client, auth, ledger_world):
    auth.login("admin")
    html = client.get("/disclosure/").get_data(as_text=True)
    assert 'data-period="2026-q1" data-state="pending"' in html and "待公开" in html


def test_home_page_step_and_panel(app, client, auth, ledger_world):
    auth.login("admin")
    html = client.get("/").get_data(as_text=True)
    assert 'data-step="58" data-state="late"' in html and "6 期逾期未公开（最早：2024 年第四季度）" in html
    assert 'id="disclosure-overdue"' in html and "2024 年第四季度" in html


def test_a_period_posted_on_paper_is_recorded_with_the_day_it_was_posted(app, client, auth,
                                                                        ledger_world):
    """A cooperative new to the app is told its earlier periods are late; one
    it posted on the village board is entered with the day it was posted."""
    auth.login("admin")
    html = client.get("/").get_data(as_text=True)
    assert 'id="overdue-on-paper"' in html and "按当时张贴的日期登记公开" in html
    form = client.get("/disclosure/periods/2024/q4").get_data(as_text=True)
    assert "本期已在公开栏张贴过的，填写当时张贴的日期" in form
    resp = client.post("/disclosure/periods/2024/q4/publish", data={"published_on": "2025-01-10"})
    assert resp.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert "最早：2025 年第一季度" in html and "（最早：2024 年第四季度）" not in html


def test_the_poster_carries_the_qr_of_the_public_address(app, client, auth, ledger_world):
    app.config["COOP_PUBLIC_URL"] = PUBLIC + "/"
    disclosure_id = make_disclosure(app, key="q1", on=date(2026, 4, 10))
    auth.login("accountant")
    a4 = client.get(f"/disclosure/{disclosure_id}/poster").get_data(as_text=True)
    address = f"{PUBLIC}/me/disclosures/{disclosure_id}"
    assert f'src="{qr_data_uri(address)}"' in a4 and address in a4
    assert "css/disclosure-a4." in a4 and "2026 年第一季度财务公开" in a4
    a3 = client.get(f"/disclosure/{disclosure_id}/poster?size=a3").get_data(as_text=True)
    assert "css/disclosure-a3." in a3 and 'data-size="A3"' in a3
    with open(f"{app.static_folder}/css/disclosure-a3.css", encoding="utf-8") as css:
        assert "size: A3" in css.read()


def test_without_a_public_address_the_poster_says_so_and_has_no_qr(app, client, auth, ledger_world):
    app.config["COOP_PUBLIC_URL"] = "http://127.0.0.1:5000"
    disclosure_id = make_disclosure(app, key="q1", on=date(2026, 4, 10))
    auth.login("admin")
    html = client.get(f"/disclosure/{disclosure_id}/poster").get_data(as_text=True)
    assert "成员的手机打不开" in html and "COOP_PUBLIC_URL" not in html and 'id="poster-qr"' not in html
    assert alerts_on_load(html) == 0


def test_members_read_every_published_disclosure_newest_first(app, client, auth, ledger_world,
                                                              create_coop):
    older = make_disclosure(app, key="q4", year=2025, on=date(2026, 1, 10))
    newer = make_disclosure(app, key="q1", on=date(2026, 4, 10))
    create_coop("t2")
    foreign = make_disclosure(app, code="t2", key="q1", on=date(2026, 4, 10))
    auth.login("member")
    html = client.get("/me/disclosures").get_data(as_text=True)
    assert re.findall(r'data-disclosure="(\d+)"', html) == [str(newer), str(older)]
    page = client.get(f"/me/disclosures/{newer}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "2026 年第一季度财务公开" in text
    assert 'data-label="金额（元）"' in text and "css/disclosure." in text
    assert client.get(f"/me/disclosures/{foreign}").status_code == 404
    auth.logout()
    auth.login("admin")
    assert client.get(f"/disclosure/{foreign}").status_code == 404
    assert client.get(f"/disclosure/{foreign}/poster").status_code == 404
    assert client.post(f"/disclosure/{foreign}/correct",
                       data={"published_on": "2026-04-20", "reason": "x"}).status_code == 404


def test_the_phone_layout_reflows_tables_with_labels_and_large_text(app):
    with open(f"{app.static_folder}/css/disclosure.css", encoding="utf-8") as f:
        css = f.read()
    phone = css[css.index("@media (max-width:"):]
    assert "display: block" in phone and "attr(data-label)" in phone
    assert "body.portal .ds-table { font-size: 1.05rem; }" in phone


def test_the_charter_keeps_the_disclosure_settings(app, client, auth, staff):
    from tests.test_charter import GOOD

    auth.login("admin")
    resp = client.post("/charter", data={**GOOD, "version": "1", "disclosure_period": "month",
                                         "major_item_threshold_fen": "5,000"})
    assert resp.status_code == 302
    from coop.cooperatives.models import Cooperative

    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        assert (coop.disclosure_period, coop.major_item_threshold_fen) == ("month", 500_000)
    bad = client.post("/charter", data={**GOOD, "version": "2", "disclosure_period": "year",
                                        "major_item_threshold_fen": "0"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "重大事项的金额标准" in text
    # a post without the two fields keeps them
    assert client.post("/charter", data={**GOOD, "version": "2"}).status_code == 302
    with app.app_context():
        coop = db.session.scalar(select(Cooperative).where(Cooperative.code == "t1"))
        assert (coop.disclosure_period, coop.major_item_threshold_fen) == ("month", 500_000)
