"""Contributions from a spreadsheet (.xlsx), all or nothing.

Columns: 成员编号, 股份类别, 出资方式, 金额, 亩数, 每亩折价, 天数, 每天折价, 日期
(and optionally 实物名称). Into a register that holds no shares the file is
the founding batch (coop.shares.founding): checked as a whole on the state
it leaves, whatever the order of its rows. Otherwise every row goes through
the same plan and assessment as the form, in order (each accepted row counts
for the rules of the next). Any bad row: nothing is written and every bad
row is reported with its column and reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from coop.cooperatives.api import Cooperative
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.money import AmountError, cell_text, cell_words, parse_area, parse_yuan
from coop.shares import founding, movements, plans, register
from coop.shares.models import ShareEntry
from coop.shares.rules import EntryKind
from coop.spreadsheets import ImportFileError, read_table

COLUMNS = (
    ("member_no", "成员编号"),
    ("share_class", "股份类别"),
    ("contribution_kind", "出资方式"),
    ("amount_fen", "金额"),
    ("land_mu", "亩数"),
    ("price_per_mu_fen", "每亩折价"),
    ("labour_days", "天数"),
    ("price_per_day_fen", "每天折价"),
    ("effective_on", "日期"),
)
OPTIONAL_COLUMNS = (("asset_name", "实物名称"),)
HEADER = dict((f, h) for f, h in COLUMNS + OPTIONAL_COLUMNS)
MAX_ROWS = 50_000

CLASS_TEXT = {"集体股": "collective", "集体": "collective", "村民股": "villager", "村民": "villager",
              "干部股": "cadre", "干部": "cadre", "collective": "collective",
              "villager": "villager", "cadre": "cadre"}
KIND_TEXT = {"货币": "cash", "现金": "cash", "资金": "cash", "土地": "land", "实物": "in_kind",
             "农机": "in_kind", "劳动": "labour", "劳务": "labour", "cash": "cash", "land": "land",
             "in_kind": "in_kind", "labour": "labour"}
# service field -> column of the spreadsheet
FIELD_TO_COLUMN = {"member_id": "成员编号", **HEADER}
IMPORT_NOTE = "从表格导入"
FOUNDING_NOTE = "设立登记（从表格导入）"


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    entries: list[ShareEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    shares: int = 0


class ImportFailed(ServiceError):
    def __init__(self, result: ImportResult):
        super().__init__(f"导入未进行：有 {len(result.errors)} 处错误，没有写入任何数据")
        self.result = result


def read_rows(stream: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: cell value}) of each data row of an .xlsx file."""
    return read_table(stream, COLUMNS, optional=OPTIONAL_COLUMNS, max_rows=MAX_ROWS)


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_words(value)
    if not text:
        raise ValueError("请填写日期")
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("日期格式不正确，应为 年-月-日，例如 2024-06-01")


def parse_row(coop: Cooperative, cells: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Plan arguments from one row's cells (keyed by field), and field -> message
    for what can't be read. The founding page sends its rows through here too."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    no = cell_words(cells.get("member_no"))
    member = register.member_by_no(coop, no)
    if not no:
        errors["member_id"] = "请填写成员编号"
    elif member is None:
        errors["member_id"] = f"本合作社没有成员编号为 {no} 的成员"
    values["member_id"] = member.id if member else None
    sc = cell_words(cells.get("share_class"))
    values["share_class"] = CLASS_TEXT.get(sc)
    if values["share_class"] is None:
        errors["share_class"] = f"股份类别应为 集体股、村民股 或 干部股{f'，不是“{sc}”' if sc else ''}"
    kind = cell_words(cells.get("contribution_kind"))
    values["contribution_kind"] = KIND_TEXT.get(kind)
    if values["contribution_kind"] is None:
        errors["contribution_kind"] = (
            f"出资方式应为 货币、土地、实物 或 劳动{f'，不是“{kind}”' if kind else ''}")
    for name, parse in (("amount_fen", parse_yuan), ("land_mu", parse_area),
                        ("price_per_mu_fen", parse_yuan), ("price_per_day_fen", parse_yuan)):
        text = cell_text(cells.get(name))
        try:
            values[name] = parse(text, HEADER[name], negative=False) if text else None
        except AmountError as exc:
            errors[name] = str(exc)
    text = cell_words(cells.get("labour_days"))
    if text and not text.isdigit():
        errors["labour_days"] = "天数应为整数"
    values["labour_days"] = int(text) if text.isdigit() else None
    try:
        values["effective_on"] = _date(cells.get("effective_on"))
    except ValueError as exc:
        errors["effective_on"] = str(exc)
        values["effective_on"] = None
    if values["contribution_kind"] == "in_kind":
        values["asset_name"] = cell_words(cells.get("asset_name")) or "实物出资（导入）"
    return values, errors


def _duplicate(coop: Cooperative, plan: plans.Plan) -> ShareEntry | None:
    """The same subscription already in the register (and not reversed)."""
    d = plan.drafts[0]
    rev = aliased(ShareEntry)
    return db.session.scalar(
        select(ShareEntry).where(
            *register.of_member(coop.id, d.member_id),
            ShareEntry.entry_kind == EntryKind.SUBSCRIBE.value,
            ShareEntry.share_class == d.share_class,
            ShareEntry.contribution_kind == d.contribution_kind,
            ShareEntry.effective_on == plan.effective_on, ShareEntry.value_fen == d.value_fen,
            # not "reverses_id IS NULL": SQLite takes that for a lookup of one
            # row in the unique reverses_id index and scans the register
            func.coalesce(ShareEntry.reverses_id, 0) == 0,
            ~select(rev.id).where(rev.reverses_id == ShareEntry.id).exists(),
        ).limit(1))


def import_rows(coop: Cooperative, rows: Iterable[tuple[int, dict[str, Any]]], *,
                resolution_no: str = "", allow_duplicates: bool = False,
                recorded_by_id: int | None = None) -> ImportResult:
    """Record every row, or raise ImportFailed (the caller rolls back)."""
    rows = list(rows)
    if not rows:
        raise ImportFileError("文件中没有数据行")
    if founding.is_open(coop.id):
        return _import_founding(coop, rows, resolution_no=resolution_no,
                                allow_duplicates=allow_duplicates, recorded_by_id=recorded_by_id)
    result = ImportResult()
    for number, cells in rows:
        result.rows += 1
        values, errors = parse_row(coop, cells)
        if errors:
            result.errors.extend(_row_errors(number, errors))
            continue
        try:
            plan = plans.plan_contribution(coop, **values)
            if not allow_duplicates and (same := _duplicate(coop, plan)) is not None:
                result.errors.append(RowError(number, "", (
                    f"与已有的第 {same.id} 号登记完全相同（同一成员、类别、方式、日期和金额），"
                    "可能是重复导入；确需重复登记时请加 --allow-duplicates")))
                continue
            entries = movements.commit_plan(plan, resolution_no=resolution_no,
                                            note=IMPORT_NOTE, recorded_by_id=recorded_by_id)
        except ValidationFailed as exc:
            result.errors.extend(_row_errors(number, exc.errors))
            continue
        except ServiceError as exc:
            result.errors.append(RowError(number, "", exc.message))
            continue
        result.entries.extend(entries)
        result.shares += sum(e.shares for e in entries)
    if result.errors:
        raise ImportFailed(result)
    return result


def _row_errors(number: int, errors: dict[str, str]) -> list[RowError]:
    return [RowError(number, FIELD_TO_COLUMN.get(f, ""), m) for f, m in errors.items()]


def _import_founding(coop: Cooperative, rows: list[tuple[int, dict[str, Any]]], *,
                     resolution_no: str, allow_duplicates: bool,
                     recorded_by_id: int | None) -> ImportResult:
    """The file is the founding batch: all rows checked together on their end state."""
    result = ImportResult(rows=len(rows))
    batch = []
    seen: dict[tuple, int] = {}
    for number, cells in rows:
        values, errors = parse_row(coop, cells)
        if errors:
            result.errors.extend(_row_errors(number, errors))
            continue
        key = tuple(sorted((k, v) for k, v in values.items() if k != "asset_name"))
        if not allow_duplicates and key in seen:
            result.errors.append(RowError(number, "", (
                f"与第 {seen[key]} 行完全相同（同一成员、类别、方式、日期和金额），可能是重复的行；"
                "确需重复登记时请加 --allow-duplicates")))
            continue
        seen.setdefault(key, number)
        batch.append((number, values))
    try:
        if result.errors:  # the other rows' own problems still get reported
            if batch:
                founding.plan_founding(coop, batch)
            entries = []
        else:
            entries = founding.record_founding(coop, batch, resolution_no=resolution_no,
                                               note=FOUNDING_NOTE, recorded_by_id=recorded_by_id)
    except founding.FoundingRefused as exc:
        result.errors.extend(RowError(p.row, FIELD_TO_COLUMN.get(p.field, ""), p.message)
                             for p in exc.problems)
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        raise ImportFailed(result)
    result.entries = entries
    result.shares = sum(e.shares for e in entries)
    return result


def import_file(coop: Cooperative, stream: IO[bytes], **options: Any) -> ImportResult:
    return import_rows(coop, read_rows(stream), **options)
