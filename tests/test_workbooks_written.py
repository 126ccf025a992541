"""coop.workbooks writes every sheet as a stream (XlsxWriter's
constant-memory mode): what a person sees in the file, read back with
openpyxl as an import would read it, however many rows it has."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from coop.workbooks import MU_FORMAT, YUAN_FORMAT, Mu, Table, Yuan, workbook


def _table(rows: list[list], **kw) -> Table:
    return Table(sheet="成员花名册（全体成员，按村民小组排序）", title="测试社 成员花名册  导出日期 2026-12-02",
                 headers=["序号", "姓名", "入社日期", "股金", "面积"], rows=rows, **kw)


def _width(ws, column: int) -> float:
    """The width stored for ``column`` (1-based): neighbours of the same width share one entry."""
    return next(d.width for d in ws.column_dimensions.values() if d.min <= column <= d.max)


def _read(table: Table, *more: Table):
    return load_workbook(io.BytesIO(workbook(table, *more).getvalue()))


def test_title_unit_header_rows_totals_and_frozen_header():
    rows = [[1, "张三", date(2020, 1, 2), Yuan(123456), Mu(1050)], [2, "李四", None, Yuan(5), Mu(0)]]
    ws = _read(_table(rows, totals=["合计", "2 人", "", Yuan(123461), Mu(1050)],
                      widths={2: 14})).worksheets[0]
    assert ws.title == "成员花名册（全体成员，按村民小组排序）"[:31]
    assert ws["A1"].value.startswith("测试社") and ws["A1"].font.bold and ws["A1"].font.sz == 13
    assert ws["A2"].value == "金额单位：元" and not ws["A2"].font.bold
    assert [c.value for c in ws[3]] == ["序号", "姓名", "入社日期", "股金", "面积"]
    assert all(c.font.bold and c.alignment.horizontal == "center" and c.alignment.wrap_text
               for c in ws[3])
    assert ws.freeze_panes == "A4"
    first = ws[4]
    assert [c.value for c in first[:2]] == [1, "张三"] and not first[1].font.bold
    assert first[2].value.date() == date(2020, 1, 2)
    assert Decimal(str(first[3].value)) == Decimal("1234.56") and first[3].number_format == YUAN_FORMAT
    assert first[4].value == Decimal("10.5") and first[4].number_format == MU_FORMAT
    assert ws["C5"].value is None
    totals = ws[6]
    assert ws.max_row == 6 and all(c.font.bold for c in totals if c.value not in (None, ""))
    assert Decimal(str(totals[3].value)) == Decimal("1234.61") and totals[3].number_format == YUAN_FORMAT
    # a column shown so many characters wide is stored with Excel's padding (under one character)
    assert 14 <= _width(ws, 2) < 15  # given
    assert 12 <= _width(ws, 4) < 13  # from the header: at least 12


def test_formula_like_texts_stay_text_and_plain_texts_stay_plain():
    rows = [[1, "=HYPERLINK(\"http://x\")", None, Yuan(0), Mu(0)], [2, "-12", None, Yuan(0), Mu(0)],
            [3, "王五", None, Yuan(0), Mu(0)]]
    ws = _read(_table(rows)).worksheets[0]
    formula, number_text, plain = ws["B4"], ws["B5"], ws["B6"]
    assert formula.data_type == "s" and formula.quotePrefix
    assert formula.value == "=HYPERLINK(\"http://x\")"
    assert number_text.data_type == "s" and number_text.value == "-12" and number_text.quotePrefix
    assert plain.value == "王五" and not plain.quotePrefix


def test_each_table_its_own_sheet_in_order_and_no_totals_row_without_totals():
    book = _read(_table([[1, "甲", None, Yuan(1), Mu(1)]]),
                 Table(sheet="第二张", title="二", headers=["项目"], rows=[["乙"], ["丙"]], unit=""))
    assert [ws.title for ws in book.worksheets] == ["成员花名册（全体成员，按村民小组排序）"[:31], "第二张"]
    second = book.worksheets[1]
    assert [r[0].value for r in second.iter_rows()] == ["二", None, "项目", "乙", "丙"]
    assert second.freeze_panes == "A4"


def test_amounts_are_written_as_their_exact_decimal_text():
    """2^53 + 1 fen has no float of its own: written through a float it would
    end in .92; the sheet carries the Decimal's own digits."""
    rows = [[1, "甲", None, Yuan(2**53 + 1), Mu(12345)], [2, "乙", None, Yuan(-411000), Mu(5)]]
    data = workbook(_table(rows)).getvalue()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>90071992547409.93</v>" in sheet and "<v>123.45</v>" in sheet
    assert "<v>-4110.00</v>" in sheet and "<v>0.05</v>" in sheet


def test_every_kind_of_value_a_table_holds_and_nothing_else():
    rows = [[1, "甲", datetime(2026, 12, 2, 8, 30), Yuan(1), Mu(1)], [2, True, None, Decimal("1.5"), ""]]
    ws = _read(_table(rows)).worksheets[0]
    assert ws["C4"].value == datetime(2026, 12, 2, 8, 30) and ws["B5"].value is True
    assert ws["D5"].value == Decimal("1.5") and ws["E5"].value is None
    with pytest.raises(TypeError):
        workbook(_table([[1, "甲", object(), Yuan(1), Mu(1)]]))
