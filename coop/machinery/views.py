"""Machinery ledger pages. Thin: parse, call a service, commit once, render.

Accountant and secretary (admin) write; supervisor reads; members get 403.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, make_response, render_template, request, send_file, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from coop import clock
from coop.auth.api import ALL_STAFF, Role, roles_required
from coop.cooperatives.api import is_year_locked
from coop.errors import ServiceError, StaleRecordError, ValidationFailed
from coop.extensions import db
from coop.machinery import charts, distribution, exports
from coop.machinery.constants import ExpenseKind, IncomeKind, Service
from coop.machinery.forms import (
    ClientEditForm,
    ClientForm,
    ClientPaymentForm,
    CloseYearForm,
    ExpenseForm,
    IncomeForm,
    MachineEditForm,
    MachineForm,
    OrderEditForm,
    OrderForm,
    PaymentForm,
    ReverseForm,
    machine_choices,
)
from coop.machinery.cash import browse_expenses, browse_incomes, create_expense, create_income, reverse_expense, reverse_income
from coop.machinery.clients import create_client, list_clients, resolve_client, search_clients, update_client
from coop.machinery.ledger import AGING_BUCKETS, order_amount
from coop.machinery.machines import create_machine, list_machines, machine_books, machine_terms, update_machine
from coop.machinery.orders import OrderInput, browse_orders, delete_order, order_payments, order_reversals, outstanding_fen, paid_fen, reverse_order, reversed_fen, update_order, create_order
from coop.machinery.payments import record_client_payment, record_payment, reverse_payment
from coop.machinery.periods import closed_years, get_year_close, is_year_closed, reversed_ids
from coop.machinery.prices import price_for, prices_for_year, set_prices
from coop.machinery.receivables import receivables as receivables_as_of
from coop.machinery.reports import client_group_report, machine_report, member_report, monthly_report, service_report
from coop.machinery.years import close_year, ledger_years, year_figures, year_rows
from coop.machinery.models import Expense, Machine, OtherIncome, OutsideClient, ServiceOrder, ServicePayment
from coop.money import AmountError, format_mu, format_yuan, parse_yuan
from coop.web import is_htmx, owned, page_number, redirect_to, render

bp = Blueprint("machinery", __name__, url_prefix="/machinery")

WRITE = (Role.ADMIN.value, Role.ACCOUNTANT.value)
READ = ALL_STAFF


def _coop_id() -> int:
    return current_user.cooperative_id


def _can_write() -> bool:
    return current_user.role in WRITE


def _year_arg(default: int | None = None) -> int:
    raw = request.args.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return default or clock.today().year


def _blocks(template: str, main_block: str, oob_blocks: tuple[str, ...] = (), status: int = 200,
            **context):
    """``main_block`` swapped into the target and ``oob_blocks`` out of band, or the
    whole page without htmx."""
    if not is_htmx():
        return make_response(render_template(template, **context), status)
    html = render_block(template, main_block, **context)
    for name in oob_blocks:
        html += render_block(template, name, oob=True, **context)
    html += render_template("_flashes.html", oob=True)
    return make_response(html, status)


def _common(**context):
    return {"can_write": _can_write(), "today": clock.today(), **context}


# ---------------------------------------------------------------- orders

STICKY = ("service_on", "service", "machine_id", "operator")


def _order_form(form_class: type[OrderForm] = OrderForm, **kwargs) -> OrderForm:
    """The order form (``OrderEditForm`` on an order's own page);
    ``formdata=None`` for a blank one, request data by default."""
    form = form_class(**kwargs)
    form.machine_id.choices = machine_choices(
        m for m in list_machines(_coop_id()) if m.status != "disposed")
    return form


def _order_input(form: OrderForm) -> OrderInput:
    return OrderInput(
        service_on=form.service_on.data, client_ref=form.client_ref.data,
        client_text=form.client_text.data, service=form.service.data or None,
        plot=form.plot.data or "", area_cmu=form.area_cmu.data,
        unit_price_fen=form.unit_price_fen.data, machine_id=form.machine_id.data,
        operator=form.operator.data or "", fuel_cl=form.fuel_cl.data, note=form.note.data or "")


def _orders_context(form: OrderForm | None = None, saved=None, status_code: int = 200):
    coop_id = _coop_id()
    year = _year_arg()
    service = request.args.get("service") or None
    unpaid = request.args.get("unpaid") == "1"
    orders = browse_orders(coop_id, year=year, service=service, unpaid_only=unpaid,
                                    page=page_number())
    return _common(form=form, saved=saved, orders=orders, year=year, service=service,
                   unpaid=unpaid, services_list=list(Service),
                   years=ledger_years(coop_id),
                   year_closed=is_year_closed(coop_id, year),
                   closed_years=closed_years(coop_id))


@bp.get("/")
@bp.get("/orders")
@roles_required(*READ)
def orders():
    form = None
    if _can_write():
        form = _order_form(formdata=None, service_on=clock.today())
    return render("machinery/orders.html", block="order_list", **_orders_context(form))


@bp.post("/orders")
@roles_required(*WRITE)
def order_create():
    form = _order_form()
    ok = form.validate()
    if ok:
        try:
            order = create_order(_coop_id(), _order_input(form))
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc, aliases={"client": "client_text"})
            ok = False
    if not ok:
        return _blocks("machinery/orders.html", "order_form", status=422,
                       **_orders_context(form))
    db.session.commit()
    summary = (f"已保存作业单 {order.order_no}：{order.client_name} {order.service_label} "
               f"{format_mu(order.area_cmu)} 亩，金额 {format_yuan(order.amount_fen)} 元")
    if not is_htmx():
        flash(summary, "success")
        return redirect_to("machinery.orders")
    # a fresh form for the next order, keeping date, service, machine and operator
    fresh = _order_form(formdata=None, **{k: getattr(form, k).data for k in STICKY})
    return _blocks("machinery/orders.html", "order_form", ("order_list",),
                   **_orders_context(fresh, saved=summary))


@bp.get("/orders/quote")
@roles_required(*WRITE)
def order_quote():
    """Price (from the price list, when ``fill``) and the amount, live."""
    coop_id = _coop_id()
    form = _order_form(formdata=request.args)
    form.validate()
    price = form.unit_price_fen.data
    client = None
    if form.client_ref.data:
        try:
            client = resolve_client(coop_id, form.client_ref.data)
        except ServiceError:
            client = None
    list_price = None
    if client and form.service.data and form.service_on.data:
        list_price = price_for(coop_id, form.service_on.data.year, form.service.data,
                                        client.is_member)
    if request.args.get("fill") and list_price is not None:
        price = list_price
        form.unit_price_fen.data = price
        form.unit_price_fen.raw_data = None
    if price is None:
        price = list_price  # what saving the order will use
    amount = None
    if price is not None and form.area_cmu.data:
        amount = order_amount(form.area_cmu.data, price)
    # a number that cannot be read (1e999990, 1.234) is refused, not priced
    unreadable = [message for f in (form.area_cmu, form.unit_price_fen)
                  if getattr(f, "raw_text", "").strip() for message in f.process_errors]
    block = "price_amount" if request.args.get("fill") else "amount_output"
    # always a fragment: this URL only serves the live parts of the order form
    return make_response(render_block("machinery/orders.html", block, **_common(
        form=form, amount=amount, client=client, list_price=list_price,
        quote_errors=unreadable)), 422 if unreadable else 200)


@bp.get("/clients/search")
@roles_required(*READ)
def client_search():
    hits = search_clients(_coop_id(), request.args.get("client_text")
                                   or request.args.get("q", ""))
    return render_template("machinery/_client_options.html", hits=hits,
                           query=request.args.get("client_text") or request.args.get("q", ""))


def _order_page(order, form=None, pay_form=None, reverse_form=None, status=200, block=None,
                message=None):
    coop_id = _coop_id()
    closed = is_year_locked(coop_id, order.service_on.year)
    if form is None and not closed and order.reverses_id is None:
        form = _order_form(OrderEditForm, formdata=None, obj=order,
                           client_text=order.client_name, client_ref=order.client_ref)
        form.version.data = order.version
    elif form is not None:
        form.machine_id.choices = machine_choices(list_machines(coop_id))
    if pay_form is None:
        pay_form = PaymentForm(formdata=None, paid_on=clock.today(), method="cash")
    if reverse_form is None:
        reverse_form = ReverseForm(formdata=None, on=clock.today())
    context = _common(
        order=order, form=form, pay_form=pay_form, reverse_form=reverse_form,
        closed=closed, payments=order_payments(order),
        reversals=order_reversals(order),
        paid=paid_fen(order), reversed=reversed_fen(order),
        outstanding=0 if order.reverses_id else outstanding_fen(order),
        reversed_payment_ids=reversed_ids(ServicePayment, coop_id),
        original=owned(ServiceOrder, order.reverses_id) if order.reverses_id else None,
        message=message)
    return render("machinery/order.html", block=block, status=status, **context)


@bp.get("/orders/<int:order_id>")
@roles_required(*READ)
def order_detail(order_id: int):
    return _order_page(owned(ServiceOrder, order_id))


@bp.post("/orders/<int:order_id>")
@roles_required(*WRITE)
def order_update(order_id: int):
    order = owned(ServiceOrder, order_id)
    form = _order_form(OrderEditForm)
    if form.validate():
        try:
            update_order(_coop_id(), order, _order_input(form), form.version.data)
        except StaleRecordError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
            form.version.data = exc.current_version
            form.version.raw_data = [str(exc.current_version)]
            return _order_page(order, form=form, status=409, block="order_edit")
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc, aliases={"client": "client_text"})
            return _order_page(owned(ServiceOrder, order_id), form=form, status=422,
                               block="order_edit")
        db.session.commit()
        flash(f"作业单 {order.order_no} 已修改", "success")
        return redirect_to("machinery.order_detail", order_id=order.id)
    return _order_page(order, form=form, status=422, block="order_edit")


@bp.post("/orders/<int:order_id>/delete")
@roles_required(*WRITE)
def order_delete(order_id: int):
    order = owned(ServiceOrder, order_id)
    number = order.order_no
    try:
        delete_order(_coop_id(), order)
    except ServiceError as exc:
        db.session.rollback()
        return _order_page(owned(ServiceOrder, order_id), status=422, block="order_edit",
                           message=exc.message)
    db.session.commit()
    flash(f"作业单 {number} 已删除", "success")
    return redirect_to("machinery.orders")


@bp.post("/orders/<int:order_id>/payments")
@roles_required(*WRITE)
def payment_create(order_id: int):
    order = owned(ServiceOrder, order_id)
    form = PaymentForm()
    if form.validate():
        try:
            record_payment(_coop_id(), order, form.paid_on.data, form.amount_fen.data,
                                    form.method.data, form.note.data)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _order_page(owned(ServiceOrder, order_id), pay_form=form, status=422,
                               block="payments")
        db.session.commit()
        flash(f"已收款 {format_yuan(form.amount_fen.data)} 元", "success")
        if is_htmx():
            return _order_page(order, block="payments")
        return redirect_to("machinery.order_detail", order_id=order.id)
    return _order_page(order, pay_form=form, status=422, block="payments")


@bp.post("/orders/<int:order_id>/reverse")
@roles_required(*WRITE)
def order_reverse(order_id: int):
    order = owned(ServiceOrder, order_id)
    form = ReverseForm()
    if form.validate():
        try:
            reversal = reverse_order(_coop_id(), order, form.on.data,
                                              form.area_cmu.data, form.reason.data)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc, aliases={"on": "on"})
            return _order_page(owned(ServiceOrder, order_id), reverse_form=form, status=422,
                               block="reverse")
        db.session.commit()
        flash(f"已登记冲销单 {reversal.order_no}", "success")
        return redirect_to("machinery.order_detail", order_id=order.id)
    return _order_page(order, reverse_form=form, status=422, block="reverse")


@bp.post("/payments/<int:payment_id>/reverse")
@roles_required(*WRITE)
def payment_reverse(payment_id: int):
    payment = owned(ServicePayment, payment_id)
    form = ReverseForm()
    form.validate()
    try:
        reverse_payment(_coop_id(), payment, form.on.data or clock.today(),
                                 form.reason.data)
    except ServiceError as exc:
        db.session.rollback()
        order = owned(ServiceOrder, payment.order_id)
        return _order_page(order, status=422, block="payments", message=exc.message)
    db.session.commit()
    flash("收款已冲销", "success")
    return redirect_to("machinery.order_detail", order_id=payment.order_id)


# ---------------------------------------------------------------- receivables

def _as_of() -> date:
    raw = request.args.get("as_of", "")
    try:
        return date.fromisoformat(raw) if raw else clock.today()
    except ValueError:
        return clock.today()


def _receivables_page(pay_forms=None, status=200, block="receivables"):
    data = receivables_as_of(_coop_id(), _as_of())
    return render("machinery/receivables.html", block=block, status=status,
                  **_common(data=data, buckets=AGING_BUCKETS, pay_forms=pay_forms or {},
                            blank_pay=ClientPaymentForm(formdata=None, paid_on=clock.today(),
                                                        method="cash")))


@bp.get("/receivables")
@roles_required(*READ)
def receivables():
    return _receivables_page()


@bp.post("/receivables/pay")
@roles_required(*WRITE)
def client_payment():
    form = ClientPaymentForm()
    if form.validate():
        try:
            paid = record_client_payment(_coop_id(), form.client_ref.data or "",
                                                  form.paid_on.data, form.amount_fen.data,
                                                  form.method.data, form.note.data)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc, aliases={"client": "amount_fen"})
            return _receivables_page({form.client_ref.data: form}, status=422)
        db.session.commit()
        flash(f"已收款 {format_yuan(form.amount_fen.data)} 元，冲抵 {len(paid)} 张作业单",
              "success")
        if is_htmx():
            return _receivables_page()
        return redirect_to("machinery.receivables")
    return _receivables_page({form.client_ref.data: form}, status=422)


# ---------------------------------------------------------------- machines

def _machines_page(form=None, status=200):
    year = _year_arg()
    if form is None and _can_write():
        form = MachineForm(formdata=None, acquired_on=clock.today(), useful_life_months=120,
                           salvage_rate_bp=500)
    books = machine_books(_coop_id(), year)
    return render("machinery/machines.html", block="machine_form", status=status,
                  **_common(form=form, books=books, year=year,
                            years=ledger_years(_coop_id())))


@bp.get("/machines")
@roles_required(*READ)
def machines():
    return _machines_page()


@bp.post("/machines")
@roles_required(*WRITE)
def machine_create():
    form = MachineForm()
    if form.validate():
        try:
            machine = create_machine(_coop_id(), form.values())
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _machines_page(form, status=422)
        db.session.commit()
        flash(f"已登记农机：{machine.name}", "success")
        return redirect_to("machinery.machines")
    return _machines_page(form, status=422)


def _machine_page(machine, form=None, status=200):
    year = _year_arg()
    terms = machine_terms(machine)
    if form is None and _can_write():
        form = MachineEditForm(formdata=None, obj=machine)
    from coop.machinery import depreciation

    return render("machinery/machine.html", block="machine_form", status=status,
                  **_common(machine=machine, form=form, year=year,
                            yearly=depreciation.yearly_schedule(terms),
                            months=depreciation.year_months(terms, year),
                            salvage=depreciation.salvage_fen(terms),
                            base=depreciation.base_fen(terms)))


@bp.get("/machines/<int:machine_id>")
@roles_required(*READ)
def machine_detail(machine_id: int):
    machine = owned(Machine, machine_id)
    return _machine_page(machine)


@bp.post("/machines/<int:machine_id>")
@roles_required(*WRITE)
def machine_update(machine_id: int):
    machine = owned(Machine, machine_id)
    form = MachineEditForm()
    if form.validate():
        try:
            update_machine(_coop_id(), machine, form.values(), form.version.data)
        except StaleRecordError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
            form.version.data = exc.current_version
            form.version.raw_data = [str(exc.current_version)]
            return _machine_page(machine, form, status=409)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _machine_page(owned(Machine, machine_id), form, status=422)
        db.session.commit()
        flash(f"农机“{machine.name}”已保存", "success")
        return redirect_to("machinery.machine_detail", machine_id=machine.id)
    return _machine_page(machine, form, status=422)


# ---------------------------------------------------------------- clients

def _clients_page(form=None, status=200):
    kind = request.args.get("kind") or None
    if form is None and _can_write():
        form = ClientForm(formdata=None)
    return render("machinery/clients.html", block="client_form", status=status,
                  **_common(form=form, clients=list_clients(_coop_id(), kind),
                            kind=kind))


@bp.get("/clients")
@roles_required(*READ)
def clients():
    return _clients_page()


@bp.post("/clients")
@roles_required(*WRITE)
def client_create():
    form = ClientForm()
    if form.validate():
        try:
            client = create_client(_coop_id(), form.values())
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _clients_page(form, status=422)
        db.session.commit()
        flash(f"已登记客户：{client.name}", "success")
        return redirect_to("machinery.clients")
    return _clients_page(form, status=422)


def _client_page(client, form=None, status=200):
    if form is None and _can_write():
        form = ClientEditForm(formdata=None, obj=client)
    orders = browse_orders(_coop_id(), client_ref=f"c:{client.id}", per_page=100)
    return render("machinery/client.html", block="client_form", status=status,
                  **_common(client=client, form=form, orders=orders))


@bp.get("/clients/<int:client_id>")
@roles_required(*READ)
def client_detail(client_id: int):
    client = owned(OutsideClient, client_id)
    return _client_page(client)


@bp.post("/clients/<int:client_id>")
@roles_required(*WRITE)
def client_update(client_id: int):
    client = owned(OutsideClient, client_id)
    form = ClientEditForm()
    if form.validate():
        try:
            update_client(_coop_id(), client, form.values(), form.version.data)
        except StaleRecordError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
            form.version.data = exc.current_version
            form.version.raw_data = [str(exc.current_version)]
            return _client_page(client, form, status=409)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _client_page(owned(OutsideClient, client_id), form, status=422)
        db.session.commit()
        flash(f"客户“{client.name}”已保存", "success")
        return redirect_to("machinery.client_detail", client_id=client.id)
    return _client_page(client, form, status=422)


# ---------------------------------------------------------------- prices

def _price_rows(year: int, formdata=None, errors=None):
    """[(service, member text, market text, errors)] for the price table."""
    existing = prices_for_year(_coop_id(), year)
    source = existing or prices_for_year(_coop_id(), year - 1)
    rows = []
    for s in Service:
        if formdata is not None:
            member = formdata.get(f"{s.value}-member", "")
            market = formdata.get(f"{s.value}-market", "")
        elif s.value in source:
            p = source[s.value]
            member = format_yuan(p.member_price_fen).replace(",", "")
            market = format_yuan(p.market_price_fen).replace(",", "")
        else:
            member = market = ""
        rows.append((s, member, market, {k: v for k, v in (errors or {}).items()
                                         if k.startswith(s.value + "-")}))
    return rows, bool(existing)


def _prices_page(year, formdata=None, errors=None, status=200, saved=False, message=None):
    rows, exists = _price_rows(year, formdata, errors)
    return render("machinery/prices.html", block="price_form", status=status,
                  **_common(year=year, rows=rows, exists=exists, saved=saved, message=message,
                            closed=is_year_locked(_coop_id(), year),
                            years=ledger_years(_coop_id())))


@bp.get("/prices")
@roles_required(*READ)
def prices():
    return _prices_page(_year_arg())


@bp.post("/prices/<int:year>")
@roles_required(*WRITE)
def prices_save(year: int):
    errors: dict[str, str] = {}
    rows: dict[str, tuple[int | None, int | None]] = {}
    for s in Service:
        values = []
        for suffix in ("member", "market"):
            text = request.form.get(f"{s.value}-{suffix}", "").strip()
            if not text:
                values.append(None)
                continue
            try:
                values.append(parse_yuan(text, f"{s.label}{'成员价' if suffix == 'member' else '市场价'}",
                                          negative=False))
            except AmountError as exc:
                errors[f"{s.value}-{suffix}"] = str(exc)
                values.append(None)
        rows[s.value] = (values[0], values[1])
    if not errors:
        try:
            set_prices(_coop_id(), year, rows)
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
        except ServiceError as exc:
            db.session.rollback()
            return _prices_page(year, request.form, status=422, message=exc.message)
    if errors:
        return _prices_page(year, request.form, errors, status=422)
    db.session.commit()
    flash(f"{year} 年价格表已保存", "success")
    if is_htmx():
        return _prices_page(year, saved=True)
    return redirect_to("machinery.prices", year=year)


# ---------------------------------------------------------------- expenses and income

def _expenses_page(form=None, status=200, message=None):
    year = _year_arg()
    coop_id = _coop_id()
    machines = list_machines(coop_id)
    if form is None:
        form = ExpenseForm(formdata=None, spent_on=clock.today())
    form.machine_id.choices = machine_choices(machines)
    kind = request.args.get("kind") or None
    rows = browse_expenses(coop_id, year, kind=kind)
    return render("machinery/expenses.html", block="expense_form", status=status,
                  **_common(form=form, rows=rows, year=year, kind=kind, kinds=list(ExpenseKind),
                            total=sum(r.amount_fen for r in rows), message=message,
                            reversed_ids=reversed_ids(Expense, coop_id),
                            years=ledger_years(coop_id),
                            closed_years=closed_years(coop_id)))


@bp.get("/expenses")
@roles_required(*READ)
def expenses():
    return _expenses_page()


@bp.post("/expenses")
@roles_required(*WRITE)
def expense_create():
    form = ExpenseForm()
    form.machine_id.choices = machine_choices(list_machines(_coop_id()))
    if form.validate():
        try:
            create_expense(_coop_id(), form.spent_on.data, form.kind.data,
                                    form.amount_fen.data, form.machine_id.data,
                                    form.payee.data, form.note.data)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _expenses_page(form, status=422)
        db.session.commit()
        flash(f"已登记费用 {format_yuan(form.amount_fen.data)} 元", "success")
        return redirect_to("machinery.expenses", year=form.spent_on.data.year)
    return _expenses_page(form, status=422)


@bp.post("/expenses/<int:expense_id>/reverse")
@roles_required(*WRITE)
def expense_reverse(expense_id: int):
    expense = owned(Expense, expense_id)
    form = ReverseForm()
    form.validate()
    try:
        reverse_expense(_coop_id(), expense, form.on.data or clock.today(),
                                 form.reason.data)
    except ServiceError as exc:
        db.session.rollback()
        return _expenses_page(status=422, message=exc.message)
    db.session.commit()
    flash("费用已冲销", "success")
    return redirect_to("machinery.expenses", year=(form.on.data or clock.today()).year)


def _incomes_page(form=None, status=200, message=None):
    year = _year_arg()
    coop_id = _coop_id()
    if form is None:
        form = IncomeForm(formdata=None, received_on=clock.today())
    rows = browse_incomes(coop_id, year)
    return render("machinery/incomes.html", block="income_form", status=status,
                  **_common(form=form, rows=rows, year=year, message=message,
                            total=sum(r.amount_fen for r in rows if r.distributable),
                            grants=sum(r.amount_fen for r in rows if not r.distributable),
                            reversed_ids=reversed_ids(OtherIncome, coop_id),
                            years=ledger_years(coop_id),
                            closed_years=closed_years(coop_id)))


@bp.get("/incomes")
@roles_required(*READ)
def incomes():
    return _incomes_page()


@bp.post("/incomes")
@roles_required(*WRITE)
def income_create():
    form = IncomeForm()
    if form.validate():
        try:
            create_income(_coop_id(), form.received_on.data, form.kind.data,
                                   form.amount_fen.data, form.payer.data, form.note.data)
        except ServiceError as exc:
            db.session.rollback()
            form.add_service_errors(exc)
            return _incomes_page(form, status=422)
        db.session.commit()
        flash(f"已登记收入 {format_yuan(form.amount_fen.data)} 元", "success")
        return redirect_to("machinery.incomes", year=form.received_on.data.year)
    return _incomes_page(form, status=422)


@bp.post("/incomes/<int:income_id>/reverse")
@roles_required(*WRITE)
def income_reverse(income_id: int):
    income = owned(OtherIncome, income_id)
    form = ReverseForm()
    form.validate()
    try:
        reverse_income(_coop_id(), income, form.on.data or clock.today(),
                                form.reason.data)
    except ServiceError as exc:
        db.session.rollback()
        return _incomes_page(status=422, message=exc.message)
    db.session.commit()
    flash("收入已冲销", "success")
    return redirect_to("machinery.incomes", year=(form.on.data or clock.today()).year)


# ---------------------------------------------------------------- year close

@bp.get("/years")
@roles_required(*READ)
def years():
    coop_id = _coop_id()
    return render("machinery/years.html", **_common(rows=year_rows(coop_id)))


def _year_page(year: int, form=None, status=200, message=None):
    coop_id = _coop_id()
    fig = year_figures(coop_id, year)
    close = get_year_close(coop_id, year)
    if form is None:
        form = CloseYearForm(formdata=None, expected_surplus_fen=fig.surplus_fen)
    form.expected_surplus_fen.data = fig.surplus_fen
    form.expected_surplus_fen.raw_data = [str(fig.surplus_fen)]
    return render("machinery/year.html", block="close_form", status=status,
                  **_common(year=year, fig=fig, close=close, form=form, message=message,
                            dist=distribution.year_distribution(coop_id, year),
                            prev_dist=distribution.year_distribution(coop_id, year - 1)))


@bp.get("/years/<int:year>")
@roles_required(*READ)
def year_detail(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    return _year_page(year)


@bp.post("/years/<int:year>/close")
@roles_required(*WRITE)
def year_close(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    form = CloseYearForm()
    expected = request.form.get("expected_surplus_fen", "")
    if not form.validate():
        return _year_page(year, form, status=422)
    if not expected.lstrip("-").isdigit():
        return _year_page(year, form, status=422,
                          message="请在结账页面核对本年数字后再确认结账")
    try:
        close_year(_coop_id(), year, current_user.id, form.carry_forward_fen.data or 0,
                            int(expected),
                            form.note.data)
    except ServiceError as exc:
        db.session.rollback()
        if isinstance(exc, ValidationFailed):
            form.add_service_errors(exc)
            return _year_page(year, form, status=422)
        return _year_page(year, form, status=422, message=exc.message)
    db.session.commit()
    flash(f"{year} 年度已结账，该年度的账目已锁定", "success")
    return redirect_to("machinery.year_detail", year=year)


# ---------------------------------------------------------------- reports

def _report_data(year: int) -> dict:
    coop_id = _coop_id()
    return {
        "figures": year_figures(coop_id, year),
        "monthly": monthly_report(coop_id, year),
        "by_service": service_report(coop_id, year),
        "by_group": client_group_report(coop_id, year),
        "by_machine": machine_report(coop_id, year),
        "by_member": member_report(coop_id, year),
    }


@bp.get("/reports")
@roles_required(*READ)
def reports():
    year = _year_arg()
    data = _report_data(year)
    monthly = data["monthly"]
    chart_monthly = charts.grouped_bars(
        [f"{m}月" for m in range(1, 13)],
        [("收入", monthly.income_total, "s-income"),
         ("费用", monthly.expense_total, "s-expense"),
         ("折旧", monthly.depreciation, "s-depreciation")],
        title=f"{year} 年逐月收入与费用")
    chart_service = charts.horizontal_bars(
        [(line.label, line.amount_fen) for line in data["by_service"]],
        title=f"{year} 年按作业项目的服务收入", width=480)
    chart_group = charts.horizontal_bars(
        [(line.label, line.amount_fen) for line in data["by_group"]],
        title=f"{year} 年按客户类别的服务收入", width=480)
    chart_machine = charts.horizontal_bars(
        [(line.name, line.margin_fen) for line in data["by_machine"]],
        title=f"{year} 年各农机毛利")
    return render("machinery/reports.html",
                  **_common(year=year, years=ledger_years(_coop_id()),
                            chart_monthly=chart_monthly, chart_service=chart_service,
                            chart_group=chart_group, chart_machine=chart_machine,
                            expense_kinds=list(ExpenseKind), income_kinds=list(IncomeKind),
                            **data))


@bp.get("/reports/<int:year>/<name>.xlsx")
@roles_required(*READ)
def report_xlsx(year: int, name: str):
    if name not in exports.REPORTS or not 2000 <= year <= 2100:
        abort(404)
    coop = current_user.cooperative
    if name == "receivables":
        data = {"receivables": receivables_as_of(coop.id, _as_of())}
    else:
        data = _report_data(year)
    stream = exports.workbook(name, coop.name, year, data)
    filename = f"{coop.code}-{year}-{name}.xlsx"
    return send_file(stream, as_attachment=True, download_name=filename,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def report_url(name: str, year: int) -> str:
    return url_for("machinery.report_xlsx", year=year, name=name)
