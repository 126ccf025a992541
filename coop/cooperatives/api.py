"""What other domains may use of the cooperative, its charter and its closed years.

Other domains import from this module only; what is not here is private to
``coop.cooperatives``."""
from __future__ import annotations

from coop.cooperatives.area_reading import area_by_code, cooperatives_under  # noqa: F401
from coop.cooperatives.area_scope import (areas_under_query, cooperative_ids_under,  # noqa: F401
                                          cooperatives_under_query, is_under)
from coop.cooperatives.area_services import add_area, assign_area  # noqa: F401
from coop.cooperatives.areas import Area, AreaLevel  # noqa: F401
from coop.cooperatives.closing import (  # noqa: F401
    closed_date_error,
    ensure_date_open,
    ensure_record_editable,
    is_year_locked,
    latest_closed_year,
    locked_record_error,
    period_error,
)
from coop.cooperatives.constants import (DisclosurePeriod, DistributionMode, ExtraVoteBasis, LegalRegime,  # noqa: F401
                                         MIN_PATRONAGE_BP, OutsideVillageWord, ReserveBasis,
                                         ResolutionKind, ShareClass)
from coop.cooperatives.home import (ACCOUNTANT, SECRETARY, SUPERVISOR, ChecklistStep,  # noqa: F401
                                     KeyFigure, StepRecords, StepState, checklist_requested,
                                     figures_requested, state_of, step_records)
from coop.cooperatives.marks import Carry as MarkCarry, Topic as MarkTopic  # noqa: F401
from coop.cooperatives.models import Cooperative, YearClose, YearReopening  # noqa: F401
from coop.cooperatives.signals import (DashboardPanel, charter_review_requested,  # noqa: F401
                                        dashboard_panels_requested)
from coop.cooperatives.services import (  # noqa: F401
    all_cooperatives,
    create_cooperative,
    get_by_code,
    lock_par_value_when,
    outside_village_word,
)
from coop.cooperatives.wording import NEUTRAL_TITLE, Wording, words_for  # noqa: F401

__all__ = [
    "Area",
    "areas_under_query",
    "cooperative_ids_under",
    "cooperatives_under_query",
    "is_under",
    "AreaLevel",
    "add_area",
    "area_by_code",
    "assign_area",
    "cooperatives_under",
    "ACCOUNTANT",
    "ChecklistStep",
    "KeyFigure",
    "SECRETARY",
    "SUPERVISOR",
    "StepRecords",
    "StepState",
    "step_records",
    "checklist_requested",
    "figures_requested",
    "state_of",
    "Cooperative",
    "MarkCarry",
    "MarkTopic",
    "DashboardPanel",
    "DisclosurePeriod",
    "DistributionMode",
    "ExtraVoteBasis",
    "LegalRegime",
    "MIN_PATRONAGE_BP",
    "OutsideVillageWord",
    "ReserveBasis",
    "ResolutionKind",
    "ShareClass",
    "YearClose",
    "YearReopening",
    "all_cooperatives",
    "charter_review_requested",
    "closed_date_error",
    "create_cooperative",
    "dashboard_panels_requested",
    "ensure_date_open",
    "ensure_record_editable",
    "outside_village_word",
    "get_by_code",
    "is_year_locked",
    "latest_closed_year",
    "lock_par_value_when",
    "locked_record_error",
    "period_error",
    "NEUTRAL_TITLE",
    "Wording",
    "words_for",
]
