"""Machinery ledger pages on one blueprint, ``bp`` (what ``coop.domains``
registers). Thin: parse, save through ``coop.web.save``, render through
``coop.web.render``. Importing this package registers every route: each
module adds its own to ``bp``."""
from __future__ import annotations

from coop.machinery.views import cash, fleet, orders, years  # noqa: F401  (the routes)
from coop.machinery.views.common import bp

__all__ = ["bp"]
