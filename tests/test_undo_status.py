"""A member's status change takes the date it happened, typed: the form does
not fill in today, and a change without a date is refused and changes nothing."""
from coop.extensions import db
from coop.members.models import Member
from tests.test_members_views import HX, admin, field_block, html, world  # noqa: F401 (fixtures)


def test_the_status_form_has_no_date_filled_in(admin, world, specialized):
    specialized("t1")  # the direct change (under the RCEO a loss is a membership event)
    page = html(admin.get(f"/members/{world['a']}"))
    block = field_block(page, "on_date")
    assert 'name="on_date"' in block and 'value="2026-06-15"' not in block
    assert "不默认今天" in block


def test_a_status_change_without_a_date_is_refused(app, admin, world, fingerprint, specialized):
    specialized("t1")
    before = fingerprint()
    resp = admin.post(f"/members/{world['a']}/status",
                      data={"status": "deceased", "on_date": "", "version": "1"}, headers=HX)
    assert resp.status_code == 422
    assert "请填写日期" in field_block(html(resp), "on_date")
    assert fingerprint() == before
    with app.app_context():
        assert db.session.get(Member, world["a"]).status == "active"
