"""Figures read from a cooperative's rows, kept in the process until a
transaction writes those rows again (issue 19: the roster's households, the
order list's counts).

A ``Topic`` names the models whose rows its figures are read from (and,
if it is told, the columns: an update that changes none of them leaves the
mark, as a new phone number leaves the roster's counts). Every
transaction that writes one of them through the ORM, or says it wrote them
past the ORM (``Topic.wrote``: bulk statements, which no flush sees), gives
the cooperative a new random mark for the topic in ``cooperative_marks`` as
it commits. Figures are kept per (cooperative, mark, key), a few per
process, and read again once the mark has changed. The mark is read before
the figures in the same transaction, so kept figures are never older than
their mark. Nothing is kept, and every figure is read afresh, for a
cooperative without a mark (rows loaded in bulk past the ORM) and inside a
transaction that has written the topic's rows (the figures it would keep
are not committed, and may never be).

The marks are written last thing before the commit of the outermost
transaction, in the order of (cooperative, topic): a mark's row is locked
(PostgreSQL) only from there to the commit, after every other lock the
transaction takes (the share register's advisory lock among them), so two
transactions cannot wait on each other through it.

A topic may also have its writers carry its figures forward (``Carry``):
the committing transaction locks the mark's row, adds the rows it inserted
to the figures kept there (or counts afresh when it updated or deleted
rows, wrote past the ORM, or found no figures), and stores them with its
new mark. Readers then take them from the mark's row: no process counts
again after another's write (the roster's counts after a new member: 23 ms
at 100,000 members). A writer past the ORM that knows by how much it moved
a carried count says so (``Topic.shifted``: a payment that settles an
order takes it out of the owing orders' count) instead of having it
counted afresh."""
from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass
from itertools import chain
from typing import Any, Callable, Generic, Hashable, Iterable, TypeVar

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from coop.cooperatives.models import CooperativeMark
from coop.extensions import db

T = TypeVar("T")
_MISSING = object()
_WRITTEN = "coop.cooperatives.marks.written"  # session.info: {(cooperative, topic)} to mark
# session.info, carried topics only: {(cooperative, topic): [rows inserted]}, and
# {(cooperative, topic)} whose rows were also updated, deleted or written past the ORM
_INSERTED = "coop.cooperatives.marks.inserted"
_RECOUNT = "coop.cooperatives.marks.recount"
# session.info, carried topics only: {(cooperative, topic): {key: change}} (Topic.shifted)
_SHIFTED = "coop.cooperatives.marks.shifted"
# session.info: {(cooperative, topic): its mark's row as the transaction first read it}
_READ = "coop.cooperatives.marks.read"
_topics: dict[str, Topic] = {}
# built once: every page with kept figures reads its cooperative's mark
_MARK_AND_FIGURES = select(CooperativeMark.mark, CooperativeMark.figures).where(
    CooperativeMark.cooperative_id == bindparam("coop_id"), CooperativeMark.topic == bindparam("topic"))
_MARK = _MARK_AND_FIGURES.with_only_columns(CooperativeMark.mark)
# and every commit that wrote a topic's rows writes its mark with these
_FIGURES_LOCKED = _MARK_AND_FIGURES.with_only_columns(CooperativeMark.figures).with_for_update()
_NEW_MARK = update(CooperativeMark.__table__).where(
    CooperativeMark.cooperative_id == bindparam("coop_id"),
    CooperativeMark.topic == bindparam("of_topic")).values(mark=bindparam("new_mark"),
                                                          figures=bindparam("new_figures"))
_FIRST_MARK = {dialect: insert(CooperativeMark.__table__).on_conflict_do_nothing()
               for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))}


@dataclass(frozen=True)
class Carry(Generic[T]):
    """How the writers of a topic carry some of its figures forward:
    ``count`` reads afresh the figures to carry, by key, the keys ``keys``
    gives (figures kept without one of them are counted afresh); ``add``
    gives one figure with the rows one transaction inserted (committed rows
    and its own are visible), or None to have them all counted; ``key`` and
    ``unkey`` name a key in JSON and back; ``dump`` and ``load`` a figure."""

    keys: Callable[[], frozenset[Hashable]]
    count: Callable[[int], dict[Hashable, T]]
    add: Callable[[int, Hashable, T, list[Any]], T | None]
    key: Callable[[Hashable], str]
    unkey: Callable[[str], Hashable]
    dump: Callable[[T], Any]
    load: Callable[[Any], T]


class Topic(Generic[T]):
    """The figures read from the rows of ``models`` (each with a
    ``cooperative_id``), kept per cooperative and mark: ``keep`` of them a
    process. ``columns``: the attributes the figures read, when not all:
    an update that changes none of them is not a write of the topic.
    ``carry``: the writers carry some figures forward with the mark."""

    def __init__(self, name: str, models: tuple[type, ...], keep: int = 64,
                 columns: frozenset[str] | None = None, carry: Carry[T] | None = None):
        if name in _topics:
            raise ValueError(f"mark topic {name!r} is defined twice")
        self.name, self.models, self.keep, self.columns = name, models, keep, columns
        self.carry = carry
        self._kept: OrderedDict[tuple[int, int, Hashable], T] = OrderedDict()
        _topics[name] = self

    def mark(self, coop_id: int) -> int | None:
        """The cooperative's current mark (None: never written through the ORM)."""
        return db.session.scalar(_MARK, {"coop_id": coop_id, "topic": self.name})

    def written(self, coop_id: int) -> bool:
        """Whether the current transaction has written (and flushed) the
        cooperative's rows of this topic."""
        return (coop_id, self.name) in db.session.info.get(_WRITTEN, ())

    def wrote(self, coop_ids: Iterable[int]) -> None:
        """The current transaction wrote these cooperatives' rows past the
        ORM (bulk statements): their marks are renewed as it commits (and
        carried figures counted afresh)."""
        pairs = {(c, self.name) for c in coop_ids}
        db.session.info.setdefault(_WRITTEN, set()).update(pairs)
        if self.carry is not None:
            db.session.info.setdefault(_RECOUNT, set()).update(pairs)

    def shifted(self, coop_id: int, key: Hashable, change: int) -> None:
        """The current transaction moved the carried count ``key`` of the
        cooperative by ``change`` past the ORM: the mark is renewed as it
        commits, and the count kept with the mark moves by ``change``. Inside
        a savepoint (which may yet be rolled back) the figures are counted
        afresh instead."""
        if self.carry is None or db.session().in_nested_transaction():
            self.wrote([coop_id])
            return
        pair = (coop_id, self.name)
        db.session.info.setdefault(_WRITTEN, set()).add(pair)
        shifts = db.session.info.setdefault(_SHIFTED, {}).setdefault(pair, {})
        shifts[key] = shifts.get(key, 0) + change

    def get(self, coop_id: int, key: Hashable, read: Callable[[], T]) -> T:
        """The figure ``key`` of the cooperative as of its current mark:
        kept, carried with the mark, or ``read()`` (and kept unless the
        transaction wrote the rows)."""
        row = self._first_read(coop_id)
        if row is None or self.written(coop_id):
            return read()
        mark, figures = row[0], (row[1] if self.carry is not None else None)
        kept_key = (coop_id, mark, key)
        value = self._kept.get(kept_key, _MISSING)
        if value is _MISSING:
            name = self.carry.key(key) if figures else None
            value = self._kept[kept_key] = (
                self.carry.load(figures[name]) if name in (figures or ()) else read())
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(kept_key)
        return value

    def _first_read(self, coop_id: int):
        """The cooperative's mark and carried figures as the transaction
        first read them (a page asks for several figures of one topic). The
        session is flushed first, as the read itself would: a pending write
        is noted before the caller asks whether the topic was written."""
        read = db.session.info.setdefault(_READ, {})
        pair = (coop_id, self.name)
        if pair in read:
            if db.session.autoflush:
                db.session.flush()
        else:
            read[pair] = db.session.execute(
                _MARK_AND_FIGURES, {"coop_id": coop_id, "topic": self.name}).first()
        return read[pair]

    def changes(self, obj: object, updated: bool) -> bool:
        """Whether flushing ``obj`` (an update when ``updated``, else an
        insert or delete) writes what this topic's figures read."""
        if not isinstance(obj, self.models) or obj.cooperative_id is None:
            return False
        if not updated or self.columns is None:
            return True
        attrs = inspect(obj).attrs
        return any(attrs[name].history.has_changes() for name in self.columns)

    def kept(self, coop_id: int, mark: int, key: Hashable = None) -> T | None:
        """What this process keeps of ``key`` for the cooperative's ``mark``, if anything."""
        return self._kept.get((coop_id, mark, key))


@event.listens_for(Session, "after_flush")
def _note_written(session: Session, _context) -> None:
    """The cooperatives a flush writes rows of, per topic, marked at the
    commit; for a carried topic, the rows it inserts and whether it did more."""
    flushed = chain(((o, False, True) for o in session.new),
                    ((o, False, False) for o in session.deleted),
                    ((o, True, False) for o in session.dirty))
    written = set()
    for o, updated, new in flushed:
        for topic in _topics.values():
            if not topic.changes(o, updated):
                continue
            pair = (o.cooperative_id, topic.name)
            written.add(pair)
            if topic.carry is None:
                continue
            if new:
                session.info.setdefault(_INSERTED, {}).setdefault(pair, []).append(o)
            else:
                session.info.setdefault(_RECOUNT, set()).add(pair)
    if written:
        session.info.setdefault(_WRITTEN, set()).update(written)


@event.listens_for(Session, "before_commit")
def _renew_marks(session: Session) -> None:
    """A new mark for each (cooperative, topic) the transaction wrote, once
    its outermost transaction commits (a savepoint's release is not the
    end: the rows are not committed yet)."""
    if session.in_nested_transaction():
        return
    session.flush()
    written = sorted(session.info.pop(_WRITTEN, ()))
    inserted = session.info.pop(_INSERTED, {})
    recount = session.info.pop(_RECOUNT, set())
    shifted = session.info.pop(_SHIFTED, {})
    if not written:
        return
    insert = _FIRST_MARK[session.get_bind().dialect.name]
    for coop_id, name in written:
        session.connection().execute(insert, {"cooperative_id": coop_id, "topic": name, "mark": 0})
        _renew(session, coop_id, _topics[name],
               None if (coop_id, name) in recount else inserted.get((coop_id, name), []),
               shifted.get((coop_id, name), {}))


def _renew(session: Session, coop_id: int, topic: Topic, inserted: list | None,
           shifts: dict[Hashable, int]) -> None:
    """A new mark for the cooperative's ``topic`` (its row exists), with the
    figures the topic carries: those kept there with the ``inserted`` rows
    added (None: not only inserts) and moved by ``shifts``, or counted
    afresh. A carried topic's figures are read after its row is locked: a
    transaction that wrote before has committed, and its rows are counted
    (each statement of PostgreSQL's READ COMMITTED sees what is committed
    when it starts)."""
    where = {"coop_id": coop_id, "topic": topic.name}
    figures = None
    if topic.carry is not None:
        kept = session.scalar(_FIGURES_LOCKED, where)
        figures = _carried(coop_id, topic.carry, kept, inserted, shifts)
    session.connection().execute(_NEW_MARK, {"coop_id": coop_id, "of_topic": topic.name,
                                             "new_mark": secrets.randbits(62),
                                             "new_figures": figures})


def _carried(coop_id: int, carry: Carry, kept: dict | None, inserted: list | None,
             shifts: dict[Hashable, int]) -> dict:
    """The figures to keep with the new mark, as JSON."""
    figures = None
    known = _known(carry, kept) if kept is not None and inserted is not None else None
    if known is not None and carry.keys() <= known.keys():
        # rows inserted inside a savepoint rolled back since are not in the table
        rows = [o for o in inserted if inspect(o).persistent]
        figures = {}
        for key, value in known.items():
            added = carry.add(coop_id, key, value, rows)
            if added is None:
                figures = None
                break
            figures[key] = added + shifts[key] if key in shifts else added
    if figures is None:
        figures = carry.count(coop_id)
    return {carry.key(key): carry.dump(value) for key, value in figures.items()}


def _known(carry: Carry, kept: dict) -> dict | None:
    """The kept figures by key, or None when one is kept under a name this
    release cannot read (a later release's figure, left by going back to
    this one): they are all counted afresh."""
    try:
        return {carry.unkey(name): carry.load(value) for name, value in kept.items()}
    except ValueError:
        return None


@event.listens_for(Session, "after_transaction_end")
def _forget_written(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended (rolled back: nothing to mark). A
    savepoint rolled back leaves what the transaction wrote before it."""
    if transaction.parent is None:
        for key in (_WRITTEN, _INSERTED, _RECOUNT, _SHIFTED, _READ):
            session.info.pop(key, None)
