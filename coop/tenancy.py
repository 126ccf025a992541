"""The one guard between cooperatives: every record a request or a service
loads by id comes through ``get_owned``, which hands it out only to its own
cooperative. Nothing else in the app compares a record's ``cooperative_id``
with the caller's by hand (tests/test_tenant_guard.py keeps it so)."""
from __future__ import annotations

from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm.util import identity_key

from coop.database import MAX_ID, parse_id
from coop.errors import RecordNotFound
from coop.extensions import db


class Owned(Protocol):
    cooperative_id: Any


T = TypeVar("T", bound=Owned)


def find_owned(model: type[T], record_id: Any, coop_id: int | None) -> T | None:
    """The record of ``model`` with id ``record_id`` if it belongs to cooperative
    ``coop_id``; None when the id is not an id, is missing, or is another
    cooperative's (the two are indistinguishable on purpose)."""
    if isinstance(record_id, bool):
        record_id = None
    elif isinstance(record_id, int):
        record_id = record_id if 0 < record_id <= MAX_ID else None
    else:
        record_id = parse_id(record_id) if isinstance(record_id, str) else None
    if record_id is None or coop_id is None:
        return None
    if identity_key(model, record_id) in db.session.identity_map:
        record = db.session.get(model, record_id)  # the session's own, refreshed if expired
    else:
        record = db.session.execute(_by_id(model), {"record_id": record_id}).unique().scalar_one_or_none()
    if record is None or record.cooperative_id != coop_id:
        return None
    return record


@cache
def _by_id(model: type) -> Any:
    """The statement loading a record of ``model`` by its id, built once for
    each model: ``Session.get`` builds its statement anew for every record it
    reads from the database, about half of the time a record's load takes
    (issue 19)."""
    return select(model).where(inspect(model).primary_key[0] == bindparam("record_id"))


def get_owned(model: type[T], record_id: Any, coop_id: int | None) -> T:
    """Like ``find_owned`` but raises ``RecordNotFound`` (a 404 in a request)."""
    record = find_owned(model, record_id, coop_id)
    if record is None:
        raise RecordNotFound(model.__name__)
    return record
