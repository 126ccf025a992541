"""The yearly price list of the services: a member price and a market price
per mu."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, select

from coop.cooperatives.api import is_year_locked
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.limits import MAX_PRICE_FEN
from coop.machinery.constants import Service
from coop.machinery.models import ServicePrice


class PricePair(NamedTuple):
    """A service's prices in fen per mu; both None to take it off the list."""

    member_fen: int | None
    market_fen: int | None


def prices_for_year(coop_id: int, year: int) -> dict[str, ServicePrice]:
    return {p.service: p for p in db.session.scalars(select(ServicePrice).where(
        ServicePrice.cooperative_id == coop_id, ServicePrice.year == year))}


# built once: every order entered and every quote as the clerk types reads it
_PRICE = select(ServicePrice).where(
    ServicePrice.cooperative_id == bindparam("coop_id"), ServicePrice.year == bindparam("year"),
    ServicePrice.service == bindparam("service"))


def price_for(coop_id: int, year: int, service: str, is_member: bool) -> int | None:
    price = db.session.scalar(_PRICE, {"coop_id": coop_id, "year": year, "service": service})
    if price is None:
        return None
    return price.member_price_fen if is_member else price.market_price_fen


def _price_errors(rows: dict[str, PricePair]) -> dict[str, str]:
    errors = {}
    for service, (member_fen, market_fen) in rows.items():
        if service not in Service._value2member_map_:
            raise ServiceError("未知的作业项目")
        label = Service(service).label
        if (member_fen is None) != (market_fen is None):
            errors[f"{service}-member" if member_fen is None else f"{service}-market"] = \
                f"{label}：成员价和市场价要么都填，要么都不填"
        for suffix, value in (("member", member_fen), ("market", market_fen)):
            if value is not None and not 0 <= value <= MAX_PRICE_FEN:
                errors[f"{service}-{suffix}"] = f"{label}：单价应在 0 到 10,000 元/亩之间"
    return errors


def set_prices(coop_id: int, year: int, rows: dict[str, PricePair]) -> None:
    """rows: service -> (member price, market price) in fen per mu; a service
    with both prices empty is removed from the list."""
    if is_year_locked(coop_id, year):
        raise ServiceError(f"{year} 年度已结账锁定，价格表不能再修改")
    if errors := _price_errors(rows):
        raise ValidationFailed(errors)
    existing = prices_for_year(coop_id, year)
    for service, (member_fen, market_fen) in rows.items():
        row = existing.get(service)
        if member_fen is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            db.session.add(ServicePrice(cooperative_id=coop_id, year=year, service=service,
                                        member_price_fen=member_fen, market_price_fen=market_fen))
        elif (row.member_price_fen, row.market_price_fen) != (member_fen, market_fen):
            row.member_price_fen, row.market_price_fen = member_fen, market_fen
    db.session.flush()
