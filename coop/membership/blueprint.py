"""The membership blueprint and what its view modules share: the secretary
records, the accountant and the supervisor read."""
from __future__ import annotations

from flask import Blueprint

from coop.auth.api import ADMIN, ALL_STAFF

bp = Blueprint("membership", __name__, url_prefix="/membership")

RECORD = ADMIN
READ = ALL_STAFF
