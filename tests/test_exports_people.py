"""Exports for people (issue 16): .xlsx through coop.workbooks with a title row,
Chinese headers and labels, yuan with two decimals, a frozen header and totals;
CSV for machines with a BOM so Excel opens it."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

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


# -- the member roster for people (成员花名册) ------------------------------------------------

ROSTER_HEADERS = ["序号", "成员编号", "姓名", "性别", "身份证号", "户号", "与户主关系", "村民小组",
                  "成员类别", "取得方式", "确认日期", "状态"]


def _groups(app, portal_world, groups: dict[str, str]) -> None:
    from coop.extensions import db
    from coop.members.models import Member

    with app.app_context():
        for no, group in groups.items():
            db.session.get(Member, portal_world.members[no]).village_group = group
        db.session.commit()


def _body(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_row=ws.max_row - 1)]


def test_the_roster_downloads_as_a_workbook_for_people(app, client, auth, portal_world, set_clock):
    set_clock(date(2026, 6, 20))
    _groups(app, portal_world, {"CY0001": "十一组", "CY0002": "二组", "GB001": "一组",
                                "CY0003": "二组"})
    auth.login("accountant")
    resp = client.get("/members/roster.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    assert resp.headers["Content-Disposition"].startswith("attachment")
    ws = _sheet(resp.data)
    assert "成员花名册" in ws["A1"].value and "导出日期 2026-06-20" in ws["A1"].value
    assert "按当前筛选" not in ws["A1"].value
    assert ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]] == ROSTER_HEADERS + ["集体股（股）", "村民股（股）", "干部股（股）",
                                                         "合计（股）"]
    body = _body(ws)
    # natural group order (一组, 二组 ... 十一组), households within a group, no group last
    assert [r[1] for r in body] == ["GB001", "CY0002", "CY0003", "CY0001", "JT001"]
    assert [r[0] for r in body] == [1, 2, 3, 4, 5]
    cy1 = body[3]
    assert cy1[2] == "张秀兰" and cy1[3] == "女" and cy1[4] == "1502**********1528"
    assert cy1[5] == "H001" and cy1[7] == "十一组" and cy1[8] == "村民" and cy1[11] == "在册"
    assert cy1[12:] == [0, 170, 0, 170]
    assert body[4][8] == "村集体" and body[4][12:] == [650, 0, 0, 650]
    assert not any("150203196805121528" in str(v) for r in body for v in r)
    totals = [c.value for c in ws[ws.max_row]]
    assert totals[:3] == ["合计", "5 人", "5 户"]
    assert totals[12:] == [650, sum(r[13] for r in body), 40, sum(r[15] for r in body)]
    assert ws[ws.max_row][0].font.bold


def test_the_roster_follows_the_search_and_the_import_format_keeps_its_label(
        app, client, auth, portal_world):
    _groups(app, portal_world, {"CY0002": "二组", "CY0003": "二组"})
    auth.login("admin")
    ws = _sheet(client.get("/members/roster.xlsx?village_group=二组").data)
    assert "按当前筛选" in ws["A1"].value
    assert [r[1] for r in _body(ws)] == ["CY0002", "CY0003"]
    assert [c.value for c in ws[ws.max_row]][:3] == ["合计", "2 人", "2 户"]
    page = client.get("/members/?village_group=二组").get_data(as_text=True)
    assert "/members/roster.xlsx?village_group=" in page and "导出花名册（Excel）" in page
    assert "导入格式" in page
    # the import-format export is unchanged: its first header row is the import's columns
    old = load_workbook(io.BytesIO(client.get("/members/export?format=xlsx").data)).worksheets[0]
    assert old["A1"].value == "成员编号"


# -- the machinery ledger's exports: orders, payments, receivables and the reports ------------

def _ledger(mach, set_clock):
    set_clock(date(2026, 6, 20))
    a = mach.ledger.order(date(2026, 5, 3), f"m:{mach.zhang}", service="sowing", area_cmu=1250,
                          price=20_00, machine_id=mach.machine, operator="王师傅")
    b = mach.ledger.order(date(2026, 5, 4), f"c:{mach.village}", service="harvesting",
                          area_cmu=1000, price=45_00)
    mach.ledger.pay(a, date(2026, 5, 10), 100_00, "wechat")
    mach.ledger.pay(b, date(2026, 5, 12), 450_00)
    return a, b


def test_the_year_orders_download_as_a_workbook_for_people(client, auth, mach, set_clock):
    _ledger(mach, set_clock)
    auth.login("supervisor")
    resp = client.get("/machinery/orders.xlsx?year=2026")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    ws = _sheet(resp.data)
    assert "2026 年作业单" in ws["A1"].value and "导出日期 2026-06-20" in ws["A1"].value
    assert ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]][:11] == ["作业单号", "作业日期", "客户", "客户类别", "作业项目", "地块",
                                             "面积（亩）", "单价（元/亩）", "金额", "已收款", "未收款"]
    body = _body(ws)
    zhang, village = body
    assert zhang[2] == "张三" and zhang[3] == "本社成员" and zhang[4] == "播种"
    assert zhang[6] == Decimal("12.5") and zhang[8] == Decimal("250")
    assert zhang[9] == Decimal("100") and zhang[10] == Decimal("150") and zhang[12] == "王师傅"
    assert village[3] == "外村" and village[4] == "收获" and village[10] == Decimal("0")
    assert ws[4][8].number_format == YUAN_FORMAT
    totals = [c.value for c in ws[ws.max_row]]
    assert totals[:2] == ["合计", "2 单"] and totals[8] == Decimal("700") and totals[10] == Decimal("150")
    unpaid = _sheet(client.get("/machinery/orders.xlsx?year=2026&unpaid=1").data)
    assert "未收清作业单" in unpaid["A1"].value and [r[2] for r in _body(unpaid)] == ["张三"]


def test_the_year_payments_download_as_a_workbook_for_people(app, client, auth, mach, set_clock):
    from coop.extensions import db
    from coop.machinery.models import ServicePayment
    from coop.machinery.payments import reverse_payment

    a, _ = _ledger(mach, set_clock)
    with app.app_context():
        payment = db.session.scalar(select(ServicePayment).where(ServicePayment.order_id == a))
        reverse_payment(mach.coop_id, payment, date(2026, 5, 20), "金额记错")
        db.session.commit()
    auth.login("accountant")
    resp = client.get("/machinery/payments.xlsx?year=2026")
    assert resp.status_code == 200
    ws = _sheet(resp.data)
    assert "2026 年收款记录" in ws["A1"].value and "导出日期 2026-06-20" in ws["A1"].value
    assert ws.freeze_panes == "A4"
    assert [c.value for c in ws[3]] == ["收款日期", "作业单号", "作业日期", "客户", "作业项目", "收款金额",
                                        "收款方式", "备注"]
    body = _body(ws)
    assert [r[0] for r in body] == ["2026-05-10", "2026-05-12", "2026-05-20"]
    assert body[0][6] == "微信" and body[1][6] == "现金" and body[0][5] == Decimal("100")
    assert body[2][5] == Decimal("-100") and body[2][7].startswith("冲销收款")
    totals = [c.value for c in ws[ws.max_row]]
    assert totals[:2] == ["合计", "3 笔"] and totals[5] == Decimal("450")
    assert ws[ws.max_row][5].number_format == YUAN_FORMAT


@pytest.mark.parametrize("name", ["monthly", "services", "groups", "machines", "members",
                                  "receivables"])
def test_every_ledger_report_has_a_dated_title_and_a_bold_totals_row(client, auth, mach, set_clock,
                                                                      name):
    _ledger(mach, set_clock)
    auth.login("accountant")
    resp = client.get(f"/machinery/reports/2026/{name}.xlsx")
    assert resp.status_code == 200
    ws = _sheet(resp.data)
    assert "测试" in ws["A1"].value and "导出日期 2026-06-20" in ws["A1"].value
    assert ws.freeze_panes == "A4" and ws["A2"].value == "金额单位：元"
    last = ws[ws.max_row]
    assert last[0].value == "合计" and last[0].font.bold
    assert any(c.number_format == YUAN_FORMAT and isinstance(c.value, (int, float)) for c in last)
    if name == "receivables":
        assert ws[ws.max_row][ws.max_column - 2].value == Decimal("150")
