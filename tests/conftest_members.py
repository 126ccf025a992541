"""Fixtures of the members domain (registered in tests/conftest.py).

``create_member(coop_code, **fields)`` creates a member through
``coop.members.services.create_member`` (so every rule applies) and returns
its id. Unless given, it invents a unique member number (M0001...), a name, a
household (H0001...) and a valid resident ID (GB 11643 check digit).
"""
from __future__ import annotations

from datetime import date

import pytest

from coop.extensions import db
from coop.idcodes import resident_id_check_char

NAMES = ("张三", "李四", "王五", "赵六", "刘德华", "陈秀英", "杨建国", "吕志强", "周桂兰", "吴海军")


def make_id(n: int, born: date = date(1980, 1, 1), region: str = "150203") -> str:
    """A valid 18-character resident ID, different for each ``n`` (0-999)."""
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


@pytest.fixture
def create_member(app):
    from coop.cooperatives.services import get_by_code
    from coop.members.services import create_member as service

    counter = iter(range(1, 1000))

    def make(coop_code: str, **fields) -> int:
        n = next(counter)
        kind = fields.setdefault("kind", "villager")
        fields.setdefault("member_no", f"M{n:04d}")
        fields.setdefault("name", NAMES[(n - 1) % len(NAMES)])
        if kind != "collective":
            fields.setdefault("household_no", f"H{n:04d}")
            fields.setdefault("id_number", make_id(n))
        fields.setdefault("joined_on", date(2023, 3, 15))
        with app.app_context():
            member = service(get_by_code(coop_code), **fields)
            db.session.commit()
            return member.id

    return make


@pytest.fixture
def specialized(app):
    """``specialized(code)``: the cooperative is a farmers' specialized
    cooperative from now on, where the member page changes a member's status
    directly (under the RCEO only a confirmed membership event does)."""
    from coop.cooperatives.services import get_by_code

    def make(code: str) -> None:
        with app.app_context():
            get_by_code(code).legal_regime = "specialized"
            db.session.commit()

    return make
