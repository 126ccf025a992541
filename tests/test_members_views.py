"""Member pages: roster, live search fragment, in-place create and edit with
errors next to the field, masking of the ID on every page, households,
status changes, another cooperative's member."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from coop.extensions import db
from coop.members.models import Member
from tests.conftest_members import make_id

HX = {"HX-Request": "true"}
ID1 = make_id(1)      # 150203198001010016
ID2 = make_id(18)     # 15020319800101018X
MASK1 = "1502**********0016"
MASK2 = "1502**********018X"
NEW = {
    "member_no": "CY0100", "name": "吕志强", "kind": "villager", "household_no": "03001",
    "village_group": "三组", "id_number": make_id(100), "phone": "13912345678",
    "joined_on": "2023-04-01",
}


@pytest.fixture
def world(staff, create_member):
    create_member("t1", member_no="JT001", name="乌兰计三村集体经济组织", kind="collective")
    a = create_member("t1", member_no="CY0001", name="张三", id_number=ID1, household_no="01001",
                      village_group="一组", phone="13800001234")
    b = create_member("t1", member_no="CY0002", name="李四", id_number=ID2, household_no="01001",
                      village_group="一组", is_party_member=True)
    return {"a": a, "b": b}


@pytest.fixture
def admin(client, auth, world):
    auth.login("admin")
    return client


def html(resp) -> str:
    return resp.get_data(as_text=True)


def tbody(page: str) -> str:
    return page[page.index("<tbody>"):page.index("</tbody>")]


def field_block(page: str, field: str) -> str:
    start = page.index(f'id="field-{field}"')
    return page[start:page.index("</div>", start)]


def test_roster_lists_members_with_masked_ids(admin):
    page = html(admin.get("/members/"))
    assert "成员名册" in page and "张三" in page and "李四" in page
    assert MASK1 in page and MASK2 in page
    assert ID1 not in page and ID2 not in page
    assert "有表决权的户 " in page and "1 户" in page


def test_live_search_returns_only_the_table(admin):
    resp = admin.get("/members/?q=zs", headers=HX)
    page = html(resp)
    assert resp.status_code == 200 and "<html" not in page and 'id="member-search"' not in page
    assert "张三" in tbody(page) and "李四" not in tbody(page)
    assert resp.headers["Vary"] == "HX-Request" or "HX-Request" in resp.headers["Vary"]


def test_search_works_without_javascript(admin):
    page = html(admin.get("/members/?q=%E6%9D%8E&kind=villager"))  # 李
    assert "<html" in page and 'value="李"' in page
    assert "李四" in tbody(page) and "张三" not in tbody(page)


def test_history_restore_gets_the_whole_page(admin):
    page = html(admin.get("/members/?q=zs", headers={**HX, "HX-History-Restore-Request": "true"}))
    assert "<html" in page and 'id="member-search"' in page


def test_sort_links_keep_the_search(admin):
    page = html(admin.get("/members/?q=cy"))
    assert 'href="/members/?q=cy&amp;sort=name&amp;direction=asc"' in page


def test_detail_household_and_edit_pages(admin, world):
    detail = html(admin.get(f"/members/{world['a']}"))
    assert "张三" in detail and MASK1 in detail and ID1 not in detail
    assert "在册成员一人一票" in detail and "李四" in detail
    household = html(admin.get("/members/households/01001"))
    assert MASK1 in household and MASK2 in household and ID1 not in household and ID2 not in household
    assert "1 票" in household
    households = html(admin.get("/members/households"))
    assert "张三、李四" in households and ID1 not in households
    # the edit form is the one place with the full number
    edit = html(admin.get(f"/members/{world['a']}/edit"))
    assert f'value="{ID1}"' in edit


def test_household_search_field_and_its_fragment(admin, world):
    """The search box is the one field macro's (label, id, value kept); a
    keystroke's htmx request gets only the list, not the page's counts."""
    page = html(admin.get("/members/households?q=01"))
    assert '<label for="q">户号</label>' in page and 'value="01"' in page
    assert "有表决权的户" in page and "张三、李四" in page
    fragment = html(admin.get("/members/households?q=01", headers=HX))
    assert "张三、李四" in fragment and "有表决权的户" not in fragment
    assert "张三" not in html(admin.get("/members/households?q=99", headers=HX))


def test_create_member(app, admin):
    resp = admin.post("/members/", data=NEW)
    assert resp.status_code == 302
    with app.app_context():
        m = db.session.scalar(select(Member).where(Member.member_no == "CY0100"))
        assert (m.name, m.name_initials, m.household_no, m.joined_on) == (
            "吕志强", "lzq", "03001", date(2023, 4, 1))
        assert resp.headers["Location"] == f"/members/{m.id}"


def test_create_in_place_returns_a_fresh_form_and_refreshes_the_table(admin):
    resp = admin.post("/members/", data=NEW, headers=HX)
    page = html(resp)
    assert resp.status_code == 200 and "<html" not in page
    assert "已添加 CY0100 吕志强" in page and resp.headers["HX-Trigger"] == "members-changed"
    assert 'name="member_no" type="text" value=""' in page


BAD = [
    ({"id_number": make_id(100)[:-1] + "1"}, "id_number", "身份证号校验位不正确，请核对"),
    ({"id_number": "1502031980"}, "id_number", "身份证号应为 18 位，现在是 10 位"),
    ({"id_number": "15020319801301001X"}, "id_number", "身份证号中的出生日期不存在"),
    ({"id_number": ID1}, "id_number", "这个身份证号已登记在成员 CY0001 张三 名下"),
    ({"member_no": "cy0001"}, "member_no", "成员编号 CY0001 已被 张三 使用"),
    ({"member_no": ""}, "member_no", "请填写成员编号"),
    ({"phone": "1391234567"}, "phone", "手机号码应为 11 位数字，以 13–19 开头，例如 13800001234"),
    ({"name": ""}, "name", "请填写姓名"),
    ({"household_no": ""}, "household_no", "请填写户号（同户成员凭户号核对委托表决和继承）"),
    ({"kind": "collective", "id_number": "", "household_no": ""}, "kind",
     "本合作社已有村集体成员（JT001 乌兰计三村集体经济组织），只能有一个"),
    ({"joined_on": "2023-13-01"}, "joined_on", "入社日期格式不对，请写成 2023-03-15"),
]


@pytest.mark.parametrize("change,field,message", BAD)
def test_bad_value_is_shown_next_to_its_field_and_nothing_saved(admin, fingerprint, change,
                                                                field, message):
    before = fingerprint()
    resp = admin.post("/members/", data={**NEW, **change}, headers=HX)
    assert resp.status_code == 422
    assert message in field_block(html(resp), field)
    assert fingerprint() == before


def test_inline_validation_checks_filled_fields_only(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/members/validate", data={"id_number": "110105194912310021",
                                                 "kind": "villager"}, headers=HX)
    page = html(resp)
    assert resp.status_code == 422
    assert "身份证号校验位不正确，请核对" in field_block(page, "id_number")
    assert "请填写" not in page  # empty fields are not errors while the form is filled in
    ok = admin.post("/members/validate", data={**NEW}, headers=HX)
    assert ok.status_code == 200 and 'class="error"' not in html(ok)
    assert fingerprint() == before


def test_edit_member_in_place(app, admin, world):
    data = {**NEW, "member_no": "CY0001", "name": "张叁", "id_number": ID1, "version": "1"}
    resp = admin.post(f"/members/{world['a']}", data=data, headers=HX)
    assert resp.status_code == 200 and "已保存 CY0001 张叁" in html(resp)
    assert resp.headers["HX-Trigger"] == "members-changed"
    with app.app_context():
        m = db.session.get(Member, world["a"])
        assert (m.name, m.name_initials, m.version, m.phone) == ("张叁", "zs", 2, "13912345678")


def test_edit_with_old_version_shows_what_changed(admin, world, fingerprint):
    data = {**NEW, "member_no": "CY0001", "name": "张叁", "id_number": ID1, "version": "1"}
    assert admin.post(f"/members/{world['a']}", data=data).status_code == 302
    before = fingerprint()
    resp = admin.post(f"/members/{world['a']}", data={**data, "name": "张三三"}, headers=HX)
    assert resp.status_code == 409
    assert "姓名：张三 → 张叁" in html(resp)
    assert fingerprint() == before


def test_stale_message_masks_the_id(admin, world):
    data = {**NEW, "member_no": "CY0001", "name": "张三", "id_number": make_id(7), "version": "1"}
    assert admin.post(f"/members/{world['a']}", data=data).status_code == 302
    page = html(admin.post(f"/members/{world['a']}", data={**data, "name": "张叁"}, headers=HX))
    assert "身份证号：1502**********0016 → 1502**********0075" in page
    assert ID1 not in page.replace(f'value="{ID1}"', "")


def test_another_cooperatives_member_is_404(client, auth, world, create_coop, create_member):
    other = create_member(create_coop("t2"), member_no="X1")
    auth.login("admin")
    for url in (f"/members/{other}", f"/members/{other}/edit"):
        assert client.get(url).status_code == 404
    assert client.post(f"/members/{other}", data=NEW).status_code == 404
    assert client.post(f"/members/{other}/status", data={"status": "withdrawn"}).status_code == 404
    assert "X1" not in tbody(client.get("/members/?q=X1").get_data(as_text=True))


def test_status_change_and_refusal_in_the_page(app, admin, world, fingerprint, specialized):
    specialized("t1")  # under the RCEO a loss is a membership event (tests/test_membership_views.py)
    before = fingerprint()
    resp = admin.post(f"/members/{world['a']}/status",
                      data={"status": "withdrawn", "on_date": "2023-01-01", "version": "1"},
                      headers=HX)
    assert resp.status_code == 422
    assert "日期不能早于入社日期 2023-03-15" in field_block(html(resp), "on_date")
    assert fingerprint() == before
    resp = admin.post(f"/members/{world['a']}/status",
                      data={"status": "deceased", "on_date": "2024-08-01", "version": "1"})
    assert resp.status_code == 302
    page = html(admin.get(resp.headers["Location"]))
    assert "张三 已登记为“已故”（2024-08-01）" in page
    with app.app_context():
        m = db.session.get(Member, world["a"])
        assert (m.status, m.status_changed_on) == ("deceased", date(2024, 8, 1))


def test_readers_see_no_edit_controls(client, auth, world, specialized):
    auth.login("accountant")
    page = client.get("/members/").get_data(as_text=True)
    assert "新增成员" not in page and "编辑" not in page and "含完整身份证号" not in page
    detail = client.get(f"/members/{world['a']}").get_data(as_text=True)
    assert "登记状态变更" not in detail and "经成员大会确认后才改变成员名册" in detail
    assert "登记成员身份丧失" not in detail
    specialized("t1")
    detail = client.get(f"/members/{world['a']}").get_data(as_text=True)
    assert "登记状态变更" not in detail and "只有书记可以办理状态变更" in detail
    assert client.get("/members/export?full=1").status_code == 403


def test_export_is_masked_unless_the_secretary_asks(admin):
    masked = admin.get("/members/export?format=csv").get_data().decode("utf-8-sig")
    assert masked.splitlines()[0].startswith("成员编号,姓名,身份证号,户号,村民小组,联系电话,成员类别,是否党员,入社日期")
    assert MASK1 in masked and ID1 not in masked
    full = admin.get("/members/export?format=csv&full=1").get_data().decode("utf-8-sig")
    assert ID1 in full and ID2 in full
    filtered = admin.get("/members/export?format=csv&q=zs").get_data().decode("utf-8-sig")
    assert "张三" in filtered and "李四" not in filtered
    xlsx = admin.get("/members/export")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert re.search(r"members-t1-\d{8}\.xlsx", xlsx.headers["Content-Disposition"])


def test_the_household_hint_says_one_person_one_vote(admin):
    """Both laws vote one person one vote (DESIGN.md, members and households);
    the household number is for the household register and same-household
    proxies, and the member form must not say otherwise."""
    hint = field_block(html(admin.get("/members/new")), "household_no")
    assert "一人一票" in hint and "一户一票" not in hint
