"""The meetings blueprint and what its view modules share."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from coop.auth.api import ADMIN, ALL_STAFF, Role, current_coop_id

bp = Blueprint("governance", __name__, url_prefix="/meetings")

# the secretary runs meetings; the accountant and the supervisor read
RUN = ADMIN
READ = ALL_STAFF


def coop_id() -> int:
    return current_coop_id()


def user_id() -> int:
    return current_user.id


def can_run() -> bool:
    return current_user.role == Role.ADMIN
