"""The overview's surplus: each year's own (income less expenses and
depreciation), with what last year carried into this one in a column of its
own, so that the carried amount is counted once in a row, in the totals and
in the county's export. Figures worked by hand."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coop.cooperatives.api import Area, LegalRegime, YearClose, get_by_code
from coop.extensions import db
from coop.machinery.api import year_figures
from coop.machinery.models import Expense, OtherIncome, ServiceOrder
from coop.members.api import Member
from coop.oversight.exports import statistics_table, statistics_workbook
from coop.oversight.overview import COLUMNS, area_overview
from tests.oversight_world import place


def _close(coop_id: int, year: int, income: int, expenses: int, depreciation: int,
           carried: int = 0) -> None:
    """A closed year, kept as the close keeps it, with no plan (what it did
    not distribute is carried into the next year whole)."""
    db.session.add(YearClose(
        cooperative_id=coop_id, year=year, service_income_members_fen=income,
        service_income_nonmembers_fen=0, other_income_fen=0, nondistributable_income_fen=0,
        expenses_fen=expenses, depreciation_fen=depreciation, carried_surplus_fen=carried,
        carried_loss_fen=0, surplus_fen=income - expenses - depreciation + carried))


@pytest.fixture
def world(app, create_coop):
    """s1: 2025 closed: 5,000.00 income, 1,000.00 expenses, 200.00
    depreciation and 300.00 carried from 2024: a surplus of 4,100.00, own
    3,800.00; 2026 open: a 3,000.00 order, 200.00 other income, 1,000.00 of
    grants (not surplus), 500.00 expenses: own 2,700.00, with 4,100.00
    carried 6,800.00.
    s2: 2025 closed with a loss of 500.00; 2026: a 1,000.00 order: own
    1,000.00, after the loss carried 500.00."""
    for code in ("s1", "s2"):
        create_coop(code)
    ids = place(app, {"s1": "VA", "s2": "VB"})
    with app.app_context():
        s1, s2 = get_by_code("s1").id, get_by_code("s2").id
        for coop_id in (s1, s2):
            db.session.add(Member(cooperative_id=coop_id, member_no="M001", name="张三", household_no="H1"))
        db.session.flush()
        member = {m.cooperative_id: m.id for m in db.session.scalars(select(Member))}
        _close(s1, 2025, 500_000, 100_000, 20_000, carried=30_000)
        db.session.add(ServiceOrder(cooperative_id=s1, order_no="2026-0001", service_on=date(2026, 3, 1),
                                    member_id=member[s1], service="sowing", area_cmu=10_000,
                                    unit_price_fen=3_000, amount_fen=300_000))
        db.session.add(OtherIncome(cooperative_id=s1, received_on=date(2026, 4, 1), kind="rent",
                                   amount_fen=20_000))
        db.session.add(OtherIncome(cooperative_id=s1, received_on=date(2026, 4, 2), kind="government_grant",
                                   distributable=False, amount_fen=100_000))
        db.session.add(Expense(cooperative_id=s1, spent_on=date(2026, 5, 1), kind="fuel", amount_fen=50_000))
        _close(s2, 2025, 0, 50_000, 0)
        db.session.add(ServiceOrder(cooperative_id=s2, order_no="2026-0001", service_on=date(2026, 3, 1),
                                    member_id=member[s2], service="sowing", area_cmu=10_000,
                                    unit_price_fen=1_000, amount_fen=100_000))
        db.session.commit()
    return ids


def test_this_years_surplus_is_its_own_and_the_carried_amount_is_apart(app, world):
    with app.app_context():
        # the machinery page's 本年可分配盈余 includes what 2025 carried
        assert year_figures(get_by_code("s1").id, 2026).surplus_fen == 680_000
        assert year_figures(get_by_code("s2").id, 2026).surplus_fen == 50_000
        overview = area_overview(world["C"], 2026, date(2026, 6, 15))
        s1, s2 = (row.figures for row in overview.rows)
        assert (s1.surplus_fen, s1.carried_fen, s1.last_surplus_fen) == (270_000, 410_000, 380_000)
        assert (s2.surplus_fen, s2.carried_fen, s2.last_surplus_fen) == (100_000, -50_000, -50_000)
        total = overview.total
        assert (total.surplus_fen, total.carried_fen, total.last_surplus_fen) == (370_000, 360_000, 330_000)
        # own surplus and what was carried make the year's surplus to distribute
        assert s1.surplus_fen + s1.carried_fen == 680_000 and s2.surplus_fen + s2.carried_fen == 50_000


def test_the_overview_table_shows_the_carried_amount_after_this_years_surplus():
    keys = [c.key for c in COLUMNS]
    assert keys[keys.index("surplus_fen"):keys.index("surplus_fen") + 3] == [
        "surplus_fen", "carried_fen", "last_surplus_fen"]
    assert [c.label for c in COLUMNS if c.key == "carried_fen"] == ["上年结转（元）"]


def test_the_export_counts_the_carried_amount_once(app, world):
    with app.app_context():
        area = db.session.get(Area, world["C"])
        overview = area_overview(world["C"], 2026, date(2026, 6, 15))
        ws = load_workbook(statistics_workbook(area, overview)).active
        headers = [c.value for c in ws[3]]
        rows = list(ws.iter_rows(min_row=4, values_only=True))
        at = headers.index("本年盈余")
        assert headers[at:at + 3] == ["本年盈余", "上年结转", "上年盈余"]
        assert [r[3] for r in rows] == ["s1", "s2", None] and rows[2][0] == "合计"
        assert [r[at:at + 3] for r in rows] == [(2700, 4100, 3800), (1000, -500, -500), (3700, 3600, 3300)]
        assert "不含上年结转" in ws["A2"].value


def test_the_export_title_names_the_kind_of_the_cooperatives_listed(app, world):
    with app.app_context():
        def title(area_code: str) -> str:
            area = db.session.get(Area, world[area_code])
            return statistics_table(area, area_overview(world[area_code], 2026, date(2026, 6, 15))).title

        assert title("C").startswith("测试县 农村集体经济组织 2026 年统计表")
        get_by_code("s2").legal_regime = LegalRegime.SPECIALIZED.value
        db.session.flush()
        assert title("C").startswith("测试县 合作社 2026 年统计表")  # a mixed list
        assert title("TB").startswith("TB镇 农民专业合作社 2026 年统计表")
        assert "股份经济合作社" not in title("C")
