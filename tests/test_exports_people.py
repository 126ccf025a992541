"""Exports for people (issue 16): .xlsx through coop.workbooks with a title row,
Chinese headers and labels, yuan with two decimals, a frozen header and totals;
CSV for machines with a BOM so Excel opens it."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from coop.workbooks import YUAN_FORMAT


def _draft(client, auth, w) -> int:
    w.close()
    auth.login("admin")
    resp = client.post("/dividends/compute", data={"year": "2024", "weight_basis": "record_date"})
    return int(resp.headers["Location"].rstrip("/").split("/")[-1])


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def _row_of(ws, first: str) -> list:
    return next([c for c in row] for row in ws.iter_rows(min_row=4) if row[0].value == first)


def test_plan_lines_download_as_a_workbook_for_people(client, auth, div_world, set_clock):
    set_clock(date(2025, 2, 3))
    plan_id = _draft(client, auth, div_world)
    resp = client.get(f"/dividends/{plan_id}/export.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    assert resp.headers["Content-Disposition"].startswith("attachment")
    ws = _sheet(resp.data)
    title = ws["A1"].value
    assert "2024 年度分红明细" in title and "导出日期 2025-02-03" in title
    assert ws["A2"].value == "金额单位：元" and ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]] == ["成员编号", "姓名", "成员类型", "股份类别", "股份权数", "保底收益",
                                        "按交易量返还", "按股分红", "合计", "发放日期", "发放方式"]
    v002 = _row_of(ws, "V002")
    assert v002[2].value == "村民"
    assert v002[3].value == "村民股"
    assert v002[8].value == Decimal("1280") and v002[8].number_format == YUAN_FORMAT
    totals = [c.value for c in ws[ws.max_row]]
    assert totals[0] == "合计" and totals[1] == "4 人" and totals[4] == 1000
    assert totals[8] == Decimal("8000") and ws[ws.max_row][8].number_format == YUAN_FORMAT
    body = [r[8].value for r in ws.iter_rows(min_row=4, max_row=ws.max_row - 1)]
    assert sum(body) == totals[8]


def test_plan_csv_keeps_its_columns_with_a_bom(client, auth, div_world):
    plan_id = _draft(client, auth, div_world)
    data = client.get(f"/dividends/{plan_id}/export.csv").data
    assert data.startswith("\ufeff".encode())


def test_cli_dividends_export_writes_xlsx_or_csv_with_a_bom(runner, div_world, tmp_path):
    div_world.close()
    assert runner.invoke(args=["dividends", "compute", "--coop", "t1", "--year", "2024"]).exit_code == 0
    xlsx = tmp_path / "d.xlsx"
    result = runner.invoke(args=["dividends", "export", "--coop", "t1", "--year", "2024", str(xlsx)])
    assert result.exit_code == 0 and "已导出" in result.output, result.output
    ws = _sheet(xlsx.read_bytes())
    assert ws[3][0].value == "成员编号" and ws[ws.max_row][8].value == Decimal("8000")
    out = tmp_path / "d.csv"
    assert runner.invoke(args=["dividends", "export", "--coop", "t1", "--year", "2024",
                               str(out)]).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "member_no"
    result = runner.invoke(args=["dividends", "export", "--coop", "t1", "--year", "2024",
                                 str(tmp_path / "d.txt")])
    assert result.exit_code != 0 and "应为 .xlsx 或 .csv" in result.output


def test_holdings_download_as_a_workbook_for_people(client, auth, share_world, create_user, set_clock):
    set_clock(date(2024, 3, 1))
    create_user(share_world.code, "kuaiji", role="accountant")
    auth.login("kuaiji")
    resp = client.get("/shares/holdings.xlsx?on=2024-02-01")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    ws = _sheet(resp.data)
    assert "成员持股表（截至 2024-02-01" in ws["A1"].value and ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]] == ["成员编号", "姓名", "成员类型", "股份类别", "股数", "股金"]
    v001 = _row_of(ws, "V001")
    assert v001[3].value == "村民股" and v001[4].value == 150
    assert v001[5].value == Decimal("150") and v001[5].number_format == YUAN_FORMAT
    totals = [c.value for c in ws[ws.max_row]]
    assert totals[0] == "合计" and totals[4] == 1000 and totals[5] == Decimal("1000")


def test_holdings_csv_from_the_cli_has_a_bom_and_xlsx_works(runner, share_world, tmp_path):
    out = tmp_path / "h.csv"
    result = runner.invoke(args=["shares", "holdings", str(out), "--coop", "t1", "--date", "2024-06-30"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    xlsx = tmp_path / "h.xlsx"
    result = runner.invoke(args=["shares", "holdings", str(xlsx), "--coop", "t1", "--date", "2024-06-30"])
    assert result.exit_code == 0, result.output
    ws = _sheet(xlsx.read_bytes())
    assert ws[ws.max_row][5].value == Decimal("1000")
