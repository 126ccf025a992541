"""The office's disclosure pages: every period with its state, a period's
draft from the ledger and its publishing, a published disclosure with its
correction, and the poster for the village board. The secretary (admin)
publishes; the accountant and the supervisor read."""
from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user

from coop import clock
from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop, roles_required
from coop.cooperatives.api import DisclosurePeriod
from coop.disclosure import services
from coop.disclosure.forms import CorrectionForm, PublishForm
from coop.disclosure.models import Disclosure
from coop.disclosure.poster import poster_of
from coop.disclosure.rules import Period
from coop.disclosure.statement import Statement, receivables_label
from coop.web import owned, redirect_to, render, save

bp = Blueprint("disclosure", __name__, url_prefix="/disclosure")


def _period(year: int, key: str) -> Period:
    period = Period.parse(year, key)
    if period is None or not 1900 <= year <= 2999:
        abort(404)
    return period


def _can_publish() -> bool:
    return current_user.role == Role.ADMIN


@bp.get("/")
@roles_required(*ALL_STAFF)
def index():
    coop = current_coop()
    return render("disclosure/index.html", coop=coop, rows=services.period_rows(coop, clock.today()),
                  first_day=services.first_day(coop),
                  period_word=DisclosurePeriod.label_of(coop.disclosure_period))


def _period_page(period: Period, form: PublishForm, status: int = 200):
    coop = current_coop()
    current = services.current_of(coop.id, period)
    return render("disclosure/period.html", block="publish_form", status=status, coop=coop,
                  period=period, statement=services.compute(coop, period), current=current,
                  form=form, can_publish=_can_publish() and current is None, today=clock.today(),
                  receivables_label=receivables_label(period.ends_on, clock.today()))


@bp.get("/periods/<int:year>/<period_key>")
@roles_required(*ALL_STAFF)
def period(year: int, period_key: str):
    """The draft of a period, computed from the ledger as it is now."""
    return _period_page(_period(year, period_key), PublishForm())


@bp.post("/periods/<int:year>/<period_key>/publish")
@roles_required(*ADMIN)
def publish(year: int, period_key: str):
    period = _period(year, period_key)
    form = PublishForm()
    coop = current_coop()
    return save(form, lambda: services.publish(coop, period, form.published_on.data, current_user.id),
                again=lambda status, stale="": _period_page(period, form, status),
                message=lambda row: f"{period.label}财务已公开",
                done=lambda row: redirect_to("disclosure.show", disclosure_id=row.id))


def _show_page(disclosure: Disclosure, form: CorrectionForm, status: int = 200):
    coop = current_coop()
    correction = services.correction_of(disclosure)
    return render("disclosure/show.html", block="correction_form", status=status, coop=coop,
                  disclosure=disclosure, statement=Statement.from_dict(disclosure.figures),
                  corrected=owned(Disclosure, disclosure.corrects_id) if disclosure.corrects_id else None,
                  correction=correction, form=form,
                  can_correct=_can_publish() and correction is None)


@bp.get("/<int:disclosure_id>")
@roles_required(*ALL_STAFF)
def show(disclosure_id: int):
    """A published disclosure, as it was published."""
    return _show_page(owned(Disclosure, disclosure_id), CorrectionForm())


@bp.post("/<int:disclosure_id>/correct")
@roles_required(*ADMIN)
def correct(disclosure_id: int):
    disclosure = owned(Disclosure, disclosure_id)
    form = CorrectionForm()
    coop = current_coop()
    return save(form, lambda: services.correct(coop, disclosure.id, form.published_on.data,
                                               form.reason.data, current_user.id),
                again=lambda status, stale="": _show_page(disclosure, form, status),
                message=lambda row: f"已公开{row.period.label}的更正（第 {row.revision} 版）",
                done=lambda row: redirect_to("disclosure.show", disclosure_id=row.id))


@bp.get("/<int:disclosure_id>/poster")
@roles_required(*ALL_STAFF)
def poster(disclosure_id: int):
    """The printable poster for the village board, A4 or A3 (``?size=A3``)."""
    disclosure = owned(Disclosure, disclosure_id)
    size = "A3" if request.args.get("size", "").upper() == "A3" else "A4"
    return render("disclosure/poster.html", poster=poster_of(current_coop(), disclosure, size),
                  words=current_coop().words)
