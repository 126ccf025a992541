"""Reading the share register: holdings, history, the dividends' weights.

Holdings are always sums of entries computed in SQL; nothing here writes.
"""
from __future__ import annotations

from datetime import date
from functools import cache
from itertools import starmap
from typing import Iterable, NamedTuple, Protocol, Sequence

from sqlalchemy import (BigInteger, ColumnElement, Integer, and_, bindparam, case, cast, func,
                        Select, literal, literal_column, or_, select)
from sqlalchemy.orm import joinedload, lazyload

from coop.bulk import paused_gc
from coop.cooperatives.api import Cooperative, ShareClass, lock_par_value_when
from coop.extensions import db
from coop.members.api import Member, MemberKind
from coop.paging import Page
from coop.shares.land import member_class_lands
from coop.shares.models import ShareEntry
from coop.shares.sums import class_totals as class_totals_kept

CLASSES = tuple(sc.value for sc in ShareClass)

# -- queries: holdings are sums of entries, in SQL ---------------------------


class Holding(NamedTuple):
    member_id: int
    share_class: str
    shares: int


def _sum_shares():
    return func.coalesce(func.sum(ShareEntry.shares), 0)


def holdings_as_of(coop_id: int, on: date) -> list[Holding]:
    """(member_id, share_class, shares) of every non-zero holding on ``on``: one GROUP BY.

    Run as a Core statement on the session's connection: for 100,000 holders
    the ORM's row handling costs more than the query itself.
    """
    t = ShareEntry.__table__
    total = func.sum(t.c.shares)
    db.session.flush()
    rows = db.session.connection().execute(
        select(t.c.member_id, t.c.share_class, total)
        .where(t.c.cooperative_id == coop_id, t.c.effective_on <= on)
        .group_by(t.c.member_id, t.c.share_class)
        .having(total != 0)
        .order_by(t.c.member_id, t.c.share_class)
    ).all()
    return [Holding(m, c, int(s)) for m, c, s in rows]


def class_totals(coop_id: int, on: date | None = None) -> dict[str, int]:
    """Shares per class of the cooperative, from the sums kept as entries are
    written (``coop.shares.sums``): the register's million entries are not read."""
    return class_totals_kept(coop_id, on)


def member_holdings(member_id: int, on: date | None = None) -> dict[str, int]:
    """Shares of one member per class (all classes, zeros included)."""
    held = member_class_lands(member_id, on)
    return {sc: held[sc].shares if sc in held else 0 for sc in CLASSES}


def member_total_shares(member_id: int) -> int:
    """The member's current total of all classes (every entry recorded so far)."""
    return int(db.session.scalar(
        select(_sum_shares()).where(ShareEntry.member_id == member_id)) or 0)


PAR_VALUE_LOCKED = "已有股份登记，每股面值不能再修改"


@lock_par_value_when
def par_value_locked_by_register(coop_id: int) -> str | None:
    """Every entry was valued at the par value of its day: once one exists the
    par value is fixed (a split or consolidation would be a recorded act that
    converts every holding; none is offered)."""
    entry = db.session.scalar(select(ShareEntry.id)
                              .where(ShareEntry.cooperative_id == coop_id).limit(1))
    return PAR_VALUE_LOCKED if entry is not None else None


def _share_days_sum(connection, year: int):
    """SUM of shares x days held in ``year`` over the entries dated up to its
    31 December (both ends counted): an entry before 1 January counts the
    whole year, an entry dated d inside the year counts from d to 31 December
    - the arithmetic of :func:`coop.dividends.share_days.share_days_sql_formula`,
    done by the database."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    days_in_year = (end - start).days + 1
    t = ShareEntry.__table__
    if connection.dialect.name == "postgresql":
        days = literal(end) - t.c.effective_on + 1
    else:  # no date objects to build: julianday on the stored text
        days = cast(func.julianday(literal(end.isoformat())) - func.julianday(t.c.effective_on),
                    Integer) + 1
    # 64-bit before multiplying: PostgreSQL's int x int overflows at 2^31
    return func.sum(cast(t.c.shares, BigInteger)
                    * case((t.c.effective_on < start, days_in_year), else_=days))


def share_days(coop_id: int, year: int) -> dict[int, int]:
    """member_id -> shares x days held in ``year`` (both ends counted), all
    classes: :func:`register_weights`'s share-days, added up over the classes."""
    days: dict[int, int] = {}
    for weight in register_weights(coop_id, date(year, 12, 31), with_share_days=True):
        days[weight.member_id] = days.get(weight.member_id, 0) + weight.share_days
    return {member_id: n for member_id, n in days.items() if n}


class RegisterWeight(NamedTuple):
    """One member's holding of one class, as a dividend plan weighs it."""

    member_id: int
    member_no: str
    name: str
    kind: str
    share_class: str
    shares: int  # held on the record date
    share_days: int  # shares x days held in the record date's year; 0 unless asked for


def register_weights(coop_id: int, record_date: date, *, with_share_days: bool = False
                     ) -> list[RegisterWeight]:
    """A RegisterWeight per member and class, in no particular order: the
    inputs of a dividend plan in one pass over the register's covering index.

    Only rows where either figure is non-zero (filtered outside the grouping:
    SQLite would compute the sums twice in a HAVING). The register is grouped first
    and the groups joined to the roster (joining 1,000,000 entries before
    grouping cost ten times more). Core rows, not ORM objects: 100,000 holders.
    """
    e, m = ShareEntry.__table__, Member.__table__
    db.session.flush()
    connection = db.session.connection()
    if with_share_days:
        shares = func.sum(case((e.c.effective_on <= record_date, e.c.shares), else_=0))
        days = cast(_share_days_sum(connection, record_date.year), BigInteger)
        until = date(record_date.year, 12, 31)
    else:
        shares = func.sum(e.c.shares)
        days = literal_column("0")
        until = record_date
    shares = cast(shares, BigInteger)  # PostgreSQL's SUM of bigint is numeric (Decimal)
    held = (select(e.c.member_id, e.c.share_class, shares.label("shares"), days.label("days"))
            .where(e.c.cooperative_id == coop_id, e.c.effective_on <= until)
            .group_by(e.c.member_id, e.c.share_class)).subquery()
    rows = connection.execute(
        select(held.c.member_id, m.c.member_no, m.c.name, m.c.kind, held.c.share_class,
               held.c.shares, held.c.days)
        .join(m, m.c.id == held.c.member_id)
        .where(or_(held.c.shares != 0, held.c.days != 0) if with_share_days
               else held.c.shares != 0))
    return list(starmap(RegisterWeight, rows))


def latest_date(coop_id: int) -> date | None:
    return db.session.scalar(
        select(func.max(ShareEntry.effective_on)).where(ShareEntry.cooperative_id == coop_id))


def member_class_deltas_from(member_id: int, share_class: str, on: date) -> tuple[int, list]:
    """Holding before ``on`` and the per-date sums from ``on`` on, for one member and class."""
    base = and_(ShareEntry.member_id == member_id, ShareEntry.share_class == share_class)
    opening = int(db.session.scalar(
        select(_sum_shares()).where(base, ShareEntry.effective_on < on)) or 0)
    later = [(d, int(n)) for d, n in db.session.execute(
        select(ShareEntry.effective_on, func.sum(ShareEntry.shares))
        .where(base, ShareEntry.effective_on >= on)
        .group_by(ShareEntry.effective_on).order_by(ShareEntry.effective_on))]
    return opening, later


def top_holder(coop_id: int, on: date, exclude: Iterable[int]) -> tuple[int, int] | None:
    """(member_id, shares) of the largest holder other than the collective entity."""
    total = func.sum(ShareEntry.shares)
    query = (
        select(ShareEntry.member_id, total)
        .join(Member, Member.id == ShareEntry.member_id)
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on,
               Member.kind != MemberKind.COLLECTIVE)
        .group_by(ShareEntry.member_id)
        .order_by(total.desc(), ShareEntry.member_id)
        .limit(1)
    )
    exclude = [m for m in exclude if m is not None]
    if exclude:
        query = query.where(ShareEntry.member_id.not_in(exclude))
    row = db.session.execute(query).first()
    return (row[0], int(row[1])) if row else None


# -- lookups for the pages --------------------------------------------------------


def member_by_no(coop: Cooperative, member_no: str | None) -> Member | None:
    no = (member_no or "").strip()
    if not no:
        return None
    return db.session.scalar(select(Member).where(Member.cooperative_id == coop.id,
                                                  Member.member_no == no))


def movement_entries(entry: ShareEntry) -> list[ShareEntry]:
    return list(db.session.scalars(
        select(ShareEntry).where(ShareEntry.cooperative_id == entry.cooperative_id,
                                 ShareEntry.movement == entry.movement)
        .order_by(ShareEntry.id)))


def reversal_of(entry: ShareEntry) -> ShareEntry | None:
    return db.session.scalar(select(ShareEntry).where(ShareEntry.reverses_id == entry.id))


def of_member(coop_id: int, member_id: int) -> tuple[ColumnElement[bool], ...]:
    """The conditions for one member's entries, read through the member's own
    index (member, class, date). The cooperative is still checked, but in a
    form no index serves: given ``cooperative_id = ?`` and an ORDER BY date,
    SQLite (which has no statistics) walked every entry of a 1,000,000-entry
    cooperative in date order to find a member's eleven (1.5 s)."""
    return ShareEntry.member_id == member_id, ShareEntry.cooperative_id + 0 == coop_id


def register_query(coop_id: int, *, member_id: int | None = None, share_class: str | None = None,
                   entry_kind: str | None = None, date_from: date | None = None,
                   date_to: date | None = None):
    if member_id:
        query = select(ShareEntry).where(*of_member(coop_id, member_id))
    else:
        query = select(ShareEntry).where(ShareEntry.cooperative_id == coop_id)
    if share_class:
        query = query.where(ShareEntry.share_class == share_class)
    if entry_kind:
        query = query.where(ShareEntry.entry_kind == entry_kind)
    if date_from:
        query = query.where(ShareEntry.effective_on >= date_from)
    if date_to:
        query = query.where(ShareEntry.effective_on <= date_to)
    return query.order_by(ShareEntry.effective_on.desc(), ShareEntry.id.desc())


@cache
def _member_history():
    """Built once (on first use: the options need every model mapped); the
    member's own holdings page and the member page read it on every view.
    Each entry's member is the one whose page it is (already in the session:
    no query), a transfer's counterparty is shown by name, the recorder
    without the recorder's cooperative: joining the whole member twice, the
    user and that user's cooperative took PostgreSQL 1 ms to plan, twice the
    execution (issue 19)."""
    return (select(ShareEntry).where(ShareEntry.member_id == bindparam("member_id"))
            .options(lazyload(ShareEntry.member),
                     joinedload(ShareEntry.counterparty).load_only(Member.name),
                     joinedload(ShareEntry.recorded_by).lazyload("*"))
            .order_by(ShareEntry.effective_on, ShareEntry.id))


def member_history(member_id: int) -> list[ShareEntry]:
    return list(db.session.scalars(_member_history(), {"member_id": member_id}))


def holdings_table_query(coop_id: int, on: date, member_ids: Iterable[int] | None = None):
    """One row per member holding shares on ``on``: Member, collective, villager, cadre, total."""
    per_class = [
        func.sum(case((ShareEntry.share_class == sc, ShareEntry.shares), else_=0)).label(sc)
        for sc in CLASSES
    ]
    total = func.sum(ShareEntry.shares)
    sub = (
        select(ShareEntry.member_id.label("member_id"), *per_class, total.label("total"))
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
        .group_by(ShareEntry.member_id)
        .having(total != 0)
    )
    if member_ids is not None:
        sub = sub.where(ShareEntry.member_id.in_(list(member_ids)))
    sub = sub.subquery()
    return (
        select(Member, sub.c.collective, sub.c.villager, sub.c.cadre, sub.c.total)
        .join(sub, sub.c.member_id == Member.id)
        .order_by(Member.member_no)
    )


def counted_page(query: Select, page: int, per_page: int) -> Page:
    """Page ``page`` of ``query``'s rows (a holdings table) with the count of
    all of them, from one grouping of the register: the count is read
    beside the page's rows (count(*) over ()); only a page past the end
    counts apart."""
    rows = db.session.execute(query.add_columns(func.count().over())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    if rows:
        total = rows[0][-1]
    else:
        total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return Page([row[:-1] for row in rows], page, per_page, total)


class HoldingLine(Protocol):
    """A row of ``holdings_with_members``: what an export needs of a member's
    holding of one class."""

    member_no: str
    name: str
    kind: str
    share_class: str
    shares: int


def holdings_with_members(coop_id: int, on: date) -> Sequence[HoldingLine]:
    """Each member's holding of each class on ``on``, ordered by member
    number and class: for exports."""
    total = func.sum(ShareEntry.shares)
    sub = (
        select(ShareEntry.member_id, ShareEntry.share_class, total.label("shares"))
        .where(ShareEntry.cooperative_id == coop_id, ShareEntry.effective_on <= on)
        .group_by(ShareEntry.member_id, ShareEntry.share_class)
        .having(total != 0)
        .subquery()
    )
    order = case({sc: i for i, sc in enumerate(CLASSES)}, value=sub.c.share_class)
    # Core rows read in one fetch, not Member objects nor a row at a time:
    # 90,374 holdings of 100,000 members (benchmark scenario 3), with the
    # collector paused while they are built
    db.session.flush()
    with paused_gc():
        return db.session.connection().execute(
            select(Member.member_no, Member.name, Member.kind, sub.c.share_class, sub.c.shares)
            .join(sub, sub.c.member_id == Member.id)
            .order_by(Member.member_no, order)).all()

