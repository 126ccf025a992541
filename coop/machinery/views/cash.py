"""Money in and out beside the orders: what clients owe and pay in a lump,
expenses, other income."""
from __future__ import annotations

from datetime import date
from typing import Callable

from flask import Response, request, url_for

from coop import clock
from coop.auth.api import roles_required
from coop.machinery.cash import (
    browse_expenses,
    browse_incomes,
    create_expense,
    create_income,
    reverse_expense,
    reverse_income,
)
from coop.machinery.constants import ExpenseKind, PaymentMethod
from coop.machinery.forms import ClientPaymentForm, ExpenseForm, IncomeForm, ReverseForm, machine_choices
from coop.machinery.ledger import AGING_BUCKETS
from coop.machinery.machines import list_machines
from coop.machinery.models import Expense, OtherIncome, OutsideClient
from coop.machinery.payments import record_client_payment
from coop.machinery.periods import closed_years, entry_lines
from coop.machinery.receivables import (
    CLIENTS_PER_PAGE,
    ClientLines,
    client_index,
    client_lines,
    receivables_page,
)
from coop.machinery.views.common import (
    READ,
    WRITE,
    again,
    as_of_arg,
    bp,
    coop_id,
    page_context,
    refusal,
    reversal_day,
    sink,
    year_arg,
)
from coop.machinery.years import ledger_years
from coop.members.api import Member
from coop.money import format_yuan
from coop.web import is_htmx, owned, page_number, redirect_to, render, save

# ---------------------------------------------------------------- receivables


def _lines_url(ref: str, as_of: date) -> str:
    kind, _, record_id = ref.partition(":")
    if kind == "m":
        return url_for("machinery.receivables_member", member_id=int(record_id),
                       as_of=as_of.isoformat())
    return url_for("machinery.receivables_client", client_id=int(record_id),
                   as_of=as_of.isoformat())


def _receivables_page(pay_forms: dict[str, ClientPaymentForm] | None = None,
                      status: int = 200, opened: ClientLines | None = None) -> Response:
    """The report: the totals and one page of clients, largest debt first.
    The client shown open (``opened``, or the one whose payment form has
    errors) comes with its order lines and on its page; the others load
    theirs when opened."""
    pay_forms = pay_forms or {}
    as_of = as_of_arg()
    ref = opened.ref if opened else next(iter(pay_forms), None)
    number = page_number()
    # a typed reference is opened only when it is a client in the report
    if ref is not None and (index := client_index(coop_id(), ref, as_of)) is not None:
        number = index // CLIENTS_PER_PAGE + 1
        if opened is None:
            opened = _client_lines(ref, as_of)
    data = receivables_page(coop_id(), as_of, number, CLIENTS_PER_PAGE)
    clients = data.clients
    return render("machinery/receivables.html", "receivables", status=status, **page_context(
        data=data, clients=clients, buckets=AGING_BUCKETS, pay_forms=pay_forms, opened=opened,
        lines_urls={c.ref: _lines_url(c.ref, data.as_of) for c in clients.items},
        blank_pay=ClientPaymentForm(formdata=None, paid_on=clock.today(),
                                    method=PaymentMethod.CASH)))


def _client_lines(ref: str, as_of: date) -> ClientLines | None:
    kind, _, record_id = ref.partition(":")
    if not record_id.isdigit():
        return None
    if kind == "m":
        return client_lines(coop_id(), member_id=int(record_id), as_of=as_of)
    return client_lines(coop_id(), client_id=int(record_id), as_of=as_of)


def _lines_answer(lines: ClientLines) -> Response:
    """A client's order lines: by htmx only the lines (the client's row
    opened), otherwise the report's page with that client open."""
    if is_htmx():
        return render("machinery/_receivable_lines.html", lines=lines)
    return _receivables_page(opened=lines)


@bp.get("/receivables")
@roles_required(*READ)
def receivables():
    return _receivables_page()


@bp.get("/receivables/members/<int:member_id>")
@roles_required(*READ)
def receivables_member(member_id: int):
    member = owned(Member, member_id)
    return _lines_answer(client_lines(coop_id(), member_id=member.id, as_of=as_of_arg()))


@bp.get("/receivables/clients/<int:client_id>")
@roles_required(*READ)
def receivables_client(client_id: int):
    client = owned(OutsideClient, client_id)
    return _lines_answer(client_lines(coop_id(), client_id=client.id, as_of=as_of_arg()))


@bp.post("/receivables/pay")
@roles_required(*WRITE)
def client_payment():
    form = ClientPaymentForm()

    def done(_payments) -> Response:
        return _receivables_page() if is_htmx() else redirect_to("machinery.receivables")

    return save(form, lambda: record_client_payment(coop_id(), form.client_ref.data or "",
                                                    form.paid_on.data, form.amount_fen.data,
                                                    form.method.data, form.note.data),
                again=again(form, lambda status: _receivables_page({form.client_ref.data: form},
                                                                   status)),
                done=done, aliases={"client": "amount_fen"},
                message=lambda paid: f"已收款 {format_yuan(form.amount_fen.data)} 元，"
                                     f"冲抵 {len(paid)} 张作业单")


# ---------------------------------------------------------------- expenses and income

def _cash_page(template: str, block: str, model: type, entries: list, form, status: int,
               message: str | None, **context) -> Response:
    """An expense or income list page: its rows (with whether each was
    reversed) and the new entry's form, showing ``message`` (a refused
    reversal) with its errors."""
    coop = coop_id()
    if message:
        form.form_errors.append(message)
    closed = closed_years(coop)
    return render(template, block, status=status, **page_context(
        form=form, rows=entry_lines(model, coop, entries),
        years=ledger_years(coop, closed), closed_years=closed, **context))


def _expenses_page(form: ExpenseForm | None = None, status: int = 200,
                   message: str | None = None) -> Response:
    year = year_arg()
    form = form or ExpenseForm(formdata=None, spent_on=clock.today())
    form.machine_id.choices = machine_choices(list_machines(coop_id()))
    kind = request.args.get("kind") or None
    rows = browse_expenses(coop_id(), year, kind=kind)
    return _cash_page("machinery/expenses.html", "expense_form", Expense, rows, form, status,
                      message, year=year, kind=kind, kinds=list(ExpenseKind),
                      total=sum(r.amount_fen for r in rows))


def _incomes_page(form: IncomeForm | None = None, status: int = 200,
                  message: str | None = None) -> Response:
    year = year_arg()
    rows = browse_incomes(coop_id(), year)
    return _cash_page("machinery/incomes.html", "income_form", OtherIncome, rows,
                      form or IncomeForm(formdata=None, received_on=clock.today()), status,
                      message, year=year,
                      total=sum(r.amount_fen for r in rows if r.distributable),
                      grants=sum(r.amount_fen for r in rows if not r.distributable))


def _record(form, create: Callable[[], object], page: Callable[..., Response], endpoint: str,
            on: str, what: str) -> Response:
    """Save a new expense or income and go to the list of its year."""
    return save(form, create, again=again(form, lambda status: page(form, status)), check_anyway=True,
                done=lambda _: redirect_to(endpoint, year=form[on].data.year),
                message=lambda _: f"已登记{what} {format_yuan(form.amount_fen.data)} 元")


def _reverse(entry, reverse: Callable, page: Callable[..., Response], endpoint: str,
             message: str) -> Response:
    """Reverse an expense or income row (a reversing entry dated as posted)."""
    form, refused = ReverseForm(), sink()
    on = reversal_day(form)
    return save(refused, lambda: reverse(coop_id(), entry, on, form.reason.data), validate=False,
                again=lambda status, stale="": page(status=status, message=refusal(refused)),
                done=lambda _: redirect_to(endpoint, year=on.year), message=message)


@bp.get("/expenses")
@roles_required(*READ)
def expenses():
    return _expenses_page()


@bp.post("/expenses")
@roles_required(*WRITE)
def expense_create():
    form = ExpenseForm()
    form.machine_id.choices = machine_choices(list_machines(coop_id()))
    return _record(form, lambda: create_expense(
        coop_id(), form.spent_on.data, form.kind.data, form.amount_fen.data, form.machine_id.data,
        form.payee.data, form.note.data, form.method.data), _expenses_page, "machinery.expenses", "spent_on",
        "费用")


@bp.post("/expenses/<int:expense_id>/reverse")
@roles_required(*WRITE)
def expense_reverse(expense_id: int):
    return _reverse(owned(Expense, expense_id), reverse_expense, _expenses_page,
                    "machinery.expenses", "费用已冲销")


@bp.get("/incomes")
@roles_required(*READ)
def incomes():
    return _incomes_page()


@bp.post("/incomes")
@roles_required(*WRITE)
def income_create():
    form = IncomeForm()
    return _record(form, lambda: create_income(
        coop_id(), form.received_on.data, form.kind.data, form.amount_fen.data, form.payer.data,
        form.note.data), _incomes_page, "machinery.incomes", "received_on", "收入")


@bp.post("/incomes/<int:income_id>/reverse")
@roles_required(*WRITE)
def income_reverse(income_id: int):
    return _reverse(owned(OtherIncome, income_id), reverse_income, _incomes_page,
                    "machinery.incomes", "收入已冲销")
