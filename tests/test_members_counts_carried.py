"""The roster's counts travel with the roster mark: a transaction that only
adds members adds them to the counts kept there, any other write counts
afresh as it commits, and a reader in any process takes them from the mark
without counting (issue 19: every process counted 100,000 members again
after each new one, 23 ms on the roster's first page)."""
from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import select, update

from coop.cooperatives.models import CooperativeMark
from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.members import counts, roster, services
from coop.members.models import Member
from tests.conftest_members import make_id
from tests.query_plans import statements_run
from tests.test_members_counts import _roster


def _add(coop, n: int, household: str, **fields) -> Member:
    """A villager of ``household``; the collective (no household) when it is empty."""
    if not household:
        return services.create_member(coop, member_no=f"CY{n:04d}", name="村集体",
                                      kind="collective", **fields)
    return services.create_member(coop, member_no=f"CY{n:04d}", name="新成员", kind="villager",
                                  household_no=household, id_number=make_id(n), **fields)


def _stored(coop_id: int) -> counts.MemberCounts:
    figures = db.session.scalar(select(CooperativeMark.figures).where(
        CooperativeMark.cooperative_id == coop_id, CooperativeMark.topic == "roster"))
    assert figures is not None
    return counts.ROSTER.carry.load(figures[""])


def _counted_households(statements: list[str]) -> bool:
    return any("count(distinct" in s.lower() for s in statements)


@pytest.mark.parametrize("households,gained", [
    (["03"], 1),          # a new household
    (["01"], 0),          # one more member of a household with a vote
    (["04", "04"], 1),    # two members of one new household in one transaction
    (["05", "01", ""], 1),  # a new household, an old one, and none (the collective's kind)
])
def test_new_members_are_added_to_the_kept_counts_without_counting(
        app, create_coop, create_member, households, gained):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        before = _stored(coop.id)
        assert before.households == 2 and before.total == 3
        with statements_run(app) as seen:
            for n, household in enumerate(households, start=10):
                _add(coop, n, household, joined_on=date(2025, 6, n))
            db.session.commit()
        assert not _counted_households(seen)  # added, not counted again
        after = _stored(coop.id)
        assert after == counts.count_members(coop.id)
        assert after.households == before.households + gained
        assert after.total == before.total + len(households)
        assert after.last_joined == date(2025, 6, 9 + len(households))


def test_a_member_who_is_not_active_adds_to_the_total_and_not_to_the_households(
        app, create_coop, create_member):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        _add(coop, 20, "07", status="pending", joined_on=date(2025, 12, 1))
        db.session.commit()
        after = _stored(coop.id)
        assert after == counts.count_members(coop.id)
        assert after.by_status == {"active": 3, "pending": 1}
        assert (after.households, after.last_joined) == (2, date(2025, 3, 1))


def test_any_other_write_counts_afresh_as_it_commits(app, create_coop, create_member):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        member = db.session.scalar(select(Member).where(Member.member_no == "CY0003"))
        with statements_run(app) as seen:
            services.change_status(member, "deceased", date(2026, 5, 1))
            _add(coop, 30, "08")
            db.session.commit()
        assert _counted_households(seen)
        after = _stored(coop.id)
        assert after == counts.count_members(coop.id)
        assert after.by_status == {"active": 3, "deceased": 1} and after.households == 2


def test_a_reader_takes_the_counts_from_the_mark(app, create_coop, create_member):
    """Another process, which keeps nothing for the new mark, reads the
    mark's row and no member."""
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        _add(coop, 40, "09")
        db.session.commit()
        counts.ROSTER._kept.clear()  # as in a process that has not seen this cooperative
        with statements_run(app, lambda s: "FROM members" in s) as seen:
            assert roster.roster_counts(coop.id) == {"active": 4, "total": 4, "households": 3}
        assert seen == []


def test_a_member_added_in_a_savepoint_rolled_back_is_not_counted(app, create_coop,
                                                                    create_member):
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        _add(coop, 50, "10")
        savepoint = db.session.begin_nested()
        _add(coop, 51, "11")
        savepoint.rollback()
        db.session.commit()
        after = _stored(coop.id)
        assert after == counts.count_members(coop.id)
        assert (after.total, after.households) == (4, 3)


def test_a_mark_without_figures_is_counted_by_its_next_writer(app, create_coop, create_member):
    """Marks written before the counts were carried have none."""
    code = _roster(create_coop, create_member)
    with app.app_context():
        coop = get_by_code(code)
        db.session.execute(update(CooperativeMark).where(
            CooperativeMark.cooperative_id == coop.id).values(figures=None))
        db.session.commit()
        assert roster.roster_counts(coop.id)["households"] == 2  # read afresh meanwhile
        _add(coop, 60, "12")
        db.session.commit()
        assert _stored(coop.id) == counts.count_members(coop.id)
        assert _stored(coop.id).households == 3


def test_two_clerks_adding_to_one_new_household_at_once_give_it_one_vote(
        app, create_coop, create_member):
    """Both insert before either commits: the second to commit waits for
    the mark's row, then sees the first one's member in the household."""
    code = _roster(create_coop, create_member)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite writes one transaction at a time")
    flushed = threading.Barrier(2, timeout=20)
    failures: list[BaseException] = []

    def clerk(n: int) -> None:
        try:
            with app.app_context():
                _add(get_by_code(code), n, "13")
                flushed.wait()
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    threads = [threading.Thread(target=clerk, args=(n,)) for n in (70, 71)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    with app.app_context():
        coop_id = get_by_code(code).id
        after = _stored(coop_id)
        assert after == counts.count_members(coop_id)
        assert (after.total, after.households) == (5, 3)
