"""What a meeting's agenda is chosen from, asked of the domains above
governance without importing them.

Governance sits below the distribution plans in the layers, yet the
convening page offers the plans not yet approved. The page sends
``plan_choices_requested`` with the cooperative's id as the sender; the
dividends domain answers with its ``PlanChoice`` list
(coop/dividends/receivers.py). The choices are the only plan ids the page
accepts, so a plan of another cooperative never reaches an agenda. With
nobody answering there are no plans to choose.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from blinker import Namespace


_signals = Namespace()

plan_choices_requested = _signals.signal(
    "agenda-plan-choices-requested",
    doc="Sent with a cooperative's id; a receiver returns the PlanChoice list of its plans "
        "that a meeting may still decide.")

plan_disclosure_requested = _signals.signal(
    "agenda-plan-disclosure-requested",
    doc="Sent with the AgendaItem of a distribution plan about to be decided; a receiver "
        "returns a PlanDisclosure (the day the plan was opened to the members) or raises "
        "a ServiceError when the plan may not be put to the vote.")

item_decided = _signals.signal(
    "agenda-item-decided",
    doc="Sent with the AgendaItem just decided (passed or failed), after its outcome is "
        "flushed; the dividends domain approves the plan of a passed distribution item.")


@dataclass(frozen=True)
class PlanDisclosure:
    """A plan's answer to ``plan_disclosure_requested``."""

    plan_id: int
    disclosed_on: date | None


@dataclass(frozen=True)
class PlanChoice:
    """A distribution plan that may go on an agenda."""

    plan_id: int
    year: int
    label: str


def plan_choices(coop_id: int) -> list[PlanChoice]:
    """The plans every answering domain offers, latest year first."""
    choices = [choice for _receiver, answer in plan_choices_requested.send(coop_id)
               for choice in (answer or ()) if isinstance(choice, PlanChoice)]
    return sorted(choices, key=lambda c: (-c.year, c.plan_id))


def plan_disclosed_on(item: object, given: date | None) -> date | None:
    """The day the plan of distribution ``item`` was disclosed, as its
    domain records it; ``given`` when no domain answers."""
    for _receiver, answer in plan_disclosure_requested.send(item):
        if isinstance(answer, PlanDisclosure):
            return answer.disclosed_on
    return given

