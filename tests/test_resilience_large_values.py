"""County-size values past 2^31: a collective's contribution of 50 million
yuan and its share-day weight (shares x 365) are stored and summed exactly on
both databases (PostgreSQL's INTEGER stops at 2,147,483,647; migration 0008)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from coop.extensions import db


def test_values_past_two_to_the_31_are_stored_and_summed(app, create_coop):
    from coop.cooperatives.services import get_by_code
    from coop.members.models import Member
    from coop.shares import register, structure as share_structure
    from coop.shares.models import ShareEntry

    code = create_coop("t1")
    with app.app_context():
        coop = get_by_code(code)
        collective = Member(cooperative_id=coop.id, member_no="JT0001", name="村集体",
                            kind="collective", name_initials="cj")
        db.session.add(collective)
        db.session.flush()
        shares = 50_000_000  # 50 million yuan at 1 yuan a share
        db.session.add(ShareEntry(
            cooperative_id=coop.id, member_id=collective.id, share_class="collective",
            effective_on=date(2024, 1, 1), shares=shares, entry_kind="subscribe",
            contribution_kind="in_kind", value_fen=shares * 100, asset_name="农机",
            movement="m1", recorded_at=datetime(2024, 1, 1)))
        db.session.commit()
        assert db.session.get(ShareEntry, 1).value_fen == 5_000_000_000
        assert register.share_days(coop.id, 2025) == {collective.id: shares * 365}
        structure = share_structure.structure(coop, date(2025, 12, 31))
        assert structure.total_shares == shares
        assert dict((k, v) for k, _, v in structure.contributions)["in_kind"] == 5_000_000_000


# -- every amount, share count and area is 64-bit; every maximum fits -------

QUANTITY_SUFFIXES = ("shares", "weight", "_mu", "_cmu", "_hundredths")


def _is_quantity(name: str) -> bool:
    return "_fen" in name or name.endswith(QUANTITY_SUFFIXES)


def test_every_money_share_and_area_column_is_64_bit():
    from sqlalchemy.dialects import postgresql, sqlite

    import coop.models  # noqa: F401  (every domain's tables)

    checked, narrow = [], []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not _is_quantity(column.name):
                continue
            checked.append(f"{table.name}.{column.name}")
            for dialect in (postgresql.dialect(), sqlite.dialect()):
                if column.type.compile(dialect=dialect) != "BIGINT":
                    narrow.append(f"{table.name}.{column.name} ({dialect.name})")
    assert narrow == []
    assert {"service_orders.amount_fen", "service_payments.amount_fen", "expenses.amount_fen",
            "other_incomes.amount_fen", "share_entries.shares", "dividend_lines.shares",
            "dividend_lines.land_mu_hundredths", "service_orders.area_cmu"} <= set(checked)


def test_every_maximum_fits_its_column():
    from coop import limits
    from coop.dividends.rules import MAX_NOTICE_DAYS
    from coop.forms import CountField
    from coop.shares.forms import WholeNumberField

    assert limits.MAX_ORDER_FEN == limits.MAX_AREA_CMU * limits.MAX_PRICE_FEN // 100
    assert limits.MAX_LAND_CMU * limits.MAX_LAND_PRICE_FEN // 100 <= limits.MAX_CONTRIBUTION_FEN
    assert limits.MAX_LABOUR_DAYS * limits.MAX_DAY_PRICE_FEN <= limits.MAX_CONTRIBUTION_FEN
    # 64-bit columns: one entry's value; the most shares one movement takes, held a whole
    # leap year as share-days
    for value in (limits.MAX_ORDER_FEN, limits.MAX_CONTRIBUTION_FEN, limits.MAX_AMOUNT_FEN,
                  limits.MAX_SHARES * 366):
        assert value <= limits.INT64_MAX
    # 32-bit columns: fuel, labour days, counts (households, votes, months), notice days
    for value in (limits.MAX_FUEL_CL, limits.MAX_LABOUR_DAYS, limits.MAX_COUNT,
                  CountField.MAXIMUM, MAX_NOTICE_DAYS):
        assert value <= limits.INT32_MAX
    assert WholeNumberField.maximum == limits.MAX_SHARES


def test_each_maximum_is_stored_through_the_services_and_read_back_exact(div_world):
    """The largest value each service accepts (area max x price max for an
    order, the largest contribution of each kind at a par of 1 fen), one
    fen or unit more refused, and what is stored read back to the fen."""
    import pytest

    from coop import limits
    from coop.dividends import compute
    from coop.errors import ValidationFailed
    from coop.machinery.models import ServiceOrder
    from coop.machinery.orders import OrderInput, outstanding_fen, paid_fen
    from coop.machinery.payments import record_payment
    from coop.machinery.prices import price_for
    from coop.machinery.years import year_figures
    from coop.tenancy import find_owned
    from coop.money import round_half_up_div
    from coop.shares import movements
    from coop.shares.models import ShareEntry
    from tests.conftest_dividends import YEAR

    w = div_world
    w.charter(par_value_fen=1, guaranteed_fen_per_mu=1)
    resolution = w.resolution("股合〔2024〕9号")  # the collective passes its band
    on = date(YEAR, 6, 1)
    big = {
        "cash": dict(amount_fen=limits.MAX_CONTRIBUTION_FEN),
        "in_kind": dict(amount_fen=limits.MAX_CONTRIBUTION_FEN, asset_name="农机"),
        "land": dict(land_mu=limits.MAX_LAND_CMU, price_per_mu_fen=limits.MAX_LAND_PRICE_FEN),
        "labour": dict(labour_days=limits.MAX_LABOUR_DAYS,
                       price_per_day_fen=limits.MAX_DAY_PRICE_FEN),
    }
    over = {
        "cash": ("amount_fen", dict(amount_fen=limits.MAX_CONTRIBUTION_FEN + 1)),
        "in_kind": ("amount_fen", dict(amount_fen=limits.MAX_CONTRIBUTION_FEN + 1,
                                       asset_name="农机")),
        "land": ("land_mu", dict(land_mu=limits.MAX_LAND_CMU + 1, price_per_mu_fen=100)),
        "labour": ("price_per_day_fen", dict(labour_days=1,
                                             price_per_day_fen=limits.MAX_DAY_PRICE_FEN + 1)),
    }
    for kind, values in over.items():
        field, values = values
        with pytest.raises(ValidationFailed) as exc:
            w.run(movements.record_contribution, member_id=w.ids["C000"], share_class="collective",
                  contribution_kind=kind, effective_on=on, resolution_no=resolution, **values)
        assert "不能超过" in exc.value.errors[field]
    for kind, values in big.items():
        w.run(movements.record_contribution, member_id=w.ids["C000"], share_class="collective",
              contribution_kind=kind, effective_on=on, resolution_no=resolution, **values)
    added = 3 * limits.MAX_CONTRIBUTION_FEN + limits.MAX_LABOUR_DAYS * limits.MAX_DAY_PRICE_FEN
    assert w.holdings("C000")["collective"] == 650 + added
    w.run(movements.record_redemption, member_id=w.ids["C000"], share_class="collective",
          shares=limits.MAX_CONTRIBUTION_FEN, effective_on=date(YEAR, 7, 1),
          resolution_no=resolution)
    held = 650 + added - limits.MAX_CONTRIBUTION_FEN
    assert w.holdings("C000")["collective"] == held
    with w.app.app_context():
        stored = {e.contribution_kind or e.entry_kind: (e.shares, e.value_fen, e.land_mu)
                  for e in db.session.scalars(select(ShareEntry).where(
                      ShareEntry.member_id == w.ids["C000"], ShareEntry.effective_on >= on))}
    # the redemption returns its share of the land (the shares rules say how much)
    redeemed_shares, redeemed_fen, returned_land = stored.pop("redeem")
    assert (redeemed_shares, redeemed_fen) == (-limits.MAX_CONTRIBUTION_FEN,) * 2
    land = limits.MAX_LAND_CMU + (returned_land or 0)
    assert stored == {
        "cash": (limits.MAX_CONTRIBUTION_FEN, limits.MAX_CONTRIBUTION_FEN, None),
        "in_kind": (limits.MAX_CONTRIBUTION_FEN, limits.MAX_CONTRIBUTION_FEN, None),
        "land": (limits.MAX_CONTRIBUTION_FEN, limits.MAX_CONTRIBUTION_FEN, limits.MAX_LAND_CMU),
        "labour": (limits.MAX_LABOUR_DAYS * limits.MAX_DAY_PRICE_FEN,) * 2 + (None,),
    }

    # the ledger: an order of area max x price max, paid in one payment; an
    # expense, an income, a machine and a price at their maxima
    coop_id = w.coop_id()
    order = OrderInput(service_on=date(YEAR, 8, 1), client_ref=f"m:{w.ids['V001']}",
                                 service="sowing", area_cmu=limits.MAX_AREA_CMU,
                                 unit_price_fen=limits.MAX_PRICE_FEN, fuel_cl=limits.MAX_FUEL_CL)
    for name, value in (("area_cmu", limits.MAX_AREA_CMU + 1),
                        ("unit_price_fen", limits.MAX_PRICE_FEN + 1),
                        ("fuel_cl", limits.MAX_FUEL_CL + 1)):
        with pytest.raises(ValidationFailed) as exc:
            w.ledger("create_order", OrderInput(**{**order.__dict__, name: value}))
        assert name in exc.value.errors
    order_id = w.ledger("create_order", order)
    with w.app.app_context():
        stored_order = find_owned(ServiceOrder, order_id, coop_id)
        assert stored_order.amount_fen == limits.MAX_ORDER_FEN == 100_000_000_000
        record_payment(coop_id, stored_order, date(YEAR, 8, 2), limits.MAX_ORDER_FEN,
                                 "bank")
        db.session.commit()
        paid = paid_fen(find_owned(ServiceOrder, order_id, coop_id))
        assert type(paid) is int and paid == limits.MAX_ORDER_FEN
        assert outstanding_fen(find_owned(ServiceOrder, order_id, coop_id)) == 0
    for fn, args in (("create_expense", (date(YEAR, 8, 3), "fuel")),
                     ("create_income", (date(YEAR, 8, 3), "produce_sales"))):
        with pytest.raises(ValidationFailed):
            w.ledger(fn, *args, limits.MAX_AMOUNT_FEN + 1)
        w.ledger(fn, *args, limits.MAX_AMOUNT_FEN)
    machine = {"name": "大型收获机", "category": "harvester", "model": "", "plate": "",
               "acquired_on": date(YEAR, 1, 2), "original_value_fen": limits.MAX_AMOUNT_FEN,
               "source": "purchased", "useful_life_months": 600, "salvage_rate_bp": 0,
               "status": "in_service", "disposed_on": None, "note": ""}
    w.ledger("create_machine", machine)
    w.ledger("set_prices", YEAR, {"harvesting": (limits.MAX_PRICE_FEN, limits.MAX_PRICE_FEN)})
    with w.app.app_context():
        assert price_for(coop_id, YEAR, "harvesting", True) == limits.MAX_PRICE_FEN
        figures = year_figures(coop_id, YEAR)
        assert figures.service_income_members_fen == limits.MAX_ORDER_FEN + 400_000
        assert figures.other_income_fen == limits.MAX_AMOUNT_FEN + 600_000

    # the year's plan: the collective's line holds every one of those shares
    w.close()
    plan = w.plan(w.call(compute.compute_plan, YEAR))
    line = plan["lines"]["C000"]
    assert line["shares"] == held and line["land_mu_hundredths"] == land
    assert line["guaranteed_fen"] == round_half_up_div(land, 100)  # 1 fen per mu
    assert plan["total_shares"] == held + 350
    assert plan["service_income_members_fen"] == limits.MAX_ORDER_FEN + 400_000
    assert sum(line["total_fen"] for line in plan["lines"].values()) == plan["distributable_fen"]


def test_the_largest_order_is_saved_from_the_order_form(client, auth, mach):
    """100,000 mu x 10,000 yuan: 1,000,000,000.00 yuan (a 500 on PostgreSQL
    while the amount was a 32-bit column)."""
    from coop.machinery.models import ServiceOrder
    from coop.tenancy import find_owned
    from tests.test_machinery_views import HX, order_data

    auth.login("accountant")
    resp = client.post("/machinery/orders", headers=HX, data=order_data(
        mach, area_cmu="100000", unit_price_fen="10000", fuel_cl="100000"))
    assert resp.status_code == 200
    assert "金额 1,000,000,000.00 元" in resp.get_data(as_text=True)
    order = mach.ledger.run(lambda c: find_owned(ServiceOrder, 1, c))
    assert (order.area_cmu, order.unit_price_fen, order.amount_fen) == (
        10_000_000, 1_000_000, 100_000_000_000)
    # the receivables page computes amount + reversals - payments in SQL: an int, not a Decimal
    resp = client.get("/machinery/receivables")
    assert resp.status_code == 200 and "1,000,000,000.00" in resp.get_data(as_text=True)
    resp = client.post("/machinery/orders", headers=HX, data=order_data(
        mach, area_cmu="100000.01", unit_price_fen="10000"))
    assert resp.status_code == 422 and "面积过大" in resp.get_data(as_text=True)
