"""Audit by construction: a flush listener records every insert, update and
delete of a model that declares ``__audit_label__``, in the same transaction.

A model may declare ``__audit_exclude__`` (columns whose values are never
written, e.g. password hashes), ``__audit_ignore__`` (columns that are not
record changes at all, e.g. the time of the last login: a change of those
alone writes no entry), ``__audit_labels__`` (how the log page reads its
columns, ``coop.audit.labels``) and ``__audit_mask__`` (column -> function
giving the value as the log keeps it, e.g. a masked resident ID: reviewers
read the log, so it holds no more than the pages show). A new row with a
non-empty ``reverses_id`` is recorded as a reversal. The actor is the logged-in user, or the user set with
``acting_as`` (CLI), or nobody (system).
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Callable, Iterator

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, func, inspect, insert, select
from sqlalchemy.orm import Session

from coop import clock
from coop.audit import labels
from coop.audit.models import AuditEntry
from coop.errors import Change, StaleRecordError
from coop.extensions import db
from coop.paging import Page

_ACTOR_KEY = "coop_audit_actor_id"
_INSERT_ENTRIES = insert(AuditEntry.__table__)  # built once: every audited write runs it


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _is_audited(obj: Any) -> bool:
    return getattr(type(obj), "__audit_label__", None) is not None


def _shown(obj: Any, key: str, value: Any) -> Any:
    """``value`` of column ``key`` as the log keeps it (excluded, masked or as is)."""
    if key in getattr(type(obj), "__audit_exclude__", frozenset()):
        return "***"
    mask = getattr(type(obj), "__audit_mask__", {}).get(key)
    if mask is not None and value is not None:
        return mask(value)
    return _jsonable(value)


def _ignored(obj: Any) -> frozenset[str]:
    return getattr(type(obj), "__audit_ignore__", frozenset())


def _column_values(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    ignored = _ignored(obj)
    return {attr.key: _shown(obj, attr.key, getattr(obj, attr.key))
            for attr in state.mapper.column_attrs if attr.key not in ignored}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    ignored = _ignored(obj)
    for attr in state.mapper.column_attrs:
        if attr.key in ignored:
            continue
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        before[attr.key] = _shown(obj, attr.key, old)
        after[attr.key] = _shown(obj, attr.key, new)
    return before, after


def _actor_id(session: Session) -> int | None:
    if _ACTOR_KEY in session.info:
        return session.info[_ACTOR_KEY]
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _coop_id(obj: Any) -> int | None:
    if type(obj).__tablename__ == "cooperatives":
        return obj.id
    return getattr(obj, "cooperative_id", None)


def _record_id(obj: Any) -> str:
    # a row inserted in this flush has no identity key until after the flush:
    # read its primary key from the instance (set by the INSERT)
    state = inspect(obj)
    key = state.identity or state.mapper.primary_key_from_instance(obj)
    return ",".join(str(v) for v in key if v is not None)


def _after_flush(session: Session, _ctx) -> None:
    rows = []
    now = clock.utcnow()
    actor = _actor_id(session)
    for obj in session.new:
        if _is_audited(obj):
            action = "reverse" if getattr(obj, "reverses_id", None) else "create"
            rows.append((obj, action, None, _column_values(obj)))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                version_col = inspect(obj).mapper.version_id_col
                if version_col is not None:  # set by the mapper, not seen in history
                    key = inspect(obj).mapper.get_property_by_column(version_col).key
                    after[key] = getattr(obj, key)
                rows.append((obj, "update", before, after))
    for obj in session.deleted:
        if _is_audited(obj):
            rows.append((obj, "delete", _column_values(obj), None))
    if not rows:
        return
    session.connection().execute(
        _INSERT_ENTRIES,
        [
            {
                "cooperative_id": _coop_id(obj),
                "user_id": actor,
                "at": now,
                "action": action,
                "record_type": type(obj).__tablename__,
                "record_id": _record_id(obj),
                "before": before,
                "after": after,
            }
            for obj, action, before, after in rows
        ],
    )


def register_audit_listener() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


@contextlib.contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    """Attribute the writes inside the block to ``user_id`` (for the CLI)."""
    had = _ACTOR_KEY in db.session.info
    old = db.session.info.get(_ACTOR_KEY)
    db.session.info[_ACTOR_KEY] = user_id
    try:
        yield
    finally:
        if had:
            db.session.info[_ACTOR_KEY] = old
        else:
            db.session.info.pop(_ACTOR_KEY, None)


def record_type_labels() -> dict[str, str]:
    """table name -> Chinese label, for every audited model."""
    labels = {}
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        label = getattr(cls, "__audit_label__", None)
        if label:
            labels[cls.__tablename__] = label
    return dict(sorted(labels.items(), key=lambda kv: kv[1]))


def _updates_since(record_type: str, record_id: str, version: int) -> list[AuditEntry]:
    """The record's updates that made versions after ``version``, oldest
    first: read newest first, a few at a time, up to the update that made
    ``version`` (a record's log only grows; a member edited every few
    seconds by the load test had hundreds of entries, all read for each
    refusal: 48.6 ms a request, issue 19)."""
    result = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.record_type == record_type, AuditEntry.record_id == record_id,
               AuditEntry.action == "update")
        .order_by(AuditEntry.id.desc()).execution_options(yield_per=20))
    newer: list[AuditEntry] = []
    try:
        for entry in result:
            made = (entry.after or {}).get("version")
            if made is None:
                continue
            if made <= version:
                break
            newer.append(entry)
    finally:
        result.close()
    return newer[::-1]


def check_version(obj: Any, expected_version: int | None,
                  describe: Callable[[str, Any], tuple[str, str]]) -> None:
    """Refuse to save over changes made since ``expected_version`` was loaded.

    ``describe(field, value)`` gives (label, shown value) for a column. The
    refusal lists each change from the audit log: who, when, before, after.
    """
    if expected_version is None or expected_version == obj.version:
        return
    changes: list[Change] = []
    for entry in _updates_since(type(obj).__tablename__, _record_id(obj), expected_version):
        who = entry.user.display_name if entry.user else "系统"
        for field, new in entry.after.items():
            if field == "version":
                continue
            label, shown_new = describe(field, new)
            _, shown_old = describe(field, (entry.before or {}).get(field))
            changes.append(Change(field, label, shown_old, shown_new, who,
                                  clock.local(entry.at).strftime("%Y-%m-%d %H:%M")))
    raise StaleRecordError(changes, obj.version)


def audited_model(record_type: str) -> Any:
    """The audited model whose table is ``record_type`` (None if none is)."""
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if getattr(cls, "__audit_label__", None) and cls.__tablename__ == record_type:
            return cls
    return None


# the columns that name a record, in order of preference (a model without
# any may name its rows itself: ``audit_title``)
TITLE_COLUMNS = ("name", "title", "order_no", "display_name", "member_no", "audit_title")


# entries about many rows at once name their parent instead of a row id
PARENT_LABELS = {"plan": "分红方案"}


@dataclass(frozen=True)
class Row:
    """One entry as the log page shows it."""

    entry: AuditEntry
    record_label: str
    title: str  # the record's name (a member's, an order's number...), "" if it has none
    before: list[labels.Shown]
    after: list[labels.Shown]

    @property
    def reference(self) -> str:
        """'#12' for one record; an entry about many rows of one parent says
        whose ('plan 3': the lines of plan 3)."""
        record_id = self.entry.record_id
        parent, _, number = record_id.partition(" ")
        if number.isdigit() and parent in PARENT_LABELS:
            return f"（{PARENT_LABELS[parent]} #{number}）"
        return f"#{record_id}"


def _title(values: Any) -> str:
    for key in TITLE_COLUMNS:
        value = values.get(key) if isinstance(values, dict) else getattr(values, key, None)
        if value:
            return str(value)
    return ""


def _names(wanted: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """(table, id) -> the record's name now (``TITLE_COLUMNS``), one query a
    table, for the audited tables of ``wanted`` (table -> ids)."""
    out = {}
    for record_type, ids in wanted.items():
        model = audited_model(record_type)
        if model is None or not any(hasattr(model, key) for key in TITLE_COLUMNS):
            continue
        for row in db.session.scalars(select(model).where(model.id.in_(ids))):
            if title := _title(row):
                out[(record_type, row.id)] = title
    return out


def _wanted(entries: list[AuditEntry]) -> dict[str, set[int]]:
    """table -> the ids the entries name: their own records, and those their
    values refer to (a reviewer, a member, a meeting...)."""
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.record_id.isdigit():
            wanted.setdefault(e.record_type, set()).add(int(e.record_id))
        model = audited_model(e.record_type)
        if model is None:
            continue
        columns = model.__table__.c
        for values in (e.before or {}, e.after or {}):
            for key, value in values.items():
                table = labels.referenced_table(columns.get(key))
                if table is not None and isinstance(value, int) and not isinstance(value, bool):
                    wanted.setdefault(table, set()).add(value)
    return wanted


def readable(entry: AuditEntry, record_labels: dict[str, str], title: str = "",
             names: dict[tuple[str, int], str] | None = None) -> Row:
    model = audited_model(entry.record_type)
    after = labels.show(model, entry.after, names)
    if entry.before is None:  # a new record: what it was given, not every empty column
        after = [f for f in after if f.value not in (labels.EMPTY, labels.WITHHELD)]
    return Row(entry, record_labels.get(entry.record_type, entry.record_type),
               title or _title(entry.after or entry.before or {}),
               labels.show(model, entry.before, names), after)


def browse(cooperative_id: int, user_id: int | None = None, record_type: str | None = None,
           date_from: date | None = None, date_to: date | None = None,
           page: int = 1, per_page: int = 50) -> Page:
    """One page of a cooperative's audit log, newest first, each entry readable."""
    where = [AuditEntry.cooperative_id == cooperative_id]
    if user_id:
        where.append(AuditEntry.user_id == user_id)
    if record_type:
        where.append(AuditEntry.record_type == record_type)
    # the days are Beijing days; the log keeps UTC
    if date_from:
        where.append(AuditEntry.at >= clock.utc_start_of(date_from))
    if date_to:
        where.append(AuditEntry.at < clock.utc_start_of(date_to + timedelta(days=1)))
    total = db.session.scalar(select(func.count(AuditEntry.id)).where(*where)) or 0
    page = max(1, page)
    entries = db.session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id.desc())
                                 .limit(per_page).offset((page - 1) * per_page)).all()
    record_labels = record_type_labels()
    names = _names(_wanted(list(entries)))
    return Page([readable(e, record_labels,
                          names.get((e.record_type, int(e.record_id)), "") if e.record_id.isdigit() else "",
                          names)
                 for e in entries], page, per_page, total)
