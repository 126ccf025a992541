"""One member's register entries are read through the member's own index.

Without statistics SQLite judged ``cooperative_id = ?`` plus an ORDER BY
date, or ``reverses_id IS NULL`` on the unique reverses_id index, cheaper
than the member index, and walked the whole register: at 1,000,000 entries
a member's own holdings page took 1.6 s, the register filtered by member
1.5 s and the duplicate check of an import 139 ms a row (issue 8 load test).
These tests read the plans SQLite chooses for those statements.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from coop.extensions import db
from coop.shares import register, sums
from coop.shares.models import ShareEntry
from coop.shares.receivers import contributions_step, share_figures
from tests.query_plans import captured_plans
from tests.test_shares_cli import _xlsx

MEMBER_INDEX = "ix_share_entries_member_class_date (member_id=?"


def _reads_by_member(plan: list[str]) -> bool:
    """The register itself (not an alias of it in a subquery) is searched
    through the member index."""
    register = [step for step in plan if step.startswith(("SEARCH share_entries ",
                                                          "SCAN share_entries"))]
    return bool(register) and all(MEMBER_INDEX in step for step in register)


def test_register_filtered_by_member(share_world, app):
    with app.app_context():
        coop_id, member_id = share_world.coop().id, share_world.ids["V001"]
        with captured_plans("share_entries") as plans:
            page = db.paginate(register.register_query(coop_id, member_id=member_id), page=1,
                               per_page=50, error_out=False)
            assert [e.member_id for e in page.items] == [member_id]
        assert plans and all(_reads_by_member(plan) for plan in plans), plans
        # still scoped to the cooperative: another cooperative's id finds nothing
        assert db.session.scalars(register.register_query(coop_id + 1000, member_id=member_id)
                                  ).all() == []


def test_members_own_history(share_world, app):
    from coop.members.models import Member
    from coop.portal.services import history

    with app.app_context():
        member = db.session.get(Member, share_world.ids["V001"])
        with captured_plans("share_entries") as plans:
            assert [e.shares for e in history(member)] == [150]
        assert plans and all(_reads_by_member(plan) for plan in plans), plans


def test_import_duplicate_check(share_world, app, runner, tmp_path, create_user):
    create_user(share_world.code, "shuji", role="admin")
    path = _xlsx(tmp_path / "c.xlsx", [["V003", "村民股", "货币", 20, None, None, None, None,
                                        "2024-06-01"]])
    by = ["--by", "shuji"]
    assert runner.invoke(args=["shares", "import", path, "--coop", "t1", *by]).exit_code == 0
    with app.app_context(), captured_plans("share_entries") as plans:
        result = runner.invoke(args=["shares", "import", path, "--coop", "t1", *by])
        assert result.exit_code == 1 and "可能是重复导入" in result.output
    # the duplicate check: the member's subscriptions, each "not reversed"
    # looked up in the unique reverses_id index
    checks = [plan for plan in plans if any("(reverses_id=?)" in step for step in plan)]
    assert checks and all(_reads_by_member(plan) for plan in checks), plans


def test_the_home_page_counts_a_years_subscriptions_from_an_index_and_sums_shares_from_the_sums(
        share_world, app):
    with app.test_request_context():
        coop = share_world.coop()
        year = db.session.scalar(select(func.max(ShareEntry.effective_on))
                                 .where(ShareEntry.cooperative_id == coop.id)).year
        expected = db.session.scalar(select(func.count()).select_from(ShareEntry).where(
            ShareEntry.cooperative_id == coop.id, ShareEntry.entry_kind == "subscribe",
            func.extract("year", ShareEntry.effective_on) == year))
        with captured_plans("share_entries") as plans:
            step, = contributions_step(coop, year=year)
        assert expected and step.note == f"{expected} 笔"
        assert plans and all("USING COVERING INDEX ix_share_entries_coop_kind_date" in " ".join(plan)
                             for plan in plans), plans
        with captured_plans("share_entries") as plans:
            figure, = share_figures(coop)
        assert plans == []  # the kept sums, not the register
        assert figure.value == db.session.scalar(select(func.sum(ShareEntry.shares))
                                                 .where(ShareEntry.cooperative_id == coop.id))


def test_the_share_structure_groups_the_kept_sums_in_index_order(share_world, app):
    """The structure's sums and holders are read from covering indexes in
    the order they are grouped: no temporary B-tree sorting a cooperative's
    rows (issue 19)."""
    with app.app_context():
        coop_id = share_world.coop().id
        on = db.session.scalar(select(func.max(ShareEntry.effective_on))
                               .where(ShareEntry.cooperative_id == coop_id))
        with captured_plans("share_sums") as sum_plans:
            rows = sums.sums_on(coop_id, on)
        with captured_plans("share_holder_steps") as holder_plans:
            holders = sums.holders_on(coop_id, on)
        assert sum(r.shares for r in rows) == db.session.scalar(
            select(func.sum(ShareEntry.shares)).where(ShareEntry.cooperative_id == coop_id))
        assert holders
    for plans, index in ((sum_plans, "ix_share_sums_by_kind"),
                         (holder_plans, "ix_share_holder_steps_by_class")):
        assert plans and all(any(f"USING COVERING INDEX {index}" in step for step in plan)
                             and not any("TEMP B-TREE" in step for step in plan)
                             for plan in plans), plans
