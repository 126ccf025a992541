"""Fixtures of the shares domain (registered in tests/conftest.py).

``share_world``: cooperative t1 (default charter: collective 60-70 %, villager
26-36 %, cadre 0-6 %, cap 20 %, par 1 yuan) with a collective entity, five
villagers and two cadres, and a register of 1,000 shares dated 2024-01-10
(one founding batch): collective 650, villagers V001 150 + V002 160, cadre G001 40.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

import pytest
from sqlalchemy import select

from coop import clock
from coop.extensions import db

BASE_DAY = date(2024, 1, 10)
ASSEMBLY_DAY = date(2023, 12, 20)


class ShareWorld:
    def __init__(self, app, code: str):
        self.app = app
        self.code = code
        self.ids: dict[str, int] = {}

    def coop(self):
        from coop.cooperatives.services import get_by_code

        return get_by_code(self.code)

    def member(self, no: str, name: str | None = None, kind: str = "villager",
               status: str = "active", household_no: str | None = None,
               is_party_member: bool = False) -> int:
        from coop.members.models import Member

        with self.app.app_context():
            m = Member(cooperative_id=self.coop().id, member_no=no, name=name or f"成员{no}",
                       kind=kind, household_no=household_no or f"H{no}", status=status,
                       is_party_member=is_party_member, joined_on=date(2023, 1, 1))
            db.session.add(m)
            db.session.commit()
            self.ids[no] = m.id
            return m.id

    def run(self, fn: Callable[..., Any], *args, commit: bool = True, **kwargs) -> Any:
        """Call ``fn(coop, *args, **kwargs)`` in an app context; commit unless it raises."""
        with self.app.app_context():
            try:
                result = fn(self.coop(), *args, **kwargs)
            except Exception:
                db.session.rollback()
                raise
            if commit:
                db.session.commit()
            else:
                db.session.rollback()
            return self.plain(result)

    def plain(self, result: Any) -> Any:
        """What ``run`` returns of ``result``: nothing detached leaves the app context."""
        return _plain(result)

    def contribute(self, no: str, share_class: str, amount_yuan: int, on: date = BASE_DAY,
                   kind: str = "cash", **extra) -> int:
        from coop.shares.movements import record_contribution

        values = dict(member_id=self.ids[no], share_class=share_class, contribution_kind=kind,
                      effective_on=on, **extra)
        if kind in ("cash", "in_kind"):
            values.setdefault("amount_fen", amount_yuan * 100)
        if kind == "in_kind":
            values.setdefault("asset_name", "拖拉机")
        return self.run(record_contribution, **values)

    def found(self, rows: list[tuple], on: date = BASE_DAY, **options) -> list[int]:
        """A founding batch: rows of (member_no, class, yuan[, kind]), cash unless told."""
        from coop.shares.founding import record_founding

        batch = []
        for number, (no, share_class, amount_yuan, *kind) in enumerate(rows, start=1):
            kind = kind[0] if kind else "cash"
            values = dict(member_id=self.ids[no], share_class=share_class,
                          contribution_kind=kind, effective_on=on,
                          amount_fen=amount_yuan * 100)
            if kind == "in_kind":
                values["asset_name"] = "农机一批"
            batch.append((number, values))
        return self.run(record_founding, batch, **options)

    def resolution(self, resolution_no: str, kind: str = "other", on: date = ASSEMBLY_DAY) -> str:
        """A resolution passed by every member at an assembly on ``on`` (through
        coop.governance), that movements may cite."""
        from coop.governance.api import record_unanimous_resolution

        with self.app.app_context(), clock.replaying(on):
            record_unanimous_resolution(self.coop(), meeting_on=on, meeting_title="成员大会",
                                        item_title=f"股权事项（{resolution_no}）", kind=kind,
                                        place="村委会会议室", convened_by="理事会",
                                        resolution_no=resolution_no)
            db.session.commit()
        return resolution_no

    def holdings(self, no: str, on: date | None = None) -> dict[str, int]:
        from coop.shares.register import member_holdings

        with self.app.app_context():
            return member_holdings(self.ids[no], on)

    def totals(self, on: date | None = None) -> dict[str, int]:
        from coop.shares.register import class_totals

        with self.app.app_context():
            return class_totals(self.coop().id, on)

    def entry_ids(self) -> list[int]:
        from coop.shares.models import ShareEntry

        with self.app.app_context():
            return list(db.session.scalars(select(ShareEntry.id).order_by(ShareEntry.id)))


def passed_resolution(coop_id: int, resolution_no: str, *, kind: str = "other",
                      on: date = ASSEMBLY_DAY) -> str:
    """A passed resolution written straight into the meeting tables (flush only),
    for fixtures whose cooperative has nobody to vote (a lone collective
    member); tests of the resolution itself use ``ShareWorld.resolution``."""
    from coop.governance.models import AgendaItem, Meeting

    meeting = Meeting(cooperative_id=coop_id, title="成员大会", meeting_on=on, place="村委会",
                      convened_by="理事会", notice_on=on, status="held")
    db.session.add(meeting)
    db.session.add(AgendaItem(cooperative_id=coop_id, meeting=meeting, position=1, kind=kind,
                              title=f"股权事项（{resolution_no}）", outcome="passed",
                              resolution_no=resolution_no))
    db.session.flush()
    return resolution_no


def _plain(result: Any) -> Any:
    """Entries become ids, so that nothing detached leaves the app context."""
    from coop.shares.models import ShareEntry

    if isinstance(result, ShareEntry):
        return result.id
    if isinstance(result, list) and result and isinstance(result[0], ShareEntry):
        return [e.id for e in result]
    return result


@pytest.fixture
def empty_share_world(app, create_coop) -> ShareWorld:
    world = ShareWorld(app, create_coop("t1"))
    world.member("C000", "乌兰计三村村集体", kind="collective")
    for i in range(1, 6):
        world.member(f"V00{i}", f"村民{i}", household_no=f"H{i}", is_party_member=i == 1)
    world.member("G001", "干部一", kind="cadre")
    world.member("G002", "干部二", kind="cadre")
    return world


@pytest.fixture
def share_world(empty_share_world) -> ShareWorld:
    w = empty_share_world
    w.found([("C000", "collective", 650, "in_kind"), ("G001", "cadre", 40),
             ("V001", "villager", 150), ("V002", "villager", 160)])
    return w
