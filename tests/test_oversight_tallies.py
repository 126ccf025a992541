"""The overview's set-based tallies agree with the exact per-order reading:
receivables from the kept ``unpaid_fen`` against the payments up to the day
asked, the register from the kept share sums against the register itself."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from coop.cooperatives.api import Cooperative, get_by_code
from coop.extensions import db
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.orders import reverse_order
from coop.machinery.payments import reverse_payment
from coop.machinery.receivables import receivables
from coop.machinery.tallies import (kept_receivable_tallies, paid_receivable_tallies,
                                    receivable_tallies, year_figures_of, years_figures_of)
from coop.machinery.years import year_figures
from coop.members.api import Member
from coop.shares.api import RegisterTally, ShareEntry, register_tallies
from coop.tenancy import get_owned


def _ledger_with_payments_and_reversals(mach, monkeypatch) -> list[date]:
    """Orders of 2024-2026 paid in part, in full, over several payments; a
    reversed payment; orders of a closed year reversed in part and in full.
    Returns every day something was written."""
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 6, 1))
    ref_v, ref_z = f"c:{mach.village}", f"m:{mach.zhang}"
    days = []
    old = mach.ledger.order(date(2025, 3, 2), ref_v, "sowing", 1000)        # 350.00
    paid_off = mach.ledger.order(date(2025, 4, 2), ref_z, "sowing", 400)    # 100.00
    reversed_in_part = mach.ledger.order(date(2025, 5, 2), ref_v, "harvesting", 1000)  # 800.00
    reversed_whole = mach.ledger.order(date(2025, 6, 2), ref_z, "spraying", 1000)      # 80.00
    mach.ledger.pay(old, date(2025, 5, 1), 10_000)
    mach.ledger.pay(paid_off, date(2025, 4, 20), 6_000)
    mach.ledger.pay(paid_off, date(2025, 8, 1), 4_000)
    twice = mach.ledger.pay(reversed_in_part, date(2025, 9, 1), 30_000)
    days += [date(2025, 3, 2), date(2025, 4, 2), date(2025, 4, 20), date(2025, 5, 1),
             date(2025, 5, 2), date(2025, 6, 2), date(2025, 8, 1), date(2025, 9, 1)]

    def reverse_paid(coop_id):
        reverse_payment(coop_id, get_owned(ServicePayment, twice, coop_id), date(2025, 9, 3),
                        "重复登记")
        db.session.commit()

    mach.ledger.run(reverse_paid)
    days.append(date(2025, 9, 3))
    mach.ledger.close(2025)

    def reverse_orders(coop_id):
        reverse_order(coop_id, get_owned(ServiceOrder, reversed_in_part, coop_id),
                      date(2026, 2, 1), 400, "面积量错")
        reverse_order(coop_id, get_owned(ServiceOrder, reversed_whole, coop_id),
                      date(2026, 2, 2), None, "重复登记")
        db.session.commit()

    mach.ledger.run(reverse_orders)
    days += [date(2026, 2, 1), date(2026, 2, 2)]
    late = mach.ledger.order(date(2026, 3, 5), ref_v, "sowing", 2000)       # 700.00
    mach.ledger.pay(late, date(2026, 3, 20), 20_000)
    mach.ledger.pay(old, date(2026, 4, 1), 5_000)
    days += [date(2026, 3, 5), date(2026, 3, 20), date(2026, 4, 1)]
    return days


def test_kept_unpaid_and_payments_agree_once_every_payment_is_dated(mach, monkeypatch):
    days = _ledger_with_payments_and_reversals(mach, monkeypatch)
    last = max(days)
    for on in (last, last + timedelta(days=1), date(2026, 12, 31), date(2027, 6, 1)):
        kept = mach.ledger.run(lambda c: kept_receivable_tallies([c], on))
        paid = mach.ledger.run(lambda c: paid_receivable_tallies([c], on))
        assert kept == paid, on
        assert mach.ledger.run(lambda c: receivable_tallies([c], on)) == kept
    # the part owed on orders over a year old is split the same way
    on = date(2026, 4, 10)
    tally = mach.ledger.run(lambda c: receivable_tallies([c], on)[c])
    # old: 350 - 100 - 50 = 200; reversed in part: 800 - 320 = 480 (the reversed payment
    # counts nothing); reversed whole: 0; late: 700 - 200 = 500
    assert (tally.total_fen, tally.old_fen) == (20_000 + 48_000 + 50_000, 20_000)


def test_a_day_before_a_later_payment_reads_the_payments_up_to_it(mach, monkeypatch):
    days = _ledger_with_payments_and_reversals(mach, monkeypatch)
    for on in sorted(set(days)) + [d - timedelta(days=1) for d in days]:
        tally = mach.ledger.run(lambda c: receivable_tallies([c], on))
        assert tally == mach.ledger.run(lambda c: paid_receivable_tallies([c], on)), on
        owed = mach.ledger.run(lambda c: receivables(c, on).total_fen)
        assert sum(t.total_fen for t in tally.values()) == owed, on
    # before the payment of 1 April 2026 the kept balance would be 50.00 short
    on = date(2026, 3, 31)
    assert (mach.ledger.run(lambda c: receivable_tallies([c], on)[c].total_fen)
            == mach.ledger.run(lambda c: kept_receivable_tallies([c], on)[c].total_fen) + 5_000)


def test_a_balance_a_later_reversal_would_put_below_nothing_counts_nothing(mach, monkeypatch):
    """A payment dated before the reversal of an earlier payment, entered
    after it: between the two dates both payments stand, and the order would
    owe less than nothing. It owes nothing then, in the tallies as in the
    per-order definition, and the reversal's day counts it again."""
    monkeypatch.setattr("coop.clock.today", lambda: date(2026, 6, 1))
    order = mach.ledger.order(date(2026, 1, 5), f"m:{mach.zhang}", "sowing", 400)  # 100.00
    mach.ledger.order(date(2026, 1, 5), f"m:{mach.li}", "sowing", 200)  # 50.00, never paid
    first = mach.ledger.pay(order, date(2026, 1, 10), 10_000)
    mach.ledger.run(lambda c: (reverse_payment(c, get_owned(ServicePayment, first, c),
                                               date(2026, 3, 1), "退回"), db.session.commit()))
    mach.ledger.pay(order, date(2026, 2, 1), 10_000)  # entered after the reversal, dated before
    for on, owed in ((date(2026, 1, 9), 15_000), (date(2026, 1, 20), 5_000),
                     (date(2026, 2, 15), 5_000), (date(2026, 3, 1), 5_000), (date(2026, 5, 1), 5_000)):
        tally = mach.ledger.run(lambda c: receivable_tallies([c], on))
        assert tally == mach.ledger.run(lambda c: paid_receivable_tallies([c], on)), on
        assert sum(t.total_fen for t in tally.values()) == owed, on


def test_cooperatives_with_and_without_later_payments_are_read_each_their_way(
        mach, monkeypatch, app, create_coop):
    days = _ledger_with_payments_and_reversals(mach, monkeypatch)
    other = create_coop()
    with app.app_context():
        other_id = get_by_code(other).id
    on = date(2026, 3, 31)
    assert on < max(days)
    both = mach.ledger.run(lambda c: receivable_tallies([c, other_id], on))
    assert both == mach.ledger.run(lambda c: paid_receivable_tallies([c, other_id], on))
    assert receivable_tallies([], on) == {}


def _register_read_afresh(coop_ids: list[int], on: date) -> dict[int, RegisterTally]:
    rows = db.session.execute(
        select(ShareEntry.cooperative_id, ShareEntry.share_class, func.sum(ShareEntry.shares),
               func.coalesce(func.sum(ShareEntry.land_mu), 0))
        .where(ShareEntry.cooperative_id.in_(coop_ids), ShareEntry.effective_on <= on)
        .group_by(ShareEntry.cooperative_id, ShareEntry.share_class))
    out: dict[int, RegisterTally] = {}
    for coop_id, share_class, shares, land in rows:
        tally = out.setdefault(coop_id, RegisterTally({}, 0))
        tally.shares_by_class[share_class] = int(shares)
        out[coop_id] = tally._replace(land_mu=tally.land_mu + int(land))
    return out


def _land_entries(coop_id: int) -> None:
    a, b = (Member(cooperative_id=coop_id, member_no=no, name=name) for no, name in (("A", "甲"), ("B", "乙")))
    db.session.add_all([a, b])
    db.session.flush()
    for member, on, shares, land, kind in (
            (a, date(2025, 1, 1), 100, 1250, "subscribe"), (b, date(2025, 1, 1), 40, 500, "subscribe"),
            (a, date(2025, 6, 1), -50, -625, "transfer_out"), (b, date(2025, 6, 1), 50, 625, "transfer_in"),
            (b, date(2026, 3, 1), -90, -1125, "redeem")):
        db.session.add(ShareEntry(
            cooperative_id=coop_id, member_id=member.id, share_class="villager", effective_on=on,
            shares=shares, land_mu=land, entry_kind=kind,
            contribution_kind="land" if kind == "subscribe" else None,
            movement=f"{member.member_no}{on}{kind}", recorded_at=datetime(2026, 1, 1)))
    db.session.commit()


def test_the_register_tallies_from_the_kept_sums_are_the_register_on_every_day(
        app, demo, fsc_demo, create_coop):
    land = create_coop()
    with app.app_context():
        _land_entries(get_by_code(land).id)
        ids = list(db.session.scalars(select(Cooperative.id)))
        days = sorted(set(db.session.scalars(select(ShareEntry.effective_on).distinct())))
        assert len(days) > 3
        for on in [days[0] - timedelta(days=1), *days, days[-1] + timedelta(days=1)]:
            assert register_tallies(ids, on) == _register_read_afresh(ids, on), on
        assert any(t.land_mu for t in register_tallies(ids, days[-1]).values())


def test_the_figures_of_several_years_in_one_pass_are_each_years_own(app, demo, fsc_demo, mach,
                                                                     monkeypatch):
    _ledger_with_payments_and_reversals(mach, monkeypatch)  # a closed 2025, reversals in 2026
    with app.app_context():
        ids = list(db.session.scalars(select(Cooperative.id)))
        for years in ((2025, 2026), (2024, 2025, 2026), (2024, 2026), (2026,)):
            together = years_figures_of(ids, years)
            assert together == {y: {i: year_figures(i, y) for i in ids} for y in years}, years
            assert together == {y: year_figures_of(ids, y) for y in years}
        assert any(f.closed for f in together[2026].values()) or any(
            f.closed for f in years_figures_of(ids, (2025,))[2025].values())
