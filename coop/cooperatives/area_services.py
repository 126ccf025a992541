"""Keeping the areas: adding one, placing a cooperative in its village.

A cooperative's village area is the truth an overseer's reach is read from;
the charter's 所在村 and 所在镇 are that area's and its township's names, kept
on the cooperative for the pages and papers that print them. A new
cooperative's names find (or create) their township and village;
``assign_area`` moves a cooperative and writes the new names; the charter
cannot change the names apart from the area (``area_name_errors``).
Services flush only."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import func, select

from coop.cooperatives.area_reading import area_by_code
from coop.cooperatives.areas import Area, AreaLevel
from coop.cooperatives.models import Cooperative
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db

CODE_MAX = 32
NAME_MAX = 60
# the level an area's parent must have (a county has none)
PARENT_LEVEL = {AreaLevel.TOWNSHIP.value: AreaLevel.COUNTY.value,
                AreaLevel.VILLAGE.value: AreaLevel.TOWNSHIP.value}


class AreaRow(NamedTuple):
    """An area as the list shows it: its depth (0 for a county) and how many
    cooperatives lie in it (a village's own; above, its villages' together)."""

    area: Area
    depth: int
    cooperatives: int


def _code_error(code: str) -> str | None:
    if not code:
        return "请填写辖区代码"
    if len(code) > CODE_MAX or not code.isascii() or not code.replace("-", "").isalnum():
        return f"辖区代码只能由字母、数字和短横线组成，最多 {CODE_MAX} 位"
    if area_by_code(code) is not None:
        return f"辖区代码 {code} 已存在"
    if db.session.scalar(select(Cooperative.id).where(Cooperative.code == code.lower())) is not None:
        # one login box takes both codes (coop.auth.services.authenticate)
        return f"{code} 已是一个合作社的代码，辖区代码不能与之相同"
    return None


def add_area(code: str, name: str, level: str, parent_code: str | None = None) -> Area:
    """A new area: a county (no parent), a township under a county, a village
    under a township."""
    code, name, parent_code = code.strip().lower(), name.strip(), (parent_code or "").strip()
    errors: dict[str, str] = {}
    if err := _code_error(code):
        errors["code"] = err
    if not name:
        errors["name"] = "请填写辖区名称"
    elif len(name) > NAME_MAX:
        errors["name"] = f"辖区名称不能超过 {NAME_MAX} 个字"
    parent = None
    if level not in set(AreaLevel):
        errors["level"] = "级别应为 county（县、区）、township（乡镇）或 village（村）"
    elif level == AreaLevel.COUNTY and parent_code:
        errors["parent"] = "县（区）是最高一级辖区，不能有上级辖区"
    elif level != AreaLevel.COUNTY:
        if not parent_code:
            errors["parent"] = f"{AreaLevel.label_of(level)}须有上级辖区（--parent）"
        elif (parent := area_by_code(parent_code)) is None:
            errors["parent"] = f"没有代码为 {parent_code} 的上级辖区"
        elif parent.level != PARENT_LEVEL[level]:
            errors["parent"] = (f"{AreaLevel.label_of(level)}的上级应为"
                                f"{AreaLevel.label_of(PARENT_LEVEL[level])}，"
                                f"{parent.name}是{parent.level_label}")
    if not errors and name and _name_taken(parent, name):
        errors["name"] = f"{parent.name if parent else '最高一级'}下已有名为 {name} 的辖区"
    if errors:
        raise ValidationFailed(errors)
    area = Area(code=code, name=name, level=level, parent_id=parent.id if parent else None)
    db.session.add(area)
    db.session.flush()
    return area


def _name_taken(parent: Area | None, name: str) -> bool:
    where = Area.parent_id.is_(None) if parent is None else Area.parent_id == parent.id
    return db.session.scalar(select(Area.id).where(where, Area.name == name)) is not None


def assign_area(coop: Cooperative, area: Area) -> Cooperative:
    """Place ``coop`` in village ``area``: its 所在村 and 所在镇 become the
    village's and its township's names."""
    if area.level != AreaLevel.VILLAGE:
        raise ServiceError(f"合作社只能归属到村一级辖区；{area.name}（{area.code}）是{area.level_label}",
                           field="area")
    coop.area_id = area.id
    coop.area = area
    coop.village = area.name
    coop.town = area.parent.name if area.parent is not None else ""
    db.session.flush()
    return coop


def _next_code(prefix: str) -> str:
    n = db.session.scalar(select(func.count()).select_from(Area)) + 1
    while area_by_code(f"{prefix}{n:04d}") is not None:
        n += 1
    return f"{prefix}{n:04d}"


def _found_or_new(name: str, level: AreaLevel, parent: Area | None, prefix: str) -> Area:
    where = Area.parent_id.is_(None) if parent is None else Area.parent_id == parent.id
    area = db.session.scalar(select(Area).where(where, Area.name == name, Area.level == level.value))
    if area is None:
        area = Area(code=_next_code(prefix), name=name, level=level.value,
                    parent_id=parent.id if parent else None)
        db.session.add(area)
        db.session.flush()
    return area


def village_of_names(town: str, village: str) -> Area | None:
    """A new cooperative's village area from its charter's names (as
    migration 0029 placed the existing ones): the first township named
    ``town``, the village named ``village`` in it; each made when missing,
    with a generated code (T0001, V0001 ...). None without a village name."""
    if not village:
        return None
    township = None
    if town:
        township = db.session.scalar(select(Area).where(
            Area.name == town, Area.level == AreaLevel.TOWNSHIP.value).order_by(Area.id).limit(1))
        if township is None:
            township = _found_or_new(town, AreaLevel.TOWNSHIP, None, "t")
    return _found_or_new(village, AreaLevel.VILLAGE, township, "v")


def area_name_errors(coop: Cooperative, values: dict) -> dict[str, str]:
    """The charter keeps the names of the cooperative's areas: a change is
    refused (the county moves a cooperative: ``flask --app coop area assign``)."""
    if coop.area is None:
        return {}
    town = coop.area.parent.name if coop.area.parent is not None else ""
    hint = "所在村、镇按辖区登记，由县（区）调整（flask --app coop area assign）"
    errors = {}
    if (values.get("village") or "") != coop.area.name:
        errors["village"] = f"{hint}；现为 {coop.area.name}"
    if (values.get("town") or "") != town:
        errors["town"] = f"{hint}；现为 {town or '（无）'}"
    return errors


def area_rows() -> list[AreaRow]:
    """Every area, each under its parent (counties, then areas without a
    parent, in code order)."""
    areas = list(db.session.scalars(select(Area).order_by(Area.code)))
    counts = dict(db.session.execute(
        select(Cooperative.area_id, func.count()).where(Cooperative.area_id.is_not(None))
        .group_by(Cooperative.area_id)).tuples().all())
    children: dict[int | None, list[Area]] = {}
    for area in areas:
        children.setdefault(area.parent_id, []).append(area)

    def total(area: Area) -> int:
        return counts.get(area.id, 0) + sum(total(child) for child in children.get(area.id, []))

    rows: list[AreaRow] = []

    def walk(area: Area, depth: int) -> None:
        rows.append(AreaRow(area, depth, total(area)))
        for child in children.get(area.id, []):
            walk(child, depth + 1)

    for top in children.get(None, []):
        walk(top, 0)
    return rows
