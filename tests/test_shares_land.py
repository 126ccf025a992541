"""The land guarantee follows the land-contribution shares, not the person
(issue 12): it moves with a transfer or an inheritance of those shares, pro
rata when part of them moves, and ends with their redemption; a member whose
shares carry land cannot withdraw."""
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from coop.dividends import compute
from coop.errors import ServiceError
from coop.extensions import db
from coop.members import services as members
from coop.members.models import Member
from coop.shares import land, movements, plans, register
from coop.shares.models import ShareEntry
from coop.shares.rules import ClassLand, class_lands, land_carried, land_moved
from tests.conftest_dividends import YEAR

D = date(2024, 6, 1)
RESOLUTION = "股合〔2024〕3号"  # the 1,000 land shares take the villagers out of their band


@pytest.fixture(autouse=True)
def _resolution_recorded(request):
    """The resolution the movements below cite, passed by the world's members."""
    for name in ("share_world", "div_world"):
        if name in request.fixturenames:
            request.getfixturevalue(name).resolution(RESOLUTION)


def _pool_land(w, no="V003", mu=1000, price=100_00, on=date(2024, 2, 1)) -> int:
    """``mu`` hundredths of a mu at ``price`` fen a mu: 10 mu x 100 yuan = 1,000 shares."""
    return w.contribute(no, "villager", 0, on=on, kind="land", land_mu=mu,
                        price_per_mu_fen=price, resolution_no=RESOLUTION)


def _land(w, on=date(2024, 12, 31)) -> dict[str, int]:
    with w.app.app_context():
        by_id = land.land_mu_by_member(w.coop().id, on)
    return {no: by_id[i] for no, i in w.ids.items() if i in by_id}


def _transfer(w, giver, taker, shares, on=D):
    return w.run(movements.record_transfer, from_member_id=w.ids[giver], to_member_id=w.ids[taker],
                 share_class="villager", shares=shares, effective_on=on, resolution_no=RESOLUTION)


def _entry(w, entry_id) -> tuple:
    with w.app.app_context():
        e = db.session.get(ShareEntry, entry_id)
        return e.entry_kind, e.shares, e.land_mu


# -- the rule ---------------------------------------------------------------------------


def test_land_moved_is_pro_rata_half_up_and_all_with_the_last_share():
    assert land_moved(1000, 1000, 1000) == 1000
    assert land_moved(1000, 1000, 250) == 250
    assert land_moved(1000, 1200, 500) == 417  # 416.67 -> 4.17 mu, 5.83 mu stay
    assert land_moved(1000, 2000, 1) == 1  # 0.5 rounds up
    assert land_moved(1000, 3000, 1) == 0  # 0.33 rounds down
    assert land_moved(583, 700, 700) == 583  # the last shares take what is left
    assert land_moved(0, 1000, 10) == 0 and land_moved(1000, 0, 10) == 0
    # never more than was held; everything only with the last share (here)
    moves = [land_moved(1000, 1200, shares) for shares in range(1, 1201)]
    assert all(0 <= m < 1000 for m in moves[:-1]) and moves[-1] == 1000
    assert moves == sorted(moves)


# -- transfer, inheritance, redemption -------------------------------------------------------


def test_full_transfer_moves_the_land_to_the_new_holder(share_world):
    """The issue's V1/V2: V1 kept the guarantee after transferring all, V2 got none."""
    w = share_world
    _pool_land(w)
    ids = _transfer(w, "V003", "V004", 1000)
    assert [_entry(w, i) for i in ids] == [("transfer_out", -1000, -1000),
                                           ("transfer_in", 1000, 1000)]
    assert _land(w) == {"V004": 1000}
    assert _land(w, on=date(2024, 5, 31)) == {"V003": 1000}  # before the transfer


def test_partial_transfer_moves_land_pro_rata(share_world):
    w = share_world
    _pool_land(w)
    w.contribute("V003", "villager", 200, on=date(2024, 3, 1), resolution_no=RESOLUTION)
    _transfer(w, "V003", "V004", 500)  # 1,000 x 500 / 1,200 = 416.67 -> 417
    assert _land(w) == {"V003": 583, "V004": 417}
    _transfer(w, "V003", "V005", 700, on=date(2024, 7, 1))  # the last 700: all of the rest
    assert _land(w) == {"V004": 417, "V005": 583}
    assert share_world.holdings("V003")["villager"] == 0
    with w.app.app_context():  # some members only (a part of the certificates)
        coop_id = w.coop().id
        assert land.land_mu_by_member(coop_id, date(2024, 12, 31), [w.ids["V005"], w.ids["V003"]]) \
            == {w.ids["V005"]: 583}
        assert land.land_mu_by_member(coop_id, date(2024, 12, 31), []) == {}


def test_inheritance_moves_the_land_with_the_shares(share_world, app):
    w = share_world
    _pool_land(w)
    with app.app_context():
        m = db.session.get(Member, w.ids["V003"])
        m.status, m.status_changed_on = "deceased", date(2024, 5, 1)
        db.session.commit()
    w.run(movements.record_inheritance, deceased_id=w.ids["V003"], heir_id=w.ids["V004"],
          effective_on=D, shares_by_class={"villager": 400}, resolution_no=RESOLUTION)
    assert _land(w) == {"V003": 600, "V004": 400}
    w.run(movements.record_inheritance, deceased_id=w.ids["V003"], heir_id=w.ids["V005"],
          effective_on=D, resolution_no=RESOLUTION)
    assert _land(w) == {"V004": 400, "V005": 600}


def test_redemption_returns_the_land_and_ends_the_guarantee(share_world):
    w = share_world
    _pool_land(w)
    entry_id = w.run(movements.record_redemption, member_id=w.ids["V003"], share_class="villager",
                     shares=250, effective_on=D, resolution_no=RESOLUTION)
    assert _entry(w, entry_id) == ("redeem", -250, -250)
    assert _land(w) == {"V003": 750}
    w.run(movements.record_redemption, member_id=w.ids["V003"], share_class="villager",
          shares=750, effective_on=D, resolution_no=RESOLUTION)
    assert _land(w) == {}


def test_redemption_summary_names_the_land_returned(share_world, app):
    w = share_world
    _pool_land(w)
    with app.app_context():
        plan = plans.plan_redemption(w.coop(), member_id=w.ids["V003"],
                                        share_class="villager", shares=1000, effective_on=D)
        assert plan.summary.endswith("退还入股土地 10.00 亩（其土地保底收益随之终止）")


def test_reversing_a_land_transfer_brings_the_land_back(share_world):
    w = share_world
    _pool_land(w)
    first, _ = _transfer(w, "V003", "V004", 1000)
    w.run(movements.reverse_entry, first, effective_on=date(2024, 7, 1), resolution_no=RESOLUTION)
    assert _land(w) == {"V003": 1000}


def test_a_back_dated_redemption_cannot_take_land_already_moved(share_world, fingerprint):
    """The land of a back-dated entry is worked out on its date; later entries
    that already moved the land make it negative: refused, nothing written."""
    w = share_world
    _pool_land(w)
    w.contribute("V003", "villager", 1000, on=date(2024, 3, 1), resolution_no=RESOLUTION)
    _transfer(w, "V003", "V004", 1000, on=date(2024, 7, 1))  # half the land: 500
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:  # on 15 Feb, 900 of 1,000 shares carry 900
        w.run(movements.record_redemption, member_id=w.ids["V003"], share_class="villager",
              shares=900, effective_on=date(2024, 2, 15), resolution_no=RESOLUTION)
    assert "入股土地不能小于零" in exc.value.message and "2024-07-01 将变为 -4.00 亩" in exc.value.message
    assert fingerprint() == before


# -- withdrawal ---------------------------------------------------------------------------------


def test_a_member_whose_shares_carry_land_cannot_withdraw(share_world, fingerprint):
    w = share_world
    _pool_land(w)
    before = fingerprint()
    with pytest.raises(ServiceError) as exc:
        w.run(lambda coop: members.change_status(db.session.get(Member, w.ids["V003"]),
                                                 "withdrawn", D))
    assert exc.value.message == (
        "村民3 持有的股份附有入股土地 10.00 亩，土地尚未退还，不能退社。请先在股权页面办理退股"
        "（所附土地随之退还），或把这些股份转让给其他成员（土地随股份转让），然后再办理退社。")
    assert exc.value.field == "status"
    assert fingerprint() == before


# -- the plan's guarantee lines ------------------------------------------------------------------


def _plan(w) -> dict:
    w.charter(guaranteed_fen_per_mu=5_00)  # 5 yuan a mu: 10 mu -> 50.00 yuan
    w.close()
    return w.plan(w.call(compute.compute_plan, YEAR))


def test_plan_pays_the_guarantee_to_whoever_holds_the_land_shares(div_world):
    w = div_world
    _pool_land(w)
    _transfer(w, "V003", "V004", 1000)
    plan = _plan(w)
    assert "V003" not in plan["lines"]
    v4 = plan["lines"]["V004"]
    assert (v4["land_mu_hundredths"], v4["guaranteed_fen"]) == (1000, 50_00)
    assert plan["guaranteed_total_fen"] == 50_00


def test_plan_pays_nothing_for_land_redeemed_before_the_record_date(div_world, app):
    """The issue's V3: redeemed all, withdrew, and still received 50.00."""
    w = div_world
    _pool_land(w)
    w.run(movements.record_redemption, member_id=w.ids["V003"], share_class="villager",
          shares=1000, effective_on=D, resolution_no=RESOLUTION)
    with app.app_context():
        members.change_status(db.session.get(Member, w.ids["V003"]), "withdrawn", D)
        db.session.commit()
    plan = _plan(w)
    assert "V003" not in plan["lines"]
    assert plan["guaranteed_total_fen"] == 0
    assert all(line["guaranteed_fen"] == 0 for line in plan["lines"].values())


def test_plan_splits_the_guarantee_of_a_partial_transfer(div_world):
    w = div_world
    _pool_land(w)
    _transfer(w, "V003", "V004", 300)
    plan = _plan(w)
    lines = plan["lines"]
    assert (lines["V003"]["land_mu_hundredths"], lines["V003"]["guaranteed_fen"]) == (700, 35_00)
    assert (lines["V004"]["land_mu_hundredths"], lines["V004"]["guaranteed_fen"]) == (300, 15_00)
    assert plan["guaranteed_total_fen"] == 50_00


def test_legacy_land_left_without_shares_earns_no_guarantee(div_world, app):
    """A register written before the fix: a redemption that left the land on
    the member. Land counts only while shares of its class are held."""
    w = div_world
    _pool_land(w)
    with app.app_context():
        coop = w.coop()
        plan = plans.plan_redemption(coop, member_id=w.ids["V003"], share_class="villager",
                                        shares=1000, effective_on=D)
        plan.drafts[0].land_mu = None  # as the old redemption form allowed
        movements.write_plan(plan, resolution_no=RESOLUTION, note="", recorded_by_id=None)
        db.session.commit()
        assert db.session.scalar(select(ShareEntry.land_mu).where(
            ShareEntry.entry_kind == "redeem")) is None
    plan = _plan(w)
    assert "V003" not in plan["lines"] and plan["guaranteed_total_fen"] == 0


def test_the_member_page_sums_the_history_as_the_register_does(share_world):
    """The member page's holdings and land are summed in Python from the
    member's history (rules.class_lands); the holdings signal reads them in
    one grouped query (land.member_class_lands): both give what the
    register's own queries give, on every day around a land subscription, a
    part transfer and its reversal."""
    w = share_world
    _pool_land(w)
    moved, _ = _transfer(w, "V003", "V001", 400)
    w.run(movements.reverse_entry, moved, effective_on=date(2024, 9, 1), resolution_no=RESOLUTION)
    _transfer(w, "V003", "V002", 100, on=date(2024, 10, 1))
    days = (date(2024, 1, 31), date(2024, 2, 1), D, date(2024, 9, 1), date(2024, 12, 31), None)
    with w.app.app_context():
        for no, member_id in w.ids.items():
            history = db.session.scalars(select(ShareEntry).where(
                ShareEntry.member_id == member_id)).all()
            for on in days:
                assert land_carried(class_lands(history, on).values()) \
                    == land.member_land_mu(member_id, on), (no, on)
                assert class_lands(history, on) == land.member_class_lands(member_id, on), (no, on)
            held = class_lands(history)
            assert {sc: held[sc].shares if sc in held else 0 for sc in register.CLASSES} \
                == register.member_holdings(member_id), no
    assert _land(w).get("V002") == 100 and not _land(w).get("V001")


def test_land_counts_only_while_shares_of_its_class_are_held():
    entries = [SimpleNamespace(share_class="villager", effective_on=date(2024, 1, 1), shares=10,
                               land_mu=500),
               SimpleNamespace(share_class="villager", effective_on=date(2024, 6, 1), shares=-10,
                               land_mu=0),
               SimpleNamespace(share_class="cadre", effective_on=date(2024, 3, 1), shares=5,
                               land_mu=None)]
    assert class_lands(entries, date(2024, 5, 31)) == {
        "villager": ClassLand(10, 500), "cadre": ClassLand(5, 0)}
    assert land_carried(class_lands(entries, date(2024, 5, 31)).values()) == 500
    assert land_carried(class_lands(entries).values()) == 0  # the shares went, the land with them
    assert class_lands(entries, date(2023, 12, 31)) == {}
