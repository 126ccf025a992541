"""Share register pages. Thin: parse the form, call a service, save through
coop.web.save, render through coop.web.render.

The secretary (admin) records movements; accountant and supervisor read.
The movement forms are in coop.shares.movement_views, the founding page in
coop.shares.founding_views; both register on this blueprint.
"""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from flask import Blueprint, current_app, make_response, request, send_file, url_for
from flask_login import current_user

from coop import clock
from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, roles_required
from coop.cooperatives.api import Cooperative, ShareClass, is_year_locked
from coop.extensions import db
from coop.members.api import Member
from coop.paging import Page
from coop.shares import founding_views, import_views, movement_views
from coop.shares.certificates import certificate_of, certificates_part
from coop.shares.charts import structure_chart
from coop.shares.citing import citable_resolutions
from coop.shares.exports import holdings_workbook, write_holdings_csv
from coop.shares.forms import AsOfForm, RegisterFilterForm, ReversalForm
from coop.shares.models import ShareEntry
from coop.shares.movements import reverse_entry
from coop.shares.plans import plan_reversal
from coop.shares.register import (
    counted_page,
    holdings_table_query,
    member_by_no,
    CLASSES,
    member_history,
    movement_entries,
    register_query,
    reversal_of,
)
from coop.shares.rules import class_lands, land_carried
from coop.shares.structure import structure as share_structure
from coop.web import owned, page_number, redirect_to, render, save
from coop.workbooks import XLSX_MIMETYPE

bp = Blueprint("shares", __name__, url_prefix="/shares")
movement_views.register(bp)
founding_views.register(bp)
import_views.register(bp)

PER_PAGE = 50


def _coop():
    return current_coop()


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
    """Holdings by class and the register history of a member (for the member
    page); the holdings and land are summed from the history read once."""
    history = member_history(member.id)
    held = class_lands(history)
    holdings = {sc: held[sc].shares if sc in held else 0 for sc in CLASSES}
    return {
        "holdings": holdings,
        "total": sum(holdings.values()),
        "history": history,
        "labels": {sc: sc.label for sc in ShareClass},
        "par_value_fen": db.session.get(Cooperative, member.cooperative_id).par_value_fen,
        "land_mu": land_carried(class_lands(history, clock.today()).values()),
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
    rows = counted_page(holdings_table_query(coop.id, on), page_number(), PER_PAGE)
    return render("shares/holdings.html", block="results", form=form, on=on, coop=coop,
                  rows=rows,
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


@bp.get("/holdings.xlsx")
@roles_required(*ALL_STAFF)
def holdings_xlsx():
    _, on = _as_of()
    coop = _coop()
    return send_file(holdings_workbook(coop, on), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"{coop.code}-成员持股-{on.isoformat()}.xlsx")


# -- one entry, and its reversal -----------------------------------------------------------


def _entry_page(entry: ShareEntry, form: ReversalForm | None = None, status: int = 200,
                preview: dict | None = None, form_error: str = "", block: str = "reversal"):
    if form is None:
        form = ReversalForm(formdata=None)
        closed = is_year_locked(entry.cooperative_id, entry.effective_on.year)
        form.effective_on.data = clock.today() if closed else entry.effective_on
    form.offer_resolutions(citable_resolutions(entry.cooperative_id))
    # a preview leaves the page's flash messages alone
    return render("shares/entry.html", block=block, status=status, flashes=block != "preview",
                  entry=entry, movement=movement_entries(entry), reversal=reversal_of(entry),
                  reversed_entry=entry.reverses, form=form, preview=preview,
                  form_error=form_error, can_edit=_can_edit())


@bp.get("/entries/<int:entry_id>")
@roles_required(*ALL_STAFF)
def entry(entry_id: int):
    return _entry_page(owned(ShareEntry, entry_id))


def _reversal_preview(entry: ShareEntry, form: ReversalForm) -> dict:
    form.validate()
    if form.effective_on.errors:
        return {"started": True, "messages": form.effective_on.errors}
    return movement_views.assessed(
        lambda: plan_reversal(_coop(), entry_id=entry.id, effective_on=form.effective_on.data),
        form, started=True)


@bp.post("/entries/<int:entry_id>/reverse/preview")
@roles_required(*ADMIN)
def reverse_preview(entry_id: int):
    entry = owned(ShareEntry, entry_id)
    form = ReversalForm()
    return _entry_page(entry, form, preview=_reversal_preview(entry, form), block="preview")


@bp.post("/entries/<int:entry_id>/reverse")
@roles_required(*ADMIN)
def reverse(entry_id: int):
    entry = owned(ShareEntry, entry_id)
    form = ReversalForm()
    form.validate()
    if form.effective_on.errors:
        return _entry_page(entry, form, status=422, form_error="请修改标红的内容；没有保存任何内容。")
    return save(
        form, lambda: reverse_entry(_coop(), entry.id, effective_on=form.effective_on.data,
                                    resolution_no=form.resolution_no.data or "",
                                    note=form.note.data or "", recorded_by_id=current_user.id),
        validate=False,
        again=lambda status, stale="": _entry_page(
            entry, form, status=status, form_error=form.refusal_message("请修改标红的内容")),
        message=lambda entries: f"已冲销第 {entry.id} 号登记（冲销记录第 {entries[0].id} 号起）",
        done=lambda entries: redirect_to("shares.entry", entry_id=entries[0].id))


# -- a member's shares and certificates ---------------------------------------------------------


@bp.get("/members/<int:member_id>")
@roles_required(*ALL_STAFF)
def member(member_id: int):
    return render("shares/member.html", member=owned(Member, member_id), can_edit=_can_edit(),
                  coop=_coop(), has_member_page="members.detail" in current_app.view_functions)


@bp.get("/certificates/<int:member_id>")
@roles_required(*ALL_STAFF)
def certificate(member_id: int):
    form, on = _as_of()
    cert = certificate_of(_coop(), owned(Member, member_id), on)
    return render("shares/certificates.html", coop=_coop(), on=on, form=form,
                  certificates=[cert], single=True,
                  pdf_url=url_for("statements.certificate_pdf", member_id=member_id, on=on.isoformat()))


@bp.get("/certificates")
@roles_required(*ALL_STAFF)
def certificates():
    form, on = _as_of()
    coop = _coop()
    part = certificates_part(coop, on, page_number())
    return render("shares/certificates.html", coop=coop, on=on, form=form,
                  certificates=part.items, part=part,
                  pdf_url=url_for("statements.certificates_pdf", on=on.isoformat(), page=part.page),
                  single=False)
