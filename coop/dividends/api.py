"""What other domains may use of the distribution plans.

Other domains import from this module only; what is not here is private to
``coop.dividends``."""
from __future__ import annotations

from coop.dividends.assembly import approving_assembly  # noqa: F401
from coop.dividends.constants import PlanStatus, WeightBasis  # noqa: F401
from coop.dividends.models import DividendLine, DividendPlan  # noqa: F401
from coop.dividends.reading import browse_lines, effective_plan, notice_end  # noqa: F401
from coop.dividends.paid import Paid, PaidPart, paid_of  # noqa: F401
from coop.dividends.reading import WaterfallStep, waterfall  # noqa: F401
from coop.dividends.notice import Pool, members_total_fen, pools  # noqa: F401
from coop.dividends.tallies import (CashDividend, DividendTally, dividend_tallies,  # noqa: F401
                                    drafts_progress, large_cash_dividends, paid_in_year)

__all__ = [
    "Paid",
    "PaidPart",
    "approving_assembly",
    "paid_of",
    "CashDividend",
    "DividendTally",
    "dividend_tallies",
    "drafts_progress",
    "large_cash_dividends",
    "paid_in_year",
    "DividendLine",
    "DividendPlan",
    "Pool",
    "members_total_fen",
    "pools",
    "PlanStatus",
    "WaterfallStep",
    "WeightBasis",
    "browse_lines",
    "effective_plan",
    "notice_end",
    "waterfall",
]
