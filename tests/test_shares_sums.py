"""Property: the sums and holder steps kept as entries are written equal the
register read afresh, after any sequence of founding batches, subscriptions
(cash and land), transfers, redemptions and reversals; and the structure
page's figures on every date equal a plain Python count of the entries."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from coop.errors import ServiceError
from coop.extensions import db
from coop.shares import movements, register, structure, sums
from coop.shares.founding import record_founding
from coop.shares.models import ShareEntry, ShareHolderStep, ShareSum

START = date(2023, 1, 1)
MEMBERS = ("V001", "V002", "V003", "G001")
WIDE = dict(collective_target_bp=0, collective_min_bp=0, collective_max_bp=10000,
            villager_target_bp=10000, villager_min_bp=0, villager_max_bp=10000,
            cadre_target_bp=0, cadre_min_bp=0, cadre_max_bp=10000, member_cap_bp=10000)

op = st.tuples(
    st.sampled_from(["subscribe", "land", "transfer", "redeem", "reverse", "reverse"]),
    st.integers(0, len(MEMBERS) - 1),
    st.integers(0, len(MEMBERS) - 1),
    st.integers(1, 300),
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


def _class_of(no: str) -> str:
    return "cadre" if no.startswith("G") else "villager"


def _write(coop, ids, kind, a, b, n, on, share_class, by_entry):
    if kind == "transfer":
        share_class, a = "villager", a % 3
        b = (a + 1 + b % 2) % 3
    elif share_class == "cadre":
        a = len(MEMBERS) - 1
    if kind in ("transfer", "redeem"):  # up to 120 % of the holding
        n = max(1, register.member_holdings(ids[a], on)[share_class] * n // 250)
    if kind == "subscribe":
        return [movements.record_contribution(
            coop, member_id=ids[a], share_class=share_class, contribution_kind="cash",
            effective_on=on, amount_fen=n * 100)]
    if kind == "land":
        return [movements.record_contribution(
            coop, member_id=ids[a], share_class=share_class, contribution_kind="land",
            effective_on=on, land_mu=n, price_per_mu_fen=100_00)]
    if kind == "transfer":
        return movements.record_transfer(coop, from_member_id=ids[a], to_member_id=ids[b],
                                         share_class=share_class, shares=n, effective_on=on)
    if kind == "redeem":
        return [movements.record_redemption(coop, member_id=ids[a], share_class=share_class,
                                            shares=n, effective_on=on)]
    if not by_entry:
        return []
    target = sorted(by_entry)[n % len(by_entry)]
    return movements.reverse_entry(coop, target, effective_on=max(on, by_entry[target]))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(founding=st.booleans(), ops=st.lists(op, min_size=1, max_size=15))
def test_kept_sums_equal_the_register_read_afresh(app, wide_world, founding, ops):
    ids = [wide_world.ids[no] for no in MEMBERS]
    with app.app_context():
        coop = wide_world.coop()
        try:
            if founding:  # the first batch of a new cooperative, all at once
                record_founding(coop, [
                    (i, dict(member_id=ids[i], share_class=_class_of(no), contribution_kind="cash",
                             effective_on=START, amount_fen=(i + 1) * 100_00))
                    for i, no in enumerate(MEMBERS)])
            by_entry: dict[int, date] = {}
            for kind, a, b, n, offset, share_class in ops:
                on = START + timedelta(days=offset)
                try:
                    entries = _write(coop, ids, kind, a, b, n, on, share_class, by_entry)
                except ServiceError:
                    continue
                for e in entries:
                    if e.reverses_id is None:
                        by_entry[e.id] = e.effective_on
                reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
                moved = {e.movement for e in db.session.scalars(
                    select(ShareEntry).where(ShareEntry.id.in_(reversed_ids)))}
                by_entry = {k: v for k, v in by_entry.items()
                            if db.session.get(ShareEntry, k).movement not in moved}
            assert sums.drift(coop.id) == []
            _assert_structure_matches_entries(coop)
        finally:
            db.session.rollback()


def _assert_structure_matches_entries(coop) -> None:
    entries = db.session.scalars(select(ShareEntry).where(
        ShareEntry.cooperative_id == coop.id)).all()
    days = {e.effective_on for e in entries} | {e.effective_on - timedelta(days=1)
                                                for e in entries}
    for day in sorted(days):
        held: dict[tuple[int, str], int] = defaultdict(int)
        land = redeemed = 0
        for e in entries:
            if e.effective_on <= day:
                held[(e.member_id, e.share_class)] += e.shares
                land += e.land_mu or 0
                redeemed -= e.value_fen if e.entry_kind == "redeem" else 0
        s = structure.structure(coop, day)
        by = {c.share_class: c for c in s.classes}
        for sc in ("collective", "villager", "cadre"):
            assert by[sc].shares == sum(v for (_, c), v in held.items() if c == sc), day
            assert by[sc].holders == sum(1 for (_, c), v in held.items() if c == sc and v > 0)
        assert s.holders == len({m for (m, _), v in held.items() if v > 0}), day
        assert (s.land_mu, s.redeemed_fen) == (land, redeemed), day


def test_rebuild_writes_what_the_services_kept(share_world, app):
    """A register loaded in bulk (benchmarks, a restore) gets its sums by
    ``rebuild``: the same rows the services kept entry by entry."""
    share_world.contribute("V003", "villager", 20, on=date(2024, 6, 1))
    with app.app_context():
        kept = (db.session.execute(select(ShareSum).order_by(*ShareSum.__table__.primary_key))
                .scalars().all())
        kept = [(r.effective_on, r.share_class, r.entry_kind, r.shares, r.value_fen)
                for r in kept]
        steps = db.session.scalar(select(func.count()).select_from(ShareHolderStep))
        assert kept and steps
        sums.rebuild(share_world.coop().id)
        again = [(r.effective_on, r.share_class, r.entry_kind, r.shares, r.value_fen)
                 for r in db.session.execute(
                     select(ShareSum).order_by(*ShareSum.__table__.primary_key)).scalars()]
        assert again == kept
        assert sums.drift() == []
        db.session.rollback()


def test_structure_reads_the_kept_sums_not_the_register(share_world, app):
    """The structure page's figures come from share_sums and
    share_holder_steps: not one statement reads share_entries."""
    statements = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", capture)
        try:
            s = structure.structure(share_world.coop(), date(2024, 6, 1))
        finally:
            event.remove(db.engine, "before_cursor_execute", capture)
    assert s.total_shares > 0
    assert statements and not any("share_entries" in st for st in statements)
