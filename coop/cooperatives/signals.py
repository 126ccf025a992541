"""What the cooperative's pages and charter ask of the domains above them
without importing them.

The dashboard sends ``dashboard_panels_requested`` with the signed-in
user's cooperative as the sender; a domain with something the office must
act on answers with a ``DashboardPanel`` (a template of its own and what it
shows), or None when there is nothing (e.g. coop/membership/receivers.py:
roster versions not filed within 30 days).

Some charter rules can only be judged against the records of the domains
above: the extra votes of a specialized cooperative (农民专业合作社法第二十二条)
depend on the members' capital and transactions. ``update_charter`` sends
``charter_review_requested`` with the cooperative as the sender and the new
``values``; a receiver (coop/governance/receivers.py) returns a dict of
field -> message for what the new charter would break. With nobody
answering nothing is refused."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from blinker import Namespace

_signals = Namespace()

dashboard_panels_requested = _signals.signal(
    "dashboard-panels-requested",
    doc="Sent with a Cooperative whose home page is shown; a receiver returns a DashboardPanel "
        "or None.")

charter_review_requested = _signals.signal(
    "charter-review-requested",
    doc="Sent with the Cooperative whose charter is about to be saved and ``values`` (the new "
        "charter, already valid by charter_errors); a receiver returns a dict field -> message.")


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of another domain on the home page: its template, included
    with ``panel`` (this object) in the context."""

    template: str
    data: dict[str, Any] = field(default_factory=dict)


def dashboard_panels(coop: object) -> list[DashboardPanel]:
    return [answer for _receiver, answer in dashboard_panels_requested.send(coop)
            if isinstance(answer, DashboardPanel)]


def charter_review(coop: object, values: Mapping[str, Any]) -> dict[str, str]:
    """What every answering domain refuses in the new charter ``values``."""
    errors: dict[str, str] = {}
    for _receiver, answer in charter_review_requested.send(coop, values=dict(values)):
        for name, message in (answer or {}).items():
            errors.setdefault(name, message)
    return errors
