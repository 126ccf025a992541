"""The membership pages. Each view module registers its routes on ``bp``
(coop.membership.blueprint): views_people the disputes (art 56) and the
distribution rights of non-members (art 15)."""
from __future__ import annotations

from coop.membership import views_people  # noqa: F401  (its routes are on bp)
from coop.membership.blueprint import bp

__all__ = ["bp"]
