"""Workbooks a person opens: one table per sheet, Chinese headers, money in yuan.

Every .xlsx export meant for people is written here: a title row (the
cooperative and what the table is, with its date), a unit row, the header
row in bold and frozen, the rows, and an optional totals row. Amounts are
exact Decimal yuan with a two-decimal format (``Yuan(fen)``), areas Decimal
mu (``Mu(hundredths)``); no float anywhere. Texts go through
``coop.spreadsheets.xlsx_cell`` so a formula-like name stays text.
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
from coop.spreadsheets import xlsx_cell, xlsx_value

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


TITLE_FONT = Font(bold=True, size=13)
BOLD = Font(bold=True)
HEADER_ALIGNMENT = Alignment(horizontal="center", wrap_text=True)


def _row(ws: Any, values: Sequence[Any], font: Font | None = None,
         alignment: Alignment | None = None) -> None:
    """One row of cells: texts neutralised, yuan and mu in their formats."""
    cells = []
    for value in values:
        if font is None and alignment is None and not isinstance(value, (Money, Area)):
            cells.append(xlsx_value(ws, value))
            continue
        cell = xlsx_cell(ws, value)
        if isinstance(value, Money):
            cell.number_format = YUAN_FORMAT
        elif isinstance(value, Area):
            cell.number_format = MU_FORMAT
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        cells.append(cell)
    ws.append(cells)


def _write(ws: Any, table: Table) -> None:
    """The table into a write-only sheet, row by row, in time and memory in
    proportion to its rows: the columns' widths and the frozen header first,
    as a streamed sheet takes them only before its rows."""
    for i, header in enumerate(table.headers, start=1):
        width = table.widths.get(i, max(len(str(header)) * 2 + 2, 12))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A4"
    _row(ws, [table.title], TITLE_FONT)
    _row(ws, [table.unit])
    _row(ws, list(table.headers), BOLD, HEADER_ALIGNMENT)
    for values in table.rows:
        _row(ws, values)
    if table.totals is not None:
        _row(ws, table.totals, BOLD)


def workbook(*tables: Table) -> BytesIO:
    """The tables as one .xlsx, a sheet each, ready for ``send_file``;
    written as a stream (openpyxl's write-only workbook)."""
    wb = Workbook(write_only=True)
    for table in tables:
        _write(wb.create_sheet(table.sheet[:31]), table)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out
