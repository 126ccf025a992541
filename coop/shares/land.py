"""Contributed land on the register: the shares that carry it, and the guarantee's mu.

The guaranteed land payment (docs/rules.md, "The distribution" step 3) belongs to the
land-contribution shares, not to the person who pooled the land. Every entry
carries the land it moves in ``land_mu`` (signed hundredths of a mu): a land
subscription brings it in; a transfer, an inheritance or a redemption of
shares of a class takes the part of that member's land in that class that
goes with those shares (``rules.land_moved``: pro rata, half up, all of it
with the last share) - to the other member, or back to the member who
redeems (the land is returned and its guarantee ends). So the land a member
holds in a class on a date is the sum of ``land_mu`` of their entries of that
class up to that date, and it counts only while they hold shares of the class.
"""
from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import cache

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased

from coop.extensions import db
from coop.shares.models import ShareEntry
from coop.shares.rules import ClassLand, first_negative, land_carried


def class_land(member_id: int, share_class: str, on: date) -> ClassLand:
    """One member's shares and land in one class on ``on`` (the member's own index)."""
    shares, land = db.session.execute(
        select(func.coalesce(func.sum(ShareEntry.shares), 0),
               func.coalesce(func.sum(ShareEntry.land_mu), 0))
        .where(ShareEntry.member_id == member_id, ShareEntry.share_class == share_class,
               ShareEntry.effective_on <= on)).one()
    return ClassLand(int(shares), int(land))


@cache
def _member_class_lands(dated: bool):
    """A member's shares and land per class (``member_id``; up to ``on`` when
    ``dated``), built once: the member page reads it on every view."""
    query = (select(ShareEntry.share_class, func.sum(ShareEntry.shares), func.sum(ShareEntry.land_mu))
             .where(ShareEntry.member_id == bindparam("member_id")).group_by(ShareEntry.share_class))
    return query.where(ShareEntry.effective_on <= bindparam("on")) if dated else query


def member_class_lands(member_id: int, on: date | None = None) -> dict[str, ClassLand]:
    """The member's shares and land per class on ``on`` (every entry so far
    when None), one read of the member's entries; classes never held are
    left out."""
    values = {"member_id": member_id} if on is None else {"member_id": member_id, "on": on}
    rows = db.session.execute(_member_class_lands(on is not None), values)
    return {sc: ClassLand(int(shares or 0), int(land or 0)) for sc, shares, land in rows}


def member_land_mu(member_id: int, on: date | None = None) -> int:
    """Hundredths of a mu carried by the shares the member holds on ``on``
    (every entry so far when None), over all classes."""
    return land_carried(member_class_lands(member_id, on).values())


def land_mu_by_member(coop_id: int, on: date,
                      member_ids: Collection[int] | None = None) -> dict[int, int]:
    """member_id -> hundredths of a mu carried by the shares held on ``on``:
    the guarantee's mu (of ``member_ids`` only, when given). The entries that
    carry land, grouped by member and class; each group's holding read
    through the member's own index."""
    held = aliased(ShareEntry)
    shares_held = (
        select(func.coalesce(func.sum(held.shares), 0))
        .where(held.member_id == ShareEntry.member_id,
               held.share_class == ShareEntry.share_class, held.effective_on <= on)
        .scalar_subquery())
    land = func.sum(ShareEntry.land_mu)
    if member_ids is None:
        scope = ShareEntry.cooperative_id == coop_id
    else:
        # the members' own index leads: the cooperative's condition stays,
        # written so that SQLite's planner (no statistics) does not choose the
        # coop-and-date index for it, which reads every entry of the
        # cooperative (1.5 s at 1,000,000 entries for 200 members, against 1 ms)
        scope = and_(ShareEntry.cooperative_id + 0 == coop_id,
                     ShareEntry.member_id.in_(list(member_ids)))
    rows = db.session.execute(
        select(ShareEntry.member_id, land, shares_held)
        .where(scope, ShareEntry.effective_on <= on, ShareEntry.land_mu.is_not(None))
        .group_by(ShareEntry.member_id, ShareEntry.share_class)
        .having(land > 0))
    out: dict[int, int] = {}
    for member_id, mu, shares in rows:
        if shares > 0:
            out[member_id] = out.get(member_id, 0) + int(mu)
    return out


def land_below_zero(member_id: int, share_class: str, on: date,
                    delta: int) -> tuple[date, int] | None:
    """The first (date, land) below zero if ``delta`` hundredths of a mu leave
    the member's class on ``on``, counting the entries dated after it."""
    base = and_(ShareEntry.member_id == member_id, ShareEntry.share_class == share_class,
                ShareEntry.land_mu.is_not(None))
    opening = int(db.session.scalar(
        select(func.coalesce(func.sum(ShareEntry.land_mu), 0))
        .where(base, ShareEntry.effective_on < on)) or 0)
    later = dict((d, int(n)) for d, n in db.session.execute(
        select(ShareEntry.effective_on, func.sum(ShareEntry.land_mu))
        .where(base, ShareEntry.effective_on >= on)
        .group_by(ShareEntry.effective_on)))
    later[on] = later.get(on, 0) + delta
    return first_negative(opening, sorted(later.items()))
