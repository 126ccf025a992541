"""The roster's orders: a descending sort is exactly the ascending one
reversed (the member number, the tie-breaker, goes in the same direction),
and on PostgreSQL every sort's page is read from an index in that order,
never sorted from every member of the cooperative (issue 19: newest first
took 137 ms and page 100 by name 78 ms at 100,000 members)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert, text

from coop.cooperatives.services import get_by_code
from coop.extensions import db
from coop.members import counts
from coop.members import roster as member_roster
from coop.members.models import Member
from coop.members.roster import SORTS, Filters
from tests.query_plans import captured_pg_plans, captured_plans

GROUPS = ["一组", "二组", "十组", ""]
KINDS = ["villager", "cadre"]
STATUSES = ["active", "withdrawn", "deceased"]


@pytest.fixture
def roster(app, create_coop) -> int:
    """120 members with many ties in every sorted column (names sharing
    initials, equal names, groups, kinds, statuses, dates and no date)."""
    code = create_coop("t1")
    with app.app_context():
        coop_id = get_by_code(code).id
        db.session.execute(insert(Member), [
            {"cooperative_id": coop_id, "member_no": f"B{(i * 37) % 120:04d}",
             "name": ["张三", "赵四", "张山", "Zhang San"][i % 4],
             "name_initials": ["zs", "zs", "zs", "zs", "wjg"][i % 5],
             "kind": KINDS[i % 2], "household_no": f"H{i % 9}", "village_group": GROUPS[i % 4],
             "id_number": None, "id_tail": "", "phone": "", "is_party_member": False,
             "status": STATUSES[i % 3], "version": 1, "created_at": date(2024, 1, 1),
             "joined_on": None if i % 7 == 0 else date(2020, 1 + i % 3, 1)}
            for i in range(120)])
        db.session.commit()
    return coop_id


def test_searches_of_one_shape_share_their_statements_and_each_finds_its_own(app, roster):
    """A search's statements are built once for its shape (which columns
    it looks in, which filters, the sort) and cached; the text's prefixes
    and the filters' values are parameters, so the second search of the
    same shape finds its own members, not the first one's."""
    member_roster._count_statement.cache_clear()
    member_roster._page_statement.cache_clear()
    with app.app_context():
        def expected(initials: str, kind: str) -> list[str]:
            return list(db.session.scalars(text(
                "SELECT member_no FROM members WHERE cooperative_id = :c AND kind = :k"
                " AND substr(name_initials, 1, :n) = :i ORDER BY member_no"),
                {"c": roster, "k": kind, "n": len(initials), "i": initials}))

        for q, kind in (("zs", "cadre"), ("wjg", "villager"), ("zs", "villager")):
            page = member_roster.search(roster, Filters(q=q, kind=kind))
            assert [m.member_no for m in page.items] == expected(q, kind), (q, kind)
            assert page.total == len(expected(q, kind)) > 0
    assert member_roster._count_statement.cache_info().misses == 1
    assert member_roster._count_statement.cache_info().hits == 2
    assert member_roster._page_statement.cache_info().misses == 1


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_a_descending_sort_is_the_ascending_one_reversed(app, roster, sort):
    """Clicking a column's header twice turns the roster round: ties (in the
    member number) too, on every page, whichever end a page is read from."""
    with app.app_context():
        def pages(direction: str) -> list[str]:
            f = Filters(sort=sort, direction=direction)
            return [m.member_no for number in (1, 2, 3)
                    for m in member_roster.search(roster, f, page=number, per_page=50).items]

        ascending, descending = pages("asc"), pages("desc")
    assert len(ascending) == 120 and sorted(ascending) == sorted(descending)
    assert descending == ascending[::-1]


@pytest.mark.parametrize("sort,indexes", [
    ("name", ["ix_members_coop_initials"]),
    ("joined_on", ["ix_members_coop_joined"]),
    ("kind", ["ix_members_coop_kind"]),
    ("status", ["ix_members_coop_status"]),
    ("member_no", ["uq_members_cooperative_id_member_no", "ix_members_coop_member_no"]),
])
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_each_sorts_page_is_read_from_its_index_in_order(app, roster, sort, indexes, direction):
    """The first page and the last (read from the end in the reverse order)
    walk the sort's index forwards or backwards: no sort of the cooperative's
    members. PostgreSQL plans with sorting disabled, so that a 120-member
    table is not simply sorted in memory: a plan that still sorts has no
    index that gives the order. The name order is the initials' index, in
    code-point order on both databases (collation "C" on PostgreSQL)."""
    with app.app_context():
        counts.ROSTER.wrote([roster])  # a roster mark, so that the counts are kept
        db.session.commit()
        counts.member_counts(roster)  # and the pages' reads are all the plans show
        f = Filters(sort=sort, direction=direction)
        postgresql = db.engine.dialect.name == "postgresql"
        with (captured_pg_plans("members", enable_sort="off", enable_incremental_sort="off")
              if postgresql else captured_plans("members")) as plans:
            member_roster.search(roster, f, page=1, per_page=20)
            member_roster.search(roster, f, page=6, per_page=20)
    if postgresql:
        reads = [plan for plan in plans if plan[0].lstrip().startswith("Limit")]
        used = [f"{scan} using {index}" for index in indexes
                for scan in ("Index Scan", "Index Scan Backward")]
    else:
        reads = [plan for plan in plans if not any("COVERING INDEX" in step for step in plan)]
        used = [f"SEARCH members USING INDEX {index} " for index in indexes]
    assert len(reads) == 2, plans
    for plan in reads:
        assert not any("Sort" in step or "TEMP B-TREE" in step for step in plan), plan
        assert any(name in step for step in plan for name in used), plan


def test_an_initials_search_is_a_range_on_the_initials_index_on_postgresql(app, roster):
    """name_initials in collation "C": LIKE 'zs%' is a range on the same
    plain index that gives the order by name (varchar_pattern_ops is gone)."""
    with app.app_context():
        db.session.execute(text("ANALYZE members"))
        with captured_pg_plans("members", enable_seqscan="off", enable_bitmapscan="off") as plans:
            member_roster.search(roster, Filters(q="wj", sort="name"))
    lines = [line for plan in plans for line in plan]
    assert any("Index Scan using ix_members_coop_initials" in line
               or "Index Only Scan using ix_members_coop_initials" in line for line in lines), plans
    assert any("name_initials)::text >= 'wj'::text" in line
               and "name_initials)::text < 'wk'::text" in line for line in lines), plans
