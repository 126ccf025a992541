"""Every CSV and XLSX file the app writes goes through here.

A spreadsheet runs a cell as a formula when its text starts with = + - @ (and
Excel also after a tab or carriage return): a client named
``=HYPERLINK(...)`` or a member renamed ``-2+3+cmd|' /C calc'!A0`` must reach
the file as text, never as a formula (OWASP "CSV injection").

- CSV: such a text gets a leading apostrophe, which spreadsheets take as
  "this is text" (``csv_writer``). Numbers are left alone: an int or a text
  that is a plain number such as ``-500.00`` is a number, not a formula.
- XLSX: such a text is written as a string cell with Excel's quote prefix,
  the file form of that apostrophe; the text itself is unchanged, so an
  export imported again gives the same values (``append_row``).

Reading a member CSV back, ``csv_text`` takes the apostrophe off again.
"""
from __future__ import annotations

import csv
import re
from typing import IO, Any, Iterable

from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?")


def is_formula_like(value: Any) -> bool:
    """A text a spreadsheet would take for a formula."""
    return (isinstance(value, str) and value.startswith(FORMULA_START)
            and _PLAIN_NUMBER.fullmatch(value) is None)


def csv_cell(value: Any) -> Any:
    return "'" + value if is_formula_like(value) else value


def csv_text(value: str) -> str:
    """The text a neutralised CSV cell stood for (the inverse of ``csv_cell``)."""
    if value.startswith("'") and is_formula_like(value[1:]):
        return value[1:]
    return value


class SafeCsvWriter:
    """``csv.writer`` whose every row is neutralised."""

    def __init__(self, stream: IO[str]):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str]) -> SafeCsvWriter:
    return SafeCsvWriter(stream)


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A cell for ``sheet.append``: a formula-like text as a quoted string cell."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """``sheet.append(row)`` (normal or write-only sheet) with every text neutralised."""
    sheet.append([xlsx_cell(sheet, value) for value in row])
