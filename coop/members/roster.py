"""The roster: the search by prefix of a member's number, name, initials,
phone or ID tail, its filters and sorts, one page at a time; and every
member (filtered) for the exports."""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from math import ceil
from typing import Iterable, NamedTuple

from sqlalchemy import and_, bindparam, case, func, literal, select, text, union
from sqlalchemy.sql.elements import ColumnElement

from coop.extensions import db
from coop.members.constants import MemberKind, MemberLabels, MemberStatus
from coop.members.counts import member_counts
from coop.members.groups import sorted_groups
from coop.members.models import Member
from coop.members.rules import PAGE_SIZE, search_keys
from coop.paging import Page


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _read():
    """The session's connection, for the roster's reads of rows and counts
    (no entities): run there they skip the ORM's compile state and result
    loading; a search's count and page took 0.3 ms less on SQLite, 0.6 ms
    less on PostgreSQL (issue 19). Its readers (the roster page, its
    downloads, the export command) write nothing before they read, so
    there is nothing of the session's to flush first."""
    return db.session.connection()


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _prefix_bounds(prefix: str, postgresql: bool) -> tuple[str, ...]:
    """What ``_prefix_condition`` compares a column with for ``prefix``."""
    if postgresql:
        return (_escape_like(prefix) + "%",)
    return (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))


def _prefix_condition(column, postgresql: bool, *bounds) -> ColumnElement[bool]:
    if postgresql:
        return column.like(bounds[0], escape="\\")
    return and_(column >= bounds[0], column < bounds[1])


def prefix_match(column, prefix: str) -> ColumnElement:
    """``column`` starts with ``prefix``, in a form the database's index serves.

    PostgreSQL: LIKE 'x%' (indexes with varchar_pattern_ops, or a plain one
    on name_initials, whose collation is "C"). SQLite: its LIKE ignores case
    and skips ordinary indexes, so a range on the binary order (which for
    UTF-8 is code-point order) is used instead.
    """
    postgresql = _is_postgresql()
    return _prefix_condition(column, postgresql, *_prefix_bounds(prefix, postgresql))


SORTS = {
    "member_no": (Member.member_no,),
    "name": (Member.name_initials, Member.name),
    "kind": (Member.kind,),
    "household_no": (Member.household_no,),
    "village_group": (Member.village_group,),
    "joined_on": (Member.joined_on,),
    "status": (Member.status,),
}


@dataclass(slots=True)
class RosterRow(MemberLabels):
    """What the roster's table shows of a member: a page reads only these
    columns (``SHOWN``, in this order), as rows, not as members (loading 50
    members through the ORM cost a page 1 ms more than their rows, issue 19).
    Not frozen: a frozen dataclass sets each field through
    ``object.__setattr__``, eight times as long for a page's 50 rows."""

    id: int
    member_no: str
    name: str
    kind: str
    household_no: str
    village_group: str
    id_number: str | None
    phone: str
    is_party_member: bool
    joined_on: date | None
    status: str
    distribution_rights_only: bool


SHOWN = tuple(getattr(Member, field.name) for field in fields(RosterRow))


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


# the filters compared with a value (a parameter of the statement)
VALUE_FILTERS = ("kind", "village_group", "status")


class _Shape(NamedTuple):
    """What a roster statement's SQL depends on; the rest (the cooperative,
    the search text's prefixes, the filters' values, the page) are its
    parameters. A statement of each shape is built once: building a search's
    two statements cost it 0.6-1.2 ms, a tenth of the request (issue 19)."""

    postgresql: bool
    keys: tuple[str, ...]  # the columns the search text is a prefix of
    filters: tuple[str, ...]  # those of VALUE_FILTERS set
    party: str  # "1" party members, "0" not, "" either
    sort: str
    descending: bool
    groups: tuple[str, ...]  # the village groups in order, when sorted by group

    @property
    def filtered(self) -> bool:
        """Whether a filter other than the search text is set."""
        return bool(self.filters or self.party)


class _Bound(NamedTuple):
    """A roster query: its shape and its parameters' values."""

    shape: _Shape
    values: dict[str, object]


def _bound_names(column: str, postgresql: bool) -> tuple[str, ...]:
    return (f"{column}_from",) if postgresql else (f"{column}_from", f"{column}_to")


def _bind(coop_id: int, f: Filters) -> _Bound:
    """The shape and values of the roster ``f`` (normalised) asks for."""
    postgresql, keys = _is_postgresql(), search_keys(f.q)
    shape = _Shape(postgresql, tuple(keys), tuple(n for n in VALUE_FILTERS if getattr(f, n)),
                   f.party, f.sort, f.direction == "desc",
                   tuple(village_groups(coop_id)) if f.sort == "village_group" else ())
    values: dict[str, object] = {"coop_id": coop_id}
    values.update((f"filter_{name}", getattr(f, name)) for name in shape.filters)
    for column, prefix in keys.items():
        values.update(zip(_bound_names(column, postgresql), _prefix_bounds(prefix, postgresql)))
    return _Bound(shape, values)


def _matching_ids(shape: _Shape, *columns):
    """The ids (and ``columns``) of the members a search text matches: one
    indexed prefix search per key (each scoped to the cooperative), united;
    None when the text has no key."""
    if not shape.keys:
        return None
    parts = [select(Member.id, *columns).where(
                 Member.cooperative_id == bindparam("coop_id"),
                 _prefix_condition(getattr(Member, column), shape.postgresql,
                                   *map(bindparam, _bound_names(column, shape.postgresql))))
             for column in shape.keys]
    return union(*parts) if len(parts) > 1 else parts[0]


def _filter_conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    """The roster's filters other than the search text."""
    conditions = [getattr(Member, name) == bindparam(f"filter_{name}") for name in shape.filters]
    if shape.party:
        conditions.append(Member.is_party_member.is_(shape.party == "1"))
    return conditions


def _ordering(shape: _Shape) -> list[tuple[ColumnElement, bool]]:
    """The roster's order as (column, descending): the sort asked for, then
    the member number, which makes it a total order. Both go in the direction
    asked for, so a descending order is exactly the ascending one reversed,
    and one index in (column, member number) serves either."""
    columns = (_group_rank(shape.groups),) if shape.sort == "village_group" else SORTS[shape.sort]
    if shape.sort != "member_no":
        columns += (Member.member_no,)
    return [(c, shape.descending) for c in columns]


def _ordered(query, ordering: list[tuple[ColumnElement, bool]], reverse: bool = False):
    """``query`` in ``ordering``, or in exactly its reverse."""
    return query.order_by(*[c.desc() if descending != reverse else c.asc()
                            for c, descending in ordering])


def _roster_query(shape: _Shape, reverse: bool = False):
    ids = _matching_ids(shape)
    if ids is not None:
        # The rows are fetched by id. The outer query names no other indexed
        # column, so the database cannot choose to walk every member of the
        # cooperative in sort order instead.
        query = select(Member).where(Member.id.in_(ids))
    else:
        query = select(Member).where(Member.cooperative_id == bindparam("coop_id"))
    return _ordered(query.where(*_filter_conditions(shape)), _ordering(shape), reverse)


def roster_query(coop_id: int, filters: Filters):
    """Every member the roster ``filters`` shows, in its order, the values bound."""
    bound = _bind(coop_id, filters.normalised())
    return _roster_query(bound.shape).params(bound.values)


def search(coop_id: int, filters: Filters, page: int = 1, per_page: int = PAGE_SIZE) -> Page:
    """One page of the roster; only that page is loaded. A page past the
    middle is read from the end in the reverse order (the order is total)
    and turned round: the last of 100,000 members' pages walked 100,000
    index entries to skip them (5 ms), against none."""
    bound = _bind(coop_id, filters.normalised())
    total = _total(coop_id, bound)
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    shown = max(0, min(per_page, total - start))
    if not shown:
        return Page([], page, per_page, total)
    reverse = start > total // 2
    offset = total - start - shown if reverse else start
    rows = _read().execute(_page_statement(bound.shape, reverse),
                           {**bound.values, "page_limit": shown, "page_offset": offset})
    items = [RosterRow(*row) for row in rows]
    return Page(items[::-1] if reverse else items, page, per_page, total)


def _total(coop_id: int, bound: _Bound) -> int:
    """How many members the roster shows. Without a search text, all of
    them or those of one status come from the kept counts (``counts``):
    counting 100,000 members took 8-12 ms on PostgreSQL on each unfiltered
    page. Otherwise counted in SQL."""
    shape = bound.shape
    if not shape.keys and not shape.party and shape.filters in ((), ("status",)):
        counts = member_counts(coop_id)
        status = bound.values.get("filter_status")
        return counts.by_status.get(status, 0) if status else counts.total
    return _read().scalar(_count_statement(shape), bound.values)


@lru_cache(maxsize=256)
def _count_statement(shape: _Shape):
    """A search alone counts the matching ids straight from the indexes
    (counted through the outer query, SQLite would look up every matching row)."""
    ids = _matching_ids(shape)
    if ids is not None and not shape.filtered:
        counted = ids.subquery()
    else:
        counted = _roster_query(shape).order_by(None).subquery()
    return select(func.count()).select_from(counted)


@lru_cache(maxsize=512)
def _page_statement(shape: _Shape, reverse: bool):
    """A page (``page_limit`` rows from ``page_offset``) of the table's columns."""
    if shape.keys and not shape.filtered and shape.sort == "member_no":
        query = _page_by_member_no(shape, reverse)
    else:
        query = (_roster_query(shape, reverse)
                 .limit(bindparam("page_limit")).offset(bindparam("page_offset")))
    return query.with_only_columns(*SHOWN)


def _page_by_member_no(shape: _Shape, reverse: bool):
    """A search's page in member-number order, chosen inside the search
    indexes (each carries the member number) before any row is read: a
    surname matches a tenth of 100,000 members, and sorting their rows took
    10 ms against 1.5 ms for their index entries (issue 19)."""
    keyed = _matching_ids(shape, Member.member_no).subquery()
    chosen = (_ordered(select(keyed.c.id), [(keyed.c.member_no, shape.descending)], reverse)
              .limit(bindparam("page_limit")).offset(bindparam("page_offset")))
    return _ordered(select(Member).where(Member.id.in_(chosen)),
                    [(Member.member_no, shape.descending)], reverse)


# the roster's group filter lists them on every view
_VILLAGE_GROUPS = text(
    "WITH RECURSIVE g(v) AS ("
    " SELECT (SELECT min(village_group) FROM members"
    "         WHERE cooperative_id = :c AND village_group > '')"
    " UNION ALL"
    " SELECT (SELECT min(village_group) FROM members"
    "         WHERE cooperative_id = :c AND village_group > g.v)"
    " FROM g WHERE g.v IS NOT NULL)"
    " SELECT v FROM g WHERE v IS NOT NULL")


def village_groups(coop_id: int) -> list[str]:
    """The distinct village groups, one index seek each: a recursive query
    jumps from one group to the next in the (cooperative_id, village_group)
    index instead of reading every member."""
    return sorted_groups(_read().execute(_VILLAGE_GROUPS, {"c": coop_id}).scalars())


def _group_rank(groups: tuple[str, ...]) -> ColumnElement[int]:
    """Each member's village group as its place in ``groups``, the natural
    Chinese order (一组, 二组 ... 十组, 十一组), so the roster sorts by group
    in SQL; no group last."""
    ranks = {group: rank for rank, group in enumerate(groups)}
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
