"""Scenario 8: the public notice of the plan of scenario 1 (every holder a
line): the first page on screen, a search, and the printable version
streamed (its first bytes and its last), against the page's own SQL run raw."""
from __future__ import annotations

import time
from datetime import date

from sqlalchemy import func, select, update

from benchmarks.common import Row, login, make_app, median, ms, timed
from benchmarks.generate import World


def public_notice(url: str, world: World, repeat: int = 10) -> list[Row]:
    from coop.dividends.constants import PlanStatus
    from coop.dividends.models import DividendPlan
    from coop.extensions import db

    app = make_app(url)
    with app.app_context():
        plan_id = world.rows.get("plan_id_record_date") or db.session.scalar(
            select(DividendPlan.id).where(DividendPlan.cooperative_id == world.coop_id)
            .order_by(DividendPlan.id.desc()))
        if plan_id is None:
            return [Row("8", "public notice", "n/a", note="no plan: run scenario 1 first")]
        # approved for the notice past the service, and put back as it was afterwards:
        # scenario 1 of a later run on the same data computes a new draft of the year
        was = db.session.execute(select(DividendPlan.status, DividendPlan.assembly_date,
                                        DividendPlan.resolution_no)
                                 .where(DividendPlan.id == plan_id)).one()._asdict()
        db.session.execute(update(DividendPlan).where(DividendPlan.id == plan_id).values(
            status=PlanStatus.APPROVED.value, assembly_date=date(2026, 3, 1),
            resolution_no="bench〔2026〕1号"))
        db.session.commit()
    try:
        return _timed_notice(app, world, plan_id, repeat)
    finally:
        with app.app_context():
            db.session.execute(update(DividendPlan).where(DividendPlan.id == plan_id).values(**was))
            db.session.commit()


def _timed_notice(app, world: World, plan_id: int, repeat: int) -> list[Row]:
    from coop.dividends.models import DividendLine
    from coop.extensions import db
    from coop.members.api import Member

    with app.app_context():
        lines = db.session.scalar(select(func.count()).where(DividendLine.plan_id == plan_id))

        def floor() -> None:
            db.session.scalar(select(func.count()).where(DividendLine.plan_id == plan_id))
            db.session.execute(
                select(DividendLine.member_no, DividendLine.name, Member.id_number,
                       DividendLine.share_class, DividendLine.shares, DividendLine.total_fen)
                .join(Member, Member.id == DividendLine.member_id)
                .where(DividendLine.plan_id == plan_id).order_by(DividendLine.member_no)
                .limit(100)).all()
            db.session.rollback()

        floor_ms = median(timed(floor, repeat))
    client = app.test_client()
    login(client, world.coop_code, world.admin, world.password)
    page = f"/dividends/{plan_id}/notice"
    assert client.get(page).status_code == 200
    first = median(timed(lambda: client.get(page), repeat))
    search = median(timed(lambda: client.get(page + "?q=王", headers={"HX-Request": "true"}), repeat))
    started = time.perf_counter()
    resp = client.get(page + "?all=1", buffered=False)
    chunks = iter(resp.response)
    head = next(chunks)
    first_byte = (time.perf_counter() - started) * 1000
    size = len(head) + sum(len(c) for c in chunks)
    whole = (time.perf_counter() - started) * 1000
    resp.close()
    return [
        Row("8", f"public notice of {lines:,} lines: first page on screen (100 lines and the pager)",
            ms(first), ms(floor_ms), first / floor_ms, "< 300 ms", first < 300,
            note="floor: the page's count and 100-line query run raw"),
        Row("8", "public notice: a search by name (王), htmx", ms(search), ms(floor_ms),
            search / floor_ms, "< 300 ms", search < 300),
        Row("8", f"public notice, printable (all lines, streamed): first bytes", ms(first_byte),
            "", None, "< 300 ms", first_byte < 300),
        Row("8", f"public notice, printable: every line ({size / 1e6:.1f} MB; the old page did this on each view)",
            ms(whole), note="compressed by flask-compress as it streams"),
    ]
