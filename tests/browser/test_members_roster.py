import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from coop.extensions import db
from coop.members.models import Member


def login(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("用户名或成员编号").fill("shuji")
    page.get_by_label("密码").fill("wljs2023")
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/")


def test_typing_in_the_search_box_narrows_the_table(live_server, page: Page, demo):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, live_server)
    page.goto(live_server + "/members/")
    rows = page.locator("table.roster tbody tr")
    expect(rows).to_have_count(50)
    page.get_by_label("搜索").press_sequentially("wjg", delay=60)  # 王建国 by pinyin initials
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("王建国")
    expect(rows.first).to_contain_text("GB001")
    expect(page).to_have_url(re.compile(r"/members/\?q=wjg"))  # a link that can be shared
    page.get_by_label("类别").select_option("villager")
    expect(page.locator("table.roster tbody")).to_contain_text("没有符合条件的成员")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/members/\?q=wjg$"))
    expect(rows).to_have_count(1)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_wrong_id_shows_the_error_next_to_the_field(live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/members/")
    page.get_by_role("link", name="新增成员").click()
    field = page.locator("#id_number")
    expect(field).to_be_visible()
    field.fill("150203198001010017")  # the check digit should be 6
    field.press("Tab")
    expect(page.locator("#field-id_number .error")).to_have_text("身份证号校验位不正确，请核对")
    expect(page.locator("#id_number")).to_have_value("150203198001010017")
    # other fields are not flagged while they are still empty
    expect(page.locator("#member-form .error")).to_have_count(1)
    field = page.locator("#id_number")
    field.fill("150203198001010016")
    field.press("Tab")
    expect(page.locator("#field-id_number .error")).to_have_count(0)


def test_member_added_in_place_appears_in_the_table(live_server, page: Page, demo):
    login(page, live_server)
    page.goto(live_server + "/members/?q=lzq")
    expect(page.locator("table.roster tbody")).to_contain_text("没有符合条件的成员")
    page.get_by_role("link", name="新增成员").click()
    form = page.locator("#member-form")
    form.get_by_label("成员编号").fill("CY0300")
    form.get_by_label("姓名").fill("吕志强")
    form.get_by_label("身份证号").fill("150203198001010016")
    form.get_by_label("户号").fill("06121")
    form.get_by_label("村民小组").fill("六组")
    form.get_by_label("联系电话").fill("13912345678")
    form.get_by_role("button", name="添加成员").click()
    expect(page.locator("#member-form-panel .form-ok")).to_contain_text("已添加 CY0300 吕志强")
    rows = page.locator("table.roster tbody tr")
    expect(rows).to_have_count(1)  # the table reloads with the current search
    expect(rows.first).to_contain_text("1502**********0016")
    page.get_by_role("link", name="关闭").click()
    expect(page.locator("#member-form-panel")).to_have_count(0)


def test_a_long_collective_name_wraps_and_the_roster_fits_a_desktop(live_server, browser, app,
                                                                     demo):
    """A collective member is named like its cooperative, often 15 characters
    or more: its name wraps, and the actions column stays on the screen."""
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.member_no == "JT001"))
        member.name = "乌兰计三村股份经济合作社（村集体经济组织）"
        db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server)
    page.goto(live_server + "/members/?kind=collective")
    expect(page.locator("table.roster tbody")).to_contain_text("（村集体经济组织）")
    assert page.locator(".table-wrap").first.evaluate("w => w.scrollWidth <= w.clientWidth")
    context.close()
