"""What the ledger says of a year's business for the member accounts: the
members' transactions with the cooperative apart from the outside clients'
(农民专业合作社法第四十一条), and the state grants and donations received."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import extract, func, select

from coop.extensions import db
from coop.machinery.constants import GRANT_INCOME_KINDS, MachineSource
from coop.machinery.models import Machine, OtherIncome, ServiceOrder
from coop.machinery.periods import in_year


class Business(NamedTuple):
    """Service orders added up: amount (fen), area (hundredths of a mu), orders.
    Reversals count with their negative amount and area, in their own year."""

    amount_fen: int = 0
    area_cmu: int = 0
    orders: int = 0


class BusinessSplit(NamedTuple):
    """A year's service business, member and non-member apart (第四十一条)."""

    members: Business
    nonmembers: Business


def _totals():
    return (func.coalesce(func.sum(ServiceOrder.amount_fen), 0),
            func.coalesce(func.sum(ServiceOrder.area_cmu), 0), func.count(ServiceOrder.id))


def _business(row) -> Business:
    return Business(int(row[0]), int(row[1]), int(row[2]))


def business_split(coop_id: int, year: int) -> BusinessSplit:
    """The year's orders of members and of outside clients, apart."""
    of_year = (ServiceOrder.cooperative_id == coop_id, in_year(ServiceOrder.service_on, year))
    members = db.session.execute(select(*_totals()).where(
        *of_year, ServiceOrder.member_id.is_not(None))).one()
    outside = db.session.execute(select(*_totals()).where(
        *of_year, ServiceOrder.client_id.is_not(None))).one()
    return BusinessSplit(_business(members), _business(outside))


def member_business(coop_id: int, year: int) -> dict[int, Business]:
    """member id -> the member's orders of the year (every member with one)."""
    rows = db.session.execute(
        select(ServiceOrder.member_id, *_totals())
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id.is_not(None),
               in_year(ServiceOrder.service_on, year))
        .group_by(ServiceOrder.member_id))
    return {row[0]: _business(row[1:]) for row in rows}


def member_business_by_year(coop_id: int, member_id: int) -> dict[int, Business]:
    """year -> one member's orders of that year (years with an order only)."""
    year = extract("year", ServiceOrder.service_on)
    rows = db.session.execute(
        select(year, *_totals())
        .where(ServiceOrder.cooperative_id == coop_id, ServiceOrder.member_id == member_id)
        .group_by(year))
    return {int(row[0]): _business(row[1:]) for row in rows}


class GrantsReceived(NamedTuple):
    """A year's state grants and donations, by where the ledger records them."""

    income_fen: int  # other income of the grant and donation kinds, net of reversals
    machines_fen: int  # machines acquired with a government grant, at original value

    @property
    def total_fen(self) -> int:
        return self.income_fen + self.machines_fen


def grants_received(coop_id: int, year: int) -> GrantsReceived:
    """State grants and donations received in ``year``: other income of those
    kinds (net of reversals dated in the year) and the machines acquired in
    the year with a government grant, at their original value."""
    income = db.session.scalar(
        select(func.coalesce(func.sum(OtherIncome.amount_fen), 0))
        .where(OtherIncome.cooperative_id == coop_id, in_year(OtherIncome.received_on, year),
               OtherIncome.kind.in_([kind.value for kind in GRANT_INCOME_KINDS])))
    machines = db.session.scalar(
        select(func.coalesce(func.sum(Machine.original_value_fen), 0))
        .where(Machine.cooperative_id == coop_id, in_year(Machine.acquired_on, year),
               Machine.source == MachineSource.GOVERNMENT_GRANT.value))
    return GrantsReceived(int(income or 0), int(machines or 0))


def grants_received_fen(coop_id: int, year: int) -> int:
    """All the state grants and donations received in ``year``."""
    return grants_received(coop_id, year).total_fen
