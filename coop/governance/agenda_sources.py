"""What a meeting's agenda is chosen from, asked of the domains above
governance without importing them.

Governance sits below the distribution plans in the layers, yet the
convening page offers the plans not yet approved. The page sends
``plan_choices_requested`` with the cooperative's id as the sender; the
dividends domain answers with its ``PlanChoice`` list
(coop/dividends/receivers.py). The choices are the only plan ids the page
accepts, so a plan of another cooperative never reaches an agenda. With
nobody answering there are no plans to choose.

Membership confirmation lists (成员身份确认名单) come the same way from the
membership domain: ``list_choices_requested`` for the lists the page offers,
``list_refusal_requested`` for why a list may not be decided by a meeting on
a given day (its public notice has not run, it was decided already), asked
when the item is put on the agenda and again when it is decided.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from blinker import Namespace

from coop.errors import ServiceError


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
        "flushed; the dividends domain approves the plan of a passed distribution item, the "
        "membership domain confirms (or returns to pending) the events of a membership list.")

list_choices_requested = _signals.signal(
    "agenda-list-choices-requested",
    doc="Sent with a cooperative's id; a receiver returns the ListChoice list of its "
        "membership confirmation lists that a meeting may decide.")

list_refusal_requested = _signals.signal(
    "agenda-list-refusal-requested",
    doc="Sent with a cooperative's id, list_id= and meeting_on=; a receiver returns why "
        "that membership list may not be decided by a meeting on that day (a message naming "
        "its article), or None when it may.")


@dataclass(frozen=True)
class PlanDisclosure:
    """A plan's answer to ``plan_disclosure_requested``."""

    plan_id: int
    disclosed_on: date | None


@dataclass(frozen=True)
class PlanChoice:
    """A distribution plan that may go on an agenda: ``title`` names it as
    an agenda item does ("2025 年度盈余分配方案（第 1 版）"), ``progress`` says
    how far it has come (its ``progress_label``: "草案（已向成员公开，待会议表决）");
    a receiver that gives neither has ``label`` stand for both."""

    plan_id: int
    year: int
    label: str
    title: str = ""
    progress: str = ""

    @property
    def agenda_title(self) -> str:
        """The agenda item's title when the secretary leaves it empty."""
        return self.title or self.label

    @property
    def option_label(self) -> str:
        """How the convening form lists the plan."""
        if self.title and self.progress:
            return f"{self.title} · {self.progress}"
        return self.title or self.label


@dataclass(frozen=True)
class ListChoice:
    """A membership confirmation list that may go on an agenda."""

    list_id: int
    label: str
    decidable_from: date


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


@dataclass(frozen=True)
class RecordedDisclosure:
    """What the domain of a distribution item's plan records of it before the
    decision: the day it was disclosed, or why it cannot be put to the vote
    yet (``refusal``)."""

    disclosed_on: date | None
    refusal: str = ""


def recorded_disclosure(item: object) -> RecordedDisclosure | None:
    """For an item that names its plan (the decision takes the plan's own
    disclosure, no day is asked); None for one that names none."""
    if getattr(item, "plan_id", None) is None:
        return None
    try:
        return RecordedDisclosure(plan_disclosed_on(item, None))
    except ServiceError as exc:
        return RecordedDisclosure(None, exc.message)



def list_choices(coop_id: int) -> list[ListChoice]:
    """The membership lists every answering domain offers, in list order."""
    choices = [choice for _receiver, answer in list_choices_requested.send(coop_id)
               for choice in (answer or ()) if isinstance(choice, ListChoice)]
    return sorted(choices, key=lambda c: c.list_id)


def list_refusal(coop_id: int, list_id: int, meeting_on: date) -> str | None:
    """Why membership list ``list_id`` may not be decided by a meeting on
    ``meeting_on``; with nobody answering, the list is unknown."""
    answers = list_refusal_requested.send(coop_id, list_id=list_id, meeting_on=meeting_on)
    if not answers:
        return "没有可表决的成员身份确认名单"
    for _receiver, answer in answers:
        if answer:
            return str(answer)
    return None
