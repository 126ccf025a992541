"""Where a cooperative's ledger starts: its first entry and its first
machine's acquisition, read for any number of cooperatives in one statement
(``machinery.firsts``). The ledger's years start with the first year that
has an entry or a month of depreciation (the month after a machine's
acquisition); a disclosure's first period and the township's overview start
on the first day of either."""
from __future__ import annotations

from datetime import date

from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.machinery.firsts import LedgerFirsts, ledger_firsts
from coop.machinery.periodic import first_ledger_day
from coop.machinery.tallies import first_ledger_days
from coop.machinery.years import ledger_years
from tests.query_plans import statements_run

ACQUIRED = date(2024, 12, 10)  # the fixture's tractor: depreciated from January 2025


def test_a_machine_bought_in_december_starts_the_ledgers_years_in_january(app, mach):
    c = mach.coop_id
    with app.app_context():
        assert ledger_firsts([c]) == {c: LedgerFirsts(None, ACQUIRED)}
        assert first_ledger_day(c) == ACQUIRED
        assert ledger_years(c) == [2025, 2026]  # the tests' clock: 15 June 2026
    mach.ledger.order(date(2024, 11, 3), f"m:{mach.zhang}", area_cmu=1000, price=2500)
    with app.app_context():
        assert ledger_firsts([c]) == {c: LedgerFirsts(date(2024, 11, 3), ACQUIRED)}
        assert first_ledger_day(c) == date(2024, 11, 3)
        assert ledger_years(c) == [2024, 2025, 2026]


def test_every_cooperative_in_one_statement_and_those_with_nothing_left_out(app, mach, create_coop):
    c = mach.coop_id
    mach.ledger.create_expense(date(2025, 2, 1), "fuel", 5000, payee="加油站")
    code = create_coop("t9")
    with app.app_context():
        empty = get_by_code(code).id
        with statements_run(app, lambda s: "min(" in s.lower()) as seen:
            assert first_ledger_days([c, empty]) == {c: ACQUIRED}
            assert ledger_firsts([c, empty]) == {c: LedgerFirsts(date(2025, 2, 1), ACQUIRED)}
        assert len(seen) == 2
        assert first_ledger_day(empty) is None and ledger_firsts([]) == {}
        assert ledger_years(empty) == [2026]
        db.session.rollback()
