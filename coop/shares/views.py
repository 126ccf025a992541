"""Share register pages. Thin: parse the form, call a service, commit once, render.

The secretary (admin) records movements; accountant and supervisor read.
Every movement form has a live preview (htmx) that runs the same plan and
assessment as the save, without writing anything.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, make_response, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from coop import clock
from coop.paging import Page
from coop.auth.access import ADMIN, ALL_STAFF, roles_required
from coop.auth.models import Role
from coop.cooperatives.closing import is_year_locked
from coop.cooperatives.constants import ShareClass
from coop.cooperatives.models import Cooperative
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.members.models import Member
from coop.shares import founding_views
from coop.shares.assessment import assess
from coop.shares.land import member_land_mu
from coop.shares.movements import commit_plan, reverse_entry
from coop.shares.plans import (
    plan_contribution,
    plan_inheritance,
    plan_redemption,
    plan_reversal,
    plan_transfer,
)
from coop.shares.register import (
    holdings_table_query,
    member_by_no,
    member_history,
    member_holdings,
    movement_entries,
    register_query,
    reversal_of,
)
from coop.shares.structure import structure as share_structure
from coop.shares.charts import structure_chart
from coop.shares.exports import write_holdings_csv
from coop.shares.forms import (
    AsOfForm,
    ContributionForm,
    InheritanceForm,
    RedemptionForm,
    RegisterFilterForm,
    ReversalForm,
    TransferForm,
)
from coop.shares.models import ShareEntry
from coop.tenancy import find_owned
from coop.web import is_htmx, page_number, redirect_to, render

bp = Blueprint("shares", __name__, url_prefix="/shares")

PER_PAGE = 50


def _coop():
    return current_user.cooperative


def _can_edit() -> bool:
    return current_user.role == Role.ADMIN


def _as_of(default: date | None = None) -> tuple[AsOfForm, date]:
    form = AsOfForm(request.args)
    form.validate()
    if form.on.data is None and not form.on.errors:
        form.on.data = default or clock.today()
    return form, (form.on.data or default or clock.today())


@bp.app_template_global("member_shares")
def member_shares(member: Member) -> dict[str, Any]:
    """Holdings by class and the register history of a member (for the member page)."""
    holdings = member_holdings(member.id)
    return {
        "holdings": holdings,
        "total": sum(holdings.values()),
        "history": member_history(member.id),
        "labels": {sc: sc.label for sc in ShareClass},
        "par_value_fen": db.session.get(Cooperative, member.cooperative_id).par_value_fen,
        "land_mu": member_land_mu(member.id, clock.today()),
    }


# -- structure dashboard ------------------------------------------------------------


@bp.get("/")
@roles_required(*ALL_STAFF)
def structure():
    form, on = _as_of()
    coop = _coop()
    data = share_structure(coop, on)
    return render("shares/structure.html", block="structure", form=form, coop=coop, s=data,
                  chart=structure_chart(data.classes), can_edit=_can_edit(), on=on,
                  status=200 if not form.errors else 422)


# -- register and holdings -------------------------------------------------------------


@bp.get("/register")
@roles_required(*ALL_STAFF)
def register():
    form = RegisterFilterForm(request.args)
    valid = form.validate()
    coop = _coop()
    member = None
    if valid and (form.member_no.data or "").strip():
        member = member_by_no(coop, form.member_no.data)
        if member is None:
            form.member_no.errors = [f"本合作社没有成员编号为 {form.member_no.data.strip()} 的成员"]
            valid = False
    if valid:
        query = register_query(
            coop.id, member_id=member.id if member else None,
            share_class=form.share_class.data or None, entry_kind=form.entry_kind.data or None,
            date_from=form.date_from.data, date_to=form.date_to.data)
        entries = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    else:
        entries = Page([], 1, PER_PAGE, 0)
    return render("shares/register.html", block="results", form=form, entries=entries,
                  status=200 if valid else 422, can_edit=_can_edit())


@bp.get("/holdings")
@roles_required(*ALL_STAFF)
def holdings():
    form, on = _as_of()
    coop = _coop()
    query = holdings_table_query(coop.id, on)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_number()
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render("shares/holdings.html", block="results", form=form, on=on, coop=coop,
                  rows=Page(rows, page, PER_PAGE, total),
                  status=200 if not form.errors else 422)


@bp.get("/holdings.csv")
@roles_required(*ALL_STAFF)
def holdings_csv():
    _, on = _as_of()
    coop = _coop()
    out = io.StringIO()
    write_holdings_csv(out, coop, on)
    resp = make_response("\ufeff" + out.getvalue())  # BOM: Excel opens it as UTF-8
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=holdings-{coop.code}-{on.isoformat()}.csv")
    return resp


# -- movements -------------------------------------------------------------------------


def _resolve(form, field_name: str, loose: dict[str, str]) -> int | None:
    """The id of the member whose number was typed in ``field_name``; errors go to the field."""
    field = getattr(form, field_name)
    text = (field.data or "").strip()
    if not text:
        return None
    member = member_by_no(_coop(), text)
    if member is None:
        loose[field_name] = f"本合作社没有成员编号为 {text} 的成员"
        return None
    return member.id


def _contribution_plan(form: ContributionForm, errors: dict[str, str]):
    member_id = _resolve(form, "member_no", errors)
    return lambda: plan_contribution(
        _coop(), member_id=member_id, share_class=form.share_class.data,
        contribution_kind=form.contribution_kind.data, effective_on=form.effective_on.data,
        amount_fen=form.amount_fen.data, land_mu=form.land_mu.data,
        price_per_mu_fen=form.price_per_mu_fen.data, labour_days=form.labour_days.data,
        price_per_day_fen=form.price_per_day_fen.data, asset_name=form.asset_name.data or "",
        machine_id=form.machine_value())


def _transfer_plan(form: TransferForm, errors: dict[str, str]):
    giver = _resolve(form, "from_member_no", errors)
    taker = _resolve(form, "to_member_no", errors)
    return lambda: plan_transfer(
        _coop(), from_member_id=giver, to_member_id=taker, share_class=form.share_class.data,
        shares=form.shares.data, effective_on=form.effective_on.data)


def _redemption_plan(form: RedemptionForm, errors: dict[str, str]):
    member_id = _resolve(form, "member_no", errors)
    return lambda: plan_redemption(
        _coop(), member_id=member_id, share_class=form.share_class.data,
        shares=form.shares.data, effective_on=form.effective_on.data)


def _inheritance_plan(form: InheritanceForm, errors: dict[str, str]):
    deceased = _resolve(form, "deceased_no", errors)
    heir = _resolve(form, "heir_no", errors)
    new_heir = form.new_heir()
    if heir is None and new_heir is None and "heir_no" not in errors:
        errors["heir_no"] = "请填写继承人的成员编号；继承人还不是成员时，请填写下方的新成员信息"
    return lambda: plan_inheritance(
        _coop(), deceased_id=deceased, heir_id=heir, new_heir=new_heir,
        effective_on=form.effective_on.data,
        shares_by_class={"villager": form.villager_shares.data,
                         "cadre": form.cadre_shares.data})


MOVEMENTS: dict[str, dict[str, Any]] = {
    "contribute": {"form": ContributionForm, "plan": _contribution_plan, "title": "登记入股",
                   "button": "保存入股登记", "key": "member_no"},
    "transfer": {"form": TransferForm, "plan": _transfer_plan, "title": "股份转让",
                 "button": "保存转让登记", "key": "from_member_no"},
    "redeem": {"form": RedemptionForm, "plan": _redemption_plan, "title": "退股",
               "button": "保存退股登记", "key": "member_no"},
    "inherit": {"form": InheritanceForm, "plan": _inheritance_plan, "title": "股份继承",
                "button": "保存继承登记", "key": "deceased_no"},
}


def _machine_choices(form: ContributionForm) -> None:
    try:
        from coop.machinery.models import Machine
    except ImportError:  # pragma: no cover - machinery is part of the app
        return
    machines = db.session.scalars(
        select(Machine).where(Machine.cooperative_id == current_user.cooperative_id)
        .order_by(Machine.name)).all()
    form.machine_id.choices = [("", "（不关联）")] + [
        (str(m.id), f"{m.name}{(' ' + m.model) if m.model else ''}"
                    f"{('（' + m.plate + '）') if m.plate else ''}") for m in machines]


def _new_form(kind: str, formdata=None):
    form = MOVEMENTS[kind]["form"](formdata=formdata) if formdata is not None else \
        MOVEMENTS[kind]["form"]()
    if isinstance(form, ContributionForm):
        _machine_choices(form)
    return form


def _render(template: str, block: str, status: int = 200, **context: Any):
    """Like coop.web.render, but a preview fragment leaves the page's flash messages
    alone (render() would swap in an empty flash area out of band)."""
    if block == "preview" and is_htmx():
        return make_response(render_block(template, block, **context), status)
    return render(template, block=block, status=status, **context)


def _movement_page(kind: str, form, *, preview: dict | None = None, status: int = 200,
                   form_error: str = "", block: str = "movement_form"):
    spec = MOVEMENTS[kind]
    return _render("shares/movement.html", block=block, status=status, kind=kind, form=form,
                  title=spec["title"], button=spec["button"], preview=preview,
                  form_error=form_error, coop=_coop(),
                  preview_url=url_for(f"shares.{kind}_preview"),
                  save_url=url_for(f"shares.{kind}_save"))


def _preview(kind: str, form) -> dict:
    """What the form would do: the assessment, or the messages that stop it."""
    form.validate()
    errors: dict[str, str] = {n: f.errors[0] for n, f in form._fields.items() if f.errors}
    errors.pop("csrf_token", None)
    make_plan = MOVEMENTS[kind]["plan"](form, errors)
    started = bool((getattr(form, MOVEMENTS[kind]["key"]).data or "").strip())
    if errors:
        return {"started": started, "messages": list(errors.values())}
    try:
        plan = make_plan()
        assessment = assess(plan)
    except ValidationFailed as exc:
        return {"started": started, "messages": list(exc.errors.values())}
    except ServiceError as exc:
        return {"started": started, "messages": [exc.message]}
    return {"started": True, "assessment": assessment, "messages": [],
            "resolution": (form.resolution_no.data or "").strip()}


def _save(kind: str, form):
    """Validate, write, commit; or the form again with every message in place (422)."""
    form.validate()
    errors: dict[str, str] = {}
    make_plan = MOVEMENTS[kind]["plan"](form, errors)
    if errors or any(f.errors for n, f in form._fields.items() if n != "csrf_token"):
        form.set_errors(errors)
        return _movement_page(kind, form, status=422,
                              form_error="有内容需要修改，请看标红的输入框；没有保存任何内容。")
    try:
        entries = commit_plan(make_plan(), resolution_no=form.resolution_no.data or "",
                                       note=form.note.data or "",
                                       recorded_by_id=current_user.id)
    except ValidationFailed as exc:
        db.session.rollback()
        loose = form.set_errors(exc.errors)
        message = "；".join(loose) if loose else "有内容需要修改，请看标红的输入框"
        return _movement_page(kind, form, status=422,
                              form_error=message + "；没有保存任何内容。")
    except ServiceError as exc:
        db.session.rollback()
        if exc.field == "resolution_no":
            form.resolution_no.errors = ["突破章程规定时须填写决议文号"]
        elif exc.field and hasattr(form, exc.field):
            getattr(form, exc.field).errors = [exc.message]
        return _movement_page(kind, form, status=422, form_error=exc.message + " 没有保存任何内容。",
                              preview=_preview(kind, _new_form(kind)))
    db.session.commit()
    flash(f"已登记：{entries[0].kind_label}，第 {entries[0].id} 号起共 {len(entries)} 条", "success")
    return redirect_to("shares.entry", entry_id=entries[0].id)


def _register_movement(kind: str, path: str) -> None:
    def page():
        form = _new_form(kind)
        if not form.effective_on.data:
            form.effective_on.data = clock.today()
        for name in ("member_no", "deceased_no", "from_member_no"):
            if name in request.args and hasattr(form, name):
                getattr(form, name).data = request.args[name]
        return _movement_page(kind, form, preview={"started": False, "messages": []})

    def preview():
        form = _new_form(kind)
        return _movement_page(kind, form, preview=_preview(kind, form), block="preview")

    def save():
        return _save(kind, _new_form(kind))

    for fn, name in ((page, kind), (preview, f"{kind}_preview"), (save, f"{kind}_save")):
        fn.__name__ = name
    bp.add_url_rule(path, kind, roles_required(*ADMIN)(page), methods=["GET"])
    bp.add_url_rule(f"{path}/preview", f"{kind}_preview", roles_required(*ADMIN)(preview),
                    methods=["POST"])
    bp.add_url_rule(path, f"{kind}_save", roles_required(*ADMIN)(save), methods=["POST"])


_register_movement("contribute", "/contribute")
_register_movement("transfer", "/transfer")
_register_movement("redeem", "/redeem")
_register_movement("inherit", "/inherit")
founding_views.register(bp)


# -- one entry, and its reversal -----------------------------------------------------------


def _entry_or_404(entry_id: int) -> ShareEntry:
    entry = find_owned(ShareEntry, entry_id, current_user.cooperative_id)
    if entry is None:
        abort(404)
    return entry


def _entry_page(entry: ShareEntry, form: ReversalForm | None = None, status: int = 200,
                preview: dict | None = None, form_error: str = "", block: str | None = None):
    if form is None:
        form = ReversalForm(formdata=None)
        closed = is_year_locked(entry.cooperative_id, entry.effective_on.year)
        form.effective_on.data = clock.today() if closed else entry.effective_on
    return _render("shares/entry.html", block=block or "reversal", status=status, entry=entry,
                  movement=movement_entries(entry),
                  reversal=reversal_of(entry),
                  reversed_entry=entry.reverses, form=form, preview=preview,
                  form_error=form_error, can_edit=_can_edit())


@bp.get("/entries/<int:entry_id>")
@roles_required(*ALL_STAFF)
def entry(entry_id: int):
    return _entry_page(_entry_or_404(entry_id))


def _reversal_preview(entry: ShareEntry, form: ReversalForm) -> dict:
    form.validate()
    if form.effective_on.errors:
        return {"started": True, "messages": form.effective_on.errors}
    try:
        assessment = assess(plan_reversal(
            _coop(), entry_id=entry.id, effective_on=form.effective_on.data))
    except ValidationFailed as exc:
        return {"started": True, "messages": list(exc.errors.values())}
    except ServiceError as exc:
        return {"started": True, "messages": [exc.message]}
    return {"started": True, "assessment": assessment, "messages": [],
            "resolution": (form.resolution_no.data or "").strip()}


@bp.post("/entries/<int:entry_id>/reverse/preview")
@roles_required(*ADMIN)
def reverse_preview(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = ReversalForm()
    return _entry_page(entry, form, preview=_reversal_preview(entry, form), block="preview")


@bp.post("/entries/<int:entry_id>/reverse")
@roles_required(*ADMIN)
def reverse(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = ReversalForm()
    form.validate()
    if form.effective_on.errors:
        return _entry_page(entry, form, status=422, form_error="请修改标红的内容；没有保存任何内容。")
    try:
        entries = reverse_entry(_coop(), entry.id, effective_on=form.effective_on.data,
                                         resolution_no=form.resolution_no.data or "",
                                         note=form.note.data or "",
                                         recorded_by_id=current_user.id)
    except ValidationFailed as exc:
        db.session.rollback()
        loose = form.set_errors(exc.errors)
        return _entry_page(entry, form, status=422,
                           form_error=("；".join(loose) or "请修改标红的内容") + "；没有保存任何内容。")
    except ServiceError as exc:
        db.session.rollback()
        if exc.field == "resolution_no":
            form.resolution_no.errors = ["突破章程规定时须填写决议文号"]
        return _entry_page(entry, form, status=422, form_error=exc.message + " 没有保存任何内容。")
    db.session.commit()
    flash(f"已冲销第 {entry.id} 号登记（冲销记录第 {entries[0].id} 号起）", "success")
    return redirect_to("shares.entry", entry_id=entries[0].id)


# -- a member's shares and certificates ---------------------------------------------------------


def _member_or_404(member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None or member.cooperative_id != current_user.cooperative_id:
        abort(404)
    return member


@bp.get("/members/<int:member_id>")
@roles_required(*ALL_STAFF)
def member(member_id: int):
    m = _member_or_404(member_id)
    from flask import current_app

    return render("shares/member.html", member=m, can_edit=_can_edit(), coop=_coop(),
                  has_member_page="members.detail" in current_app.view_functions)


def _certificate(member: Member, on: date) -> dict[str, Any]:
    coop = _coop()
    by_class = member_holdings(member.id, on)
    return {
        "member": member,
        "number": f"{coop.code.upper()}-{member.member_no}",
        "rows": [(ShareClass(sc).label, n, n * coop.par_value_fen)
                 for sc, n in by_class.items() if n],
        "total": sum(by_class.values()),
        "value_fen": sum(by_class.values()) * coop.par_value_fen,
        "land_mu": member_land_mu(member.id, on),
    }


@bp.get("/certificates/<int:member_id>")
@roles_required(*ALL_STAFF)
def certificate(member_id: int):
    form, on = _as_of()
    m = _member_or_404(member_id)
    return render("shares/certificates.html", coop=_coop(), on=on, form=form,
                  certificates=[_certificate(m, on)], single=True)


@bp.get("/certificates")
@roles_required(*ALL_STAFF)
def certificates():
    form, on = _as_of()
    coop = _coop()
    rows = db.session.execute(holdings_table_query(coop.id, on)).all()
    certs = []
    for m, collective, villager, cadre, total in rows:
        if total <= 0:
            continue
        by_class = {"collective": collective, "villager": villager, "cadre": cadre}
        certs.append({
            "member": m, "number": f"{coop.code.upper()}-{m.member_no}",
            "rows": [(ShareClass(sc).label, int(n), int(n) * coop.par_value_fen)
                     for sc, n in by_class.items() if n],
            "total": int(total), "value_fen": int(total) * coop.par_value_fen,
            "land_mu": None,
        })
    return render("shares/certificates.html", coop=coop, on=on, form=form, certificates=certs,
                  single=False)

