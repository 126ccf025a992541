"""Logins issued in bulk (every active member without one, or one household)
and their password slips: eight to an A4 page, each with the member's name and
number, the cooperative's code, the username, the one-time password, the
public address from COOP_PUBLIC_URL and its QR code (the login page with the
code filled in); never the request's host."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from coop.extensions import db
from tests.a11y_pages import alerts_on_load
from tests.pdf_boxes import boxes, classed

PUBLIC = "https://coop.example.cn"
SLIP_PASSWORD = re.compile(r'<dd class="login-slip-password">([a-z0-9]+)</dd>')


def _logins(app) -> dict[str, tuple[str, bool]]:
    from coop.auth.models import User
    from coop.members.models import Member

    with app.app_context():
        return {no: (user.username, user.must_change_password) for no, user in db.session.execute(
            select(Member.member_no, User).join(User, User.member_id == Member.id))}


@pytest.fixture
def members(app, staff, create_member):
    """t1 with the collective, a withdrawn member and ``n`` active villagers
    in households of two."""

    def make(n: int) -> list[int]:
        create_member("t1", kind="collective", member_no="JT01", name="某村集体经济组织")
        create_member("t1", member_no="W001", status="withdrawn")
        return [create_member("t1", member_no=f"CY{i:03d}", household_no=f"H{(i + 1) // 2:02d}")
                for i in range(1, n + 1)]

    return make


def test_bulk_issue_gives_every_active_member_a_login_and_a_slip(app, client, auth, members):
    members(9)
    app.config["COOP_PUBLIC_URL"] = PUBLIC + "/"
    auth.login("admin")
    resp = client.post("/member-logins/bulk", data={"scope": "all", "output": "page"})
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    logins = _logins(app)
    assert sorted(logins) == [f"CY{i:03d}" for i in range(1, 10)]  # no collective, no withdrawn
    assert all(username == no and must_change for no, (username, must_change) in logins.items())
    assert text.count('class="login-slip"') == 9
    assert text.count('class="slips-page"') == 2  # 8 + 1
    assert f'<dd class="login-slip-url">{PUBLIC}</dd>' in text
    assert text.count('<dd class="login-slip-coop">t1</dd>') == 9  # what the login page asks for
    assert text.count('class="login-slip-qr" src="data:image/png;base64,') == 9
    assert "localhost" not in text and "127.0.0.1" not in text
    assert "slips-missing" not in text and "COOP_PUBLIC_URL" not in text
    # each password is the one-time password of its login
    password = SLIP_PASSWORD.findall(text)[0]
    auth.logout()
    assert auth.login("CY001", password=password).status_code == 302
    resp = client.get("/me/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/password")


def test_bulk_issue_again_finds_nobody_left(app, client, auth, members, fingerprint):
    members(2)
    auth.login("admin")
    assert client.post("/member-logins/bulk", data={"scope": "all"}).status_code == 200
    before = fingerprint()
    resp = client.post("/member-logins/bulk", data={"scope": "all"})
    after = fingerprint()
    before.pop("login_attempts"), after.pop("login_attempts")
    assert resp.status_code == 422 and "所有在册成员都已开通登录账号" in resp.get_data(as_text=True)
    assert after == before


def test_one_household(app, client, auth, members):
    members(6)
    auth.login("admin")
    resp = client.post("/member-logins/bulk", data={"scope": "household", "household_no": "H02"})
    assert resp.status_code == 200
    assert sorted(_logins(app)) == ["CY003", "CY004"]


def test_a_large_village_is_opened_in_rounds(app, client, auth, members, monkeypatch):
    """One round opens at most LOGINS_PER_ROUND logins (each password hashed
    with scrypt must end inside the request's time limit), in member-number
    order; the page says how many are left, the next round opens them."""
    from coop.portal import slips

    monkeypatch.setattr(slips, "LOGINS_PER_ROUND", 3)
    members(5)
    auth.login("admin")
    page = client.get("/member-logins").get_data(as_text=True)
    assert "还没有登录账号的在册成员：<strong>5</strong> 位。" in page
    assert "每次按成员编号顺序开通 3 位（1 张 A4 纸的密码条）" in page
    assert ">开通 3 位并打印<" in page and ">开通 3 位并下载 PDF<" in page
    assert "全部开通" not in page

    first = client.post("/member-logins/bulk", data={"scope": "all", "output": "page"})
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert sorted(_logins(app)) == ["CY001", "CY002", "CY003"]
    assert text.count('class="login-slip"') == 3
    assert "已开通 3 个登录账号" in text and "还有 <strong>2</strong> 位在册成员没有登录账号" in text

    page = client.get("/member-logins").get_data(as_text=True)
    assert "还没有登录账号的在册成员：<strong>2</strong> 位。" in page
    assert ">全部开通并打印<" in page and "每次按成员编号顺序" not in page
    last = client.post("/member-logins/bulk", data={"scope": "all", "output": "pdf"})
    assert last.status_code == 200 and last.mimetype == "application/pdf"
    assert sorted(_logins(app)) == [f"CY{i:03d}" for i in range(1, 6)]
    assert "CY004" in PdfReader(io.BytesIO(last.data)).pages[0].extract_text()
    again = client.post("/member-logins/bulk", data={"scope": "all", "output": "page"})
    assert again.status_code == 422 and "所有在册成员都已开通登录账号" in again.get_data(as_text=True)


def test_a_household_round_counts_what_is_left_of_the_household(app, client, auth, members,
                                                                monkeypatch):
    from coop.portal import slips

    monkeypatch.setattr(slips, "LOGINS_PER_ROUND", 1)
    members(6)
    auth.login("admin")
    text = client.post("/member-logins/bulk", data={"scope": "household", "household_no": "H02"}
                       ).get_data(as_text=True)
    assert sorted(_logins(app)) == ["CY003"]
    assert "还有 <strong>1</strong> 位在册成员没有登录账号" in text
    text = client.post("/member-logins/bulk", data={"scope": "household", "household_no": "H02"}
                       ).get_data(as_text=True)
    assert sorted(_logins(app)) == ["CY003", "CY004"] and "还有" not in text


@pytest.mark.parametrize("household, message", [
    ("", "请填写户号"), ("H99", "没有户号为 H99 的成员"), ("H" * 21, "户号不能超过 20 位")])
def test_a_bad_household_changes_nothing(app, client, auth, members, fingerprint, household,
                                         message):
    members(2)
    auth.login("admin")
    before = fingerprint()
    resp = client.post("/member-logins/bulk", data={"scope": "household", "household_no": household})
    after = fingerprint()
    before.pop("login_attempts"), after.pop("login_attempts")
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert after == before


@pytest.mark.parametrize("url", [None, "http://127.0.0.1:5000", "http://localhost:8000"])
def test_without_a_public_address_the_slips_say_to_set_it(app, client, auth, members, url):
    """Not set, it says to set it; set to this computer's own address, it
    says that no member can open it (not that it is missing)."""
    members(1)
    app.config["COOP_PUBLIC_URL"] = url
    expected = ("本系统还没有设置成员用手机能打开的网址，设置后密码条才能印上登录网址和二维码"
                if url is None else f"本系统设置的网址 {url} 只能在这台电脑上打开")
    auth.login("admin")
    page = client.get("/member-logins").get_data(as_text=True)
    assert expected in page
    assert alerts_on_load(page) == 0
    text = client.post("/member-logins/bulk", data={"scope": "all"}).get_data(as_text=True)
    assert expected in text
    assert "login-slip-qr" not in text  # nothing printed to type or scan
    # a line to write the address on by hand, no odd parenthesis
    assert '<dd class="login-slip-url"><span class="write-in" role="img" aria-label="空白，请手写网址">' in text and "未设置" not in text


@pytest.mark.parametrize("n, pages", [(9, 2), (16, 2), (17, 3)])
def test_the_pdf_has_eight_slips_to_an_a4_page(app, client, auth, members, n, pages):
    members(n)
    app.config["COOP_PUBLIC_URL"] = PUBLIC
    auth.login("admin")
    resp = client.post("/member-logins/bulk", data={"scope": "all", "output": "pdf"})
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(resp.data))
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = reader.pages[0].extract_text()
    assert "CY001" in text and "初始密码" in text and "coop.example.cn" in text
    assert len(_logins(app)) == n


def test_the_pdf_lays_slips_out_as_floats_eight_a_page_nothing_cut_off(app):
    """WeasyPrint lays a grid's and a flex row's items out again and again: on
    paper (slips-pdf.css) the slips are floats of 91 x 64 mm in four rows of
    two, each its text beside its QR code, the rule at its foot inside it."""
    from weasyprint import CSS, HTML

    from coop.auth.passwords import generate_initial_password
    from coop.portal import slips
    from coop.portal.logins import slips_stylesheets
    from flask import render_template

    with app.test_request_context("/"):
        sheet = slips.SlipSheet("乌兰计三村股份经济合作社", [
            slips.Slip("欧阳秀兰", f"CY{i:04d}", f"cy{i:04d}", generate_initial_password())
            for i in range(10)], PUBLIC, slips.qr_data_uri(PUBLIC + "/login?coop=wljs"),
            rule="首次登录后必须修改密码（至少 8 位）。密码请自己保管，不要告诉别人；忘记密码请找村党组织书记（合作社理事长）重置。",
            coop_code="wljs")
        html = render_template("portal/slips.html", sheet=sheet, pdf=True)
        document = HTML(string=html, base_url=app.root_path).render(
            stylesheets=[CSS(string=text) for text in slips_stylesheets()])
    assert len(document.pages) == 2
    mm = 96 / 25.4
    for page, count in zip(document.pages, (8, 2)):
        laid_out = list(boxes(page._page_box))
        assert not [b for b in laid_out if "Grid" in type(b).__name__ or "Flex" in type(b).__name__]
        cards = classed(laid_out, "login-slip")
        assert len(cards) == count
        assert len({round(c.position_x) for c in cards}) == min(count, 2)
        assert len({round(c.position_y) for c in cards}) == (count + 1) // 2
        for card in cards:
            assert abs(card.border_width() - 91 * mm) < 1 and abs(card.border_height() - 64 * mm) < 1
            inside = list(boxes(card))
            [text] = classed(inside, "login-slip-text")
            [qr] = [b for b in inside if getattr(b, "element_tag", None) == "img"]
            [rule] = classed(inside, "login-slip-rule")
            assert text.position_x + text.margin_width() <= qr.position_x
            assert qr.position_x + qr.margin_width() <= card.position_x + card.border_width() + 0.5
            assert rule.position_y + rule.margin_height() <= card.position_y + card.border_height()


def test_the_qr_code_opens_the_login_page_with_the_code_filled_in(app, client, auth, members,
                                                                   monkeypatch):
    from coop.portal import slips

    members(1)
    app.config["COOP_PUBLIC_URL"] = PUBLIC
    encoded = []
    monkeypatch.setattr(slips, "qr_data_uri", lambda url: encoded.append(url) or "data:image/png;base64,")
    auth.login("admin")
    assert client.post("/member-logins/bulk", data={"scope": "all", "output": "page"}).status_code == 200
    assert encoded == [PUBLIC + "/login?coop=t1"]
    auth.logout()
    page = client.get("/login?coop=t1").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="coop"[^>]*value="t1"', page) or \
        re.search(r'<input[^>]*value="t1"[^>]*name="coop"', page)
