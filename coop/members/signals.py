"""What the roster asks of the domains above it without importing them.

Members sits below the share register in the layers, yet a member may not
withdraw while holding shares or contributed land, and the member page shows
the holding. The roster sends ``holdings_requested`` with the member's id as
the sender; a domain that records holdings answers with a ``Holdings``
(coop/shares/receivers.py). With nobody answering a member holds nothing.
The member's page likewise asks ``panels_requested`` for the panels other
domains show there (the share register's holdings and history).
``status_changed`` tells the domains above that a member's status changed
(by the roster or by a confirmed membership event), so that whoever keeps the
member's login ends it when the membership ends (coop/portal/receivers.py).
``reversal_refusals_requested`` asks the domains above whether a status
change entered in error may still be reversed: each answers with the Chinese
reason it may not (a later share entry, an approved plan that left the member
out, a roster made since), or None. ``status_reversed`` then tells them it
was reversed (the portal enables the login the change had disabled).
``class_holdings_requested`` asks for every member's shares by class on a
day, for the roster workbook (coop/members/roster_book.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from blinker import Namespace

_signals = Namespace()

holdings_requested = _signals.signal(
    "member-holdings-requested",
    doc="Sent with a member's id; a receiver returns the Holdings it records for them.")


panels_requested = _signals.signal(
    "member-page-panels-requested",
    doc="Sent with a Member whose page is shown; a receiver returns the name of a "
        "template (a panel of its own) that the page includes with ``member`` in its context.")


status_changed = _signals.signal(
    "member-status-changed",
    doc="Sent with a Member whose status has just changed (already flushed).")


reversal_refusals_requested = _signals.signal(
    "member-status-reversal-refusals-requested",
    doc="Sent with the Member and ``change`` (a MemberStatusChange); a receiver returns "
        "why the change may not be reversed (Chinese), or None.")


status_reversed = _signals.signal(
    "member-status-reversed",
    doc="Sent with the Member whose status change ``change`` was just reversed (flushed).")


class_holdings_requested = _signals.signal(
    "member-class-holdings-requested",
    doc="Sent with a cooperative id and ``on`` (a date); a receiver returns "
        "{member id: {share class: shares}} of the holdings it records.")


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


def page_panels(member: object) -> list[str]:
    """The templates of the panels other domains show on ``member``'s page."""
    return [answer for _receiver, answer in panels_requested.send(member)
            if isinstance(answer, str)]


def announce_status_change(member: object) -> None:
    """Tell every receiver that ``member``'s status changed."""
    status_changed.send(member)


def reversal_refusals(member: object, change: object) -> list[str]:
    """Why the domains above refuse to reverse ``change`` of ``member`` (none: it may be)."""
    return [answer for _receiver, answer in reversal_refusals_requested.send(member, change=change)
            if isinstance(answer, str) and answer]


def announce_reversal(member: object, change: object) -> None:
    status_reversed.send(member, change=change)


def class_holdings(coop_id: int, on: object) -> dict[int, dict[str, int]]:
    """Every member's shares by class on ``on``, from whoever records them."""
    merged: dict[int, dict[str, int]] = {}
    for _receiver, answer in class_holdings_requested.send(coop_id, on=on):
        if isinstance(answer, dict):
            for member_id, classes in answer.items():
                mine = merged.setdefault(member_id, {})
                for share_class, shares in classes.items():
                    mine[share_class] = mine.get(share_class, 0) + shares
    return merged
