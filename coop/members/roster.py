"""The roster: the search by prefix of a member's number, name, initials,
phone or ID tail, its filters and sorts, one page at a time; and every
member (filtered) for the exports."""
from __future__ import annotations

from dataclasses import dataclass, replace
from math import ceil
from datetime import date
from typing import Iterable, NamedTuple

from sqlalchemy import and_, case, func, literal, select, text, union
from sqlalchemy.sql.elements import ColumnElement

from coop.extensions import db
from coop.members.constants import MemberKind, MemberStatus
from coop.members.counts import member_counts
from coop.members.groups import sorted_groups
from coop.members.models import Member
from coop.members.rules import PAGE_SIZE, search_keys
from coop.paging import Page


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def prefix_match(column, prefix: str) -> ColumnElement:
    """``column`` starts with ``prefix``, in a form the database's index serves.

    PostgreSQL: LIKE 'x%' (indexes with varchar_pattern_ops, or a plain one
    on name_initials, whose collation is "C"). SQLite: its LIKE ignores case
    and skips ordinary indexes, so a range on the binary order (which for
    UTF-8 is code-point order) is used instead.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return column.like(_escape_like(prefix) + "%", escape="\\")
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return and_(column >= prefix, column < upper)


SORTS = {
    "member_no": (Member.member_no,),
    "name": (Member.name_initials, Member.name),
    "kind": (Member.kind,),
    "household_no": (Member.household_no,),
    "village_group": (Member.village_group,),
    "joined_on": (Member.joined_on,),
    "status": (Member.status,),
}


class RosterRow(NamedTuple):
    """What the roster's table shows of a member: a page reads only these
    columns, as rows, not as members (loading 50 members through the ORM
    cost a page 1 ms more than their rows, issue 19)."""

    id: int
    member_no: str
    name: str
    kind: str
    household_no: str
    village_group: str
    id_number: str
    phone: str
    is_party_member: bool
    joined_on: date
    status: str
    distribution_rights_only: bool

    @property
    def kind_label(self) -> str:
        return MemberKind(self.kind).label

    @property
    def status_label(self) -> str:
        return MemberStatus(self.status).label


SHOWN = tuple(getattr(Member, name) for name in RosterRow._fields)


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    village_group: str = ""
    party: str = ""  # "1" party members, "0" not
    status: str = ""
    sort: str = "member_no"
    direction: str = "asc"

    def normalised(self) -> "Filters":
        return Filters(
            q=(self.q or "").strip()[:40],
            kind=self.kind if self.kind in {k.value for k in MemberKind} else "",
            village_group=(self.village_group or "").strip()[:40],
            party=self.party if self.party in ("0", "1") else "",
            status=self.status if self.status in {s.value for s in MemberStatus} else "",
            sort=self.sort if self.sort in SORTS else "member_no",
            direction="desc" if self.direction == "desc" else "asc",
        )


def _matching_ids(coop_id: int, q: str, *columns):
    """The ids (and ``columns``) of the members a search text matches: one
    indexed prefix search per key (each scoped to the cooperative), united;
    None when the text has no key."""
    keys = search_keys(q)
    if not keys:
        return None
    parts = [select(Member.id, *columns).where(Member.cooperative_id == coop_id,
                                               prefix_match(getattr(Member, col), text))
             for col, text in keys.items()]
    return union(*parts) if len(parts) > 1 else parts[0]


def _filter_conditions(f: Filters) -> list[ColumnElement[bool]]:
    """The roster's filters other than the search text."""
    conditions = []
    if f.kind:
        conditions.append(Member.kind == f.kind)
    if f.village_group:
        conditions.append(Member.village_group == f.village_group)
    if f.party:
        conditions.append(Member.is_party_member.is_(f.party == "1"))
    if f.status:
        conditions.append(Member.status == f.status)
    return conditions


def _ordering(coop_id: int, f: Filters) -> list[tuple[ColumnElement, bool]]:
    """The roster's order as (column, descending): the sort asked for, then
    the member number, which makes it a total order. Both go in the direction
    asked for, so a descending order is exactly the ascending one reversed,
    and one index in (column, member number) serves either."""
    columns = (_group_rank(coop_id),) if f.sort == "village_group" else SORTS[f.sort]
    if f.sort != "member_no":
        columns += (Member.member_no,)
    return [(c, f.direction == "desc") for c in columns]


def _ordered(query, ordering: list[tuple[ColumnElement, bool]], reverse: bool = False):
    """``query`` in ``ordering``, or in exactly its reverse."""
    return query.order_by(*[c.desc() if descending != reverse else c.asc()
                            for c, descending in ordering])


def _roster_query(coop_id: int, f: Filters, ids, conditions: list[ColumnElement[bool]],
                  reverse: bool = False):
    if ids is not None:
        # The rows are fetched by id. The outer query names no other indexed
        # column, so the database cannot choose to walk every member of the
        # cooperative in sort order instead.
        query = select(Member).where(Member.id.in_(ids))
    else:
        query = select(Member).where(Member.cooperative_id == coop_id)
    return _ordered(query.where(*conditions), _ordering(coop_id, f), reverse)


def roster_query(coop_id: int, filters: Filters):
    f = filters.normalised()
    return _roster_query(coop_id, f, _matching_ids(coop_id, f.q), _filter_conditions(f))


def search(coop_id: int, filters: Filters, page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of the roster; only that page is loaded. A page past the
    middle is read from the end in the reverse order (the order is total)
    and turned round: the last of 100,000 members' pages walked 100,000
    index entries to skip them (5 ms), against none."""
    f = filters.normalised()
    ids, conditions = _matching_ids(coop_id, f.q), _filter_conditions(f)
    total = _total(coop_id, f, ids, conditions)
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    shown = max(0, min(per_page, total - start))
    reverse = start > total // 2
    offset = total - start - shown if reverse else start
    if not shown:
        return Page([], page, per_page, total)
    if ids is not None and not conditions and f.sort == "member_no":
        query = _page_by_member_no(coop_id, f, shown, offset, reverse)
    else:
        query = _roster_query(coop_id, f, ids, conditions, reverse).limit(shown).offset(offset)
    items = [RosterRow._make(row) for row in db.session.execute(query.with_only_columns(*SHOWN))]
    return Page(items[::-1] if reverse else items, page, per_page, total)


def _total(coop_id: int, f: Filters, ids, conditions: list[ColumnElement[bool]]) -> int:
    """How many members the roster shows. Without a search text, all of
    them or those of one status come from the kept counts (``counts``):
    counting 100,000 members took 8-12 ms on PostgreSQL on each unfiltered
    page. Otherwise counted in SQL; a search alone counts the matching ids
    straight from the indexes (counted through the outer query, SQLite
    would look up every matching row)."""
    if ids is None and not _filter_conditions(replace(f, status="")):
        counts = member_counts(coop_id)
        return counts.by_status.get(f.status, 0) if f.status else counts.total
    if ids is not None and not conditions:
        counted = ids.subquery()
    else:
        counted = _roster_query(coop_id, f, ids, conditions).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(counted))


def _page_by_member_no(coop_id: int, f: Filters, limit: int, offset: int, reverse: bool = False):
    """A search's page in member-number order, chosen inside the search
    indexes (each carries the member number) before any row is read: a
    surname matches a tenth of 100,000 members, and sorting their rows took
    10 ms against 1.5 ms for their index entries (issue 19)."""
    keyed = _matching_ids(coop_id, f.q, Member.member_no).subquery()
    ordering = [(keyed.c.member_no, f.direction == "desc")]
    chosen = _ordered(select(keyed.c.id), ordering, reverse).limit(limit).offset(offset)
    return _ordered(select(Member).where(Member.id.in_(chosen)),
                    [(Member.member_no, f.direction == "desc")], reverse)


def village_groups(coop_id: int) -> list[str]:
    """The distinct village groups, one index seek each: a recursive query
    jumps from one group to the next in the (cooperative_id, village_group)
    index instead of reading every member."""
    groups = db.session.execute(text(
        "WITH RECURSIVE g(v) AS ("
        " SELECT (SELECT min(village_group) FROM members"
        "         WHERE cooperative_id = :c AND village_group > '')"
        " UNION ALL"
        " SELECT (SELECT min(village_group) FROM members"
        "         WHERE cooperative_id = :c AND village_group > g.v)"
        " FROM g WHERE g.v IS NOT NULL)"
        " SELECT v FROM g WHERE v IS NOT NULL"), {"c": coop_id}).scalars()
    return sorted_groups(groups)


def _group_rank(coop_id: int) -> ColumnElement[int]:
    """Each member's village group as its place in the natural Chinese order
    (一组, 二组 ... 十组, 十一组), so the roster sorts by group in SQL; no group last."""
    ranks = {group: rank for rank, group in enumerate(village_groups(coop_id))}
    if not ranks:
        return literal(0)
    return case(ranks, value=Member.village_group, else_=len(ranks))


def roster_counts(coop_id: int) -> dict[str, int]:
    """Members by status (those with anyone in them), the total, and
    households with a vote; kept per change of the roster (``counts``)."""
    return member_counts(coop_id).roster()


def iter_members(coop_id: int, filters: Filters | None = None) -> Iterable[Member]:
    """Every member (filtered), streamed in batches, for exports."""
    query = roster_query(coop_id, filters or Filters())
    yield from db.session.scalars(query.execution_options(yield_per=1000))
