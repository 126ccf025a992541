"""The one table reader of both importers (coop.spreadsheets.read_table): the
share import and the member import read their uploads through it."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from coop.members import importing as member_importing
from coop.shares import importing as share_importing
from coop.spreadsheets import ImportFileError, read_table

COLUMNS = (("member_no", "成员编号"), ("name", "姓名"))


def _xlsx(rows: list[list]) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_rows_keep_the_spreadsheet_numbers_and_map_headers_to_fields():
    stream = _xlsx([["备注", " 姓名 ", "成员编号*"], ["x", "张三", "CY0001"], [None, None, None],
                    ["", "李四", "CY0002"]])
    rows = read_table(stream, COLUMNS, max_rows=10, optional=(("note", "备注"),))
    assert rows == [(2, {"note": "x", "name": "张三", "member_no": "CY0001"}),
                    (4, {"note": None, "name": "李四", "member_no": "CY0002"})]


def test_csv_with_a_bom_reads_like_the_xlsx():
    data = "\ufeff成员编号（必填）,姓名\nCY0001,张三\n".encode("utf-8")
    rows = read_table(io.BytesIO(data), COLUMNS, max_rows=10, filename="roster.csv")
    assert rows == [(2, {"member_no": "CY0001", "name": "张三"})]


def test_the_messages_name_the_importers_own_columns():
    with pytest.raises(ImportFileError) as exc:
        share_importing.read_rows(_xlsx([]))
    assert exc.value.message == "文件是空的：第 1 行应为列名（成员编号、股份类别……）"
    with pytest.raises(ImportFileError) as exc:
        member_importing.read_rows(io.BytesIO(b""), "roster.csv")
    assert exc.value.message == "文件是空的：第 1 行应为列名（成员编号、姓名……）"
    with pytest.raises(ImportFileError) as exc:
        member_importing.read_rows(io.BytesIO("成员编号\nCY0001\n".encode()), "roster.csv")
    assert exc.value.message.startswith("第 1 行缺少这些列：姓名、身份证号")
    assert exc.value.message.endswith("（请使用导入模板）")
    with pytest.raises(ImportFileError) as exc:
        share_importing.read_rows(_xlsx([["成员编号"]]))
    assert exc.value.message.endswith("日期（请使用导入模板）")


def test_too_many_rows_and_the_wrong_kind_of_file_are_refused():
    data = ("成员编号,姓名\n" + "CY0001,张三\n" * 4).encode()
    with pytest.raises(ImportFileError) as exc:
        read_table(io.BytesIO(data), COLUMNS, max_rows=3, filename="a.csv")
    assert exc.value.message == "一次最多导入 3 行，请分成几个文件"
    with pytest.raises(ImportFileError) as exc:
        read_table(io.BytesIO(data), COLUMNS, max_rows=3, filename="a.xls")
    assert "旧版 Excel" in exc.value.message
    with pytest.raises(ImportFileError) as exc:
        share_importing.read_rows(io.BytesIO(data))  # the share import reads .xlsx only
    assert exc.value.message == "无法读取这个文件：它不是有效的 Excel（.xlsx）文件"
