from __future__ import annotations

from flask import Blueprint, request
from sqlalchemy import select

from coop.audit import services
from coop.audit.forms import AuditFilterForm
from coop.auth.api import Role, User, current_coop_id, roles_required
from coop.database import parse_id
from coop.extensions import db
from coop.web import page_number, render

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@roles_required(Role.ADMIN.value, Role.SUPERVISOR.value)
def index():
    form = AuditFilterForm(request.args)
    users = db.session.scalars(
        select(User).where(User.cooperative_id == current_coop_id())
        .order_by(User.display_name)
    ).all()
    labels = services.record_type_labels()
    form.user.choices = [("", "全部")] + [(str(u.id), u.display_name) for u in users]
    form.record_type.choices = [("", "全部")] + list(labels.items())
    valid = form.validate()
    entries = services.browse(
        current_coop_id(),
        user_id=parse_id(form.user.data) if valid else None,
        record_type=form.record_type.data if valid else None,
        date_from=form.date_from.data if valid else None,
        date_to=form.date_to.data if valid else None,
        page=page_number(),
    )
    return render("audit/index.html", block="results", form=form, entries=entries,
                  status=200 if valid else 422)
