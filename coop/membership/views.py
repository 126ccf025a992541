"""The membership pages. Each view module registers its routes on ``bp``
(coop.membership.blueprint): views_events the events that gain or lose
membership (the hub, /membership/), views_households a household's split,
merge and moves, views_people the disputes (art 56) and the
distribution rights of non-members (art 15), views_lists the confirmation
lists and their notice, views_rosters the roster versions and their filing."""
from __future__ import annotations

from coop.membership import (  # noqa: F401  (their routes are on bp)
    views_events,
    views_households,
    views_lists,
    views_people,
    views_rosters,
)
from coop.membership.blueprint import bp

__all__ = ["bp"]
