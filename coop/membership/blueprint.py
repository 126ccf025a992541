"""The membership blueprint and what its view modules share: the secretary
records, the accountant and the supervisor read."""
from __future__ import annotations

from flask import Blueprint

from coop.auth.api import ADMIN, ALL_STAFF, current_coop
from coop.cooperatives.api import LegalRegime

bp = Blueprint("membership", __name__, url_prefix="/membership")

RECORD = ADMIN
READ = ALL_STAFF


def is_rceo() -> bool:
    """Whether the signed-in user's cooperative is under the RCEO (农村集体经济组织法)."""
    return current_coop().legal_regime != LegalRegime.SPECIALIZED
