from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from coop.auth.access import MEMBER, roles_required
from coop.web import render

bp = Blueprint("portal", __name__, url_prefix="/me")


@bp.get("/")
@roles_required(*MEMBER)
def home():
    return render("portal/home.html", user=current_user)
