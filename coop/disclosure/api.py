"""What other domains may use of the financial disclosure (财务公开).

Other domains import from this module only; what is not here is private to
``coop.disclosure``.

``overdue(cooperative_id, today)``: the periods (the charter's months or
quarters, from the cooperative's first ledger day) not disclosed by the 15th
day after their end, oldest first, each an ``Overdue`` (``period.key`` and
``period.year`` name the page ``disclosure.period``)."""
from __future__ import annotations

from coop.disclosure.models import Disclosure  # noqa: F401
from coop.disclosure.rules import Period, PeriodState  # noqa: F401
from coop.disclosure.services import (Overdue, correction_of, overdue, published,  # noqa: F401
                                      superseded_ids)
from coop.disclosure.statement import Statement  # noqa: F401

__all__ = ["Disclosure", "Overdue", "Period", "PeriodState", "Statement", "correction_of", "overdue",
           "published", "superseded_ids"]
