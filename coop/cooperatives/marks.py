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
transactions cannot wait on each other through it."""
from __future__ import annotations

import secrets
from collections import OrderedDict
from itertools import chain
from typing import Callable, Generic, Hashable, Iterable, TypeVar

from sqlalchemy import event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction

from coop.cooperatives.models import CooperativeMark
from coop.extensions import db

T = TypeVar("T")
_MISSING = object()
_WRITTEN = "coop.cooperatives.marks.written"  # session.info: {(cooperative, topic)} to mark
_topics: dict[str, Topic] = {}


class Topic(Generic[T]):
    """The figures read from the rows of ``models`` (each with a
    ``cooperative_id``), kept per cooperative and mark: ``keep`` of them a
    process. ``columns``: the attributes the figures read, when not all:
    an update that changes none of them is not a write of the topic."""

    def __init__(self, name: str, models: tuple[type, ...], keep: int = 64,
                 columns: frozenset[str] | None = None):
        if name in _topics:
            raise ValueError(f"mark topic {name!r} is defined twice")
        self.name, self.models, self.keep, self.columns = name, models, keep, columns
        self._kept: OrderedDict[tuple[int, int, Hashable], T] = OrderedDict()
        _topics[name] = self

    def mark(self, coop_id: int) -> int | None:
        """The cooperative's current mark (None: never written through the ORM)."""
        return db.session.scalar(select(CooperativeMark.mark).where(
            CooperativeMark.cooperative_id == coop_id, CooperativeMark.topic == self.name))

    def written(self, coop_id: int) -> bool:
        """Whether the current transaction has written (and flushed) the
        cooperative's rows of this topic."""
        return (coop_id, self.name) in db.session.info.get(_WRITTEN, ())

    def wrote(self, coop_ids: Iterable[int]) -> None:
        """The current transaction wrote these cooperatives' rows past the
        ORM (bulk statements): their marks are renewed as it commits."""
        db.session.info.setdefault(_WRITTEN, set()).update((c, self.name) for c in coop_ids)

    def get(self, coop_id: int, key: Hashable, read: Callable[[], T]) -> T:
        """The figure ``key`` of the cooperative as of its current mark:
        kept, or ``read()`` (and kept unless the transaction wrote the rows)."""
        mark = self.mark(coop_id)  # flushes first: a pending write is noted before the check below
        if mark is None or self.written(coop_id):
            return read()
        kept_key = (coop_id, mark, key)
        value = self._kept.get(kept_key, _MISSING)
        if value is _MISSING:
            value = self._kept[kept_key] = read()
            while len(self._kept) > self.keep:
                self._kept.popitem(last=False)
        else:
            self._kept.move_to_end(kept_key)
        return value

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
    """The cooperatives a flush writes rows of, per topic, marked at the commit."""
    flushed = chain(((o, False) for o in chain(session.new, session.deleted)),
                    ((o, True) for o in session.dirty))
    written = {(o.cooperative_id, topic.name) for o, updated in flushed
               for topic in _topics.values() if topic.changes(o, updated)}
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
    if not written:
        return
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql"
              else sqlite.insert)(CooperativeMark.__table__)
    session.execute(insert.on_conflict_do_update(
        index_elements=["cooperative_id", "topic"], set_={"mark": insert.excluded.mark}),
        [{"cooperative_id": c, "topic": t, "mark": secrets.randbits(62)} for c, t in written])


@event.listens_for(Session, "after_transaction_end")
def _forget_written(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended (rolled back: nothing to mark). A
    savepoint rolled back leaves what the transaction wrote before it."""
    if transaction.parent is None:
        session.info.pop(_WRITTEN, None)
