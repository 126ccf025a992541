"""The demo's financial disclosures: wljs published each quarter that has
ended, ten days after its end (or today, for a quarter that ended less than
ten days ago). hxnj publishes none: its home page shows what overdue looks like."""
from __future__ import annotations

from datetime import timedelta

from coop import clock
from coop.cooperatives.api import Cooperative
from coop.disclosure import services
from coop.disclosure.rules import PeriodState

PUBLISHED_AFTER = timedelta(days=10)


def load(coop: Cooperative) -> None:
    today = clock.today()
    for row in reversed(services.period_rows(coop, today)):
        if row.state in (PeriodState.PENDING, PeriodState.OVERDUE):
            services.publish(coop, row.period, min(row.period.ends_on + PUBLISHED_AFTER, today), None)
