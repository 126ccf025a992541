"""coop.web.url_maker: the links of a long table built once, the same as url_for."""
from __future__ import annotations

import pytest
from flask import url_for

from coop.web import url_maker

TEXTS = ("03001", "H 1/2", "第3组", "a?b#c&d=e", "100%", "!$&'()*+,:;=@", "")


def test_an_int_argument_gives_url_fors_link(app):
    with app.test_request_context("/"):
        detail = url_maker("members.detail", "member_id")
        edit = url_maker("members.edit", "member_id")
        for member_id in (1, 42, 2**31 - 1):
            assert detail(member_id) == url_for("members.detail", member_id=member_id)
            assert edit(member_id) == url_for("members.edit", member_id=member_id)


@pytest.mark.parametrize("household_no", [t for t in TEXTS if t])
def test_a_text_argument_is_quoted_as_url_for_quotes_it(app, household_no):
    with app.test_request_context("/"):
        household = url_maker("members.household", "household_no")
        assert household(household_no) == url_for("members.household", household_no=household_no)


def test_the_links_keep_the_apps_prefix(app):
    with app.test_request_context("/", base_url="http://example.cn/coop/"):
        assert url_maker("members.detail", "member_id")(7) == "/coop/members/7"


def test_an_argument_the_route_does_not_take_is_refused(app):
    with app.test_request_context("/"):
        with pytest.raises(ValueError):
            url_maker("members.index", "member_id")
