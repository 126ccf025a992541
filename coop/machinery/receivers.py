"""The machinery ledger's answers to governance's signals
(coop.governance.vote_sources): governance sits below the ledger and cannot
ask it directly. Connected when the module is imported, which the app
factory does for every domain's ``receivers`` module (coop.domains)."""
from __future__ import annotations

from datetime import date

from flask import g, url_for
from sqlalchemy import select

from coop import clock
from coop.auth.api import User
from coop.cooperatives.api import (ACCOUNTANT, SECRETARY, SUPERVISOR, ChecklistStep, Cooperative,
                                   KeyFigure, StepState, YearReopening, checklist_requested,
                                   figures_requested, state_of, step_records)
from coop.extensions import db
from coop.governance.api import MemberTransactions, vote_basis_requested
from coop.machinery.models import ServiceOrder
from coop.machinery.order_figures import owed_fen
from coop.machinery.periods import get_year_close, in_year
from coop.machinery.reopening import ReopenStatus
from coop.machinery.years import member_transactions, year_figures
from coop.money import format_yuan

OFFICE = frozenset({SECRETARY, ACCOUNTANT})


def _outstanding_fen(coop_id: int) -> int:
    """Billed less received, reversals included (``order_figures.owed_fen``,
    carried with the order mark). Read once a request: the home page's
    checklist and key figures both show it."""
    read = g.setdefault("outstanding_fen", {})
    if coop_id not in read:
        read[coop_id] = owed_fen(coop_id)
    return read[coop_id]


@checklist_requested.connect
def ledger_steps(coop: Cooperative, *, year: int, today: date, **_: object) -> list[ChecklistStep]:
    """This season's orders and payments, what is still owed, and the close of
    the year just ended (due by 31 March, before its plan is computed)."""
    done = step_records(ServiceOrder.service_on, select(ServiceOrder.id).where(
        ServiceOrder.cooperative_id == coop.id, in_year(ServiceOrder.service_on, year)), "单")
    owed = _outstanding_fen(coop.id)
    closed = get_year_close(coop.id, year - 1)
    closed_on = clock.local_day(closed.closed_at) if closed else None
    due = date(year, 3, 31)
    return [
        ChecklistStep(50, f"{year} 年作业订单与收款", StepState.DONE if done.note else StepState.TODO,
                      done.last, url_for("machinery.orders"), OFFICE, note=done.note),
        ChecklistStep(55, "应收款清收", StepState.DONE if owed <= 0 else StepState.TODO, None,
                      url_for("machinery.receivables"), frozenset({ACCOUNTANT}),
                      note=f"未收 {format_yuan(owed)} 元" if owed > 0 else "无未收款"),
        ChecklistStep(60, f"{year - 1} 年度结账",
                      state_of(closed_on, due, today), closed_on or due, url_for("machinery.years"),
                      OFFICE),
    ]


@checklist_requested.connect
def reopen_waiting(coop: Cooperative, **_: object) -> list[ChecklistStep]:
    """A request to reopen a closed year waits for the supervisor's
    confirmation (or refusal): it is on their list, whatever the year."""
    waiting = db.session.scalars(select(YearReopening).where(
        YearReopening.cooperative_id == coop.id, YearReopening.status == ReopenStatus.PENDING)
        .order_by(YearReopening.year)).all()
    steps = []
    for request in waiting:
        asked = db.session.get(User, request.requested_by_id) if request.requested_by_id else None
        who = f"{asked.display_name} " if asked else ""
        steps.append(ChecklistStep(
            62, f"{request.year} 年度重新开账申请：待监事确认", StepState.TODO, None,
            url_for("machinery.year_detail", year=request.year, _anchor="reopen-pending"),
            frozenset({SUPERVISOR}),
            note=f"{who}{clock.local_day(request.requested_at):%Y-%m-%d} 申请，原因：{request.reason}"))
    return steps


@figures_requested.connect
def ledger_figures(coop: Cooperative, *, year: int, **_: object) -> list[KeyFigure]:
    figures = year_figures(coop.id, year, kept=True)
    income = figures.service_income_fen + figures.other_income_fen + figures.nondistributable_income_fen
    # the years page's words: with last year's surplus or loss carried in,
    # the figure is not this year's result alone
    carried = figures.carried_surplus_fen or figures.carried_loss_fen
    surplus = f"{year} 年可分配盈余（至今，含上年结转）" if carried else f"{year} 年盈余（至今）"
    return [KeyFigure(40, "income", f"{year} 年收入（至今）", income, url_for("machinery.years"), True),
            KeyFigure(50, "surplus", surplus, figures.surplus_fen, url_for("machinery.years"), True),
            KeyFigure(60, "receivables", "应收款", _outstanding_fen(coop.id),
                      url_for("machinery.receivables"), True)]


@vote_basis_requested.connect
def transactions_for_votes(coop_id: int, *, on: date, **_: object) -> MemberTransactions:
    """Each member's transactions with the cooperative in the calendar year
    before ``on`` (fen, net of reversals): what a specialized cooperative's
    extra votes by transactions follow (FSC art 22)."""
    year = on.year - 1
    return MemberTransactions(year, member_transactions(coop_id, year))
