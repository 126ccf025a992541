"""A meeting's printed papers (issue 13): the notice, the sign-in sheet, the
ballots, the tally sheet, the minutes and the resolution, each one template
printed on A4 from the browser and drawn as PDF from the same HTML; for a
rural collective's member assembly (proxies of the same household), its
representative assembly (representatives only, no proxies) and a specialized
cooperative (extra votes)."""
from __future__ import annotations

import io
from datetime import date
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from coop.extensions import db
from coop.governance.api import MemberCapital, vote_basis_requested
from coop.governance.models import Meeting
from tests.test_governance_views import (MEETING_ON, Village, convene_data, decide,
                                         elect_seven_representatives, sign_in, vote)

KINDS = ("notice", "sign-in", "ballots", "tally", "minutes", "resolution")


class Cells(HTMLParser):
    """The text of every cell of the tables of class ``table_class`` (rows of
    the body), and the text of every element of class ``block_class``."""

    def __init__(self, table_class: str = "", block_class: str = ""):
        super().__init__()
        self.table_class, self.block_class = table_class, block_class
        self.rows: list[list[str]] = []
        self.blocks: list[str] = []
        self._table = self._body = False
        self._cell: list[str] | None = None
        self._block_depth = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self._block_depth:
            self._block_depth += 1
        elif self.block_class and self.block_class in classes:
            self._block_depth = 1
            self.blocks.append("")
        if tag == "table" and self.table_class in classes:
            self._table = True
        elif self._table and tag == "tbody":
            self._body = True
        elif self._body and tag == "tr":
            self.rows.append([])
        elif self._body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if self._block_depth:
            self._block_depth -= 1
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tbody":
            self._body = False
        elif tag == "table":
            self._table = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._block_depth:
            self.blocks[-1] += data


def parse(html: str, table_class: str = "", block_class: str = "") -> Cells:
    cells = Cells(table_class, block_class)
    cells.feed(html)
    return cells


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def meeting_id_of(resp) -> int:
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return int(resp.headers["Location"].rsplit("/", 1)[1])


def item_id_of(app, meeting_id: int) -> int:
    with app.app_context():
        return db.session.get(Meeting, meeting_id).items[0].id


@pytest.fixture
def rceo(app, client, staff, auth, set_clock):
    """A member assembly of cooperative t1: three adults (two of household
    H1) and a child; A01 signs in, A02 by A01's proxy (form WT-01), A03 stays
    away; both vote for, the item passes 2 of 3 (3*2 >= 2*3)."""
    auth.login("admin")
    village = Village(app)
    people = [village.member("A01", "H1"), village.member("A02", "H1"), village.member("A03", "H2")]
    village.member("C01", "H2", born=date(2015, 5, 1))
    meeting_id = meeting_id_of(client.post("/meetings/", data=convene_data(
        **{"items-1-kind": "other", "items-1-title": "修建文化广场", "items-1-plan_id": ""})))
    client.post(f"/meetings/{meeting_id}/minutes", data={"version": "1", "minutes": "会议由村委会主任主持。",
                                                         "chair": " 王  主任 ", "recorder": "李会计"})
    set_clock(MEETING_ON)
    assert sign_in(client, meeting_id, people[0]).status_code == 302
    assert sign_in(client, meeting_id, people[1], mode="proxy", proxy_holder="A01",
                   proxy_form="WT-01").status_code == 302
    item_id = item_id_of(app, meeting_id)
    for person in people[:2]:
        assert vote(client, item_id, person, "for").status_code == 302
    assert decide(client, item_id).status_code == 302
    return meeting_id


def paper(client, meeting_id: int, kind: str) -> str:
    resp = client.get(f"/meetings/{meeting_id}/papers/{kind}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_the_meeting_page_links_every_paper(client, rceo):
    page = client.get(f"/meetings/{rceo}").get_data(as_text=True)
    assert "打印材料" in page
    for kind in KINDS:
        assert f"/meetings/{rceo}/papers/{kind}\"" in page
        assert f"/meetings/{rceo}/papers/{kind}.pdf\"" in page


def test_notice_has_date_place_agenda_notice_date_and_the_rule(client, rceo):
    html = paper(client, rceo, "notice")
    assert "关于召开2026年成员大会的通知" in html and "全体成员" in html
    assert "2026-07-01" in html and "村委会会议室" in html and "2026-06-15" in html
    assert "村道硬化" in html and "修建文化广场" in html
    assert "《农村集体经济组织法》第二十七条" in html and "十日前通知全体成员" in html
    assert "距会议召开 16 日" in html


def test_sign_in_sheet_lists_the_entitled_with_the_proxy_column(client, rceo):
    html = paper(client, rceo, "sign-in")
    rows = parse(html, "sign-in").rows
    assert [row[:4] for row in rows] == [["1", "A01", "成员A01", "H1"], ["2", "A02", "成员A02", "H1"],
                                         ["3", "A03", "成员A03", "H2"]]     # the child has no vote
    assert [row[5:] for row in rows] == [["", ""], ["成员A01（A01）", "WT-01"], ["", ""]]
    assert "委托代理人" in html and "本人签名" in html and "应到成员 <strong>3</strong> 人" in html


def test_ballots_one_per_entitled_person_with_every_item(client, rceo):
    html = paper(client, rceo, "ballots")
    ballots = parse(html, block_class="ballot-voter").blocks
    assert [b.split("·")[0].strip() for b in ballots] == ["编号 A01", "编号 A02", "编号 A03"]
    assert "成员A02" in ballots[1] and "C01" not in html
    assert html.count('class="ballot"') == 3
    items = parse(html, "ballot-items").rows
    assert items[:2] == [["1", "村道硬化", "□", "□", "□"], ["2", "修建文化广场", "□", "□", "□"]]
    assert html.count("<th class=\"box\">同意</th>") == 3


def test_many_ballots_are_printed_and_drawn_a_part_at_a_time(client, rceo, monkeypatch):
    """A part is BALLOTS_PER_PART people in the sign-in sheet's order: the page shows
    one part with a pager, its PDF link draws the same part."""
    from coop.governance import papers

    html = paper(client, rceo, "ballots")
    assert "本页是第" not in html and 'class="pager"' not in html
    assert f'href="/meetings/{rceo}/papers/ballots.pdf"' in html
    monkeypatch.setattr(papers, "BALLOTS_PER_PART", 2)
    html = paper(client, rceo, "ballots")
    voters = [b.split("·")[0].strip() for b in parse(html, block_class="ballot-voter").blocks]
    assert voters == ["编号 A01", "编号 A02"]
    assert "共 3 张；沿虚线剪开。" in html and "本页是第 1–2 张" in html and "第 1 / 2 页，共 3 张" in html
    assert f'href="/meetings/{rceo}/papers/ballots.pdf?page=1"' in html
    html = client.get(f"/meetings/{rceo}/papers/ballots?page=2").get_data(as_text=True)
    assert [b.split("·")[0].strip() for b in parse(html, block_class="ballot-voter").blocks] == ["编号 A03"]
    resp = client.get(f"/meetings/{rceo}/papers/ballots.pdf?page=2")
    pages, text = pdf_text(resp.data)
    assert pages == 1 and text.count("表决票") == 1 and "A03" in text and "A01" not in text
    assert "%E7%AC%AC3%E8%87%B33%E5%BC%A0" in resp.headers["Content-Disposition"]  # 第3至3张
    _, text = pdf_text(client.get(f"/meetings/{rceo}/papers/sign-in.pdf").data)
    assert all(no in text for no in ("A01", "A02", "A03"))   # the sign-in sheet lists everyone


def test_tally_sheet_counts_needed_and_verdict(client, rceo):
    rows = parse(paper(client, rceo, "tally"), "tally").rows
    # entitled, present, for, against, abstain, invalid (no secret ballot), needed, verdict
    assert rows[0][:9] == ["1", "村道硬化", "3", "2", "2", "0", "0", "", "2"]
    assert rows[0][9].startswith("通过") and "决议 2026-001" in rows[0][9]
    assert rows[1][:4] == ["2", "修建文化广场", "3", "2"] and rows[1][4:8] == ["", "", "", ""]
    assert rows[1][8] == "2" and rows[1][9] == ""      # undecided: needed from the forecast, blanks


def test_minutes_have_the_text_attendance_outcomes_and_signatures(client, rceo):
    html = paper(client, rceo, "minutes")
    assert "会议由村委会主任主持。" in html
    assert "3 人" in html and "实到</dt><dd>2 人：现场参会 1 人，线上参会 0 人，书面委托 1 人" in html
    assert "通过，决议编号 2026-001" in html and "《农村集体经济组织法》第二十七条" in html
    assert "主持人（签字）" in html and "记录人（签字）" in html
    assert "<dt>主持人</dt><dd>王 主任</dd>" in html and "<dt>记录人</dt><dd>李会计</dd>" in html
    rows = parse(html, "attendees").rows
    assert [row[:3] for row in rows] == [["1", "A01", "成员A01"], ["2", "A02", "成员A02"]]
    assert "受托人 成员A01" in rows[1][3]


def test_resolution_has_number_counts_reasons_and_seal(client, rceo):
    html = paper(client, rceo, "resolution")
    assert "成员大会决议" in html and "决议编号：2026-001" in html
    assert "应到成员 3 人，实到 2 人" in html and "同意 <strong>2</strong> 票，反对 0 票，弃权 0 票" in html
    assert "《农村集体经济组织法》第二十七条" in html and "（盖章）" in html
    assert "修建文化广场" not in html      # not decided: no resolution


@pytest.mark.parametrize("kind", KINDS)
def test_every_paper_as_pdf_with_its_chinese_text(client, rceo, kind):
    resp = client.get(f"/meetings/{rceo}/papers/{kind}.pdf")
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Cache-Control"] == "no-store"     # a download of personal data (coop.web)
    assert "attachment" in resp.headers["Content-Disposition"]
    pages, text = pdf_text(resp.data)
    assert pages >= 1 and "成员大会" in text
    expected = {"notice": "村委会会议室", "sign-in": "成员A03", "ballots": "成员A02",
                "tally": "计票表", "minutes": "会议由村委会主任主持", "resolution": "2026-001"}
    assert expected[kind] in text
    assert "返回会议" not in text and "下载 PDF" not in text    # the screen's tools are not printed


def test_ballots_pdf_puts_several_ballots_on_an_a4_page(client, rceo):
    pages, text = pdf_text(client.get(f"/meetings/{rceo}/papers/ballots.pdf").data)
    assert pages == 1 and text.count("表决票") == 3
    box = PdfReader(io.BytesIO(client.get(f"/meetings/{rceo}/papers/ballots.pdf").data)).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_a_pdf_without_a_cjk_font_says_so(client, rceo, monkeypatch):
    from coop import fonts

    monkeypatch.setattr(fonts, "find_cjk_font", lambda: None)
    resp = client.get(f"/meetings/{rceo}/papers/notice.pdf")
    assert resp.status_code == 503 and "服务器上没有安装中文字体" in resp.get_data(as_text=True)


def test_representative_assembly_papers_list_the_representatives(client, app, staff, auth, set_clock):
    auth.login("admin")
    reps = elect_seven_representatives(Village(app), app)
    meeting_id = meeting_id_of(client.post("/meetings/", data=convene_data(body="representatives")))
    set_clock(MEETING_ON)
    item_id = item_id_of(app, meeting_id)
    for n, person in enumerate(reps):
        sign_in(client, meeting_id, person)
        vote(client, item_id, person, "for" if n < 5 else "against")
    decide(client, item_id)

    html = paper(client, meeting_id, "sign-in")
    rows = parse(html, "sign-in").rows
    assert [row[1] for row in rows] == [f"R{r}" for r in range(1, 8)]
    assert "委托代理人" not in html and "应到成员代表 <strong>7</strong> 人" in html
    ballots = paper(client, meeting_id, "ballots")
    assert ballots.count('class="ballot"') == 7 and "MH12" not in ballots
    notice = paper(client, meeting_id, "notice")
    assert "全体成员代表" in notice and "第二十八条" in notice and "不能委托他人" in notice
    tally = parse(paper(client, meeting_id, "tally"), "tally").rows
    assert tally[0][2:9] == ["7", "7", "5", "2", "0", "", "5"] and tally[0][9].startswith("通过")
    resolution = paper(client, meeting_id, "resolution")
    assert "成员代表大会决议" in resolution and "应到成员代表 7 人，实到 7 人" in resolution
    assert "《农村集体经济组织法》第二十八条" in resolution
    _, text = pdf_text(client.get(f"/meetings/{meeting_id}/papers/sign-in.pdf").data)
    assert "成员代表大会" in text and "R7" in text and "MH12" not in text


def test_specialized_cooperative_papers_show_extra_votes(client, app, auth, create_coop, create_user,
                                                         set_clock):
    code = create_coop("t1", distribution_mode="specialized")
    create_user(code, "admin", role="admin")
    auth.login("admin")
    village = Village(app)
    village.charter(extra_votes_allowed=True, extra_votes_cap_bp=2000, extra_votes_basis="capital",
                    extra_votes_capital_step_fen=1_000_000, extra_votes_member_max=5)
    people = village.adults(10)
    # the two extra votes were typed; they now follow A01's 20,000 yuan of capital
    def register(coop_id, *, on, **_):
        return MemberCapital(on, {people[0]: 2_000_000})
    with vote_basis_requested.connected_to(register):
        meeting_id = meeting_id_of(client.post("/meetings/", data=convene_data()))
    set_clock(MEETING_ON)
    item_id = item_id_of(app, meeting_id)
    assert sign_in(client, meeting_id, people[0]).status_code == 302
    for person in people[1:7]:
        sign_in(client, meeting_id, person)
    for person in people[:7]:
        vote(client, item_id, person, "for")
    decide(client, item_id)

    rows = parse(paper(client, meeting_id, "sign-in"), "sign-in").rows
    # computed when the meeting was convened: known for everyone, signed in or not
    assert [row[4] for row in rows[:3]] == ["3", "1", "1"] and rows[9][4] == "1"
    sign_in_sheet = paper(client, meeting_id, "sign-in")
    assert "本次会议附加表决权共 2 票：成员A01（A01）2 票，出资 20,000.00 元得 2 票" in sign_in_sheet
    ballots = parse(paper(client, meeting_id, "ballots"), block_class="ballot-voter").blocks
    assert len(ballots) == 10 and "表决权 3 票" in ballots[0] and "表决权 1 票" in ballots[9]
    # entitled, present, all votes (10 + 2 extra), for 9 votes (7 people, one with 2 extra)
    tally = parse(paper(client, meeting_id, "tally"), "tally").rows
    assert tally[0][2:6] == ["10", "7", "12", "9"] and tally[0][10].startswith("通过")
    minutes = paper(client, meeting_id, "minutes")
    assert "（表决权共 12 票）" in minutes and "（表决权 9 票）" in minutes
    notice = paper(client, meeting_id, "notice")
    assert "《农民专业合作社法》第三十条" in notice
    _, text = pdf_text(client.get(f"/meetings/{meeting_id}/papers/tally.pdf").data)
    assert "表决权总数" in text and "12" in text


def test_another_cooperatives_meeting_and_an_unknown_paper_are_404(client, rceo, app, auth,
                                                                  create_coop, create_user):
    assert client.get(f"/meetings/{rceo}/papers/receipt").status_code == 404
    assert client.get(f"/meetings/{rceo}/papers/receipt.pdf").status_code == 404
    code = create_coop("other")
    create_user(code, "sec2", role="admin")
    auth.logout()
    auth.login("sec2", coop="other")
    for kind in KINDS:
        assert client.get(f"/meetings/{rceo}/papers/{kind}").status_code == 404
        assert client.get(f"/meetings/{rceo}/papers/{kind}.pdf").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Meeting.id)) == rceo
