"""The receivables page is ordered and paged by the database: the clients of
any page, a client's place and the totals are those of the whole report
sorted as before (largest total first, then the name in Python's order of
str; equal totals and names by the client's record), on SQLite and
PostgreSQL (issue 19)."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqlalchemy import select

from coop.extensions import db
from coop.machinery.clients import create_client
from coop.machinery.models import OutsideClient
from coop.machinery.orders import OrderInput, create_order
from coop.machinery.receivables import client_index, receivables, receivables_page
from coop.members.models import Member

TODAY = date(2026, 6, 1)
# names whose order by code point differs from a dictionary's (a < B, 阿 < 张
# in pinyin), one a member and a village may share, one twice
NAMES = ["王五", "张三", "章三", "a", "B", "阿", "Ω", "王五"]


def _reference(rows) -> list[str]:
    """The old report's order: Python sorted the grouped rows by name, then
    by total, largest first (stable); rows equal in both by record."""
    ordered = sorted(rows, key=lambda r: (-r.total_fen, r.member_name if r.member_id else r.client_name,
                                          r.member_id or 0, r.client_id or 0))
    return [f"m:{r.member_id}" if r.member_id else f"c:{r.client_id}" for r in ordered]


_CLIENTS = st.lists(st.tuples(st.booleans(), st.sampled_from(NAMES),
                              st.lists(st.sampled_from([100, 200, 300]), min_size=0, max_size=3)),
                    min_size=1, max_size=9)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(clients=_CLIENTS, per_page=st.integers(1, 4))
def test_every_page_and_place_is_the_old_reports(app, mach, monkeypatch, clients, per_page):
    monkeypatch.setattr("coop.clock.today", lambda: TODAY)
    coop = mach.coop_id
    with app.app_context():
        for n, (is_member, name, areas) in enumerate(clients):
            if is_member:
                member = Member(cooperative_id=coop, member_no=f"P{db.session.query(Member).count():05d}",
                                name=name, kind="villager", name_initials="")
                db.session.add(member)
                db.session.flush()
                ref = f"m:{member.id}"
            else:  # a client's name is its own in the cooperative: its orders add up
                known = db.session.scalar(select(OutsideClient.id).where(
                    OutsideClient.cooperative_id == coop, OutsideClient.name == name))
                ref = f"c:{known or create_client(coop, {'kind': 'village', 'name': name}).id}"
            for k, area in enumerate(areas):
                create_order(coop, OrderInput(service_on=TODAY - timedelta(days=40 * k + n),
                                              client_ref=ref, service="sowing", area_cmu=area,
                                              unit_price_fen=1000))
        db.session.commit()

        whole = receivables(coop)
        expected = _reference(whole.rows)
        assert [c.ref for c in whole.clients] == expected
        pages = max(1, -(-len(expected) // per_page))
        for number in range(1, pages + 2):
            shown = receivables_page(coop, None, number, per_page)
            on = min(number, pages)
            assert shown.clients.page == on and shown.clients.total == len(expected)
            assert [c.ref for c in shown.clients.items] == expected[(on - 1) * per_page:on * per_page]
            assert shown.client_count == whole.client_count == len(expected)
            assert shown.totals == whole.totals and shown.total_fen == whole.total_fen
            by_ref = {c.ref: c for c in whole.clients}
            assert all(c == by_ref[c.ref] for c in shown.clients.items)
        for at, ref in enumerate(expected):
            assert client_index(coop, ref) == at
        owing = set(expected)
        for ref in (f"m:{mach.zhang}", f"c:{mach.village}", "m:999999", "c:abc", "x:1", "m:",
                    f"c:{2**64}"):
            assert client_index(coop, ref) == (expected.index(ref) if ref in owing else None)
        db.session.rollback()


def test_a_page_of_no_one_owing(app, mach):
    with app.app_context():
        empty = receivables_page(mach.coop_id, TODAY, 3)
        assert (empty.client_count, empty.total_fen, empty.clients.page) == (0, 0, 1)
        assert empty.clients.items == [] and empty.totals == {"0_30": 0, "31_90": 0, "over_90": 0}
        assert client_index(mach.coop_id, f"m:{mach.zhang}", TODAY) is None
