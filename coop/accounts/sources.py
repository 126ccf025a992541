"""The figures a member account takes from the other domains: the capital on
the share register and the grants and donations the ledger received."""
from __future__ import annotations

from datetime import date

from coop.cooperatives.api import Cooperative
from coop.extensions import db
from coop.machinery.api import grants_received_fen
from coop.shares.api import register_weights


def capital_fen(coop_id: int, on: date) -> dict[int, int]:
    """member id -> capital contributed on ``on``: shares held (all classes)
    x the par value (members holding none are left out)."""
    par = db.session.get(Cooperative, coop_id).par_value_fen
    shares: dict[int, int] = {}
    for weight in register_weights(coop_id, on):
        shares[weight.member_id] = shares.get(weight.member_id, 0) + weight.shares
    return {member_id: n * par for member_id, n in shares.items() if n}


def year_grants_fen(coop_id: int, year: int) -> int:
    """State grants and donations received in ``year`` (other income of those
    kinds, and machines acquired with a government grant at their original
    value): what the year's plan quantifies to the members."""
    return grants_received_fen(coop_id, year)
