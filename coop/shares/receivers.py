"""The share register's answers to the roster's signals (coop.members.signals):
the roster sits below the register and cannot ask it directly. Connected when
the module is imported, which the app factory does for every domain's
``receivers`` module (coop.domains)."""
from __future__ import annotations

from coop.members.api import Holdings, Member, holdings_requested, panels_requested
from coop.shares.api import member_land_mu, member_total_shares


@holdings_requested.connect
def member_holdings(member_id: int, **_: object) -> Holdings:
    """Shares held today and the land they carry (every entry recorded so far)."""
    return Holdings(shares=member_total_shares(member_id), land_mu=member_land_mu(member_id))


@panels_requested.connect
def member_page_panel(member: Member, **_: object) -> str:
    """The member's holdings by class and register history, on the member's page."""
    return "shares/_member_panel.html"
