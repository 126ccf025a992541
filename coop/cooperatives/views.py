from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from coop.auth.api import ADMIN, ALL_STAFF, Role, roles_required
from coop.cooperatives import services
from coop.cooperatives.constants import ShareClass
from coop.cooperatives.forms import CharterForm
from coop.cooperatives.signals import dashboard_panels
from coop.web import render, save

bp = Blueprint("cooperatives", __name__)


@bp.get("/")
@roles_required(*ALL_STAFF, Role.MEMBER.value)
def dashboard():
    if current_user.role == Role.MEMBER:
        return redirect(url_for("portal.home"))
    return render("cooperatives/dashboard.html", coop=current_user.cooperative,
                  share_classes=list(ShareClass), panels=dashboard_panels(current_user.cooperative))


def _charter_page(form: CharterForm, status: int = 200, saved: bool = False, stale: str = ""):
    return render("cooperatives/charter.html", block="charter_form", status=status,
                  form=form, coop=current_user.cooperative, saved=saved, stale=stale,
                  can_edit=current_user.role == Role.ADMIN)


def _charter_form(**kwargs) -> CharterForm:
    coop = current_user.cooperative
    form = CharterForm(**kwargs)
    if reason := services.par_value_lock(coop.id):
        form.lock_par_value(coop.par_value_fen, reason)
    return form


@bp.get("/charter")
@roles_required(*ALL_STAFF)
def charter():
    return _charter_page(_charter_form(obj=current_user.cooperative))


@bp.post("/charter/validate")
@roles_required(*ADMIN)
def charter_validate():
    """Inline validation: the same form block with every current error, nothing saved."""
    form = _charter_form()
    ok = form.validate()
    return _charter_page(form, status=200 if ok else 422)


@bp.post("/charter")
@roles_required(*ADMIN)
def charter_save():
    form = _charter_form()
    coop = current_user.cooperative

    def done(_):
        if request.htmx:
            return _charter_page(_charter_form(obj=coop, formdata=None), saved=True)
        return redirect(url_for("cooperatives.charter"))

    return save(form, lambda: services.update_charter(coop, form.values(), form.version.data),
                again=lambda status, stale="": _charter_page(form, status=status, stale=stale),
                message="章程已保存", done=done)
