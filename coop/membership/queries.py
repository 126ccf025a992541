"""What the membership pages read: the events list, a member's events."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import NamedTuple

from sqlalchemy import Select, bindparam, func, select

from coop.auth.api import User
from coop.extensions import db
from coop.members.api import Member
from coop.membership.constants import GAIN_REASONS, EventStatus
from coop.membership.events import OPEN
from coop.membership.models import MembershipEvent
from coop.paging import Page

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventFilters:
    status: str = ""      # an EventStatus value, "open", or "" for all
    direction: str = ""   # "gain", "loss" or ""
    review: str = ""      # "flagged", "awaiting" or ""


class EventRow(NamedTuple):
    event: MembershipEvent
    member: Member


def _query(coop_id: int, f: EventFilters) -> Select:
    query = (select(MembershipEvent, Member).join(Member, Member.id == MembershipEvent.member_id)
             .where(MembershipEvent.cooperative_id == coop_id))
    if f.status == "open":
        query = query.where(MembershipEvent.status.in_(OPEN))
    elif f.status in {s.value for s in EventStatus}:
        query = query.where(MembershipEvent.status == f.status)
    gains = [r.value for r in GAIN_REASONS]
    if f.direction == "gain":
        query = query.where(MembershipEvent.reason.in_(gains))
    elif f.direction == "loss":
        query = query.where(MembershipEvent.reason.not_in(gains))
    if f.review in ("flagged", "awaiting"):
        query = query.where(MembershipEvent.women_review.is_(True))
    if f.review == "awaiting":
        query = query.where(MembershipEvent.reviewed_at.is_(None),
                            MembershipEvent.status.in_(OPEN))
    return query


def event_page(coop_id: int, filters: EventFilters, page: int = 1,
               per_page: int = PAGE_SIZE) -> Page:
    query = _query(coop_id, filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(query.order_by(MembershipEvent.recorded_at.desc(),
                                             MembershipEvent.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return Page([EventRow(e, m) for e, m in rows], page, per_page, total)


def open_counts(coop_id: int) -> dict[str, int]:
    """Open events: all, and those awaiting their art 8 review."""
    base = select(func.count()).where(MembershipEvent.cooperative_id == coop_id,
                                      MembershipEvent.status.in_(OPEN))
    return {"open": db.session.scalar(base) or 0,
            "awaiting": db.session.scalar(base.where(MembershipEvent.women_review.is_(True),
                                                     MembershipEvent.reviewed_at.is_(None))) or 0}


# built once: the member page reads it on every view
_MEMBER_EVENTS = (select(MembershipEvent).where(MembershipEvent.member_id == bindparam("member_id"))
                  .order_by(MembershipEvent.recorded_at.desc(), MembershipEvent.id.desc()))


def member_events(member_id: int) -> list[MembershipEvent]:
    return list(db.session.scalars(_MEMBER_EVENTS, {"member_id": member_id}))


def user_name(user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = db.session.get(User, user_id)
    return user.display_name if user else ""
