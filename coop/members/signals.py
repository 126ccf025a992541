"""What the roster asks of the domains above it without importing them.

Members sits below the share register in the layers, yet a member may not
withdraw while holding shares or contributed land, and the member page shows
the holding. The roster sends ``holdings_requested`` with the member's id as
the sender; a domain that records holdings answers with a ``Holdings``
(coop/shares/receivers.py). With nobody answering a member holds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from blinker import Namespace

_signals = Namespace()

holdings_requested = _signals.signal(
    "member-holdings-requested",
    doc="Sent with a member's id; a receiver returns the Holdings it records for them.")


@dataclass(frozen=True)
class Holdings:
    """What a member holds today: shares of every class, and the hundredths of
    a mu of contributed land those shares carry."""

    shares: int = 0
    land_mu: int = 0


def holdings_of(member_id: int) -> Holdings:
    """The member's holdings, summed over every domain that answers."""
    answers = [answer for _receiver, answer in holdings_requested.send(member_id)
               if isinstance(answer, Holdings)]
    return Holdings(shares=sum(a.shares for a in answers),
                    land_mu=sum(a.land_mu for a in answers))
