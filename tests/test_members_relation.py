"""与户主关系 on the member form (new and edit), read and checked as the
import's column is, saved, shown on the member page (once: in its 成员身份
panel, with the other columns of the filing) and carried to the filed
roster."""
from __future__ import annotations

from sqlalchemy import select

from coop.extensions import db
from coop.members.models import Member
from tests.test_members_views import HX, ID1, NEW, admin, field_block, html, world  # noqa: F401

TOO_LONG = "户主的兄弟的妻子的母亲"        # 11 characters
MESSAGE = "与户主关系不能超过 10 个字，例如 户主、配偶、长子"   # the import's words


def _relation(app, member_no: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Member.relation_to_head).where(Member.member_no == member_no))


def test_the_new_member_form_asks_for_it_and_saves_it(app, admin):
    form = html(admin.get("/members/new"))
    assert '<label for="relation_to_head">与户主关系</label>' in form
    assert "例如 户主、配偶、长子" in field_block(form, "relation_to_head")
    resp = admin.post("/members/", data={**NEW, "relation_to_head": " 长子 "})
    assert resp.status_code == 302
    assert _relation(app, "CY0100") == "长子"
    page = html(admin.get(resp.headers["Location"]))
    assert page.count("<dt>与户主关系</dt>") == 1 and "<dt>与户主关系</dt><dd>长子</dd>" in page


def test_the_edit_form_shows_and_changes_it(app, admin, world):
    data = {**NEW, "member_no": "CY0001", "name": "张三", "id_number": ID1, "version": "1",
            "relation_to_head": "户主"}
    assert admin.post(f"/members/{world['a']}", data=data).status_code == 302
    assert _relation(app, "CY0001") == "户主"
    form = html(admin.get(f"/members/{world['a']}/edit"))
    assert 'name="relation_to_head" type="text" value="户主"' in form
    resp = admin.post(f"/members/{world['a']}", data={**data, "version": "2", "relation_to_head": "配偶"},
                      headers=HX)
    assert resp.status_code == 200 and "已保存 CY0001 张三" in html(resp)
    assert _relation(app, "CY0001") == "配偶"
    assert "<dt>与户主关系</dt><dd>配偶</dd>" in html(admin.get(f"/members/{world['a']}"))
    # a form posted without the box (opened before it existed) leaves it as it is
    without = {k: v for k, v in data.items() if k != "relation_to_head"}
    assert admin.post(f"/members/{world['a']}", data={**without, "version": "3"}).status_code == 302
    assert _relation(app, "CY0001") == "配偶"


def test_a_member_without_it_shows_a_dash(admin, world):
    assert "<dt>与户主关系</dt><dd>—</dd>" in html(admin.get(f"/members/{world['a']}"))


def test_too_long_is_refused_next_to_the_field_as_the_import_refuses_it(admin, fingerprint):
    before = fingerprint()
    resp = admin.post("/members/", data={**NEW, "relation_to_head": TOO_LONG}, headers=HX)
    assert resp.status_code == 422
    assert MESSAGE in field_block(html(resp), "relation_to_head")
    assert fingerprint() == before
    # the inline check of the field says the same while the form is filled in
    resp = admin.post("/members/validate", data={"relation_to_head": TOO_LONG}, headers=HX)
    assert resp.status_code == 422 and MESSAGE in field_block(html(resp), "relation_to_head")
    assert fingerprint() == before


def test_the_filed_roster_carries_it(app, admin):
    assert admin.post("/members/", data={**NEW, "relation_to_head": "长子"}).status_code == 302
    resp = admin.post("/membership/rosters", data={})
    assert resp.status_code == 302
    roster_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    filing = html(admin.get(f"/membership/rosters/{roster_id}/filing"))
    row = filing[filing.index("CY0100"):]
    row = row[:row.index("</tr>")]
    assert "<td>长子</td>" in row
