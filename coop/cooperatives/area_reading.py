"""An area by its code, and the cooperatives an area holds as records (its
own villages' and those of every area below it, coop.cooperatives.area_scope)."""
from __future__ import annotations

from sqlalchemy import func, select

from coop.cooperatives.area_scope import cooperatives_under_query
from coop.cooperatives.areas import Area
from coop.cooperatives.models import Cooperative
from coop.extensions import db


def area_by_code(code: str) -> Area | None:
    """The area of ``code`` in any case (codes are kept in lower case, like
    cooperatives' codes; an older one typed in capitals still matches)."""
    return db.session.scalar(select(Area).where(func.lower(Area.code) == (code or "").strip().lower()))


def cooperatives_under(area_id: int) -> list[Cooperative]:
    """Every cooperative whose village lies in area ``area_id``, by code."""
    return list(db.session.scalars(
        select(Cooperative).where(Cooperative.id.in_(cooperatives_under_query(area_id)))
        .order_by(Cooperative.code)))
