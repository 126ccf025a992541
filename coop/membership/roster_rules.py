"""The rules of the confirmation list's public notice and of the filed
roster (成员名册), without Flask or the database.

- The notice (公示): a list is shown to the members for ``days`` days
  (default 7) from a start day that may not be before the day it is
  published; the member assembly may decide it only once those days have
  run (the list's confirmation itself is the assembly's, RCEO art 12 and
  art 26 item 3).
- The roster: each version is a full snapshot of ``RosterRow``; the
  differences between two versions are the rows added, removed and the
  fields changed, matched by the member.
- Filing (RCEO art 12: with the township and the county agriculture
  bureau): a version not filed within ``FILING_DAYS`` days of its making is
  overdue.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Iterable

from coop.clock import future_error
from coop.idcodes import mask_resident_id

RCEO = "《农村集体经济组织法》"
NOTICE_DAYS = 7
NOTICE_DAYS_MAX = 60
FILING_DAYS = 30

# the filing columns, in the order the township and the bureau receive them
FILING_HEADERS = ("编号", "姓名", "性别", "出生日期", "身份证号", "户号", "与户主关系", "村民小组",
                  "成员取得方式及日期", "备注")


@dataclass(frozen=True)
class RosterRow:
    """One person on a roster version, as filed. ``acquired_how`` is the
    basis's value (``MembershipBasis``), ``acquired_label`` its Chinese label."""

    member_id: int
    member_no: str
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    household_no: str
    relation_to_head: str
    village_group: str
    acquired_how: str
    acquired_label: str
    acquired_on: date | None
    remark: str

    @property
    def acquired(self) -> str:
        """成员取得方式及日期, e.g. "出生 2026-03-01"."""
        day = f" {self.acquired_on:%Y-%m-%d}" if self.acquired_on else ""
        return f"{self.acquired_label}{day}"

    def filing_cells(self) -> tuple[Any, ...]:
        """The row under ``FILING_HEADERS`` (the full ID number: the filing is official)."""
        return (self.member_no, self.name, self.gender,
                f"{self.birth_date:%Y-%m-%d}" if self.birth_date else "", self.id_number,
                self.household_no, self.relation_to_head, self.village_group, self.acquired,
                self.remark)


# the fields a difference is reported on, with their labels (the member is the key)
COMPARED = {
    "member_no": "编号",
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "id_number": "身份证号",
    "household_no": "户号",
    "relation_to_head": "与户主关系",
    "village_group": "村民小组",
    "acquired_how": "成员取得方式",
    "acquired_on": "取得日期",
    "remark": "备注",
}


def shown(field: str, value: Any, *, labels: dict[str, str] | None = None) -> str:
    """A value as a page shows it: dates as YYYY-MM-DD, the ID masked, the
    basis by its label (``labels``: value -> label), empty as "（空）"."""
    if value in (None, ""):
        return "（空）"
    if field == "id_number":
        return mask_resident_id(str(value))
    if field == "acquired_how" and labels:
        return labels.get(str(value), str(value))
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RowChange:
    before: RosterRow
    after: RosterRow
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RosterDiff:
    """What changed from one roster version to the next."""

    added: tuple[RosterRow, ...]
    removed: tuple[RosterRow, ...]
    changed: tuple[RowChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def summary(self) -> str:
        if self.is_empty:
            return "与上一版相同"
        return f"新增 {len(self.added)} 人，减少 {len(self.removed)} 人，信息变更 {len(self.changed)} 人"


def _order(row: RosterRow) -> tuple[str, int]:
    return row.member_no, row.member_id


def roster_diff(previous: Iterable[RosterRow], current: Iterable[RosterRow]) -> RosterDiff:
    """The rows of ``current`` not in ``previous`` (added), those of
    ``previous`` not in ``current`` (removed), and for the people in both the
    fields that differ; matched by member, each part ordered by number."""
    before = {row.member_id: row for row in previous}
    after = {row.member_id: row for row in current}
    added = sorted((row for key, row in after.items() if key not in before), key=_order)
    removed = sorted((row for key, row in before.items() if key not in after), key=_order)
    changed = []
    for key in sorted(before.keys() & after.keys(), key=lambda k: _order(after[k])):
        old, new = before[key], after[key]
        differ = tuple(FieldChange(name, label, getattr(old, name), getattr(new, name))
                       for name, label in COMPARED.items() if getattr(old, name) != getattr(new, name))
        if differ:
            changed.append(RowChange(old, new, differ))
    return RosterDiff(tuple(added), tuple(removed), tuple(changed))


# -- filing -------------------------------------------------------------------------

def filing_due_on(made_on: date) -> date:
    """The last day a version made on ``made_on`` is filed in time."""
    return made_on + timedelta(days=FILING_DAYS)


def filing_overdue(made_on: date, filed_on: date | None, today: date) -> bool:
    """Not filed, and more than ``FILING_DAYS`` days since it was made."""
    return filed_on is None and today > filing_due_on(made_on)


def filing_errors(made_on: date, filed_on: date | None, filed_with: str, receipt_no: str,
                  today: date) -> dict[str, str]:
    """What is wrong with a recorded filing (an empty dict when nothing)."""
    errors: dict[str, str] = {}
    if filed_on is None:
        errors["filed_on"] = "请填写备案日期"
    elif filed_on < made_on:
        errors["filed_on"] = f"备案日期不能早于名册编制日期 {made_on:%Y-%m-%d}"
    elif message := future_error(filed_on, "备案日期", today):
        errors["filed_on"] = message
    if not filed_with:
        errors["filed_with"] = f"请填写受理备案的机关（{RCEO}第十二条：乡镇人民政府和县级人民政府农业农村主管部门）"
    elif len(filed_with) > 120:
        errors["filed_with"] = "受理机关不能超过 120 个字"
    if len(receipt_no) > 60:
        errors["receipt_no"] = "回执编号不能超过 60 个字"
    return errors


# -- the public notice --------------------------------------------------------------

def notice_last_day(start: date, days: int) -> date:
    return start + timedelta(days=days - 1)


def decidable_from(start: date, days: int) -> date:
    """The first day the member assembly may decide a list noticed from ``start``."""
    return start + timedelta(days=days)


def notice_errors(start: date | None, days: Any, today: date) -> dict[str, str]:
    """What is wrong with a notice about to be published ``today``."""
    errors: dict[str, str] = {}
    if start is None:
        errors["notice_start"] = "请填写公示开始日期"
    elif start < today:
        errors["notice_start"] = (f"公示开始日期不能早于发布公示之日（{today:%Y-%m-%d}）："
                                  "已经过去的日子没有让成员看到名单")
    if isinstance(days, bool) or not isinstance(days, int):
        errors["notice_days"] = "请填写公示天数（整数）"
    elif not 1 <= days <= NOTICE_DAYS_MAX:
        errors["notice_days"] = f"公示天数应在 1 至 {NOTICE_DAYS_MAX} 日之间（一般为 {NOTICE_DAYS} 日）"
    return errors


def notice_refusal(start: date | None, days: int, meeting_on: date) -> str | None:
    """Why a list may not be put to the vote of a meeting on ``meeting_on``
    (None when it may): it was never noticed, or its notice has not run."""
    if start is None:
        return (f"{RCEO}第十二条：成员身份由成员大会确认；确认名单须先向全体成员公示，"
                "公示期满后才能提交表决，这份名单尚未公示")
    if meeting_on < decidable_from(start, days):
        return (f"{RCEO}第十二条：成员身份由成员大会确认；确认名单自 {start:%Y-%m-%d} 起公示 {days} 日，"
                f"至 {notice_last_day(start, days):%Y-%m-%d} 期满，{decidable_from(start, days):%Y-%m-%d} "
                f"起才能提交表决（会议日期 {meeting_on:%Y-%m-%d}）")
    return None
