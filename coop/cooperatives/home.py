"""What the home page says is next: this year's checklist, the key figures,
and for a new cooperative the getting-started guide.

The cooperatives domain sits below the domains that hold the records, so it
asks them: ``checklist_requested`` is sent with the Cooperative, ``year``
(the calendar year of ``today``) and ``today``; each domain answers in its
receivers.py with a list of ``ChecklistStep`` (the distribution steps are
those of the year just ended, ``year - 1``, whose close and plan fall in
this year). ``figures_requested`` is answered with ``KeyFigure`` rows.
Each answer must stay cheap (a few indexed queries): this is the busiest
page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from blinker import Namespace
from sqlalchemy import Select, func, select

from coop.extensions import db

_signals = Namespace()

checklist_requested = _signals.signal(
    "checklist-requested",
    doc="Sent with a Cooperative, ``year`` and ``today``; a receiver returns a list of ChecklistStep.")

figures_requested = _signals.signal(
    "figures-requested",
    doc="Sent with a Cooperative, ``year`` and ``today``; a receiver returns a list of KeyFigure.")

SECRETARY = "admin"
ACCOUNTANT = "accountant"
SUPERVISOR = "supervisor"


class StepState(StrEnum):
    DONE = "done"
    TODO = "todo"
    LATE = "late"

    @property
    def label(self) -> str:
        return {"done": "已完成", "todo": "待办", "late": "已逾期"}[self.value]


@dataclass(frozen=True)
class ChecklistStep:
    """One step of the year: ``date`` is when it was done (done) or when it
    is due (to do, late), or None when it has no date."""

    order: int
    label: str
    state: StepState
    date: date | None
    url: str
    roles: frozenset[str] = frozenset({SECRETARY})
    note: str = ""


@dataclass(frozen=True)
class KeyFigure:
    """A figure of the home page: ``fen`` money shown in yuan, else a count."""

    order: int
    key: str
    label: str
    value: int
    url: str
    money: bool = False


@dataclass(frozen=True)
class GuideStep:
    number: int
    label: str
    text: str
    url: str


@dataclass
class Home:
    year: int
    steps: list[ChecklistStep]
    figures: list[KeyFigure]
    guide: list[GuideStep] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return bool(self.guide)

    @property
    def late_count(self) -> int:
        return sum(1 for s in self.steps if s.state == StepState.LATE)


def state_of(done_on: date | None, due_on: date | None, today: date) -> StepState:
    """Done when it has a date of doing; late once its due day has passed."""
    if done_on is not None:
        return StepState.DONE
    if due_on is not None and today > due_on:
        return StepState.LATE
    return StepState.TODO


STEP_COUNT_CAP = 1000


@dataclass(frozen=True)
class StepRecords:
    """What a step has recorded so far: ``note`` says how many ('12 笔'),
    ``last`` the latest day, None when there is none."""

    note: str
    last: date | None


def step_records(day, rows: Select, unit: str) -> StepRecords:
    """Count the rows of ``rows`` (a select of one column, filtered) up to
    STEP_COUNT_CAP and read the latest ``day`` among them through the index
    ordered by it. A county's largest cooperative records 240,000
    contributions a year; counting them all cost its home page 60 ms on
    SQLite and 120 ms on PostgreSQL, and the step only needs to say there
    are more than a thousand."""
    count = db.session.scalar(select(func.count()).select_from(rows.limit(STEP_COUNT_CAP + 1).subquery()))
    if not count:
        return StepRecords("", None)
    last = db.session.scalar(rows.with_only_columns(day).order_by(day.desc()).limit(1))
    note = f"超过 {STEP_COUNT_CAP:,} {unit}" if count > STEP_COUNT_CAP else f"{count} {unit}"
    return StepRecords(note, last)


def checklist(coop: object, year: int, today: date) -> list[ChecklistStep]:
    steps: list[ChecklistStep] = []
    for _receiver, answer in checklist_requested.send(coop, year=year, today=today):
        steps.extend(s for s in (answer or ()) if isinstance(s, ChecklistStep))
    return sorted(steps, key=lambda s: s.order)


def figures(coop: object, year: int, today: date) -> list[KeyFigure]:
    rows: list[KeyFigure] = []
    for _receiver, answer in figures_requested.send(coop, year=year, today=today):
        rows.extend(f for f in (answer or ()) if isinstance(f, KeyFigure))
    return sorted(rows, key=lambda f: f.order)


def is_new_cooperative(rows: list[KeyFigure]) -> bool:
    """No members and no shares yet."""
    values = {f.key: f.value for f in rows}
    return not values.get("members") and not values.get("shares")


def home(coop: object, role: str, today: date, guide: list[GuideStep]) -> Home:
    """The home page of ``role``: its steps of the checklist, the key figures,
    and ``guide`` instead when the cooperative is new."""
    year = today.year
    rows = figures(coop, year, today)
    if is_new_cooperative(rows):
        return Home(year, [], rows, guide)
    steps = [s for s in checklist(coop, year, today) if role in s.roles]
    return Home(year, steps, rows)
