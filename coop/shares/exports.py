"""The holdings file (CSV), for the holdings page's download and the CLI."""
from __future__ import annotations

from datetime import date
from typing import IO

from coop.cooperatives.api import Cooperative
from coop.shares.register import holdings_with_members
from coop.spreadsheets import csv_writer


def write_holdings_csv(out: IO[str], coop: Cooperative, on: date) -> int:
    """member_no,name,kind,class,shares,value_fen: one row per member and class
    held on ``on``; returns the number of rows."""
    writer = csv_writer(out)
    writer.writerow(["member_no", "name", "kind", "class", "shares", "value_fen"])
    n = 0
    for member, share_class, shares in holdings_with_members(coop.id, on):
        writer.writerow([member.member_no, member.name, member.kind,
                         share_class, shares, shares * coop.par_value_fen])
        n += 1
    return n
