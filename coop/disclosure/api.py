"""What other domains may use of the financial disclosure (财务公开).

Other domains import from this module only; what is not here is private to
``coop.disclosure``.

``overdue(cooperative_id, today)``: the periods (the charter's months or
quarters, from the cooperative's first ledger day) not disclosed by the 15th
day after their end, oldest first, each an ``Overdue`` (``period.key`` and
``period.year`` name the page ``disclosure.period``); ``overdue_of(ids, today)``:
the same of many cooperatives at once, cooperative id -> its list (only
those with any)."""
from __future__ import annotations

from coop.disclosure.models import Disclosure  # noqa: F401
from coop.disclosure.rules import Period, PeriodState  # noqa: F401
from coop.disclosure.services import (Overdue, correction_of, overdue, overdue_of,  # noqa: F401
                                      published, superseded_ids)
from coop.disclosure.statement import Statement  # noqa: F401

__all__ = ["Disclosure", "Overdue", "Period", "PeriodState", "Statement", "correction_of", "overdue",
           "overdue_of", "published", "superseded_ids"]
