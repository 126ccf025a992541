"""Workbooks a person opens: one table per sheet, Chinese headers, money in yuan.

Every .xlsx export meant for people is written here: a title row (the
cooperative and what the table is, with its date), a unit row, the header
row in bold and frozen, the rows, and an optional totals row. Amounts are
exact Decimal yuan with a two-decimal format (``Yuan(fen)``), areas Decimal
mu (``Mu(hundredths)``); no float anywhere. Texts go through
``coop.spreadsheets.append_row`` so a formula-like name stays text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coop.money import fen_to_decimal, mu_decimal
from coop.spreadsheets import append_row

YUAN_FORMAT = "#,##0.00"
MU_FORMAT = "#,##0.00"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Money(Decimal):
    """A yuan amount (marks the cell's number format)."""


class Area(Decimal):
    """An area in mu (marks the cell's number format)."""


def Yuan(fen: int) -> Money:  # noqa: N802  (reads as a cell type)
    return Money(fen_to_decimal(fen))


def Mu(hundredths: int) -> Area:  # noqa: N802
    return Area(mu_decimal(hundredths))


@dataclass
class Table:
    """One sheet: ``title`` is the first row (cooperative, subject, date)."""

    sheet: str
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    totals: Sequence[Any] | None = None
    unit: str = "金额单位：元"
    widths: dict[int, int] = field(default_factory=dict)


def _write(ws: Any, table: Table) -> None:
    ws.title = table.sheet[:31]
    append_row(ws, [table.title])
    ws["A1"].font = Font(bold=True, size=13)
    append_row(ws, [table.unit])
    append_row(ws, list(table.headers))
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    body = list(table.rows) + ([table.totals] if table.totals is not None else [])
    for row in body:
        append_row(ws, list(row))
        for cell, value in zip(ws[ws.max_row], row):
            if isinstance(value, Money):
                cell.number_format = YUAN_FORMAT
            elif isinstance(value, Area):
                cell.number_format = MU_FORMAT
    if table.totals is not None:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    for i, header in enumerate(table.headers, start=1):
        width = table.widths.get(i, max(len(str(header)) * 2 + 2, 12))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"


def workbook(*tables: Table) -> BytesIO:
    """The tables as one .xlsx, a sheet each, ready for ``send_file``."""
    wb = Workbook()
    for i, table in enumerate(tables):
        _write(wb.active if i == 0 else wb.create_sheet(), table)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out
