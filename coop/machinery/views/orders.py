"""Service orders: the list and quick entry, the live price, an order's page
(edit, delete, payments, reversal)."""
from __future__ import annotations

from flask import Response, flash, make_response, request, send_file
from jinja2_fragments.flask import render_block

from coop import clock
from coop.auth.api import current_coop, roles_required
from coop.cooperatives.api import is_year_locked, outside_village_word
from coop.machinery.clients import picked_client
from coop.machinery.constants import PaymentMethod, Service
from coop.machinery.exports import orders_workbook, payments_workbook
from coop.machinery.forms import OrderEditForm, OrderForm, PaymentForm, ReverseForm, machine_choices
from coop.machinery.ledger import order_amount
from coop.machinery.machines import list_machines
from coop.machinery.models import ServiceOrder, ServicePayment
from coop.machinery.order_lines import order_lines
from coop.machinery.orders import (
    OrderInput,
    create_order,
    delete_order,
    order_payments,
    order_reversals,
    orders_of,
    outstanding_fen,
    paid_fen,
    reverse_order,
    reversed_fen,
    update_order,
    year_orders,
    year_payments,
)
from coop.machinery.payments import record_payment, reverse_payment
from coop.machinery.periods import closed_years, entry_lines
from coop.machinery.prices import price_for
from coop.machinery.views.common import (
    READ,
    WRITE,
    again,
    bp,
    can_write,
    coop_id,
    page_context,
    refusal,
    reversal_day,
    sink,
    year_arg,
)
from coop.machinery.years import ledger_years
from coop.money import format_mu, format_yuan
from coop.web import is_htmx, owned, page_number, redirect_to, render, save
from coop.workbooks import XLSX_MIMETYPE

STICKY = ("service_on", "service", "machine_id", "operator")
ORDERS = "machinery/orders.html"
ORDER = "machinery/order.html"


def _order_form(form_class: type[OrderForm] = OrderForm, **kwargs) -> OrderForm:
    """The order form (``OrderEditForm`` on an order's own page);
    ``formdata=None`` for a blank one, request data by default."""
    form = form_class(**kwargs)
    form.machine_id.choices = machine_choices(
        m for m in list_machines(coop_id()) if not m.is_disposed)
    return form


def _order_input(form: OrderForm) -> OrderInput:
    return OrderInput(
        service_on=form.service_on.data, client_ref=form.client_ref.data,
        client_text=form.client_text.data, service=form.service.data or None,
        plot=form.plot.data or "", area_cmu=form.area_cmu.data,
        unit_price_fen=form.unit_price_fen.data, machine_id=form.machine_id.data,
        operator=form.operator.data or "", fuel_cl=form.fuel_cl.data, note=form.note.data or "")


def _orders_context(form: OrderForm | None = None, saved: str | None = None,
                    year: int | None = None) -> dict:
    """The order page's context: the list of ``year`` (else the one asked for)."""
    coop = coop_id()
    year = year or year_arg()
    service = request.args.get("service") or None
    unpaid = request.args.get("unpaid") == "1"
    orders = order_lines(coop, year=year, service=service, unpaid_only=unpaid,
                           page=page_number())
    closed = closed_years(coop)
    return page_context(form=form, saved=saved, orders=orders, year=year, service=service,
                        unpaid=unpaid, services_list=list(Service), years=ledger_years(coop, closed),
                        year_closed=year in closed, closed_years=closed)


@bp.get("/")
@bp.get("/orders")
@roles_required(*READ)
def orders():
    form = _order_form(formdata=None, service_on=clock.today()) if can_write() else None
    return render(ORDERS, "order_list", **_orders_context(form))


@bp.get("/orders.xlsx")
@roles_required(*READ)
def orders_xlsx():
    """The year's orders as the list filters them (service, unpaid only), for people."""
    coop = current_coop()
    year = year_arg()
    service = request.args.get("service") or None
    service = service if service in {s.value for s in Service} else None
    unpaid = request.args.get("unpaid") == "1"
    subject = "未收清作业单" if unpaid else "作业单"
    if service:
        subject = f"{Service(service).label}{subject}"
    data = orders_workbook(coop.name, year, year_orders(coop.id, year, service, unpaid),
                           outside_village_word(coop.id), subject=subject)
    return send_file(data, as_attachment=True, download_name=f"{coop.code}-{year}-orders.xlsx",
                     mimetype=XLSX_MIMETYPE)


@bp.get("/payments.xlsx")
@roles_required(*READ)
def payments_xlsx():
    """The payments received in the year, reversals as negative lines, for people."""
    coop = current_coop()
    year = year_arg()
    payments = year_payments(coop.id, year)
    return send_file(payments_workbook(coop.name, year, payments, orders_of(payments)), as_attachment=True,
                     download_name=f"{coop.code}-{year}-payments.xlsx", mimetype=XLSX_MIMETYPE)


@bp.post("/orders")
@roles_required(*WRITE)
def order_create():
    form = _order_form()

    def done(order: ServiceOrder) -> Response:
        summary = (f"已保存作业单 {order.order_no}：{order.client_name} {order.service_label} "
                   f"{format_mu(order.area_cmu)} 亩，金额 {format_yuan(order.amount_fen)} 元")
        # the list shows the year of the order just saved, where it now is
        year = order.service_on.year
        if not is_htmx():
            flash(summary, "success")
            return redirect_to("machinery.orders",
                               **({} if year == clock.today().year else {"year": year}))
        # a fresh form for the next order, keeping date, service, machine and operator
        fresh = _order_form(formdata=None, **{k: getattr(form, k).data for k in STICKY})
        return render(ORDERS, "order_form", oob=("order_list",),
                      **_orders_context(fresh, saved=summary, year=year))

    return save(form, lambda: create_order(coop_id(), _order_input(form)),
                again=lambda status, stale="": render(ORDERS, "order_form", status=status,
                                                      **_orders_context(form)),
                done=done, aliases={"client": "client_text"}, check_anyway=True)


@bp.get("/orders/quote")
@roles_required(*WRITE)
def order_quote():
    """Price (from the price list, when ``fill``) and the amount, live."""
    coop = coop_id()
    form = _order_form(formdata=request.args)
    form.validate()
    price = form.unit_price_fen.data
    client = picked_client(coop, form.client_ref.data) if form.client_ref.data else None
    list_price = None
    if client and form.service.data and form.service_on.data:
        list_price = price_for(coop, form.service_on.data.year, form.service.data,
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
    # always a fragment, htmx or not, and no flashes: this URL only serves
    # the live parts of the order form (coop.web.render would answer a
    # request without HX-Request with the whole page)
    return make_response(render_block(ORDERS, block, **page_context(
        form=form, amount=amount, client=client, list_price=list_price,
        quote_errors=unreadable)), 422 if unreadable else 200)


def _order_page(order: ServiceOrder, status: int = 200, block: str | None = None,
                form: OrderEditForm | None = None, pay_form: PaymentForm | None = None,
                reverse_form: ReverseForm | None = None, message: str | None = None,
                oob: tuple[str, ...] = ()) -> Response:
    coop = coop_id()
    closed = is_year_locked(coop, order.service_on.year)
    if form is None and not closed and not order.is_reversal:
        form = _order_form(OrderEditForm, formdata=None, obj=order,
                           client_text=order.client_name, client_ref=order.client_ref)
        form.version.data = order.version
    elif form is not None:
        form.machine_id.choices = machine_choices(list_machines(coop))
    outstanding = 0 if order.is_reversal else outstanding_fen(order)
    return render(ORDER, block, oob=oob, status=status, **page_context(
        order=order, form=form, closed=closed, message=message,
        pay_form=pay_form or PaymentForm(formdata=None, paid_on=clock.today(),
                                         method=PaymentMethod.CASH),
        reverse_form=reverse_form or ReverseForm(formdata=None, on=clock.today()),
        payments=entry_lines(ServicePayment, coop, order_payments(order)),
        reversals=order_reversals(order), paid=paid_fen(order), reversed=reversed_fen(order),
        outstanding=outstanding, owes=outstanding > 0,
        original=owned(ServiceOrder, order.reverses_id) if order.is_reversal else None))


def _to_order(order: ServiceOrder) -> Response:
    return redirect_to("machinery.order_detail", order_id=order.id)


@bp.get("/orders/<int:order_id>")
@roles_required(*READ)
def order_detail(order_id: int):
    return _order_page(owned(ServiceOrder, order_id))


@bp.post("/orders/<int:order_id>")
@roles_required(*WRITE)
def order_update(order_id: int):
    order = owned(ServiceOrder, order_id)
    form = _order_form(OrderEditForm)
    return save(form, lambda: update_order(coop_id(), order, _order_input(form), form.version.data),
                again=again(form, lambda status: _order_page(order, status, "order_edit", form)),
                done=_to_order, message=lambda saved: f"作业单 {saved.order_no} 已修改",
                aliases={"client": "client_text"}, check_anyway=True)


@bp.post("/orders/<int:order_id>/delete")
@roles_required(*WRITE)
def order_delete(order_id: int):
    order = owned(ServiceOrder, order_id)
    number, refused = order.order_no, sink()
    return save(refused, lambda: delete_order(coop_id(), order), validate=False,
                again=lambda status, stale="": _order_page(order, status, "order_edit",
                                                           message=refusal(refused)),
                done=lambda _: redirect_to("machinery.orders"), message=f"作业单 {number} 已删除")


@bp.post("/orders/<int:order_id>/payments")
@roles_required(*WRITE)
def payment_create(order_id: int):
    order = owned(ServiceOrder, order_id)
    form = PaymentForm()

    def done(_payment: ServicePayment) -> Response:
        # the payments and, out of band, what the order has received and still owes
        return _order_page(order, block="payments", oob=("receipts",)) if is_htmx() \
            else _to_order(order)

    return save(form, lambda: record_payment(coop_id(), order, form.paid_on.data,
                                             form.amount_fen.data, form.method.data,
                                             form.note.data),
                again=lambda status, stale="": _order_page(order, status, "payments",
                                                           pay_form=form),
                done=done, message=lambda _: f"已收款 {format_yuan(form.amount_fen.data)} 元")


@bp.post("/orders/<int:order_id>/reverse")
@roles_required(*WRITE)
def order_reverse(order_id: int):
    order = owned(ServiceOrder, order_id)
    form = ReverseForm()
    return save(form, lambda: reverse_order(coop_id(), order, form.on.data, form.area_cmu.data,
                                            form.reason.data),
                again=lambda status, stale="": _order_page(order, status, "reverse",
                                                           reverse_form=form),
                done=lambda _: _to_order(order),
                message=lambda reversal: f"已登记冲销单 {reversal.order_no}")


@bp.post("/payments/<int:payment_id>/reverse")
@roles_required(*WRITE)
def payment_reverse(payment_id: int):
    payment = owned(ServicePayment, payment_id)
    form, refused = ReverseForm(), sink()
    return save(refused, lambda: reverse_payment(coop_id(), payment, reversal_day(form),
                                                 form.reason.data), validate=False,
                again=lambda status, stale="": _order_page(
                    owned(ServiceOrder, payment.order_id), status, "payments",
                    message=refusal(refused)),
                done=lambda _: redirect_to("machinery.order_detail", order_id=payment.order_id),
                message="收款已冲销")
