"""The overview of an area: its cooperatives (recursive), the figures of each
as the per-cooperative functions give them, and totals that are the sum of
the rows."""
from __future__ import annotations

from datetime import date

import pytest

from coop.cooperatives.api import cooperative_ids_under, get_by_code, is_under
from coop.extensions import db
from coop.machinery.api import year_figures
from coop.machinery.receivables import receivables
from coop.oversight.overview import SORT_KEYS, Figures, area_overview, sort_rows
from coop.shares.register import class_totals
from tests.oversight_world import place

ON = date(2026, 6, 15)


@pytest.fixture
def world(app, demo, fsc_demo, create_coop):
    create_coop("empty1")
    return place(app, {"wljs": "VA", "hxnj": "VB", "empty1": "VB"})


def test_cooperatives_under_an_area_are_its_own_and_its_descendants(app, world):
    with app.app_context():
        wljs, hxnj, empty = (get_by_code(c).id for c in ("wljs", "hxnj", "empty1"))
        assert cooperative_ids_under(world["C"]) == sorted([wljs, hxnj, empty])
        assert cooperative_ids_under(world["TA"]) == [wljs]
        assert cooperative_ids_under(world["VB"]) == sorted([hxnj, empty])
        assert is_under(world["TB"], hxnj) and not is_under(world["TA"], hxnj)


def test_each_row_has_the_figures_its_cooperative_pages_show(app, world):
    with app.app_context():
        overview = area_overview(world["C"], 2026, ON)
        assert [r.cooperative.code for r in overview.rows] == ["empty1", "hxnj", "wljs"]
        for row in overview.rows:
            coop = row.cooperative
            assert row.figures.shares_by_class == {**{c: 0 for c in row.figures.shares_by_class},
                                                   **class_totals(coop.id, ON)}
            assert row.figures.capital_fen == row.figures.shares * coop.par_value_fen
            this_year, last_year = year_figures(coop.id, 2026), year_figures(coop.id, 2025)
            assert row.figures.surplus_fen == this_year.operating_result_fen
            assert row.figures.carried_fen == this_year.carried_surplus_fen - this_year.carried_loss_fen
            assert row.figures.surplus_fen + row.figures.carried_fen == this_year.surplus_fen
            assert row.figures.last_surplus_fen == last_year.operating_result_fen
            assert row.figures.receivables_fen == receivables(coop.id, ON).total_fen
        wljs = next(r for r in overview.rows if r.cooperative.code == "wljs").figures
        assert (wljs.members, wljs.households) == (209, 120)
        assert wljs.dividends_approved_fen == 0  # its 2025 plan is still a draft
        hxnj = next(r for r in overview.rows if r.cooperative.code == "hxnj")
        assert hxnj.plan_status == "paid"
        assert hxnj.figures.dividends_approved_fen == hxnj.figures.dividends_paid_fen > 0
        assert 0 < hxnj.figures.collective_fen < hxnj.figures.dividends_approved_fen
        assert overview.rows[0].figures == Figures()


def test_the_totals_are_the_sum_of_the_rows(app, world):
    with app.app_context():
        overview = area_overview(world["C"], 2026, ON)
        added = Figures()
        for row in overview.rows:
            added.add(row.figures)
        assert overview.total == added
        assert overview.total.members == sum(r.figures.members for r in overview.rows)
        assert overview.total.capital_fen == sum(r.figures.capital_fen for r in overview.rows)


def test_an_area_sees_only_its_own_cooperatives(app, world):
    with app.app_context():
        codes = [r.cooperative.code for r in area_overview(world["TA"], 2026, ON).rows]
        assert codes == ["wljs"]


def test_the_rows_sort_by_any_column_both_ways(app, world):
    with app.app_context():
        rows = area_overview(world["C"], 2026, ON).rows
        for key in SORT_KEYS:
            up = sort_rows(rows, key)
            down = sort_rows(rows, key, descending=True)
            assert len(up) == len(down) == 3
        by_members = [r.cooperative.code for r in sort_rows(rows, "members", descending=True)]
        assert by_members[-1] == "empty1"
        assert [r.cooperative.code for r in sort_rows(rows, "no-such-column")] == ["empty1", "hxnj", "wljs"]


def test_land_pooled_is_what_the_held_shares_carry_on_the_day(app, create_coop):
    from datetime import datetime

    from coop.members.api import Member
    from coop.shares.api import ShareEntry, register_tallies

    create_coop("land1")
    with app.app_context():
        coop = get_by_code("land1")
        a, b = Member(cooperative_id=coop.id, member_no="A", name="甲"), \
            Member(cooperative_id=coop.id, member_no="B", name="乙")
        db.session.add_all([a, b])
        db.session.flush()

        def entry(member, on, shares, land, kind):
            db.session.add(ShareEntry(cooperative_id=coop.id, member_id=member.id, share_class="villager",
                                      effective_on=on, shares=shares, land_mu=land, entry_kind=kind,
                                      contribution_kind="land" if kind == "subscribe" else None,
                                      movement=f"{member.member_no}{on}{kind}", recorded_at=datetime(2026, 1, 1)))

        entry(a, date(2025, 1, 1), 100, 1250, "subscribe")      # 12.50 mu
        entry(b, date(2025, 1, 1), 40, 500, "subscribe")        # 5.00 mu
        entry(a, date(2025, 6, 1), -50, -625, "transfer_out")   # half of A's land to B
        entry(b, date(2025, 6, 1), 50, 625, "transfer_in")
        entry(b, date(2026, 3, 1), -90, -1125, "redeem")        # B's land returned
        db.session.commit()
        assert register_tallies([coop.id], date(2025, 12, 31))[coop.id].land_mu == 1750
        tally = register_tallies([coop.id], date(2026, 6, 1))[coop.id]
        assert tally.land_mu == 625 and tally.shares == 50


def test_the_capital_total_column_shows_the_sum_of_the_classes():
    figures = Figures(capital_by_class={"collective": 6_500_000, "villager": 3_500_000, "cadre": 0},
                      shares_by_class={"collective": 65_000, "villager": 35_000, "cadre": 0})
    assert figures.value("capital_fen") == 10_000_000 == figures.capital_fen
    assert figures.value("capital_villager") == 3_500_000
    assert figures.value("shares") == 100_000 and figures.value("shares_collective") == 65_000
