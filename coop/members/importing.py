"""Member import from .xlsx (or .csv) and export to .xlsx / .csv.

Every row is checked before anything is written: ``plan_import`` reads the
rows and the database and returns what would change plus every row error;
``apply_import`` writes the plan (flush only). Rows are matched to existing
members by member number, so importing the same file twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from coop.cooperatives.api import Cooperative, latest_closed_year
from coop.errors import ServiceError
from coop.extensions import db
from coop.files import open_private
from coop.idcodes import mask_resident_id
from coop.members import roster, services
from coop.members.basis import BASIS_COLUMNS, BASIS_LABELS, clean_basis
from coop.members.constants import MemberKind, MemberStatus
from coop.members.models import Member
from coop.members.rules import FIELD_LABELS, MEMBER_FIELDS, clean_member_values, member_errors
from coop.spreadsheets import append_row, csv_writer, read_table

# The columns of the template, in order: (field, header).
COLUMNS = (
    ("member_no", "成员编号"),
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("household_no", "户号"),
    ("village_group", "村民小组"),
    ("phone", "联系电话"),
    ("kind", "成员类别"),
    ("is_party_member", "是否党员"),
    ("joined_on", "入社日期"),
)
EXPORT_EXTRA = (("status", "状态"), ("status_changed_on", "状态变更日期"))
MAX_ROWS = 50_000
TEXT_COLUMNS = ("member_no", "id_number", "household_no", "phone")


@dataclass
class RowError:
    row: int  # row number as the spreadsheet shows it
    column: str  # header of the column, or "" for the whole row
    message: str
    value: str = ""


class MemberUpdate(NamedTuple):
    """A row that changes an existing member: its new values and the labels
    of the columns that change."""

    member: Member
    values: dict[str, Any]
    changed: list[str]


@dataclass
class ImportPlan:
    rows: int = 0
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[MemberUpdate] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rows > 0


class ImportFailed(ServiceError):
    def __init__(self, plan: ImportPlan):
        super().__init__(f"导入未进行：有 {len(plan.errors)} 处错误，没有写入任何数据")
        self.plan = plan


# -- reading files -------------------------------------------------------------------

def read_rows(stream: IO[bytes], filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field: cell value}) for each non-empty data row (.xlsx or .csv)."""
    return read_table(stream, COLUMNS, max_rows=MAX_ROWS, filename=filename or "",
                      optional=BASIS_COLUMNS, missing_hint="（请使用导入模板）")


# -- planning and applying ----------------------------------------------------------------

def _shown(field: str, value: Any) -> str:
    if value is None:
        return ""
    if field == "id_number":
        return mask_resident_id(str(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[:40]


def plan_import(coop: Cooperative, rows: list[tuple[int, dict[str, Any]]]) -> ImportPlan:
    """What the rows would do, and every problem. Writes nothing."""
    plan = ImportPlan(rows=len(rows))
    today = services.today()
    label = dict(COLUMNS) | BASIS_LABELS
    cleaned: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
    seen_no: dict[str, int] = {}
    seen_id: dict[str, int] = {}
    collective_rows: list[int] = []
    for number, raw in rows:
        values, errors = clean_member_values(raw)
        basis, basis_errors = clean_basis(raw)
        values |= basis
        errors |= basis_errors
        if "id_number" not in errors and values["id_number"] and "*" in values["id_number"]:
            errors["id_number"] = "身份证号是打码的（导出时没有选完整身份证号），不能用于导入"
        for f, message in member_errors(values, today).items():
            errors.setdefault(f, message)
        no, idn = values["member_no"], values["id_number"]
        if no and "member_no" not in errors:
            if no in seen_no:
                errors["member_no"] = f"成员编号 {no} 与第 {seen_no[no]} 行重复"
            else:
                seen_no[no] = number
        if idn and "id_number" not in errors:
            if idn in seen_id:
                errors["id_number"] = f"身份证号与第 {seen_id[idn]} 行重复"
            else:
                seen_id[idn] = number
        if values["kind"] == MemberKind.COLLECTIVE:
            collective_rows.append(number)
            if len(collective_rows) > 1:
                errors.setdefault("kind", f"村集体只能有一个，第 {collective_rows[0]} 行已是村集体")
        for f, message in errors.items():
            plan.errors.append(RowError(number, label.get(f, FIELD_LABELS.get(f, f)), message,
                                        _shown(f, raw.get(f))))
        cleaned.append((number, values, errors))

    existing_by_no = _existing(coop.id, Member.member_no, list(seen_no))
    existing_by_id = _existing(coop.id, Member.id_number, list(seen_id))
    collective = db.session.scalar(select(Member).where(
        Member.cooperative_id == coop.id, Member.kind == MemberKind.COLLECTIVE.value))
    latest_closed = latest_closed_year(coop.id)
    for number, values, errors in cleaned:
        if errors:
            continue
        current = existing_by_no.get(values["member_no"])
        owner = existing_by_id.get(values["id_number"]) if values["id_number"] else None
        if owner is not None and owner is not current and seen_no.get(owner.member_no) is None:
            plan.errors.append(RowError(number, "身份证号",
                                        f"这个身份证号已登记在成员 {owner.member_no} {owner.name} 名下",
                                        _shown("id_number", values["id_number"])))
            continue
        if (values["kind"] == MemberKind.COLLECTIVE and collective is not None
                and collective is not current):
            plan.errors.append(RowError(number, "成员类别",
                                        f"本合作社已有村集体成员（{collective.member_no} "
                                        f"{collective.name}），只能有一个", "村集体"))
            continue
        if message := services.join_date_error(latest_closed, values["joined_on"],
                                               current.joined_on if current else None):
            plan.errors.append(RowError(number, label["joined_on"], message,
                                        _shown("joined_on", values["joined_on"])))
            continue
        if current is None:
            plan.creates.append(values)
            continue
        changed = [FIELD_LABELS[f] for f in MEMBER_FIELDS if getattr(current, f) != values[f]]
        changed += [BASIS_LABELS[f] for f, _ in BASIS_COLUMNS
                    if f in values and getattr(current, f) != values[f]]
        if changed:
            plan.updates.append(MemberUpdate(current, values, changed))
        else:
            plan.unchanged += 1
    if not rows:
        plan.errors.append(RowError(0, "", "文件中没有数据行（第 1 行是列名，从第 2 行起每行一位成员）"))
    plan.errors.sort(key=lambda e: e.row)
    return plan


def _existing(coop_id: int, column, keys: list[str]) -> dict[str, Member]:
    found: dict[str, Member] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        for member in db.session.scalars(
                select(Member).where(Member.cooperative_id == coop_id, column.in_(chunk))):
            found[getattr(member, column.key)] = member
    return found


def apply_import(coop: Cooperative, plan: ImportPlan) -> dict[str, int]:
    """Write a plan without errors (flush only). Swapped ID numbers between two
    existing members are handled by clearing them first."""
    if not plan.ok:
        raise ImportFailed(plan)
    moving = [m for m, values, _ in plan.updates if m.id_number != values["id_number"]]
    for member in moving:
        member.id_number = None
    if moving:
        db.session.flush()
    for member, values, _ in plan.updates:
        services.apply_values(member, values)
        _apply_basis(member, values)
    db.session.flush()
    for values in plan.creates:
        member = Member(cooperative_id=coop.id, status=MemberStatus.ACTIVE.value)
        services.apply_values(member, values)
        _apply_basis(member, values)
        db.session.add(member)
    db.session.flush()
    return {"created": len(plan.creates), "updated": len(plan.updates),
            "unchanged": plan.unchanged}


def _apply_basis(member: Member, values: dict[str, Any]) -> None:
    """The basis columns the file has: how the member came to be one, the
    date of their confirmation (art 66), their relation to the household head."""
    for f, _ in BASIS_COLUMNS:
        if f in values and getattr(member, f) != values[f]:
            setattr(member, f, values[f])


def import_file(coop: Cooperative, stream: IO[bytes], filename: str) -> dict[str, int]:
    """Read, check every row, and write only when all are good."""
    plan = plan_import(coop, read_rows(stream, filename))
    if not plan.ok:
        raise ImportFailed(plan)
    return apply_import(coop, plan)


# -- export and template ---------------------------------------------------------------

def export_headers() -> list[str]:
    return [h for _, h in COLUMNS] + [h for _, h in EXPORT_EXTRA]


def export_row(member: Member, full_id: bool) -> list[Any]:
    id_number = member.id_number or ""
    return [
        member.member_no,
        member.name,
        id_number if full_id else mask_resident_id(id_number),
        member.household_no,
        member.village_group,
        member.phone,
        MemberKind(member.kind).label,
        "是" if member.is_party_member else "否",
        member.joined_on.isoformat() if member.joined_on else "",
        MemberStatus(member.status).label,
        member.status_changed_on.isoformat() if member.status_changed_on else "",
    ]


def write_csv(members: Iterable[Member], out: IO[str], full_id: bool) -> int:
    writer = csv_writer(out)
    writer.writerow(export_headers())
    n = 0
    for member in members:
        writer.writerow(export_row(member, full_id))
        n += 1
    return n


def write_xlsx(members: Iterable[Member], out: IO[bytes] | str | Path, full_id: bool) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("成员名册")
    append_row(sheet, export_headers())
    n = 0
    for member in members:
        append_row(sheet, export_row(member, full_id))
        n += 1
    workbook.save(out)
    return n


def write_template(out: IO[bytes] | str | Path) -> None:
    """The import template: the header row, text-formatted columns, drop-downs, a help sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "成员名册"
    append_row(sheet, [h for _, h in (*COLUMNS, *BASIS_COLUMNS)])
    widths = {"member_no": 12, "name": 12, "id_number": 22, "household_no": 10,
              "village_group": 12, "phone": 15, "kind": 10, "is_party_member": 10,
              "joined_on": 13, "acquired_how": 26, "confirmed_on": 13, "relation_to_head": 12}
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for index, (f, _) in enumerate((*COLUMNS, *BASIS_COLUMNS), start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = widths[f]
        if f in TEXT_COLUMNS:
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
    kinds = DataValidation(type="list", formula1='"村民,干部,村集体"', allow_blank=False)
    party = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    basis = DataValidation(type="list", formula1='"设立时成员,2025年5月1日前已确认成员"',
                           allow_blank=True)
    sheet.add_data_validation(kinds)
    sheet.add_data_validation(party)
    sheet.add_data_validation(basis)
    kinds.add("G2:G2000")
    party.add("H2:H2000")
    basis.add("J2:J2000")
    sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("填写说明")
    for line in (
        ("列名", "说明"),
        ("成员编号", "必填。字母、数字或短横线，本社内不能重复，例如 CY0001。再次导入时按成员编号更新。"),
        ("姓名", "必填。"),
        ("身份证号", "村民、干部必填，18 位，最后一位可以是 X。请保持本列为“文本”格式。"),
        ("户号", "村民、干部必填。同一户的成员填同一个户号（表决仍是一人一票，户号用于户籍登记和同户委托）。"),
        ("村民小组", "例如 一组。"),
        ("联系电话", "手机号码，11 位。"),
        ("成员类别", "村民、干部 或 村集体（村集体只有一个，可不填身份证号和户号）。"),
        ("是否党员", "是 或 否，不填视为否。"),
        ("入社日期", "例如 2023-03-15。"),
        ("成员取得方式", "可不填（视为设立时成员）。设立时成员，或 2025年5月1日前已确认成员"
                   "（《农村集体经济组织法》第六十六条：无需重新确认，须填确认日期）。此后因出生、婚姻、"
                   "收养、移民等新取得成员身份的，在“成员身份”中登记变动，经成员大会确认，不在此导入。"),
        ("确认日期", "2025年5月1日前已确认成员必填：当时确认其成员身份的日期，例如 2020-06-30。"),
        ("与户主关系", "例如 户主、配偶、长子、长女，用于成员名册备案。"),
        ("", "所有行都检查通过后才会导入；有任何错误时不会写入任何数据。"),
    ):
        append_row(help_sheet, line)
    help_sheet.column_dimensions["A"].width = 12
    help_sheet.column_dimensions["B"].width = 90
    workbook.save(out)


def export_members(coop_id: int, path: str | Path, full_id: bool,
                   filters: roster.Filters | None = None) -> int:
    """Write the roster to ``path`` (.csv or .xlsx by its suffix); returns the row count."""
    path = Path(path)
    members = roster.iter_members(coop_id, filters)
    if path.suffix.lower() == ".csv":
        with open_private(path, "w", encoding="utf-8-sig", newline="") as out:
            return write_csv(members, out, full_id)
    if path.suffix.lower() == ".xlsx":
        with open_private(path, "wb") as out:
            return write_xlsx(members, out, full_id)
    raise ServiceError("导出文件名应以 .csv 或 .xlsx 结尾")

