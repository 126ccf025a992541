"""The founding batch (设立登记): a new cooperative's first subscriptions, checked together.

Whatever is entered first into an empty register holds 100 % of the shares,
so no single entry of a cooperative being set up can satisfy the charter's
class bands and single-holding cap, and checking them one at a time makes
the outcome depend on the order of entry. The founding batch is the set of
subscriptions entered together - on the founding page (one date for all) or
by importing a spreadsheet into an empty register (each row its own date) -
and it is checked once, on the state the whole batch leaves: every class in
its band, no member other than the collective entity over the cap; otherwise
a resolution number is needed, and it is recorded on every entry of the
batch. The order of the rows changes nothing. Rows of several dates (an
imported history) are checked on the state of each of their dates in turn.

A batch can be recorded only while the register holds no shares (no entry
yet, or every one reversed) and on or after the date of its latest entry, so
that the state before the batch is empty. Every row goes through the same
checks as a single subscription (``plan_contribution``); each row
is written as its own movement, so a mistaken row is reversed alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from sqlalchemy import func, select

from coop.cooperatives.api import Cooperative
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.members.api import Member, MemberKind
from coop.shares.assessment import Assessment, ClassImpact, MemberImpact
from coop.shares.models import ShareEntry
from coop.shares.citing import clean_resolution
from coop.shares.movements import clean_note, resolution_refusal, write_plan
from coop.shares.plans import Plan, plan_contribution
from coop.shares.register import CLASSES
from coop.shares.rules import band_errors, batch_hint, cap_error, ratio_bp
from coop.shares.structure import charter_bands


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row: ``row`` as the caller numbers it, ``field``
    a service field name (``member_id``, ``amount_fen`` ...) or "" for the row."""

    row: int
    field: str
    message: str


class FoundingRefused(ServiceError):
    """Some rows cannot be recorded; nothing was written."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__(f"设立登记未进行：有 {len(problems)} 处错误，没有写入任何数据")
        self.problems = problems


@dataclass
class FoundingBatch:
    rows: list[tuple[int, Plan]]  # (row number, the row's subscription)
    assessment: Assessment


def register_state(coop_id: int) -> tuple[int, Any]:
    """(shares held in all, latest entry date or None): one aggregate query."""
    total, latest = db.session.execute(
        select(func.coalesce(func.sum(ShareEntry.shares), 0), func.max(ShareEntry.effective_on))
        .where(ShareEntry.cooperative_id == coop_id)).one()
    return int(total or 0), latest


def closed_message(held: int) -> str:
    return (f"股权登记簿已有 {held:,} 股，设立登记只能在还没有股份时办理；"
            "以后的入股请在“登记入股”页面逐笔登记（或导入表格）")


def is_open(coop_id: int) -> bool:
    """A founding batch may be recorded: the register holds no shares."""
    return register_state(coop_id)[0] == 0


def plan_founding(coop: Cooperative, rows: Sequence[tuple[int, dict[str, Any]]]) -> FoundingBatch:
    """Plan every row and assess the batch on its end state; FoundingRefused
    lists every row that cannot be recorded."""
    held, latest = register_state(coop.id)
    if held:
        raise ServiceError(closed_message(held))
    if not rows:
        raise ServiceError("请至少填写一笔首批入股")
    problems: list[RowProblem] = []
    planned: list[tuple[int, Plan]] = []
    machines: dict[int, int] = {}
    for number, values in rows:
        try:
            plan = plan_contribution(coop, **values)
        except ValidationFailed as exc:
            problems.extend(RowProblem(number, f, m) for f, m in exc.errors.items())
            continue
        if latest is not None and plan.effective_on < latest:
            problems.append(RowProblem(number, "effective_on", (
                f"登记簿中已有 {latest.isoformat()} 的（已冲销的）登记，"
                "设立登记的日期不能早于这一天")))
            continue
        machine_id = plan.drafts[0].machine_id
        if machine_id is not None:
            if machine_id in machines:
                problems.append(RowProblem(number, "machine_id", (
                    f"这台农机具已在第 {machines[machine_id]} 行登记为实物出资")))
                continue
            machines[machine_id] = number
        planned.append((number, plan))
    if problems:
        raise FoundingRefused(problems)
    return FoundingBatch(planned, assess_end_state(coop, [plan for _, plan in planned]))


def assess_end_state(coop: Cooperative, plans: Sequence[Plan]) -> Assessment:
    """The bands and the cap on the register the plans leave behind an empty
    one: sums of the drafts, no query per member.

    Rows of one date are one state, whatever their order. Rows of several
    dates (an imported history) are checked on each date's state in turn,
    as if each date's rows were one entry: the first date from an empty
    register, the next ones against the date before (a class may move back
    towards its band; a member whose part grows may not pass the cap).
    """
    members: dict[int, Member] = {}
    for plan in plans:
        members.update({k: v for k, v in plan.members.items() if k is not None})
    dates = sorted({plan.effective_on for plan in plans})
    bands = charter_bands(coop)
    before = {sc: 0 for sc in CLASSES}
    held: dict[int, dict[str, int]] = {}
    needs_resolution: list[str] = []
    for day in dates:
        after = dict(before)
        changed: dict[int, int] = {}  # member -> holding before this date
        for d in (d for plan in plans if plan.effective_on == day for d in plan.drafts):
            per_class = held.setdefault(d.member_id, {sc: 0 for sc in CLASSES})
            changed.setdefault(d.member_id, sum(per_class.values()))
            per_class[d.share_class] += d.shares
            after[d.share_class] += d.shares
        when = day if len(dates) > 1 else None
        messages = band_errors(before, after, bands, when)
        if messages and not sum(before.values()) and (hint := batch_hint(after, bands)):
            messages.append(hint)
        total_before, total_after = sum(before.values()), sum(after.values())
        for member_id in sorted(changed, key=lambda m: members[m].member_no):
            member = members[member_id]
            if member.kind == MemberKind.COLLECTIVE:
                continue
            msg = cap_error(f"{member.name}（{member.member_no}）", changed[member_id],
                            total_before, sum(held[member_id].values()), total_after,
                            coop.member_cap_bp)
            if msg:
                messages.append(msg.replace("登记后", f"登记后（{day.isoformat()}）", 1)
                                if when else msg)
        needs_resolution += [m for m in messages if m not in needs_resolution]
        before = after
    total = sum(before.values())
    member_rows = [
        MemberImpact(member_id, members[member_id].member_no, members[member_id].name,
                     {sc: 0 for sc in CLASSES}, per_class, ratio_bp(sum(per_class.values()), total))
        for member_id, per_class in sorted(held.items(), key=lambda kv: (
            -sum(kv[1].values()), members[kv[0]].member_no))]
    classes = [ClassImpact(b.share_class.value, b.share_class.label, 0,
                           before[b.share_class.value], None,
                           ratio_bp(before[b.share_class.value], total),
                           b.target_bp, b.min_bp, b.max_bp) for b in bands]
    summary = (f"设立登记：{len(plans):,} 笔首批入股，{len(member_rows):,} 名成员，"
               f"共 {total:,} 股")
    drafts = [d for plan in plans for d in plan.drafts]
    batch_plan = Plan(coop, dates[-1] if dates else None, drafts, summary, dict(members))
    return Assessment(batch_plan, classes, member_rows, 0, total, needs_resolution,
                      later_entries=False, founding=True)


def record_founding(coop: Cooperative, rows: Sequence[tuple[int, dict[str, Any]]], *,
                    resolution_no: str = "", note: str = "",
                    recorded_by_id: int | None = None) -> list[ShareEntry]:
    """Write the founding batch, or refuse it whole (nothing written)."""
    resolution_no = clean_resolution(coop.id, resolution_no)
    note = clean_note(note)
    batch = plan_founding(coop, rows)
    if batch.assessment.needs_resolution and not resolution_no:
        raise resolution_refusal(batch.assessment)
    entries: list[ShareEntry] = []
    for _, plan in batch.rows:
        entries += write_plan(plan, resolution_no=resolution_no, note=note,
                              recorded_by_id=recorded_by_id)
    return entries
