"""Which areas and cooperatives lie under an area: the area itself and all
its descendants (county > township > village), found by one recursive query
over ``areas.parent_id`` (indexed), and the cooperatives whose village is one
of them (``cooperatives.area_id``, indexed). What an overseer of the area
reads, and what the overview adds up."""
from __future__ import annotations

from sqlalchemy import Select, select

from coop.cooperatives.areas import Area
from coop.cooperatives.models import Cooperative
from coop.extensions import db


def areas_under_query(area_id: int) -> Select:
    """SQL: the ids of ``area_id`` and every area below it."""
    tree = select(Area.id).where(Area.id == area_id).cte("area_tree", recursive=True)
    tree = tree.union_all(select(Area.id).where(Area.parent_id == tree.c.id))
    return select(tree.c.id)


def cooperatives_under_query(area_id: int) -> Select:
    """SQL: the ids of the cooperatives in ``area_id`` or any area below it."""
    return select(Cooperative.id).where(Cooperative.area_id.in_(areas_under_query(area_id)))


def cooperative_ids_under(area_id: int) -> list[int]:
    return list(db.session.scalars(cooperatives_under_query(area_id).order_by(Cooperative.id)))


def is_under(area_id: int, cooperative_id: int) -> bool:
    """The cooperative lies in the area or below it."""
    return db.session.scalar(
        cooperatives_under_query(area_id).where(Cooperative.id == cooperative_id)) is not None
