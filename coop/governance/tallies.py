"""Failed resolutions of many cooperatives at once (the township and county
warnings): one query over all of them."""
from __future__ import annotations

from datetime import date
from typing import Iterable, NamedTuple

from sqlalchemy import select

from coop.extensions import db
from coop.governance.constants import Outcome
from coop.governance.models import AgendaItem, Meeting


class FailedItem(NamedTuple):
    cooperative_id: int
    meeting_id: int
    meeting_on: date
    meeting_title: str
    item_title: str


def failed_items(coop_ids: Iterable[int], start: date, end: date) -> list[FailedItem]:
    """Agenda items decided as failed at meetings held from ``start`` to ``end``."""
    rows = db.session.execute(
        select(Meeting.cooperative_id, Meeting.id, Meeting.meeting_on, Meeting.title, AgendaItem.title)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(Meeting.cooperative_id.in_(list(coop_ids)), AgendaItem.outcome == Outcome.FAILED,
               Meeting.meeting_on.between(start, end))
        .order_by(Meeting.cooperative_id, Meeting.meeting_on, AgendaItem.position))
    return [FailedItem(*row) for row in rows]
