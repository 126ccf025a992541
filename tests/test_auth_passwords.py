"""The rules a new password must meet (issue 17, weak passwords): at least 10
characters, not common (zxcvbn's list), not derived from the username or the
person's name, also in pinyin; at every place a password is set."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coop.auth.models import User
from coop.auth.passwords import (COMMON, FROM_IDENTITY, TOO_SHORT, TOO_SIMPLE,
                                 generate_initial_password, password_error)
from coop.extensions import db
from tests.conftest import PASSWORD

SLIP_PASSWORD = re.compile(r'<dd class="password-slip">([a-z0-9]+)</dd>')


@pytest.mark.parametrize("password, username, name, message", [
    ("12345678", "kuaiji", "李秀英", TOO_SHORT),
    ("aaaaaaaa", "kuaiji", "李秀英", TOO_SHORT),
    ("password", "kuaiji", "李秀英", TOO_SHORT),
    ("kuaiji1", "kuaiji", "李秀英", TOO_SHORT),
    ("1234567890", "kuaiji", "李秀英", COMMON),
    ("password12", "kuaiji", "李秀英", COMMON),
    ("qwertyuiop", "kuaiji", "李秀英", COMMON),
    ("woaini1314", "kuaiji", "李秀英", COMMON),
    ("1q2w3e4r5t", "kuaiji", "李秀英", COMMON),
    ("aaaaaaaaaa", "kuaiji", "李秀英", TOO_SIMPLE),
    ("abcdefghijk", "kuaiji", "李秀英", TOO_SIMPLE),
    ("kuaiji12345", "kuaiji", "李秀英", FROM_IDENTITY),
    ("KuaiJi-2023!", "kuaiji", "李秀英", FROM_IDENTITY),
    ("kuaijikuaiji", "kuaiji", "李秀英", FROM_IDENTITY),
    ("lixiuying88", "kuaiji", "李秀英", FROM_IDENTITY),
    ("Li-Xiu-Ying-1970", "kuaiji", "李秀英", FROM_IDENTITY),
    ("xiuyingli2024", "kuaiji", "李秀英", FROM_IDENTITY),
    ("lxy19700101", "kuaiji", "李秀英", FROM_IDENTITY),
    ("李秀英12345678", "kuaiji", "李秀英", FROM_IDENTITY),
    ("cy0005-0005", "CY0005", "赵小梅", FROM_IDENTITY),
    ("x" * 129, "kuaiji", "李秀英", "密码不能超过 128 位"),
])
def test_weak_passwords_are_refused(app, password, username, name, message):
    with app.app_context():
        assert password_error(password, username, name) == message


@pytest.mark.parametrize("password", [PASSWORD, "a-better-pass", "new-secret-88",
                                      "my-own-pass-2026", "西山坡上的老槐树开花了", "t2-pass-123",
                                      "li xiuying keeps the books straight"])
def test_good_passwords_pass(app, password):
    with app.app_context():
        assert password_error(password, "kuaiji", "李秀英") is None


def test_generated_one_time_passwords_pass_the_rules(app):
    with app.app_context():
        for _ in range(200):
            password = generate_initial_password()
            assert len(password) == 10 and password_error(password, "CY0005", "赵小梅") is None


def test_the_password_form_refuses_a_weak_password_in_chinese(app, client, auth, staff,
                                                               fingerprint):
    auth.login("accountant")
    before = fingerprint()
    for weak, message in (("accountant1", FROM_IDENTITY), ("1234567890", COMMON),
                          ("12345678", TOO_SHORT)):
        resp = client.post("/password", data={"current": PASSWORD, "new": weak, "repeat": weak})
        assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_create_admin_refuses_a_password_from_the_name(runner, create_coop, fingerprint):
    create_coop("t1")
    before = fingerprint()
    result = runner.invoke(args=["create-admin", "--coop", "t1", "--username", "sj",
                                 "--name", "王建国", "--password", "wangjianguo2024"])
    assert result.exit_code == 1 and FROM_IDENTITY in result.output
    assert fingerprint() == before


def test_member_one_time_passwords_are_ten_characters_and_work(app, client, auth, portal_world):
    auth.login("admin")
    text = client.post(f"/member-logins/{portal_world.members['CY0003']}").get_data(as_text=True)
    password = SLIP_PASSWORD.search(text).group(1)
    assert len(password) == 10
    auth.logout()
    assert auth.login("cy0003", password).status_code == 302


def test_the_demo_keeps_its_published_password(app, demo):
    """The README's demo logins are known to everyone: set below the rules, on purpose."""
    from coop.demo import DEMO_PASSWORD

    client = app.test_client()
    for username in ("shuji", "CY0003"):
        resp = client.post("/login", data={"coop": demo, "username": username,
                                           "password": DEMO_PASSWORD})
        assert resp.status_code == 302
        client.post("/logout")
    with app.app_context():
        assert not db.session.scalar(select(User).where(User.username == "shuji")
                                     ).must_change_password
