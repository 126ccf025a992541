"""What the service runs on: machines, clients and the yearly price list."""
from __future__ import annotations

from typing import NamedTuple

from flask import Response, request

from coop import clock
from coop.auth.api import roles_required
from coop.cooperatives.api import is_year_locked, outside_village_word
from coop.machinery.clients import OUTSIDE_KINDS, create_client, list_clients, search_clients, update_client
from coop.machinery.constants import Service, client_kind_choices
from coop.machinery.forms import (
    ClientEditForm,
    ClientForm,
    MachineEditForm,
    MachineForm,
    PriceListForm,
)
from coop.machinery import depreciation
from coop.machinery.machines import create_machine, machine_books, machine_terms, update_machine
from coop.machinery.models import Machine, OutsideClient, ServicePrice
from coop.machinery.order_lines import order_lines
from coop.machinery.prices import prices_for_year, set_prices
from coop.machinery.views.common import (
    READ,
    WRITE,
    again,
    bp,
    can_write,
    coop_id,
    page_context,
    refusal,
    year_arg,
)
from coop.machinery.years import ledger_years
from coop.money import format_yuan
from coop.web import is_htmx, owned, redirect_to, render, save


def _save_new(form: MachineForm | ClientForm, create, page, endpoint: str,
              message) -> Response:
    """Register a machine or client from its form; the list again."""
    return save(form, lambda: create(coop_id(), form.values()),
                again=again(form, lambda status: page(form, status)),
                done=lambda _: redirect_to(endpoint), message=message, check_anyway=True)


def _save_edit(record: Machine | OutsideClient, form: MachineEditForm | ClientEditForm, update,
               page, done, message) -> Response:
    """Save the edit of a machine or client; its page again on a refusal."""
    return save(form, lambda: update(coop_id(), record, form.values(), form.version.data),
                again=again(form, lambda status: page(record, form, status)),
                done=done, message=message, check_anyway=True)


# ---------------------------------------------------------------- machines


def _machines_page(form: MachineForm | None = None, status: int = 200) -> Response:
    year = year_arg()
    if form is None and can_write():
        form = MachineForm(formdata=None, acquired_on=clock.today(), useful_life_months=120,
                           salvage_rate_bp=500)
    return render("machinery/machines.html", "machine_form", status=status, **page_context(
        form=form, books=machine_books(coop_id(), year), year=year,
        years=ledger_years(coop_id())))


@bp.get("/machines")
@roles_required(*READ)
def machines():
    return _machines_page()


@bp.post("/machines")
@roles_required(*WRITE)
def machine_create():
    return _save_new(MachineForm(), create_machine, _machines_page, "machinery.machines",
                     lambda machine: f"已登记农机：{machine.name}")


def _machine_page(machine: Machine, form: MachineEditForm | None = None,
                  status: int = 200) -> Response:
    year = year_arg()
    terms = machine_terms(machine)
    if form is None and can_write():
        form = MachineEditForm(formdata=None, obj=machine)
    return render("machinery/machine.html", "machine_form", status=status, **page_context(
        machine=machine, form=form, year=year, yearly=depreciation.yearly_schedule(terms),
        months=depreciation.year_months(terms, year), salvage=depreciation.salvage_fen(terms),
        base=depreciation.base_fen(terms)))


@bp.get("/machines/<int:machine_id>")
@roles_required(*READ)
def machine_detail(machine_id: int):
    return _machine_page(owned(Machine, machine_id))


@bp.post("/machines/<int:machine_id>")
@roles_required(*WRITE)
def machine_update(machine_id: int):
    return _save_edit(owned(Machine, machine_id), MachineEditForm(), update_machine,
                      _machine_page,
                      lambda saved: redirect_to("machinery.machine_detail", machine_id=saved.id),
                      lambda saved: f"农机“{saved.name}”已保存")


# ---------------------------------------------------------------- clients

def _clients_page(form: ClientForm | None = None, status: int = 200) -> Response:
    kind = request.args.get("kind") or None
    if form is None and can_write():
        form = ClientForm(formdata=None, outside_village_word=_word())
    return render("machinery/clients.html", "client_form", status=status, **page_context(
        form=form, clients=list_clients(coop_id(), kind), kind=kind,
        kind_choices=client_kind_choices(OUTSIDE_KINDS, _word())))


def _word() -> str:
    return outside_village_word(coop_id())


@bp.get("/clients")
@roles_required(*READ)
def clients():
    return _clients_page()


@bp.post("/clients")
@roles_required(*WRITE)
def client_create():
    return _save_new(ClientForm(outside_village_word=_word()), create_client, _clients_page, "machinery.clients",
                     lambda client: f"已登记客户：{client.name}")


def _client_page(client: OutsideClient, form: ClientEditForm | None = None,
                 status: int = 200) -> Response:
    if form is None and can_write():
        form = ClientEditForm(formdata=None, obj=client, outside_village_word=_word())
    orders = order_lines(coop_id(), client_ref=f"c:{client.id}", per_page=100)
    return render("machinery/client.html", "client_form", status=status, **page_context(
        client=client, form=form, orders=orders))


@bp.get("/clients/<int:client_id>")
@roles_required(*READ)
def client_detail(client_id: int):
    return _client_page(owned(OutsideClient, client_id))


@bp.post("/clients/<int:client_id>")
@roles_required(*WRITE)
def client_update(client_id: int):
    return _save_edit(owned(OutsideClient, client_id), ClientEditForm(outside_village_word=_word()), update_client,
                      _client_page,
                      lambda saved: redirect_to("machinery.client_detail", client_id=saved.id),
                      lambda saved: f"客户“{saved.name}”已保存")


@bp.get("/clients/search")
@roles_required(*READ)
def client_search():
    query = request.args.get("client_text") or request.args.get("q", "")
    return render("machinery/_client_options.html", hits=search_clients(coop_id(), query),
                  query=query)


# ---------------------------------------------------------------- prices

class PriceRow(NamedTuple):
    """A service's line of the price table: the prices as shown, their errors."""

    service: Service
    member: str
    market: str
    errors: dict[str, str]


def _price_rows(form: PriceListForm | None, source: dict[str, ServicePrice]) -> list[PriceRow]:
    """The posted table (``form``), else the prices of ``source``."""
    errors = form.errors_by_name() if form is not None else {}
    rows = []
    for s in Service:
        if form is not None:
            member = request.form.get(f"{s.value}-member", "")
            market = request.form.get(f"{s.value}-market", "")
        elif s.value in source:
            member = format_yuan(source[s.value].member_price_fen).replace(",", "")
            market = format_yuan(source[s.value].market_price_fen).replace(",", "")
        else:
            member = market = ""
        rows.append(PriceRow(s, member, market, {k: v for k, v in errors.items()
                                                 if k.startswith(s.value + "-")}))
    return rows


def _prices_page(year: int, form: PriceListForm | None = None, status: int = 200,
                 saved: bool = False) -> Response:
    coop = coop_id()
    existing = prices_for_year(coop, year)
    previous = {} if existing else prices_for_year(coop, year - 1)
    rows = _price_rows(form, existing or previous)
    years = ledger_years(coop)
    return render("machinery/prices.html", "price_form", status=status, **page_context(
        year=year, rows=rows, exists=bool(existing),
        # the form shows last year's prices only when it is not what was posted
        prefilled=bool(previous) and form is None,
        saved=saved, message=refusal(form) if form is not None else None,
        closed=is_year_locked(coop, year), years=[*years, years[-1] + 1]))


@bp.get("/prices")
@roles_required(*READ)
def prices():
    return _prices_page(year_arg())


@bp.post("/prices/<int:year>")
@roles_required(*WRITE)
def prices_save(year: int):
    form = PriceListForm()

    def done(_) -> Response:
        if is_htmx():
            return _prices_page(year, saved=True)
        return redirect_to("machinery.prices", year=year)

    return save(form, lambda: set_prices(coop_id(), year, form.pairs()),
                again=lambda status, stale="": _prices_page(year, form, status),
                done=done, message=f"{year} 年价格表已保存")
