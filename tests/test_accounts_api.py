"""coop.accounts.api, the contract the art 44 distribution codes against:
balances of the member accounts, the grants of a year, the capital on a date,
recording and reversing a year's quantification. Figures worked by hand on
``div_world`` (par 1 yuan; 2024-01-10: C000 650, G001 40, V001 150, V002 160 shares)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from coop.accounts.api import (AccountBalance, AccountEntry, AccountEntryKind, balances_before,
                               capital_fen, record_quantification, reverse_quantification,
                               year_grants_fen)
from coop.errors import ServiceError
from coop.extensions import db


def _plan(w, year: int = 2024) -> int:
    from coop.dividends.models import DividendPlan

    with w.app.app_context():
        plan = DividendPlan(cooperative_id=w.coop().id, year=year, mode="specialized",
                            record_date=date(year, 12, 31),
                            version_no=1 + len(db.session.scalars(select(DividendPlan.id).where(
                                DividendPlan.year == year)).all()))
        db.session.add(plan)
        db.session.commit()
        return plan.id


def _call(w, fn, *args, **kwargs):
    with w.app.app_context():
        result = fn(w.coop().id, *args, **kwargs)
        db.session.commit()
        return result


def _entries(w) -> list[tuple]:
    with w.app.app_context():
        return [(e.member_id, e.year, e.kind, e.amount_fen, e.plan_id, e.reverses_id)
                for e in db.session.scalars(select(AccountEntry).order_by(AccountEntry.id))]


def test_capital_is_shares_times_par_on_the_day(div_world):
    w = div_world
    assert _call(w, capital_fen, date(2024, 1, 9)) == {}
    assert _call(w, capital_fen, date(2024, 12, 31)) == {
        w.ids["C000"]: 65_000, w.ids["G001"]: 4_000, w.ids["V001"]: 15_000, w.ids["V002"]: 16_000}
    w.contribute("V003", "villager", 30, on=date(2025, 4, 1))
    capital = _call(w, capital_fen, date(2025, 4, 1))
    assert capital[w.ids["V003"]] == 3_000 and sum(capital.values()) == 103_000
    assert w.ids["V003"] not in _call(w, capital_fen, date(2025, 3, 31))


def test_year_grants_are_grant_and_donation_income_and_granted_machines(div_world):
    w = div_world
    w.income(date(2024, 7, 1), 5_000, kind="government_grant")
    donation = w.income(date(2024, 8, 1), 1_200, kind="donation")
    w.income(date(2024, 8, 2), 700, kind="rent")                       # distributable: not a grant
    w.income(date(2025, 1, 5), 900, kind="government_grant")           # next year
    machine = {"category": "tractor", "model": "", "plate": "", "useful_life_months": 120,
               "salvage_rate_bp": 500, "status": "in_service", "disposed_on": None, "note": ""}
    w.ledger("create_machine", {**machine, "name": "补贴播种机", "acquired_on": date(2024, 3, 1),
                                "original_value_fen": 8_000_000, "source": "government_grant"})
    w.ledger("create_machine", {**machine, "name": "自购拖拉机", "acquired_on": date(2024, 3, 2),
                                "original_value_fen": 5_000_000, "source": "purchased"})
    assert _call(w, year_grants_fen, 2024) == 500_000 + 120_000 + 8_000_000
    assert _call(w, year_grants_fen, 2025) == 90_000
    assert _call(w, year_grants_fen, 2023) == 0
    # a donation reversed in 2025 (2024 closed) counts against 2025
    w.close(2024)
    w.wall_clock.set(date(2025, 6, 1))
    with w.app.app_context():
        from coop.machinery.cash import reverse_income
        from coop.machinery.models import OtherIncome

        reverse_income(w.coop().id, db.session.get(OtherIncome, donation), date(2025, 6, 1),
                       "捐赠方撤回")
        db.session.commit()
    assert _call(w, year_grants_fen, 2024) == 8_620_000
    assert _call(w, year_grants_fen, 2025) == 90_000 - 120_000


def test_donation_income_is_not_distributable(div_world):
    from coop.machinery.api import year_figures

    w = div_world
    w.income(date(2024, 8, 1), 1_200, kind="donation")
    figures = _call(w, year_figures, 2024)
    assert figures.nondistributable_income_fen == 120_000
    assert figures.surplus_fen == 1_000_000  # the fixture's 10,000.00 yuan, donation excluded


def test_record_quantification_writes_one_entry_per_member_and_kind(div_world):
    w = div_world
    plan = _plan(w)
    v1, v2, c0 = w.ids["V001"], w.ids["V002"], w.ids["C000"]
    _call(w, record_quantification, 2024, plan_id=plan, reserve={v1: 7_500, v2: 2_500, c0: 0},
          grants={v1: 100, c0: 901}, user_id=None)
    assert sorted(_entries(w)) == sorted([
        (v1, 2024, "reserve", 7_500, plan, None), (v2, 2024, "reserve", 2_500, plan, None),
        (v1, 2024, "grant", 100, plan, None), (c0, 2024, "grant", 901, plan, None)])
    assert _call(w, balances_before, 2024) == {}
    assert _call(w, balances_before, 2025) == {
        v1: AccountBalance(reserve_fen=7_500, grants_fen=100),
        v2: AccountBalance(reserve_fen=2_500, grants_fen=0),
        c0: AccountBalance(reserve_fen=0, grants_fen=901)}


def test_a_year_with_live_entries_refuses_a_second_quantification(div_world):
    w = div_world
    plan = _plan(w)
    _call(w, record_quantification, 2024, plan_id=plan, reserve={w.ids["V001"]: 10},
          grants={}, user_id=None)
    before = _entries(w)
    with pytest.raises(ServiceError, match="第四十二、四十三条"):
        _call(w, record_quantification, 2024, plan_id=plan, reserve={w.ids["V002"]: 10},
              grants={}, user_id=None)
    assert _entries(w) == before
    # another year is free
    _call(w, record_quantification, 2025, plan_id=_plan(w, 2025), reserve={w.ids["V002"]: 10},
          grants={}, user_id=None)


def test_reverse_then_record_again_for_a_new_plan_version(div_world, staff):
    w = div_world
    user = staff[1]["accountant"]
    old, new = _plan(w), _plan(w)
    v1, v2 = w.ids["V001"], w.ids["V002"]
    _call(w, record_quantification, 2024, plan_id=old, reserve={v1: 600, v2: 400},
          grants={v1: 50}, user_id=user)
    _call(w, reverse_quantification, 2024, plan_id=new, user_id=user)
    entries = _entries(w)
    assert len(entries) == 6
    originals, reversals = entries[:3], entries[3:]
    with w.app.app_context():
        ids = list(db.session.scalars(select(AccountEntry.id).order_by(AccountEntry.id)))
        assert {e.recorded_by_id for e in db.session.scalars(select(AccountEntry))} == {user}
    assert sorted((m, k, -a, r) for m, _, k, a, _, r in reversals) == sorted(
        (m, k, a, i) for (m, _, k, a, _, _), i in zip(originals, ids[:3]))
    assert {p for *_, p, _ in reversals} == {new}
    assert _call(w, balances_before, 2025) == {}
    # the new version quantifies again
    _call(w, record_quantification, 2024, plan_id=new, reserve={v1: 700, v2: 300},
          grants={}, user_id=user)
    assert _call(w, balances_before, 2025) == {v1: AccountBalance(700, 0), v2: AccountBalance(300, 0)}
    # reversing twice reverses only what stands
    _call(w, reverse_quantification, 2024, plan_id=new, user_id=user)
    _call(w, reverse_quantification, 2024, plan_id=new, user_id=user)
    assert len(_entries(w)) == 10
    assert _call(w, balances_before, 2025) == {}


def test_balances_before_add_up_earlier_years_only(div_world):
    w = div_world
    v1 = w.ids["V001"]
    _call(w, record_quantification, 2024, plan_id=_plan(w, 2024), reserve={v1: 1_000},
          grants={v1: 10}, user_id=None)
    _call(w, record_quantification, 2025, plan_id=_plan(w, 2025), reserve={v1: 2_000},
          grants={}, user_id=None)
    assert _call(w, balances_before, 2025) == {v1: AccountBalance(1_000, 10)}
    assert _call(w, balances_before, 2026) == {v1: AccountBalance(3_000, 10)}


def test_quantification_to_another_cooperatives_member_is_refused(div_world, create_coop):
    from tests.conftest_machinery import make_member
    from coop.cooperatives.services import get_by_code

    w = div_world
    other = create_coop("t2")
    with w.app.app_context():
        other_id = get_by_code(other).id
    stranger = make_member(w.app, other_id, "X001", "外社成员")
    with pytest.raises(ServiceError, match="第四十三条"):
        _call(w, record_quantification, 2024, plan_id=_plan(w), reserve={stranger: 5},
              grants={}, user_id=None)
    assert _entries(w) == []


def test_entry_kinds_carry_their_labels():
    assert AccountEntryKind.RESERVE.label == "公积金量化"
    assert AccountEntryKind.GRANT.label == "国家财政补助和捐赠量化"
