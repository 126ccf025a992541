"""The overseer (issue 20): an account of an area (county > township >
village) that reads every cooperative of the area and writes nothing.

World: county C with townships A (cooperative t1) and B (cooperative b1);
overseers of A, of B and of C. The role table (tests/test_roles.py) walks
every route for an overseer of t1's township; these tests cover the login,
the choice of a cooperative, area scoping and the central refusal of writes."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from coop.auth.models import User
from coop.cooperatives.area_services import add_area, assign_area
from coop.cooperatives.services import get_by_code
from coop.extensions import db
from tests.conftest import PASSWORD

BANNER = "只读：乡镇（县）监管查看"
LOCKED = "登录失败次数过多"


@pytest.fixture
def county(app, create_coop, create_user, create_member):
    from coop.auth.services import create_overseer

    create_coop("t1", name="甲合作社")
    create_coop("b1", name="乙合作社", village="乙村", town="乙镇")
    create_user("t1", "admin")
    create_user("b1", "badmin")
    ids = SimpleNamespace(a_member=create_member("t1", name="甲社员"),
                          b_member=create_member("b1", name="乙社员"))
    with app.app_context():
        c = add_area("C1", "测试县", "county")
        a, b = get_by_code("t1").area.parent, get_by_code("b1").area.parent
        a.parent_id = b.parent_id = c.id
        for area, username in ((a, "ova"), (b, "ovb"), (c, "ovc")):
            create_overseer(area, username, f"监管{username}", password=PASSWORD, must_change=False)
        ids.a, ids.b, ids.c = a.code, b.code, c.code
        db.session.commit()
    return ids


def login(auth, username: str, area: str):
    return auth.login(username, coop=area)


def test_overseer_logs_in_with_the_area_code_and_lands_on_the_overview(client, auth, county):
    resp = login(auth, "ova", county.a)
    assert resp.status_code == 302 and resp.headers["Location"] == "/oversight/"
    html = client.get("/oversight/").get_data(as_text=True)
    assert "甲合作社" in html and "乙合作社" not in html
    # the home page of a cooperative needs one chosen first
    resp = client.get("/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/oversight/"


def test_the_area_code_is_matched_in_any_case_at_login(client, auth, county):
    resp = login(auth, "ova", county.a.upper())
    assert resp.status_code == 302 and resp.headers["Location"] == "/oversight/"


def test_login_page_asks_for_a_cooperative_or_area_code(client, county):
    html = client.get("/login").get_data(as_text=True)
    assert "合作社或辖区代码" in html and "甲合作社" in html


def test_an_overseer_of_another_area_cannot_log_in_here(auth, county):
    assert login(auth, "ova", county.b).status_code == 422
    assert login(auth, "ova", "t1").status_code == 422


def test_county_overseer_sees_both_townships(client, auth, county):
    login(auth, "ovc", county.c)
    html = client.get("/oversight/").get_data(as_text=True)
    assert "甲合作社" in html and "乙合作社" in html
    for code, member in (("t1", county.a_member), ("b1", county.b_member)):
        assert client.get(f"/oversight/coops/{code}").status_code == 302
        assert client.get(f"/members/{member}").status_code == 200


def test_township_overseer_sees_nothing_of_the_other_township(client, auth, county):
    login(auth, "ova", county.a)
    assert client.get("/oversight/coops/b1").status_code == 404
    assert client.get("/oversight/coops/nosuch").status_code == 404
    assert client.get("/oversight/coops/t1").status_code == 302
    assert client.get(f"/members/{county.a_member}").status_code == 200
    # b1's records by their URL: as if they did not exist
    assert client.get(f"/members/{county.b_member}").status_code == 404
    roster = client.get("/members/").get_data(as_text=True)
    assert "甲社员" in roster and "乙社员" not in roster


def test_the_chosen_cooperative_shows_read_only_with_a_way_back(client, auth, county):
    login(auth, "ova", county.a)
    resp = client.get("/oversight/coops/t1", follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and f"{BANNER} 甲合作社" in html
    assert 'href="/oversight/"' in html and "辖区总览" in html


def test_the_areas_pages_are_not_branded_as_the_cooperative_last_read(client, auth, county):
    """Back on the overview after reading a cooperative, the header, the
    title and the menu are the area's, with no read-only banner of that
    cooperative (they were the cooperative's, and 首页 led to it)."""
    login(auth, "ova", county.a)
    client.get("/oversight/coops/t1")
    for url in ("/oversight/", "/oversight/warnings"):
        html = client.get(url).get_data(as_text=True)
        assert f"{BANNER} 甲合作社" not in html, url
        header = html.split('<header class="topbar', 1)[1].split("</header>", 1)[0]
        assert "甲合作社" not in header and ">首页</a>" not in header, url
        assert "· 甲合作社</title>" not in html, url
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert f"{BANNER} 甲合作社" in html  # the cooperative's own pages still are


def test_every_write_of_an_overseer_is_refused(client, auth, county, fingerprint):
    login(auth, "ova", county.a)
    client.get("/oversight/coops/t1")
    before = fingerprint()
    for url, data in (("/members/", {"member_no": "X1", "name": "新人", "kind": "villager"}),
                      ("/charter", {"name": "改名"}),
                      (f"/members/{county.a_member}/status", {"status": "withdrawn"}),
                      ("/users", {"username": "x", "display_name": "x", "role": "admin"}),
                      ("/oversight/", {}),
                      ("/no-such-page", {})):
        assert client.post(url, data=data).status_code == 403, url
    assert fingerprint() == before


def test_writes_are_refused_before_any_cooperative_is_chosen(client, auth, county):
    login(auth, "ova", county.a)
    assert client.post("/members/", data={"member_no": "X1"}).status_code == 403


def test_overseer_changes_own_password_and_logs_out(app, client, auth, county):
    login(auth, "ova", county.a)
    resp = client.post("/password", data={"current": PASSWORD, "new": "county-watch-2026 river",
                                          "repeat": "county-watch-2026 river"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/oversight/"
    assert client.post("/logout").status_code == 302
    assert client.get("/oversight/").status_code == 302


def test_overseer_reads_no_member_pages(client, auth, county):
    login(auth, "ova", county.a)
    client.get("/oversight/coops/t1")
    assert client.get("/me/").status_code == 403


def test_a_cooperative_moved_out_of_the_area_is_no_longer_read(app, client, auth, county):
    login(auth, "ova", county.a)
    client.get("/oversight/coops/t1")
    assert client.get("/members/").status_code == 200
    with app.app_context():
        assign_area(get_by_code("t1"), get_by_code("b1").area)
        db.session.commit()
    resp = client.get("/members/")
    assert resp.status_code == 302 and resp.headers["Location"] == "/oversight/"


def test_overseer_logins_are_throttled_as_others(client, auth, county):
    for _ in range(5):
        assert client.post("/login", data={"coop": county.a, "username": "ova",
                                           "password": "wrong-guess"}).status_code == 422
    resp = login(auth, "ova", county.a)
    assert resp.status_code == 422 and LOCKED in resp.get_data(as_text=True)


def test_a_cooperative_admin_cannot_make_an_overseer(app, client, auth, county):
    auth.login("admin")
    resp = client.post("/users", data={"username": "sneaky", "display_name": "某人", "role": "overseer"})
    assert resp.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "sneaky")) is None


def test_create_overseer_command(app, runner, county):
    result = runner.invoke(args=["create-overseer", "--area", county.c, "--username", "xian",
                                 "--name", "县农经站", "--password", "county-watch-2026 river"])
    assert result.exit_code == 0, result.output
    assert "测试县" in result.output and county.c in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "xian"))
        assert user.role == "overseer" and user.area.code == "c1" and user.cooperative_id is None
        assert not user.must_change_password


@pytest.mark.parametrize("args, message", [
    (["--area", "NOPE", "--username", "u1", "--name", "某人", "--password", "county-watch-2026 river"],
     "没有代码为 NOPE 的辖区"),
    (["--area", "C1", "--username", "ovc", "--name", "某人", "--password", "county-watch-2026 river"],
     "用户名 ovc 已被使用"),
    (["--area", "C1", "--username", "u1", "--name", "某人", "--password", "123"], "密码"),
    (["--area", "C1", "--username", "a b", "--name", "某人", "--password", "county-watch-2026 river"],
     "用户名只能包含"),
])
def test_create_overseer_refusals(app, runner, county, fingerprint, args, message):
    before = fingerprint()
    result = runner.invoke(args=["create-overseer", *args])
    assert result.exit_code == 1 and message in result.output
    assert fingerprint() == before


def test_create_overseer_prompts_for_the_password(app, runner, county):
    result = runner.invoke(args=["create-overseer", "--area", county.a, "--username", "zhen",
                                 "--name", "镇经管站"],
                           input="county-watch-2026 river\ncounty-watch-2026 river\n")
    assert result.exit_code == 0, result.output


def test_the_overseers_pages_offer_no_write_buttons(client, auth, county):
    login(auth, "ova", county.a)
    client.get("/oversight/coops/t1")
    for url in ("/", "/members/", f"/members/{county.a_member}", "/meetings/", "/machinery/orders",
                "/dividends/", "/shares/", "/membership"):
        resp = client.get(url, follow_redirects=True)
        html = resp.get_data(as_text=True)
        posts = [tag for tag in re.findall(r"<form\b[^>]*>", html)
                 if 'method="post"' in tag and 'action="/logout"' not in tag]
        posts += re.findall(r'hx-post="([^"]+)"', html)
        assert resp.status_code == 200 and not posts, (url, posts)
