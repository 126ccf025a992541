"""Roster versions (成员名册, issue 15): version 1 from the roster as it
stands, a version per decided list with its differences, the filing
(.xlsx with the fixed columns and full IDs, a signed A4 PDF, the secretary
only), the filing record and the 30-day overdue flag; the CLI
``flask --app coop members filing``."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from coop.cooperatives.api import get_by_code
from coop.extensions import db
from coop.governance.decisions import decide_item
from coop.members.api import Member
from coop.membership import rosters
from coop.membership.models import RosterVersion
from coop.membership.roster_rules import FILING_HEADERS
from tests.membership_roster_world import MEETING_ON, Village

HTMX = {"HX-Request": "true"}


def decide_list(village: Village, set_clock, choice: str = "for") -> RosterVersion | None:
    lst = village.noticed_list()
    item = village.meeting(lst).items[0]
    set_clock(MEETING_ON)
    village.vote(item, choice)
    decide_item(item)
    db.session.commit()
    return rosters.version_by_number(village.coop.id, None)


@pytest.fixture
def village(app, staff, auth):
    """Cooperative t1's village, inside an app context (service tests)."""
    auth.login("admin")
    with app.app_context():
        yield Village("t1")


@pytest.fixture
def web(app, staff, auth):
    """Cooperative t1's village built, its secretary signed in (page tests:
    no app context held across requests)."""
    auth.login("admin")
    with app.app_context():
        Village("t1")


def decided_version(app, set_clock) -> int:
    with app.app_context():
        village = Village.of("t1")
        rosters.make_first_version(village.coop.id)
        db.session.commit()
        return decide_list(village, set_clock).id


# -- services --------------------------------------------------------------------------

def test_version_one_is_the_roster_as_it_stands(village):
    head = db.session.scalar(select(Member).where(Member.member_no == "A01"))
    head.relation_to_head, head.village_group = "户主", "一组"
    version = rosters.make_first_version(village.coop.id)
    rows = rosters.rows_of(version)
    assert (version.number, version.made_on, version.member_count) == (1, date(2026, 6, 15), 9)
    assert [r.member_no for r in rows] == [f"A{i:02d}" for i in range(1, 10)]   # no pending people
    first = rows[0]
    assert (first.gender, first.birth_date, first.relation_to_head, first.village_group) == (
        "男", date(1980, 1, 1), "户主", "一组")
    assert len(first.id_number) == 18
    assert rosters.diff_of(version).added == tuple(rows)


def test_a_decided_list_makes_the_next_version_with_its_differences(village, set_clock):
    rosters.make_first_version(village.coop.id)
    version = decide_list(village, set_clock)
    assert version.number == 2 and version.resolution_no == "2026-001"
    diff = rosters.diff_of(version)
    assert [(r.member_no, r.acquired) for r in diff.added] == [("B01", "出生 2026-03-01"),
                                                               ("W01", "婚姻 2026-04-01")]
    assert [r.member_no for r in diff.removed] == ["A09"]
    # a later change of a person's details shows as a change in the next version
    bride = db.session.scalar(select(Member).where(Member.member_no == "W01"))
    bride.household_no = "H07"
    db.session.flush()
    third = rosters._make(village.coop.id, made_on=MEETING_ON, list_id=None, resolution_no=None,
                          user_id=None)
    [change] = rosters.diff_of(third).changed
    assert [(c.label, c.before, c.after) for c in change.changes] == [("户号", "H02", "H07")]


def test_version_one_only_once(village):
    rosters.make_first_version(village.coop.id)
    with pytest.raises(Exception, match="已经编制"):
        rosters.make_first_version(village.coop.id)


@pytest.mark.parametrize("today,overdue", [(date(2026, 7, 15), False), (date(2026, 7, 16), True)])
def test_unfiled_for_thirty_days_is_overdue(village, set_clock, today, overdue):
    version = rosters.make_first_version(village.coop.id)   # made 2026-06-15
    db.session.commit()
    set_clock(today)
    assert rosters.filing_of(version).overdue is overdue
    assert (rosters.overdue_versions(village.coop.id) == [version]) is overdue
    rosters.record_filing(version, filed_on=today, filed_with="测试镇人民政府", receipt_no="备-1",
                          expected_version=version.version)
    assert rosters.filing_of(version).filed and not rosters.filing_of(version).overdue
    assert rosters.overdue_versions(village.coop.id) == []


# -- pages -----------------------------------------------------------------------------

def make_version_one(client) -> int:
    resp = client.post("/membership/rosters", data={})
    assert resp.status_code == 302
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def test_the_roster_pages(client, web, app):
    page = client.get("/membership/rosters").get_data(as_text=True)
    assert "还没有编制成员名册" in page and "编制第 1 版" in page
    roster_id = make_version_one(client)
    page = client.get(f"/membership/rosters/{roster_id}").get_data(as_text=True)
    assert "成员名册第 1 版" in page and "9 人" in page and "应于 2026-07-15 前备案" in page
    assert "完整身份证号" in page
    assert not re.search(r"\d{17}[\dX]", page)       # the page masks every ID
    assert "编制第 1 版" not in client.get("/membership/rosters").get_data(as_text=True)


def test_the_overdue_flag_on_the_roster_page(client, web, set_clock):
    roster_id = make_version_one(client)
    set_clock(date(2026, 7, 16))
    page = client.get("/membership/rosters").get_data(as_text=True)
    assert "逾期未备案" in page and "应于 2026-07-15 前备案" in page
    page = client.get(f"/membership/rosters/{roster_id}").get_data(as_text=True)
    assert "逾期未备案" in page


def test_recording_the_filing(client, web, app, set_clock):
    roster_id = make_version_one(client)
    set_clock(date(2026, 6, 20))
    page = client.get(f"/membership/rosters/{roster_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    resp = client.post(f"/membership/rosters/{roster_id}/filing", headers=HTMX,
                       data={"filed_on": "2026-06-21", "filed_with": "", "receipt_no": "", "version": version})
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "备案日期不能晚于今天" in body and "第十二条" in body
    resp = client.post(f"/membership/rosters/{roster_id}/filing",
                       data={"filed_on": "2026-06-20", "filed_with": "测试镇人民政府",
                             "receipt_no": "测农经备〔2026〕12号", "version": version})
    assert resp.status_code == 302
    page = client.get(f"/membership/rosters/{roster_id}").get_data(as_text=True)
    assert "2026-06-20 报 测试镇人民政府 备案，回执编号 测农经备〔2026〕12号" in page
    # the same form again with the old version: someone saved meanwhile
    resp = client.post(f"/membership/rosters/{roster_id}/filing", headers=HTMX,
                       data={"filed_on": "2026-06-19", "filed_with": "x", "receipt_no": "", "version": version})
    assert resp.status_code == 409


def test_the_filing_workbook_has_exactly_the_columns(client, web, app, set_clock):
    roster_id = decided_version(app, set_clock)
    resp = client.get(f"/membership/rosters/{roster_id}/filing.xlsx")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "测试合作社1成员名册（第 2 版）"
    assert rows[1][0] == "编制日期 2026-06-26，依据决议 2026-001，共 10 人"
    assert tuple(rows[2]) == FILING_HEADERS
    assert tuple(rows[2]) == ("编号", "姓名", "性别", "出生日期", "身份证号", "户号", "与户主关系",
                              "村民小组", "成员取得方式及日期", "备注")
    body = {row[0]: row for row in rows[3:]}
    assert set(body) == {f"A{i:02d}" for i in range(1, 9)} | {"B01", "W01"}
    baby = body["B01"]
    assert (baby[1], baby[2], baby[3], baby[5], baby[8], baby[9]) == (
        "成员B01", "男", "2026-03-01", "H01", "出生 2026-03-01", "2026-06-26 成员大会确认")
    assert re.fullmatch(r"\d{17}[\dX]", baby[4])      # the full ID: the official filing
    assert body["W01"][2] == "女"
    assert sheet.freeze_panes == "A4"


def test_the_filing_pdf_is_a4_and_signed(client, web):
    roster_id = make_version_one(client)
    resp = client.get(f"/membership/rosters/{roster_id}/filing.pdf")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(resp.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "成员名册" in text and "理事长（签字）" in text and "（盖章）" in text and "成员A05" in text
    assert "返回名册" not in text
    box = reader.pages[0].mediabox
    assert sorted((round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72))) == [210, 297]


@pytest.mark.parametrize("role", ["accountant", "supervisor"])
def test_only_the_secretary_exports_the_filing(client, web, auth, role):
    roster_id = make_version_one(client)
    auth.logout()
    auth.login(role)
    page = client.get(f"/membership/rosters/{roster_id}").get_data(as_text=True)
    assert "成员名册第 1 版" in page and "filing.xlsx" not in page and "记录备案" not in page
    for suffix in ("filing.xlsx", "filing.pdf", "filing"):
        assert client.get(f"/membership/rosters/{roster_id}/{suffix}").status_code == 403


# -- the CLI -------------------------------------------------------------------------------

def test_cli_members_filing(runner, web, app, tmp_path, set_clock):
    out = tmp_path / "roster.xlsx"
    result = runner.invoke(args=["members", "filing", "--coop", "t1", str(out)])
    assert result.exit_code == 1 and "还没有编制成员名册" in result.output
    decided_version(app, set_clock)
    result = runner.invoke(args=["members", "filing", "--coop", "t1", str(out)])
    assert result.exit_code == 0, result.output
    assert "已导出成员名册第 2 版" in result.output and "含完整身份证号" in result.output
    rows = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert tuple(rows[2]) == FILING_HEADERS and len(rows) == 3 + 10
    assert (out.stat().st_mode & 0o777) == 0o600
    result = runner.invoke(args=["members", "filing", "--coop", "t1", str(out), "--version", "1"])
    assert result.exit_code == 0 and "第 1 版" in result.output
    assert len(list(load_workbook(out).worksheets[0].iter_rows())) == 3 + 9
    result = runner.invoke(args=["members", "filing", "--coop", "t1", str(out), "--version", "5"])
    assert result.exit_code == 1 and "成员名册第 5 版不存在" in result.output
    result = runner.invoke(args=["members", "filing", "--coop", "t1", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and ".xlsx" in result.output
    result = runner.invoke(args=["members", "filing", "--help"])
    assert "导出成员名册备案表" in result.output and "名册版本号" in result.output


def test_the_printed_filing_carries_full_ids_for_the_secretary(client, web):
    roster_id = make_version_one(client)
    page = client.get(f"/membership/rosters/{roster_id}/filing").get_data(as_text=True)
    assert "含完整身份证号" in page and "理事长（签字）" in page and "（盖章）" in page
    assert len(re.findall(r"<td[^>]*>\d{17}[\dX]</td>", page)) == 9
    assert "".join(f"<th>{h}</th>" for h in FILING_HEADERS) in page


def test_the_home_page_shows_an_overdue_filing(client, web, set_clock):
    roster_id = make_version_one(client)
    assert "成员名册逾期未备案" not in client.get("/").get_data(as_text=True)
    set_clock(date(2026, 7, 16))
    page = client.get("/").get_data(as_text=True)
    assert "成员名册逾期未备案" in page and f"/membership/rosters/{roster_id}" in page
    assert "应于 2026-07-15 前备案" in page


def test_cli_members_roster_makes_version_one_once(runner, web, app):
    result = runner.invoke(args=["members", "roster", "--coop", "t1"])
    assert result.exit_code == 0, result.output
    assert "已编制成员名册第 1 版（2026-06-15，9 人）" in result.output
    with app.app_context():
        assert rosters.version_by_number(get_by_code("t1").id, None).member_count == 9
    result = runner.invoke(args=["members", "roster", "--coop", "t1"])
    assert result.exit_code == 1 and "已经编制" in result.output
    result = runner.invoke(args=["members", "roster", "--coop", "nope"])
    assert result.exit_code == 1 and "没有代码为 nope 的合作社" in result.output


# -- a farmers' specialized cooperative ---------------------------------------------------

@pytest.fixture
def fsc(app, client, create_coop, create_user, create_member):
    """A specialized cooperative with three members, its secretary signed in."""
    code = create_coop("fsc", distribution_mode="specialized")
    create_user(code, "sec", role="admin")
    members = [create_member(code, member_no=f"S00{n}", name=name)
               for n, name in enumerate(("孙和", "李平", "周安"), start=1)]
    client.post("/login", data={"coop": code, "username": "sec", "password": "test-pass-123"})
    return members


def test_a_specialized_cooperatives_menu_leads_to_its_roster(client, fsc):
    page = client.get("/members/").get_data(as_text=True)
    assert 'href="/membership/rosters"' in page and ">成员名册</a>" in page
    assert ">成员身份</a>" not in page
    resp = client.get("/membership/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/membership/rosters")
    page = client.get("/membership/rosters").get_data(as_text=True)
    assert "《农民专业合作社法》第十九条第二款" in page and "报登记机关" in page
    assert "确认名单" not in page and "村集体" not in page


def test_a_specialized_cooperative_makes_a_new_version_after_its_members_change(app, client, fsc):
    first = make_version_one(client)
    page = client.get("/membership/rosters").get_data(as_text=True)
    assert "编制成员名册第 2 版" in page and "编制新一版" in page
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(RosterVersion))
    resp = client.post("/membership/rosters", headers=HTMX, data={})
    assert resp.status_code == 422
    assert "在册成员与第 1 版名册相同，无须编制新版本" in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(RosterVersion)) == before
    resp = client.post(f"/members/{fsc[1]}/status",
                       data={"status": "withdrawn", "on_date": "2026-06-01", "version": "1"})
    assert resp.status_code in (200, 302, 303)
    second = make_version_one(client)
    assert second != first
    page = client.get(f"/membership/rosters/{second}").get_data(as_text=True)
    assert "成员名册第 2 版" in page and "2 人" in page and "成员入社、退社后在册的成员" in page
    assert "减少 1 人" in page and "李平" in page
    listing = client.get("/membership/rosters").get_data(as_text=True)
    assert "成员变动后编制" in listing and "编制成员名册第 3 版" in listing


def test_a_collective_makes_no_version_by_hand_after_the_first(village):
    rosters.make_first_version(village.coop.id)
    with pytest.raises(Exception, match="第十二条"):
        rosters.make_next_version(village.coop)
