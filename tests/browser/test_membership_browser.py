"""Issue 15 end to end in the browser: the secretary confirms a newborn and a
bride marrying in. Both gains are recorded with their evidence (the bride's
art 8 review written on her event), gathered into a confirmation list, the
list published for its 7 days of notice, a member assembly convened with the
list on its agenda, the ~190 sign-ins typed in through the service (as the
dividends browser test does), the secret ballot counted and the item decided;
the new roster version lists both among its differences. At 1280 px and on
a 390 px phone."""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login, overflows

BABY = "王子轩"
BRIDE = "赵雅琪"


def _relatives(app) -> tuple[str, str]:
    """Two active adult men of the demo: the baby's father and the bride's groom."""
    from sqlalchemy import select

    from coop.extensions import db
    from coop.members.models import Member

    with app.app_context():
        men = [m.member_no for m in db.session.scalars(
            select(Member).where(Member.kind == "villager", Member.status == "active",
                                 Member.distribution_rights_only.is_(False))
            .order_by(Member.member_no))
            if m.id_number and int(m.id_number[16]) % 2 == 1 and m.id_number[6:10] < "1996"]
    return men[3], men[7]


def _id(born: date, seq: int) -> str:
    from coop.idcodes import resident_id_check_char

    first17 = f"150203{born:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def _record_gain(page: Page, base: str, *, reason: str, on: str, name: str, id_number: str,
                 relative: str, doc_type: str, doc_no: str) -> None:
    page.goto(base + "/membership/gains/new")
    page.get_by_label("取得方式").select_option(reason)
    page.get_by_label("事由发生日期").fill(on)
    page.get_by_label("本社亲属的成员编号").fill(relative)
    page.get_by_label("姓名").fill(name)
    page.get_by_label("身份证号").fill(id_number)
    page.get_by_label("证明材料").fill(doc_type)
    page.get_by_label("文号或编号").fill(doc_no)
    page.get_by_label("材料日期").fill(on)
    page.locator("#gain-panel").get_by_role("button", name="登记").click()
    expect(page.locator("h1")).to_contain_text("取得成员身份")
    expect(page.locator("body")).to_contain_text(name)
    expect(page.locator("body")).to_contain_text("待确认")


@pytest.mark.now("2026-03-02 09:00")
def test_a_newborn_and_a_bride_confirmed_by_the_member_assembly(live_server, page: Page, browser, demo,
                                                                 app, set_clock):
    from sqlalchemy import select

    from coop.extensions import db
    from coop.governance.api import Meeting, entitled_voters, sign_in_all

    father, groom = _relatives(app)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server)

    # -- the two gains, with their evidence ------------------------------------------
    _record_gain(page, live_server, reason="birth", on="2026-02-20", name=BABY,
                 id_number=_id(date(2026, 2, 20), 151), relative=father,
                 doc_type="出生医学证明", doc_no="R150031415")
    _record_gain(page, live_server, reason="marriage_in", on="2026-02-14", name=BRIDE,
                 id_number=_id(date(1999, 4, 8), 262), relative=groom,
                 doc_type="结婚证", doc_no="J150203-2026-000027")
    # the bride's membership changes by marriage: the art 8 review comes first
    expect(page.locator("#review-panel")).to_contain_text("第八条")
    page.get_by_label("复核意见").fill("已核实其在娘家未保留成员身份，因婚姻迁入本村，不损害其权益")
    page.get_by_role("button", name="记录复核意见").click()
    expect(page.locator("#review-panel")).to_contain_text("已复核")

    # -- the list and its notice ------------------------------------------------------
    page.goto(live_server + "/membership/lists")
    page.get_by_label(re.compile(BABY)).check()
    page.get_by_label(re.compile(BRIDE)).check()
    page.get_by_role("button", name="生成确认名单（草稿）").click()
    expect(page.locator("h1")).to_contain_text("2026年第1批成员身份确认名单")
    page.get_by_label("公示开始日期").fill("2026-03-02")
    page.get_by_label("公示天数").fill("7")
    page.get_by_role("button", name="发布公示").click()
    expect(page.locator(".flash-success")).to_contain_text("名单已公示：2026-03-02 起 7 日")

    # -- the member assembly with the list on its agenda ----------------------------------
    page.goto(live_server + "/meetings/new")
    page.get_by_label("会议名称").fill("2026年第一次成员大会")
    page.get_by_label("会议日期").fill("2026-03-12")
    page.get_by_label("通知日期").fill("2026-03-02")
    page.get_by_label("会议地点").fill("村委会大会议室")
    page.locator("#items-0-kind").select_option("membership")
    choice = page.locator("#items-0-membership_list_id option", has_text="2026年第1批成员身份确认名单")
    page.locator("#items-0-membership_list_id").select_option(choice.get_attribute("value"))
    page.get_by_role("button", name="召集会议").click()
    expect(page.locator("h1")).to_have_text("2026年第一次成员大会")

    set_clock(date(2026, 3, 12))
    with app.app_context():   # the paper sign-in sheet, typed in one go
        meeting = db.session.scalar(select(Meeting).where(Meeting.meeting_on == date(2026, 3, 12)))
        voters = entitled_voters(meeting).voters
        present = len(voters) * 9 // 10
        sign_in_all(meeting, [m.id for m in voters[:present]])
        db.session.commit()
    page.reload()
    page.get_by_role("link", name="议题1 表决").click()
    page.get_by_label("同意票数").fill(str(present - 3))
    page.get_by_label("反对票数").fill("2")
    page.get_by_label("弃权票数").fill("1")
    page.get_by_label("废票数").fill("0")
    page.get_by_role("button", name="保存计票结果").click()
    expect(page.locator(".flash-success")).to_contain_text("计票结果")
    page.get_by_label("决议编号").fill("乌三股合〔2026〕2号")
    page.get_by_role("button", name="按法律核对并宣布结果").click()
    expect(page.locator(".flash-success")).to_contain_text("表决结果：通过，决议编号 乌三股合〔2026〕2号")

    # -- the new roster version with its differences ------------------------------------
    page.goto(live_server + "/membership/rosters")
    page.get_by_role("link", name=re.compile("第 3 版")).first.click()
    expect(page.locator("h1")).to_have_text("成员名册第 3 版")
    diff = page.locator("#diff")
    expect(diff).to_contain_text("新增")
    expect(diff).to_contain_text(BABY)
    expect(diff).to_contain_text(BRIDE)
    expect(page.locator("body")).to_contain_text("乌三股合〔2026〕2号")
    roster_url = page.url
    assert not overflows(page)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2, locale="zh-CN")
    mobile = phone.new_page()
    login(mobile, live_server)
    mobile.goto(roster_url)
    expect(mobile.locator("#diff")).to_contain_text(BABY)
    expect(mobile.locator("#diff")).to_contain_text(BRIDE)
    assert not overflows(mobile), "the roster version is wider than the phone"
    mobile.goto(live_server + "/membership/lists")
    assert not overflows(mobile), "the lists page is wider than the phone"
    phone.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
