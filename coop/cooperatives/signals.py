"""What the home page asks of the domains above it without importing them.

The dashboard sends ``dashboard_panels_requested`` with the signed-in
user's cooperative as the sender; a domain with something the office must
act on answers with a ``DashboardPanel`` (a template of its own and what it
shows), or None when there is nothing (e.g. coop/membership/receivers.py:
roster versions not filed within 30 days)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blinker import Namespace

_signals = Namespace()

dashboard_panels_requested = _signals.signal(
    "dashboard-panels-requested",
    doc="Sent with a Cooperative whose home page is shown; a receiver returns a DashboardPanel "
        "or None.")


@dataclass(frozen=True)
class DashboardPanel:
    """A panel of another domain on the home page: its template, included
    with ``panel`` (this object) in the context."""

    template: str
    data: dict[str, Any] = field(default_factory=dict)


def dashboard_panels(coop: object) -> list[DashboardPanel]:
    return [answer for _receiver, answer in dashboard_panels_requested.send(coop)
            if isinstance(answer, DashboardPanel)]
