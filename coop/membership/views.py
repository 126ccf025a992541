"""The membership pages. Each view module registers its routes on ``bp``
(coop.membership.blueprint): views_people the disputes (art 56) and the
distribution rights of non-members (art 15), views_lists the confirmation
lists and their notice, views_rosters the roster versions and their filing."""
from __future__ import annotations

from coop.membership import views_lists, views_people, views_rosters  # noqa: F401  (their routes are on bp)
from coop.membership.blueprint import bp

__all__ = ["bp"]
