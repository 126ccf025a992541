"""The member import records how each member came to be one: a founding
member, or one confirmed before 2025-05-01 with the date of that
confirmation (《农村集体经济组织法》第六十六条: no re-confirmation). Later
gains are membership events for the member assembly (art 12), never rows."""
from datetime import date

import pytest
from sqlalchemy import select

from coop.extensions import db
from coop.members.basis import clean_basis
from coop.members.models import Member
from tests.conftest_members import make_id
from tests.test_members_import import HEADERS, admin, confirm, member_count, upload, xlsx  # noqa: F401

BASIS = HEADERS + ["成员取得方式", "确认日期", "与户主关系"]
ROW = ["CY0001", "张三", make_id(1), "01001", "一组", "13800001234", "村民", "否", "2023-03-15"]


def test_a_row_without_the_columns_is_a_founding_member(app, admin):  # noqa: F811
    assert confirm(admin, upload(admin, xlsx([ROW])).get_data(as_text=True)).status_code == 302
    with app.app_context():
        member = db.session.scalar(select(Member))
        assert (member.acquired_how, member.confirmed_on) == ("founding", None)


def test_confirmed_before_the_law_keeps_its_date_and_relation(app, admin):  # noqa: F811
    rows = [ROW + ["2025年5月1日前已确认成员", "2020-06-30", "户主"],
            ["CY0002", "李四", make_id(18), "01001", "一组", "", "村民", "否", "2023-03-15",
             "设立时成员", "", "配偶"]]
    page = upload(admin, xlsx(rows, BASIS)).get_data(as_text=True)
    assert "全部 2 行检查通过" in page
    assert confirm(admin, page).status_code == 302
    with app.app_context():
        members = {m.member_no: m for m in db.session.scalars(select(Member))}
        assert members["CY0001"].acquired_how == "confirmed_before_law"
        assert members["CY0001"].confirmed_on == date(2020, 6, 30)
        assert members["CY0001"].relation_to_head == "户主"
        assert members["CY0002"].acquired_how == "founding"
        assert members["CY0002"].relation_to_head == "配偶"


@pytest.mark.parametrize("basis, confirmed, message", [
    ("2025年5月1日前已确认成员", "", "第六十六条"),
    ("2025年5月1日前已确认成员", "2025-05-01", "应早于 2025-05-01"),
    ("出生", "", "第十二条"),
    ("婚姻", "2020-01-01", "第十二条"),
    ("随便", "", "不认识"),
    ("设立时成员", "2020-13-40", "格式不对"),
])
def test_a_bad_basis_is_refused_with_its_article_and_nothing_written(app, admin, basis,  # noqa: F811
                                                                     confirmed, message):
    page = upload(admin, xlsx([ROW + [basis, confirmed, ""]], BASIS)).get_data(as_text=True)
    assert message in page
    assert member_count(app) == 0


def test_reimporting_a_changed_basis_updates_it(app, admin):  # noqa: F811
    confirm(admin, upload(admin, xlsx([ROW])).get_data(as_text=True))
    page = upload(admin, xlsx([ROW + ["已确认", "2019-12-01", "户主"]], BASIS)).get_data(as_text=True)
    assert "更新 1 人" in page
    confirm(admin, page)
    with app.app_context():
        member = db.session.scalar(select(Member))
        assert (member.acquired_how, member.confirmed_on) == ("confirmed_before_law", date(2019, 12, 1))


def test_the_rule_returns_only_the_columns_given():
    assert clean_basis({}) == ({}, {})
    values, errors = clean_basis({"relation_to_head": "户主的第三个儿子的妻子"})
    assert "relation_to_head" in errors
