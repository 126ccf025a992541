"""Every CSV and XLSX file the app writes, and every .xlsx it imports, goes through here.

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

Reading: ``read_table`` is the one table reader of the importers (a .xlsx
or .csv upload, its header row mapped to fields, each row with the number a
spreadsheet shows for it); ``xlsx_rows`` reads the .xlsx sheet. A 49 KB
file can declare A1:XFD1048576 or hold one row of a million cells; the sheet
is measured first (its declared dimension, then its real rows and cells in a
streaming pass that keeps nothing), refused past the limits, and only then
read with openpyxl's read-only mode, no wider and longer than what is there.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.packaging.relationship import get_dependents
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.xml.constants import ARC_ROOT_RELS

from coop.errors import ServiceError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(FORMULA_START)
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


def _neutralised(row: Sequence[Any]) -> Sequence[Any]:
    """``row`` with csv_cell applied to each cell; ``row`` itself when no text
    in it starts like a formula, as almost none does (an export writes a few
    hundred thousand cells: this first pass is all most rows cost)."""
    for value in row:
        if isinstance(value, str) and value[:1] in _FORMULA_CHARS:
            return [csv_cell(cell) for cell in row]
    return row


class SafeCsvWriter:
    """``csv.writer`` whose every row is neutralised."""

    def __init__(self, stream: IO[str]):
        self._writer = csv.writer(stream)

    def writerow(self, row: Sequence[Any]) -> Any:
        return self._writer.writerow(_neutralised(row))

    def writerows(self, rows: Iterable[Sequence[Any]]) -> None:
        self._writer.writerows(map(_neutralised, rows))


def csv_writer(stream: IO[str]) -> SafeCsvWriter:
    return SafeCsvWriter(stream)


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A cell for ``sheet.append``: a formula-like text as a quoted string cell."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_value(sheet: Any, value: Any) -> Any:
    """What ``sheet.append`` takes for ``value``: the value itself, or a cell
    when it is a formula-like text (a write-only sheet writes plain values
    through one cell a row, much faster than a cell each)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return xlsx_cell(sheet, value)
    return value


def append_row(sheet: Any, row: Iterable[Any]) -> None:
    """``sheet.append(row)`` (normal or write-only sheet) with every text neutralised."""
    sheet.append([xlsx_value(sheet, value) for value in row])


# -- reading ---------------------------------------------------------------------------

MAX_COLUMNS = 100
MAX_PART_BYTES = 16 * 1024 * 1024  # any part but the sheet, unpacked (shared strings, styles)
MAX_SHEET_BYTES = 128 * 1024 * 1024  # the sheet itself, unpacked; it is streamed
NOT_XLSX = "无法读取这个文件：它不是有效的 Excel（.xlsx）文件"


class ImportFileError(ServiceError):
    """The file itself cannot be used (not a spreadsheet, no header, too big)."""


@dataclass(frozen=True)
class SheetSize:
    rows: int  # the last row with a cell
    columns: int  # the last column with a cell (or the most cells in a row)


def _too_big(max_rows: int, found: str) -> ImportFileError:
    return ImportFileError(
        f"表格太大：一次最多导入 {max_rows - 1:,} 行、{MAX_COLUMNS} 列，{found}。"
        "请只保留要导入的数据，或分成几个文件")


def measure_sheet(source: IO[bytes], max_rows: int) -> SheetSize:
    """The real size of a worksheet's XML, in one streaming pass that keeps
    nothing: refused (ImportFileError) as soon as it passes ``max_rows`` rows
    or MAX_COLUMNS columns, or declares more, or carries a DTD."""
    parser = expat.ParserCreate()
    rows = columns = row = cells_in_row = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal rows, columns, row, cells_in_row
        tag = name.rpartition(":")[2]  # with or without a namespace prefix
        if tag == "c":
            cells_in_row += 1
            column = cells_in_row
            if "r" in attrs:
                column = column_index_from_string(attrs["r"].rstrip("0123456789"))
            columns = max(columns, column, cells_in_row)
            rows = max(rows, row)
            if rows > max_rows or columns > MAX_COLUMNS:
                raise _too_big(max_rows, f"这个工作表第 {row:,} 行第 {column:,} 列还有内容")
        elif tag == "row":
            row = int(attrs["r"]) if "r" in attrs else row + 1
            cells_in_row = 0
        elif tag == "dimension" and "ref" in attrs:
            _, _, last_column, last_row = range_boundaries(attrs["ref"])
            if (last_row or 0) > max_rows or (last_column or 0) > MAX_COLUMNS:
                raise _too_big(max_rows, f"这个工作表声明的范围是 {attrs['ref']}"
                                         f"（{last_row or 0:,} 行、{last_column or 0:,} 列）")

    def doctype(*_args: Any) -> None:
        raise ImportFileError(NOT_XLSX)

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.ParseFile(source)
    except (expat.ExpatError, ValueError, TypeError, zipfile.BadZipFile):
        raise ImportFileError(NOT_XLSX) from None
    return SheetSize(rows, columns)


def _sheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The parts of every sheet the workbook lists, found as openpyxl finds them
    (package relationships -> workbook -> its sheets), without reading a sheet."""
    office = [rel for rel in get_dependents(archive, ARC_ROOT_RELS)
              if rel.Type.endswith("/officeDocument")]
    parser = WorkbookParser(archive, office[0].target)
    parser.parse()
    return [rel.target for _, rel in parser.find_sheets()]


def xlsx_rows(stream: IO[bytes], max_rows: int) -> Iterator[tuple]:
    """The cell values of the first worksheet, row by row (a missing row as
    Nones), at most ``max_rows`` rows (header included) and MAX_COLUMNS
    columns, or ImportFileError before any sheet is loaded."""
    try:
        archive = zipfile.ZipFile(stream)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(NOT_XLSX) from None
    for part in parts:
        is_sheet = part.filename.startswith("xl/worksheets/")
        if part.file_size > (MAX_SHEET_BYTES if is_sheet else MAX_PART_BYTES):
            raise ImportFileError(f"文件解压后太大（{part.filename} 有 {part.file_size:,} 字节），"
                                  "请只保留要导入的数据")
    try:
        # openpyxl reads each sheet's size as it opens the workbook (the whole
        # sheet when it declares none): every sheet is measured first
        sizes = []
        for name in _sheet_parts(archive):
            with archive.open(name) as source:
                sizes.append(measure_sheet(source, max_rows))
        sheet = load_workbook(stream, read_only=True, data_only=True).worksheets[0]
    except ImportFileError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds for a file that is not xlsx
        raise ImportFileError(NOT_XLSX) from None
    return _values(sheet, max(size.rows for size in sizes), max(size.columns for size in sizes))


def _values(sheet: Any, rows: int, columns: int) -> Iterator[tuple]:
    if rows == 0:
        return
    try:
        yield from sheet.iter_rows(max_row=rows, max_col=columns, values_only=True)
    except Exception:  # a cell openpyxl cannot read
        raise ImportFileError(NOT_XLSX) from None


# -- the importers' table --------------------------------------------------------------


def header_text(value: Any) -> str:
    """A header cell as the importers match it: without spaces, the required
    marks (* ＊) and a（必填） note."""
    text = "" if value is None else str(value)
    return "".join(text.split()).strip("*＊").replace("（必填）", "").replace("(必填)", "")


def csv_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of a CSV file in UTF-8 (with or without a BOM) or GB18030, each
    neutralised cell back to its text (``csv_text``)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError("无法识别 CSV 文件的编码，请保存为 UTF-8")
    if "\x00" in text:
        raise ImportFileError("无法读取这个文件：它不是文本格式的 CSV")
    return ([csv_text(cell) for cell in row] for row in csv.reader(io.StringIO(text)))


def _table(stream: IO[bytes], filename: str | None, max_rows: int) -> Iterator[Sequence[Any]]:
    """The rows of an upload by its name's suffix (.xlsx when no name is given)."""
    suffix = Path(filename).suffix.lower() if filename is not None else ".xlsx"
    if suffix == ".csv":
        return csv_rows(stream.read())
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_rows(stream, max_rows)
    if suffix == ".xls":
        raise ImportFileError("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再导入")
    raise ImportFileError("请上传 Excel 文件（.xlsx）；可先下载导入模板填写")


def read_table(stream: IO[bytes], columns: Sequence[tuple[str, str]], *, max_rows: int,
               filename: str | None = None, optional: Sequence[tuple[str, str]] = (),
               missing_hint: str = "") -> list[tuple[int, dict[str, Any]]]:
    """(row number as the spreadsheet shows it, {field: cell value}) of every
    data row with something in it. ``columns`` and ``optional`` are (field,
    header) pairs; the first row must hold every header of ``columns``, in
    any order. ImportFileError (nothing read) for a file that is not a table,
    has no header row, lacks a column (``missing_hint`` added to the message)
    or has more than ``max_rows`` data rows."""
    table = iter(_table(stream, filename, max_rows + 1))
    header_row = next(table, None)
    if header_row is None:
        first = "、".join(header for _, header in columns[:2])
        raise ImportFileError(f"文件是空的：第 1 行应为列名（{first}……）")
    headers = [header_text(h) for h in header_row]
    missing = [header for _, header in columns if header not in headers]
    if missing:
        raise ImportFileError("第 1 行缺少这些列：" + "、".join(missing) + missing_hint)
    to_field = {header: f for f, header in (*columns, *optional)}
    positions = {to_field[h]: i for i, h in enumerate(headers) if h in to_field}
    rows = []
    for number, cells in enumerate(table, start=2):
        cells = list(cells)
        values = {f: (cells[i] if i < len(cells) else None) for f, i in positions.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append((number, values))
        if len(rows) > max_rows:
            raise ImportFileError(f"一次最多导入 {max_rows:,} 行，请分成几个文件")
    return rows
