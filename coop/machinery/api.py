"""What other domains may use of the machinery-service ledger.

Other domains import from this module only; what is not here is private to
``coop.machinery``."""
from __future__ import annotations

from coop.machinery.business import (  # noqa: F401
    Business,
    BusinessSplit,
    business_split,
    GrantsReceived,
    grants_received,
    grants_received_fen,
    member_business,
    member_business_by_year,
)
from coop.machinery.distribution import (awaiting_plan_fen, ensure_distributable,  # noqa: F401
                                         record_distribution)
from coop.machinery.models import Machine  # noqa: F401
from coop.machinery.orders import OrderInput, create_order  # noqa: F401
from coop.machinery.periodic import (  # noqa: F401
    KindAmount,
    LedgerItem,
    PeriodLedger,
    first_ledger_day,
    period_ledger,
)
from coop.machinery.periods import closed_years, is_year_closed  # noqa: F401
from coop.machinery.reports import GroupLine, client_group_report, service_report  # noqa: F401
from coop.machinery.surplus import SurplusRow, surplus_rows  # noqa: F401
from coop.machinery.years import (  # noqa: F401
    close_year,
    ledger_years,
    member_transactions,
    year_figures,
)
from coop.machinery.tallies import (LargeExpense, ReceivableTally, closed_years_of,  # noqa: F401
                                    first_ledger_days, large_expenses, receivable_tallies,
                                    year_figures_of, years_figures_of)

__all__ = [
    "LargeExpense",
    "ReceivableTally",
    "closed_years_of",
    "first_ledger_days",
    "large_expenses",
    "receivable_tallies",
    "year_figures_of",
    "years_figures_of",
    "Business",
    "BusinessSplit",
    "GroupLine",
    "KindAmount",
    "LedgerItem",
    "PeriodLedger",
    "Machine",
    "OrderInput",
    "create_order",
    "SurplusRow",
    "business_split",
    "close_year",
    "client_group_report",
    "closed_years",
    "awaiting_plan_fen",
    "ensure_distributable",
    "first_ledger_day",
    "GrantsReceived",
    "grants_received",
    "grants_received_fen",
    "is_year_closed",
    "ledger_years",
    "member_business",
    "member_business_by_year",
    "member_transactions",
    "period_ledger",
    "record_distribution",
    "service_report",
    "surplus_rows",
    "year_figures",
]
