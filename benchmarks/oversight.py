"""Scenario 6: the county overview of every generated cooperative (230 by
default: the big one and the small ones), as an overseer of the county sees
it, against one raw GROUP BY over the same register (the floor).

The areas are built in bulk: one county, a township per ten cooperatives and
a village per cooperative (executemany inserts and one UPDATE of
cooperatives.area_id), so placing a county's cooperatives costs no request."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select, text

from benchmarks.common import Row, make_app, median, ms, timed
from benchmarks.generate import World

COUNTY = "bench-county"


def place_in_a_county(app) -> int:
    """Every cooperative under one county (rebuilt each run); returns the county's id."""
    from coop.cooperatives.api import Area, Cooperative
    from coop.extensions import db

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE cooperatives SET area_id = NULL"))
            conn.execute(text("UPDATE users SET area_id = NULL WHERE area_id IS NOT NULL "
                              "AND cooperative_id IS NOT NULL"))
            conn.execute(text("DELETE FROM areas WHERE code LIKE 'bench-%'"))
        coop_ids = list(db.session.scalars(select(Cooperative.id).order_by(Cooperative.id)))
        areas = Area.__table__
        with db.engine.begin() as conn:
            county = conn.execute(areas.insert().returning(areas.c.id), {
                "code": COUNTY, "name": "基准县", "level": "county", "parent_id": None}).scalar_one()
            towns = -(-len(coop_ids) // 10)
            conn.execute(areas.insert(), [{"code": f"bench-t{t:03d}", "name": f"基准{t}镇",
                                           "level": "township", "parent_id": county}
                                          for t in range(towns)])
            town_ids = dict(conn.execute(select(areas.c.code, areas.c.id)
                                         .where(areas.c.parent_id == county)).all())
            conn.execute(areas.insert(), [{"code": f"bench-v{i:04d}", "name": f"基准{i}村",
                                           "level": "village",
                                           "parent_id": town_ids[f"bench-t{i // 10:03d}"]}
                                          for i in range(len(coop_ids))])
            villages = dict(conn.execute(select(areas.c.code, areas.c.id)
                                         .where(areas.c.level == "village",
                                                areas.c.code.like("bench-v%"))).all())
            conn.execute(text("UPDATE cooperatives SET area_id = :a WHERE id = :c"),
                         [{"a": villages[f"bench-v{i:04d}"], "c": coop_id}
                          for i, coop_id in enumerate(coop_ids)])
        return county


def overview(url: str, world: World, today: date = date(2026, 12, 31), past: date = date(2026, 6, 30),
             repeat: int = 5) -> list[Row]:
    """``today`` is after every generated entry (as the real today is after
    every entry written); ``past`` is a day with payments after it, which
    the receivables read from the payments instead of the kept balances."""
    from coop.extensions import db
    from coop.oversight.overview import area_cooperatives, as_of, overview_of
    from coop.oversight.warnings import area_warnings

    app = make_app(url)
    county = place_in_a_county(app)
    rows: list[Row] = []
    with app.app_context():
        raw = ("SELECT cooperative_id, share_class, SUM(shares), SUM(land_mu) FROM share_entries "
               "WHERE effective_on <= :d GROUP BY cooperative_id, share_class")

        def floor():
            with db.engine.connect() as conn:
                return conn.execute(text(raw), {"d": today}).all()

        floor()
        floor_ms = median(timed(floor, repeat))
        found = {}

        def service(day: date):
            coops = area_cooperatives(county)
            found["overview"] = overview_of(coops, day.year, as_of(day.year, day))
            db.session.remove()

        for day, what in ((today, ""), (past, f", on {past:%d %b %Y} (payments after it)")):
            service(day)
            service_ms = median(timed(lambda: service(day), repeat))
            n = len(found["overview"].rows)
            rows.append(Row("6", f"county overview of {n} cooperatives (figures per cooperative and "
                                 f"the total){what}", ms(service_ms), ms(floor_ms),
                            service_ms / floor_ms, "< 1 s", service_ms < 1000,
                            note="floor: one raw GROUP BY of the register"))

        def warnings():
            found["warnings"] = area_warnings(area_cooperatives(county), today)
            db.session.remove()

        warnings()
        warn_ms = median(timed(warnings, repeat))
        rows.append(Row("6", f"county warnings of {n} cooperatives ({len(found['warnings'])} found)",
                        ms(warn_ms), ms(floor_ms), warn_ms / floor_ms, "", None,
                        note="a query or two per kind of warning; the page loads them after the table"))
    return rows
