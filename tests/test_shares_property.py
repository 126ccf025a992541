"""Property: holdings as of any date are the sum of the entries up to that date.

Random sequences of subscriptions, transfers, redemptions and reversals go
through the services (refusals are part of the game); a plain Python model
of the accepted movements must agree with the SQL of ``holdings_as_of``,
``share_days`` and ``class_totals`` on every date, and no holding is ever
below zero on any date.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coop.errors import ServiceError
from coop.extensions import db
from coop.shares import movements, register

START = date(2023, 1, 1)
MEMBERS = ("V001", "V002", "V003", "G001")
WIDE = dict(collective_target_bp=0, collective_min_bp=0, collective_max_bp=10000,
            villager_target_bp=10000, villager_min_bp=0, villager_max_bp=10000,
            cadre_target_bp=0, cadre_min_bp=0, cadre_max_bp=10000, member_cap_bp=10000)

op = st.tuples(
    st.sampled_from(["subscribe", "subscribe", "transfer", "redeem", "reverse"]),
    st.integers(0, len(MEMBERS) - 1),
    st.integers(0, len(MEMBERS) - 1),
    st.integers(1, 300),  # shares; for transfers and redemptions a share of the holding
    st.integers(0, 700),
    st.sampled_from(["villager", "cadre"]),
)


@pytest.fixture
def wide_world(app, create_coop):
    from tests.conftest_shares import ShareWorld

    world = ShareWorld(app, create_coop("t1", **WIDE))
    for no in MEMBERS:
        world.member(no, kind="cadre" if no.startswith("G") else "villager")
    return world


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=20), probes=st.lists(st.integers(-5, 720), max_size=6))
def test_holdings_as_of_equal_the_sum_of_entries(app, wide_world, ops, probes):
    ids = [wide_world.ids[no] for no in MEMBERS]
    with app.app_context():
        coop = wide_world.coop()
        accepted: list[tuple[date, int, str, int]] = []  # (date, member, class, delta)
        by_entry: dict[int, tuple[date, str]] = {}  # reversible entries: (date, movement)
        try:
            seed = [("subscribe", i, i, 200, i * 30, "cadre" if no.startswith("G") else "villager")
                    for i, no in enumerate(MEMBERS)]
            for kind, a, b, n, offset, share_class in seed + ops:
                on = START + timedelta(days=offset)
                if kind == "transfer":  # between two different villagers
                    share_class, a = "villager", a % 3
                    b = (a + 1 + b % 2) % 3
                elif share_class == "cadre":
                    a = len(MEMBERS) - 1  # only the cadre holds cadre shares
                if kind in ("transfer", "redeem"):  # up to 120 % of the holding
                    held = register.member_holdings(ids[a], on)[share_class]
                    n = max(1, held * n // 250)
                try:
                    if kind == "subscribe":
                        entries = [movements.record_contribution(
                            coop, member_id=ids[a], share_class=share_class,
                            contribution_kind="cash", effective_on=on, amount_fen=n * 100)]
                    elif kind == "transfer":
                        entries = movements.record_transfer(
                            coop, from_member_id=ids[a], to_member_id=ids[b],
                            share_class=share_class, shares=n, effective_on=on)
                    elif kind == "redeem":
                        entries = [movements.record_redemption(
                            coop, member_id=ids[a], share_class=share_class, shares=n,
                            effective_on=on)]
                    else:
                        if not by_entry:
                            continue
                        target = sorted(by_entry)[n % len(by_entry)]
                        on = max(on, by_entry[target][0])
                        entries = movements.reverse_entry(coop, target, effective_on=on)
                except ServiceError:
                    continue
                reversed_movements = set()
                for e in entries:
                    accepted.append((e.effective_on, e.member_id, e.share_class, e.shares))
                    if e.reverses_id is None:
                        by_entry[e.id] = (e.effective_on, e.movement)
                    else:
                        reversed_movements.add(by_entry[e.reverses_id][1])
                by_entry = {k: v for k, v in by_entry.items() if v[1] not in reversed_movements}
            probe_dates = {START + timedelta(days=p) for p in probes}
            probe_dates |= {d for d, *_ in accepted} | {d - timedelta(days=1) for d, *_ in accepted}
            for day in sorted(probe_dates):
                expected: dict[tuple[int, str], int] = defaultdict(int)
                for d, m, c, s in accepted:
                    if d <= day:
                        expected[(m, c)] += s
                expected = {k: v for k, v in expected.items() if v != 0}
                got = {(h.member_id, h.share_class): h.shares
                       for h in register.holdings_as_of(coop.id, day)}
                assert got == expected, day
                assert all(v > 0 for v in got.values()), "a holding below zero"
                totals = register.class_totals(coop.id, day)
                for sc in ("collective", "villager", "cadre"):
                    assert totals[sc] == sum(v for (m, c), v in expected.items() if c == sc)
            for year in (2023, 2024):
                first, last = date(year, 1, 1), date(year, 12, 31)
                brute: dict[int, int] = defaultdict(int)
                for d, m, _, s in accepted:
                    if d <= last:
                        brute[m] += s * ((last - max(d, first)).days + 1)
                assert register.share_days(coop.id, year) == {m: v for m, v in brute.items() if v}
                # the dividend plan's inputs: holdings on a record date inside the
                # year and share-days of the whole year, from one query
                record = date(year, 6, 30)
                on_record: dict[tuple[int, str], int] = defaultdict(int)
                for d, m, c, s in accepted:
                    if d <= record:
                        on_record[(m, c)] += s
                on_record = {k: v for k, v in on_record.items() if v}
                held: dict[tuple[int, str], int] = defaultdict(int)
                days: dict[int, int] = defaultdict(int)
                for m, _, _, _, c, shares, d in register.register_weights(
                        coop.id, record, with_share_days=True):
                    held[(m, c)] += shares
                    days[m] += d
                assert {k: v for k, v in held.items() if v} == on_record
                assert {m: v for m, v in days.items() if v} == {m: v for m, v in brute.items() if v}
                plain = register.register_weights(coop.id, record)
                assert {(m, c): n for m, _, _, _, c, n, _ in plain} == on_record
        finally:
            db.session.rollback()
