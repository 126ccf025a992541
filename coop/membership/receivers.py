"""Membership's answers to the roster's signals (coop.members.signals): the
roster sits below membership and cannot ask it directly. Connected when the
app factory imports this module (coop.domains)."""
from __future__ import annotations

from coop.members.api import Member, panels_requested


@panels_requested.connect
def people_panel(member: Member, **_: object) -> str:
    """Art 15 rights and the disputes over the member's membership, on the member's page."""
    return "membership/_people_panel.html"
