"""The register's sums and holder counts kept current as entries are written.

The share structure on a date was one pass over the register (1,000,000
entries: about a second on the first view after any change). The register
is append-only, so its sums only ever grow by the entries written: every
write adds its entries to ``share_sums`` (per cooperative, date, class and
kind of entry) and the change in holders to ``share_holder_steps`` in the
same flush (an ORM listener, so every write path is covered: movements,
founding batches, imports, reversals, the surplus conversion, the demo). A
figure on a date is then the sum of the rows dated on or before it, so
back-dated entries and past dates are exact too.

Holders are not additive (a member holds on a date when their running sum is
above zero), so a write recomputes the steps of the members it touches with
and without its own entries and adds the difference.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Iterable, NamedTuple, Sequence

from sqlalchemy import bindparam, case, delete, event, func, literal, select, text, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coop.extensions import db
from coop.cooperatives.api import ShareClass
from coop.shares.models import ShareEntry, ShareHolderStep, ShareSum

ANY_CLASS = ""  # share_holder_steps.share_class of the holders in any class
MEMBERS_A_QUERY = 500
CLASSES = tuple(sc.value for sc in ShareClass)


class SumKey(NamedTuple):
    cooperative_id: int
    effective_on: date
    share_class: str
    entry_kind: str
    contribution_kind: str
    machine: bool


class StepKey(NamedTuple):
    cooperative_id: int
    effective_on: date
    share_class: str


def _upsert(session, model, key_columns: Sequence[str], rows: list[dict]) -> None:
    """Add ``rows``' figures to the rows with the same key (insert the new)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(key_columns),
        set_={c: table.c[c] + stmt.excluded[c] for c in rows[0] if c not in key_columns})
    session.execute(stmt, rows)


def _lock(session, coop_id: int) -> None:
    """Serialize the holder steps of one cooperative's concurrent writes on
    PostgreSQL (SQLite writes one transaction at a time already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(21319, :c)"), {"c": coop_id})


def holder_steps_query(*where):
    """(cooperative_id, effective_on, share_class, holders) of the entries
    matching ``where``: +1 on the date a member's running sum in a class (or
    in any class, ``ANY_CLASS``) rises above zero, -1 on the date it falls
    back to zero."""
    e = ShareEntry.__table__
    daily = (select(e.c.cooperative_id, e.c.member_id, e.c.share_class, e.c.effective_on,
                    func.sum(e.c.shares).label("shares"))
             .where(*where)
             .group_by(e.c.cooperative_id, e.c.member_id, e.c.share_class, e.c.effective_on)
             .subquery())
    per_class = (daily.c.cooperative_id, daily.c.member_id, daily.c.share_class)
    running = select(daily.c.cooperative_id, daily.c.member_id, daily.c.share_class,
                     daily.c.effective_on,
                     func.sum(daily.c.shares).over(partition_by=per_class,
                                                   order_by=daily.c.effective_on)
                     .label("held")).subquery()
    flagged = select(running.c.cooperative_id, running.c.member_id, running.c.share_class,
                     running.c.effective_on,
                     case((running.c.held > 0, 1), else_=0).label("holds")).subquery()
    per_class = (flagged.c.cooperative_id, flagged.c.member_id, flagged.c.share_class)
    stepped = select(flagged.c.cooperative_id, flagged.c.member_id, flagged.c.share_class,
                     flagged.c.effective_on,
                     (flagged.c.holds - func.lag(flagged.c.holds, 1, 0).over(
                         partition_by=per_class, order_by=flagged.c.effective_on))
                     .label("step")).subquery()
    by_class = (select(stepped.c.cooperative_id, stepped.c.effective_on, stepped.c.share_class,
                       func.sum(stepped.c.step).label("holders"))
                .where(stepped.c.step != 0)
                .group_by(stepped.c.cooperative_id, stepped.c.effective_on,
                          stepped.c.share_class))
    # in any class: the running number of classes a member holds, above zero
    classes = (select(stepped.c.cooperative_id, stepped.c.member_id, stepped.c.effective_on,
                      func.sum(stepped.c.step).label("step"))
               .where(stepped.c.step != 0)
               .group_by(stepped.c.cooperative_id, stepped.c.member_id, stepped.c.effective_on)
               .subquery())
    per_member = (classes.c.cooperative_id, classes.c.member_id)
    counted = select(classes.c.cooperative_id, classes.c.member_id, classes.c.effective_on,
                     case((func.sum(classes.c.step).over(
                         partition_by=per_member, order_by=classes.c.effective_on) > 0, 1),
                         else_=0).label("holds")).subquery()
    per_member = (counted.c.cooperative_id, counted.c.member_id)
    any_stepped = select(counted.c.cooperative_id, counted.c.effective_on,
                         (counted.c.holds - func.lag(counted.c.holds, 1, 0).over(
                             partition_by=per_member, order_by=counted.c.effective_on))
                         .label("step")).subquery()
    in_any = (select(any_stepped.c.cooperative_id, any_stepped.c.effective_on,
                     literal(ANY_CLASS).label("share_class"),
                     func.sum(any_stepped.c.step).label("holders"))
              .where(any_stepped.c.step != 0)
              .group_by(any_stepped.c.cooperative_id, any_stepped.c.effective_on))
    return union_all(by_class, in_any)


def _steps(session, *where) -> Counter:
    out: Counter = Counter()
    for coop_id, on, share_class, holders in session.execute(holder_steps_query(*where)):
        out[StepKey(coop_id, _as_date(on), share_class)] += int(holders)
    return out


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def sum_key(entry: ShareEntry) -> SumKey:
    return SumKey(entry.cooperative_id, entry.effective_on, entry.share_class,
                  entry.entry_kind, entry.contribution_kind or "", entry.machine_id is not None)


def add_entries(entries: Iterable[ShareEntry], session=None) -> None:
    """Add flushed entries to the sums and the holder steps (same transaction)."""
    session = session if session is not None else db.session
    entries = list(entries)
    if not entries:
        return
    for coop_id in sorted({e.cooperative_id for e in entries}):
        _lock(session, coop_id)
    sums: dict[SumKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in entries:
        figures = sums[sum_key(entry)]
        figures[0] += entry.shares
        figures[1] += entry.value_fen or 0
        figures[2] += entry.land_mu or 0
    _upsert(session, ShareSum, SumKey._fields, [
        key._asdict() | {"shares": s, "value_fen": v, "land_mu": m}
        for key, (s, v, m) in sums.items()])

    e = ShareEntry.__table__
    by_member: dict[tuple[int, int], list[int]] = defaultdict(list)
    for entry in entries:
        by_member[(entry.cooperative_id, entry.member_id)].append(entry.id)
    change: Counter = Counter()
    members = sorted(by_member)
    for start in range(0, len(members), MEMBERS_A_QUERY):
        chunk = members[start:start + MEMBERS_A_QUERY]
        for coop_id in sorted({c for c, _ in chunk}):
            ids = [m for c, m in chunk if c == coop_id]
            new_ids = [i for m in ids for i in by_member[(coop_id, m)]]
            scope = (e.c.cooperative_id == coop_id, e.c.member_id.in_(ids))
            change.update(_steps(session, *scope))
            change.subtract(_steps(session, *scope, e.c.id.not_in(new_ids)))
    _upsert(session, ShareHolderStep, StepKey._fields, [
        key._asdict() | {"holders": n} for key, n in change.items() if n])


@event.listens_for(Session, "after_flush")
def _keep_sums(session: Session, _context) -> None:
    """Every entry the ORM writes, whichever service writes it, is added to
    the sums in the flush that writes it (Core bulk inserts call ``rebuild``)."""
    new = [o for o in session.new if isinstance(o, ShareEntry)]
    if new:
        add_entries(sorted(new, key=lambda e: e.id), session)


def rebuild(coop_id: int | None = None) -> None:
    """Compute the sums and holder steps afresh from the register (of one
    cooperative, or all): after a bulk insert that bypassed the services."""
    e = ShareEntry.__table__
    where = [] if coop_id is None else [e.c.cooperative_id == coop_id]
    sums, steps = ShareSum.__table__, ShareHolderStep.__table__
    for table in (sums, steps):
        db.session.execute(delete(table).where(
            *([] if coop_id is None else [table.c.cooperative_id == coop_id])))
    db.session.execute(sums.insert().from_select(
        ["cooperative_id", "effective_on", "share_class", "entry_kind", "contribution_kind",
         "machine", "shares", "value_fen", "land_mu"],
        fresh_sums_query(*where)))
    db.session.execute(steps.insert().from_select(
        ["cooperative_id", "effective_on", "share_class", "holders"],
        holder_steps_query(*where)))


def fresh_sums_query(*where):
    """The sums straight from the register, in ``share_sums``' shape."""
    e = ShareEntry.__table__
    contribution = func.coalesce(e.c.contribution_kind, "")
    machine = case((e.c.machine_id.is_not(None), True), else_=False)
    return (select(e.c.cooperative_id, e.c.effective_on, e.c.share_class, e.c.entry_kind,
                   contribution, machine, func.sum(e.c.shares), func.sum(e.c.value_fen),
                   func.coalesce(func.sum(e.c.land_mu), 0))
            .where(*where)
            .group_by(e.c.cooperative_id, e.c.effective_on, e.c.share_class, e.c.entry_kind,
                      contribution, machine))


class SumRow(NamedTuple):
    share_class: str
    entry_kind: str
    contribution_kind: str
    machine: bool
    shares: int
    value_fen: int
    land_mu: int


def _sums_on():
    s = ShareSum.__table__
    return (select(s.c.share_class, s.c.entry_kind, s.c.contribution_kind, s.c.machine,
                   func.sum(s.c.shares), func.sum(s.c.value_fen), func.sum(s.c.land_mu))
            .where(s.c.cooperative_id == bindparam("coop_id"), s.c.effective_on <= bindparam("on"))
            .group_by(s.c.share_class, s.c.entry_kind, s.c.contribution_kind, s.c.machine))


def _holders_on():
    h = ShareHolderStep.__table__
    return (select(h.c.share_class, func.sum(h.c.holders))
            .where(h.c.cooperative_id == bindparam("coop_id"), h.c.effective_on <= bindparam("on"))
            .group_by(h.c.share_class))


# built once: the share structure page reads both on every view
_SUMS_ON, _HOLDERS_ON = _sums_on(), _holders_on()


def sums_on(coop_id: int, on: date) -> list[SumRow]:
    """The register's sums on ``on`` by class and kind of entry."""
    rows = db.session.execute(_SUMS_ON, {"coop_id": coop_id, "on": on})
    return [SumRow(c, k, ck, bool(m), int(sh), int(v), int(land))
            for c, k, ck, m, sh, v, land in rows]


def class_totals(coop_id: int, on: date | None = None) -> dict[str, int]:
    """Shares per class (all classes, zeros included) on ``on``, or of every
    entry written so far."""
    s = ShareSum.__table__
    query = (select(s.c.share_class, func.sum(s.c.shares))
             .where(s.c.cooperative_id == coop_id).group_by(s.c.share_class))
    if on is not None:
        query = query.where(s.c.effective_on <= on)
    totals = {sc: 0 for sc in CLASSES}
    for sc, n in db.session.execute(query):
        totals[sc] = int(n)
    return totals


def holders_on(coop_id: int, on: date) -> dict[str, int]:
    """share class (``ANY_CLASS`` for any) -> the members holding shares on ``on``."""
    rows = db.session.execute(_HOLDERS_ON, {"coop_id": coop_id, "on": on})
    return {share_class: int(n) for share_class, n in rows}


class Drift(NamedTuple):
    table: str
    key: tuple
    kept: tuple | None
    fresh: tuple | None


def drift(coop_id: int | None = None) -> list[Drift]:
    """Where the kept sums or holder steps differ from the register read
    afresh (empty when they agree; rows that add up to nothing are ignored)."""
    e = ShareEntry.__table__
    where = [] if coop_id is None else [e.c.cooperative_id == coop_id]
    out = []
    for name, model, fresh_query, width in (
            ("share_sums", ShareSum, fresh_sums_query(*where), 6),
            ("share_holder_steps", ShareHolderStep, holder_steps_query(*where), 3)):
        table = model.__table__
        kept_rows = db.session.execute(select(table).where(
            *([] if coop_id is None else [table.c.cooperative_id == coop_id]))).all()
        kept = _keyed(kept_rows, width)
        fresh = _keyed(db.session.execute(fresh_query).all(), width)
        for key in sorted(set(kept) | set(fresh)):
            if kept.get(key) != fresh.get(key):
                out.append(Drift(name, key, kept.get(key), fresh.get(key)))
    return out


def _keyed(rows, width: int) -> dict[tuple, tuple]:
    out: dict[tuple, list[int]] = {}
    for row in rows:
        key = tuple(_as_date(v) if i == 1 else (bool(v) if i == 5 else v)
                    for i, v in enumerate(row[:width]))
        figures = out.setdefault(key, [0] * (len(row) - width))
        for i, value in enumerate(row[width:]):
            figures[i] += int(value or 0)
    return {k: tuple(v) for k, v in out.items() if any(v)}
