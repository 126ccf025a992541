"""Holdings and pooled land of many cooperatives at once (the township and
county overview): one GROUP BY over the register's kept sums
(``share_sums``, a row per cooperative, date and kind of entry), never a
query per cooperative."""
from __future__ import annotations

from datetime import date
from typing import Iterable, NamedTuple

from sqlalchemy import func, select

from coop.extensions import db
from coop.shares.models import ShareSum


class RegisterTally(NamedTuple):
    shares_by_class: dict[str, int]
    land_mu: int  # hundredths of a mu carried by the shares held

    @property
    def shares(self) -> int:
        return sum(self.shares_by_class.values())


def register_tallies(coop_ids: Iterable[int], on: date) -> dict[int, RegisterTally]:
    """cooperative id -> the shares held in each class and the land pooled on
    ``on`` (every entry dated on or before it; a transfer moves land between
    members, a redemption returns it, so the cooperative's sum is what is
    pooled). The kept sums are the register's to the entry, on any date:
    every write adds its entries to them in the same flush."""
    sums = ShareSum.__table__
    rows = db.session.execute(
        select(sums.c.cooperative_id, sums.c.share_class,
               func.sum(sums.c.shares), func.coalesce(func.sum(sums.c.land_mu), 0))
        .where(sums.c.cooperative_id.in_(list(coop_ids)), sums.c.effective_on <= on)
        .group_by(sums.c.cooperative_id, sums.c.share_class))
    out: dict[int, RegisterTally] = {}
    for coop_id, share_class, shares, land in rows:
        tally = out.setdefault(coop_id, RegisterTally({}, 0))
        tally.shares_by_class[share_class] = int(shares)
        out[coop_id] = tally._replace(land_mu=tally.land_mu + int(land))
    return out
