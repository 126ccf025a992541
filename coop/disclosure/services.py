"""Disclosures: the draft of a period computed from the ledger, publishing
it (a snapshot), correcting it, and the state of every period. Services
flush; the request commits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from sqlalchemy import select

from coop import clock
from coop.cooperatives.api import Cooperative, DisclosurePeriod
from coop.disclosure.models import Disclosure
from coop.disclosure.rules import Period, PeriodState, covered, periods_from, publish_error, state_of
from coop.disclosure.statement import Block, Line, MajorItem, Statement
from coop.errors import ServiceError
from coop.extensions import db
from coop.machinery.api import PeriodLedger, first_ledger_day, first_ledger_days, period_ledger
from coop.tenancy import get_owned

SIDES = {"income": "收入", "expense": "支出"}


def _block(ledger: PeriodLedger) -> Block:
    income = [Line(f"作业服务收入·{k.label}", k.amount_fen) for k in ledger.service_income]
    income += [Line(k.label, k.amount_fen) for k in ledger.other_income]
    return Block(income, [Line(k.label, k.amount_fen) for k in ledger.expenses],
                 ledger.depreciation_fen)


def compute(coop: Cooperative, period: Period) -> Statement:
    """The statement of ``period`` as the ledger has it now."""
    threshold = coop.major_item_threshold_fen
    ledger = period_ledger(coop.id, period.starts_on, period.ends_on, threshold)
    ytd = period_ledger(coop.id, period.year_start, period.ends_on)
    return Statement(
        starts_on=period.starts_on, ends_on=period.ends_on,
        period=_block(ledger), year_to_date=_block(ytd),
        received=[Line("作业服务收款", ledger.payments_received_fen),
                  Line("其他收入收款", ledger.other_received_fen)],
        paid=[Line("费用支出", ledger.paid_fen)],
        receivables_fen=ledger.receivables_fen, major_over_fen=threshold,
        major_items=[MajorItem(i.on, SIDES[i.side], i.kind, i.counterparty, i.amount_fen, i.note)
                     for i in ledger.items])


def first_day(coop: Cooperative) -> date:
    """The cooperative's first day: its first ledger entry, or the day it was set up."""
    return _first_day(coop, first_ledger_day(coop.id))


def _first_day(coop: Cooperative, ledger: date | None) -> date:
    set_up = clock.local_day(coop.created_at) or clock.today()
    return min(ledger, set_up) if ledger else set_up


def published(coop_id: int) -> list[Disclosure]:
    """Every published disclosure, newest first (by period, then revision)."""
    return list(db.session.scalars(select(Disclosure).where(Disclosure.cooperative_id == coop_id)
                                   .order_by(Disclosure.ends_on.desc(), Disclosure.starts_on,
                                             Disclosure.revision.desc(), Disclosure.id.desc())))


def superseded_ids(coop_id: int) -> set[int]:
    return set(db.session.scalars(select(Disclosure.corrects_id).where(
        Disclosure.cooperative_id == coop_id, Disclosure.corrects_id.is_not(None))))


def current_of(coop_id: int, period: Period) -> Disclosure | None:
    """The period's disclosure in force: its latest revision."""
    return db.session.scalar(select(Disclosure).where(
        Disclosure.cooperative_id == coop_id, Disclosure.period_kind == period.kind,
        Disclosure.year == period.year, Disclosure.period_no == period.number)
        .order_by(Disclosure.revision.desc()).limit(1))


def correction_of(disclosure: Disclosure) -> Disclosure | None:
    return db.session.scalar(select(Disclosure).where(Disclosure.corrects_id == disclosure.id))


@dataclass(frozen=True)
class PeriodRow:
    """A period of the disclosure page: its state and its disclosure in force."""

    period: Period
    state: PeriodState
    disclosure: Disclosure | None


def period_rows(coop: Cooperative, today: date) -> list[PeriodRow]:
    """The charter's periods from the cooperative's first day to today's, newest first."""
    rows = list(db.session.scalars(select(Disclosure).where(
        Disclosure.cooperative_id == coop.id, Disclosure.published_on <= today)
        .order_by(Disclosure.revision)))
    latest = {row.period: row for row in rows}  # the highest revision of each period
    ranges = [(row.starts_on, row.ends_on) for row in rows]
    return [PeriodRow(period, state, latest.get(period))
            for period, state in reversed(_states(coop, first_day(coop), ranges, today))]


def _states(coop: Cooperative, first: date, ranges: list[tuple[date, date]],
            today: date) -> list[tuple[Period, PeriodState]]:
    """Each of the charter's periods from ``first`` to today's, oldest first,
    with its state given the disclosed ``ranges``."""
    kind = DisclosurePeriod(coop.disclosure_period).value
    return [(period, state_of(period, today, covered(period, ranges)))
            for period in periods_from(kind, first, today)]


def _publish(coop: Cooperative, period: Period, published_on: date | None, user_id: int | None,
             reason: str, corrects: Disclosure | None) -> Disclosure:
    current = current_of(coop.id, period)
    error = publish_error(period, today=clock.today(), published_on=published_on,
                          first_day=first_day(coop),
                          published_before=current.published_on if current else None,
                          reason=reason, correcting=corrects is not None,
                          law=coop.words.disclosure_law, period_law=coop.words.disclosure_period_law)
    if error is None and corrects is not None and current is not None and corrects.id != current.id:
        error = ("_form", f"这份公开已被第 {current.revision} 版更正，请在最新的一版上更正")
    if error is not None:
        raise ServiceError(error[1], field=error[0])
    row = Disclosure(cooperative_id=coop.id, period_kind=period.kind, year=period.year,
                     period_no=period.number, starts_on=period.starts_on, ends_on=period.ends_on,
                     revision=current.revision + 1 if current else 1, published_on=published_on,
                     published_at=clock.utcnow(), published_by_id=user_id,
                     corrects_id=corrects.id if corrects else None,
                     correction_reason=reason.strip()[:200] if corrects else "",
                     major_item_threshold_fen=coop.major_item_threshold_fen,
                     figures=compute(coop, period).as_dict())
    db.session.add(row)
    db.session.flush()
    return row


def publish(coop: Cooperative, period: Period, published_on: date | None,
            user_id: int | None) -> Disclosure:
    """Publish ``period`` from the ledger as it is now; a period already
    published is refused (a correction says why: ``correct``)."""
    return _publish(coop, period, published_on, user_id, "", None)


def correct(coop: Cooperative, disclosure_id: int, published_on: date | None, reason: str | None,
            user_id: int | None) -> Disclosure:
    """A new disclosure of the same period, from the ledger as it is now,
    saying what it corrects and why; the old one stays, superseded."""
    old = get_owned(Disclosure, disclosure_id, coop.id)
    return _publish(coop, old.period, published_on, user_id, reason or "", old)


@dataclass(frozen=True)
class Overdue:
    """A period not disclosed by the 15th day after its end."""

    cooperative_id: int
    period: Period
    due_on: date
    days_late: int

    @property
    def label(self) -> str:
        return self.period.label


def _overdue(coop_id: int, states: list[tuple[Period, PeriodState]], today: date) -> list[Overdue]:
    return [Overdue(coop_id, period, period.due_on, (today - period.due_on).days)
            for period, state in states if state == PeriodState.OVERDUE]


def overdue(cooperative_id: int, today: date) -> list[Overdue]:
    """The cooperative's overdue periods, oldest first."""
    coop = db.session.get(Cooperative, cooperative_id)
    if coop is None:
        return []
    rows = period_rows(coop, today)
    return [Overdue(coop.id, row.period, row.period.due_on, (today - row.period.due_on).days)
            for row in reversed(rows) if row.state == PeriodState.OVERDUE]


def overdue_of(cooperative_ids: Iterable[int], today: date) -> dict[int, list[Overdue]]:
    """cooperative id -> its overdue periods, oldest first, as ``overdue``
    gives them one at a time (cooperatives with none are left out): three
    queries for all of them (the cooperatives, their first ledger days, the
    ranges they have disclosed)."""
    ids = list(cooperative_ids)
    if not ids:
        return {}
    ledger = first_ledger_days(ids)
    ranges: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for coop_id, starts_on, ends_on in db.session.execute(
            select(Disclosure.cooperative_id, Disclosure.starts_on, Disclosure.ends_on)
            .where(Disclosure.cooperative_id.in_(ids), Disclosure.published_on <= today)):
        ranges[coop_id].append((starts_on, ends_on))
    out: dict[int, list[Overdue]] = {}
    for coop in db.session.scalars(select(Cooperative).where(Cooperative.id.in_(ids))):
        states = _states(coop, _first_day(coop, ledger.get(coop.id)), ranges[coop.id], today)
        if late := _overdue(coop.id, states, today):
            out[coop.id] = late
    return out
