"""Contributions from a spreadsheet (.xlsx), all or nothing.

Columns: 成员编号, 股份类别, 出资方式, 金额, 亩数, 每亩折价, 天数, 每天折价, 日期
(and optionally 实物名称). Into a register that holds no shares the file is
the founding batch (coop.shares.founding): checked as a whole on the state
it leaves, whatever the order of its rows. Otherwise every row goes through
the same plan and assessment as the form, in order (each accepted row counts
for the rules of the next). Any bad row: nothing is written and every bad
row is reported with its row number as the spreadsheet shows it, its
column's header and the reason (row 0: the whole file, such as a founding
batch that needs a resolution).

``check_rows`` is the page's preview: the same import in a savepoint that is
rolled back, so the preview and the confirmation can never disagree.
``write_template`` is the file the secretary fills in.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from coop.cooperatives.api import Cooperative, ShareClass
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.money import AmountError, cell_text, cell_words, parse_area, parse_yuan
from coop.shares import founding, movements, plans, register
from coop.shares.citing import clean_resolution
from coop.shares.models import ShareEntry
from coop.shares.rules import HAND_KINDS, EntryKind
from coop.spreadsheets import ImportFileError, append_row, read_table

WHOLE_FILE = 0  # RowError.row of a problem of the whole file

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
DUPLICATE_HINT = "确需重复登记时请选择“允许与已有登记相同的行”（命令行加 --allow-duplicates）"
FOUNDING_NOTE = "设立登记（从表格导入）"
RESOLUTION_COLUMN = "决议文号"


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportLine:
    """One row as it would be (or was) recorded, for the preview."""

    row: int
    member_no: str
    name: str
    class_label: str
    contribution_label: str
    value_fen: int
    shares: int
    effective_on: date


@dataclass
class ImportResult:
    rows: int = 0
    entries: list[ShareEntry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    shares: int = 0
    founding: bool = False
    lines: list[ImportLine] = field(default_factory=list)
    before: dict[str, int] = field(default_factory=dict)  # shares per class, before the file
    after: dict[str, int] = field(default_factory=dict)  # and after it (latest date)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


class ImportFailed(ServiceError):
    def __init__(self, result: ImportResult):
        super().__init__(f"导入未进行：有 {len(result.errors)} 处错误，没有写入任何数据")
        self.result = result


def read_rows(stream: IO[bytes], filename: str | None = None) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: cell value}) of each data row of an .xlsx file."""
    return read_table(stream, COLUMNS, optional=OPTIONAL_COLUMNS, max_rows=MAX_ROWS,
                      filename=filename, missing_hint="（请使用导入模板）")


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
    resolution_no = clean_resolution(coop.id, resolution_no)
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
                    f"可能是重复导入；{DUPLICATE_HINT}")))
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
        result.lines.extend(_line(number, e) for e in entries)
        result.shares += sum(e.shares for e in entries)
    if result.errors:
        raise ImportFailed(result)
    return result


def _line(number: int, entry: ShareEntry) -> ImportLine:
    return ImportLine(number, entry.member.member_no, entry.member.name, entry.class_label,
                      entry.contribution_label, entry.value_fen, entry.shares,
                      entry.effective_on)


def _row_errors(number: int, errors: dict[str, str]) -> list[RowError]:
    return [RowError(number, FIELD_TO_COLUMN.get(f, ""), m) for f, m in errors.items()]


def _import_founding(coop: Cooperative, rows: list[tuple[int, dict[str, Any]]], *,
                     resolution_no: str, allow_duplicates: bool,
                     recorded_by_id: int | None) -> ImportResult:
    """The file is the founding batch: all rows checked together on their end state."""
    result = ImportResult(rows=len(rows), founding=True)
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
                f"{DUPLICATE_HINT}")))
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
    except ValidationFailed:
        raise
    except ServiceError as exc:  # the batch's end state needs a resolution
        if exc.field != "resolution_no":
            raise
        result.errors.append(RowError(WHOLE_FILE, RESOLUTION_COLUMN, exc.message))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        raise ImportFailed(result)
    result.entries = entries
    result.lines = [_line(number, e) for (number, _), e in zip(batch, entries)]
    result.shares = sum(e.shares for e in entries)
    return result


def import_file(coop: Cooperative, stream: IO[bytes], **options: Any) -> ImportResult:
    return import_rows(coop, read_rows(stream), **options)


def check_rows(coop: Cooperative, rows: list[tuple[int, dict[str, Any]]],
               **options: Any) -> ImportResult:
    """What ``import_rows`` would do with the rows, every problem listed, nothing
    written: the same import, in a savepoint rolled back before returning."""
    before = register.class_totals(coop.id)
    savepoint = db.session.begin_nested()
    try:
        try:
            result = import_rows(coop, rows, **options)
            result.after = register.class_totals(coop.id)
        except ImportFailed as exc:
            result = exc.result
        result.entries = []
    finally:
        savepoint.rollback()
    result.before = before
    return result


# -- the template -------------------------------------------------------------------

TEMPLATE_ROWS = 2000
TEMPLATE_WIDTHS = {"member_no": 12, "share_class": 10, "contribution_kind": 10, "amount_fen": 12,
                   "land_mu": 9, "price_per_mu_fen": 11, "labour_days": 8,
                   "price_per_day_fen": 11, "effective_on": 13, "asset_name": 24}


def template_help() -> list[tuple[str, str]]:
    """The instructions sheet: (column, what to write in it)."""
    classes = "、".join(sc.label for sc in ShareClass)
    kinds = "、".join(k.label for k in HAND_KINDS)
    return [
        ("列名", "填写说明"),
        ("成员编号", "必填。须是本社成员名册中已有的成员编号，例如 CY0001（先导入成员名册）。"),
        ("股份类别", f"必填，从下拉列表中选：{classes}。集体股只能由村集体持有，干部股只能由干部持有。"),
        ("出资方式", f"必填，从下拉列表中选：{kinds}。"),
        ("金额", "货币出资填金额，实物出资填评估折价（元，最多两位小数）。须是每股面值的整数倍。"),
        ("亩数", "土地出资填入股土地亩数（最多两位小数），并填每亩折价。"),
        ("每亩折价", "土地出资每亩的折价（元）。亩数 × 每亩折价 须是每股面值的整数倍。"),
        ("天数", "劳动出资填天数（整数），并填每天折价。"),
        ("每天折价", "劳动出资每天的折价（元）。"),
        ("日期", "必填，入股生效日期，例如 2024-01-10。"),
        ("实物名称", "实物出资填写，例如 约翰迪尔 1204 拖拉机；其他方式不填。"),
        ("", ""),
        ("怎样检查", "上传后逐行检查，列出每一处错误（行号、列名和原因）；只要有一处错误，就不会写入任何数据。"),
        ("设立登记", "股权登记簿还没有股份时，整个文件是设立登记（首批入股）：按全部行登记完成后的股权结构"
                     "检查章程规定的各类股份比例区间和单一成员持股上限，与行的先后顺序无关。"),
        ("以后的入股", "登记簿已有股份时，逐行按顺序检查，前面的行计入后面各行的检查。"),
        ("决议", "突破比例区间或持股上限的，须经成员（代表）大会决议同意：上传时选择已通过的决议。"),
        ("示例", "CY0001 | 村民股 | 货币 | 1000 | | | | | 2024-01-10"),
        ("示例", "CY0002 | 村民股 | 土地 | | 2.5 | 800 | | | 2024-01-10"),
        ("示例", "CJ0001 | 集体股 | 实物 | 50000 | | | | | 2024-01-10 | 办公楼一栋"),
    ]


def write_template(out: IO[bytes] | str | Path) -> None:
    """The import template: the header row, drop-down lists of the classes and
    contribution kinds, and an instructions sheet, all in Chinese."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "入股登记"
    columns = COLUMNS + OPTIONAL_COLUMNS
    append_row(sheet, [h for _, h in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    letters = {}
    for index, (f, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
        letters[f] = cell.column_letter
        sheet.column_dimensions[cell.column_letter].width = TEMPLATE_WIDTHS[f]
    for row in range(2, TEMPLATE_ROWS + 1):
        sheet.cell(row=row, column=1).number_format = "@"  # 成员编号 keeps its zeros
        sheet.cell(row=row, column=len(COLUMNS)).number_format = "yyyy-mm-dd"
    for f, labels in (("share_class", [sc.label for sc in ShareClass]),
                      ("contribution_kind", [k.label for k in HAND_KINDS])):
        choice = DataValidation(type="list", formula1='"' + ",".join(labels) + '"',
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="请从列表中选择", error="只能填：" + "、".join(labels))
        sheet.add_data_validation(choice)
        choice.add(f"{letters[f]}2:{letters[f]}{TEMPLATE_ROWS}")
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("填写说明")
    for line in template_help():
        append_row(help_sheet, line)
    help_sheet["A1"].font = help_sheet["B1"].font = bold
    help_sheet.column_dimensions["A"].width = 12
    help_sheet.column_dimensions["B"].width = 100
    workbook.save(out)
