"""Excel import (all or nothing, idempotent, row errors), template, export, CLI."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from coop.extensions import db
from coop.members.models import Member
from tests.conftest_members import make_id
from tests.workbooks import xlsx_bytes

HEADERS = ["成员编号", "姓名", "身份证号", "户号", "村民小组", "联系电话", "成员类别", "是否党员", "入社日期"]
ROWS = [
    ["JT001", "乌兰计三村集体经济组织", "", "", "", "", "村集体", "否", "2023-03-15"],
    ["CY0001", "张三", make_id(1), "01001", "一组", "13800001234", "村民", "是", date(2023, 3, 15)],
    ["CY0002", "李四", make_id(18), "01001", "一组", 13900005678, "村民", "否", "2023/4/1"],
    ["GB001", "王建国", make_id(4), "02001", "二组", "", "干部", "是", "20230315"],
]


def xlsx(rows, headers=HEADERS) -> bytes:
    return xlsx_bytes(headers, rows)


def member_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Member))


@pytest.fixture
def admin(client, auth, staff):
    auth.login("admin")
    return client


def upload(client, data: bytes, name: str = "roster.xlsx"):
    return client.post("/members/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def confirm(client, preview_html: str):
    token = preview_html.split('name="token" type="hidden" value="')[1].split('"')[0]
    return client.post("/members/import/confirm", data={"token": token})


def test_template_has_the_columns_in_order(admin):
    resp = admin.get("/members/import/template")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS + ["成员取得方式", "确认日期", "与户主关系"]
    assert wb.worksheets[0]["C2"].number_format == "@"  # ID column kept as text
    assert wb.sheetnames == ["成员名册", "填写说明"]


def test_preview_then_confirm_imports_every_row(app, admin):
    resp = upload(admin, xlsx(ROWS))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "全部 4 行检查通过：将新增 4 人，更新 0 人，0 人没有变化" in page
    assert "1502**********0016" in page and make_id(1) not in page  # masked in the preview
    assert member_count(app) == 0  # the preview writes nothing
    assert confirm(admin, page).status_code == 302
    with app.app_context():
        rows = {m.member_no: m for m in db.session.scalars(select(Member))}
        assert set(rows) == {"JT001", "CY0001", "CY0002", "GB001"}
        assert rows["CY0002"].phone == "13900005678"
        assert rows["CY0002"].joined_on == date(2023, 4, 1)
        assert rows["GB001"].kind == "cadre" and rows["GB001"].is_party_member
        assert rows["CY0001"].name_initials == "zs" and rows["JT001"].id_number is None


def test_importing_the_same_file_twice_changes_nothing(app, admin, fingerprint):
    assert confirm(admin, upload(admin, xlsx(ROWS)).get_data(as_text=True)).status_code == 302
    before = fingerprint()
    page = upload(admin, xlsx(ROWS)).get_data(as_text=True)
    assert "将新增 0 人，更新 0 人，4 人没有变化" in page
    assert confirm(admin, page).status_code == 302
    assert fingerprint() == before


def test_reimport_updates_by_member_number(app, admin):
    confirm(admin, upload(admin, xlsx(ROWS)).get_data(as_text=True))
    changed = [list(r) for r in ROWS]
    changed[1][5] = "13700000000"
    page = upload(admin, xlsx(changed)).get_data(as_text=True)
    assert "将新增 0 人，更新 1 人，3 人没有变化" in page and "联系电话" in page
    confirm(admin, page)
    with app.app_context():
        m = db.session.scalar(select(Member).where(Member.member_no == "CY0001"))
        assert (m.phone, m.version) == ("13700000000", 2)


BAD_ROWS = [
    # (row index in ROWS to spoil, column index, value, column header, reason)
    (1, 2, make_id(1)[:-1] + "9", "身份证号", "身份证号校验位不正确，请核对"),
    (1, 5, "1380000123", "联系电话", "手机号码应为 11 位数字"),
    (2, 0, "CY0001", "成员编号", "成员编号 CY0001 与第 3 行重复"),
    (2, 2, make_id(1), "身份证号", "身份证号与第 3 行重复"),
    (3, 6, "股东", "成员类别", "成员类别“股东”不认识"),
    (3, 8, "明年", "入社日期", "入社日期格式不对"),
    (2, 1, "", "姓名", "请填写姓名"),
    (2, 2, 150203198001010000, "身份证号", "身份证号被表格存成了数字"),
    (2, 7, "大概", "是否党员", "是否党员应填“是”或“否”"),
]


@pytest.mark.parametrize("index,column,value,header,reason", BAD_ROWS)
def test_a_bad_row_is_shown_and_nothing_is_written(app, admin, fingerprint, index, column,
                                                   value, header, reason):
    rows = [list(r) for r in ROWS]
    rows[index][column] = value
    before = fingerprint()
    resp = upload(admin, xlsx(rows))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "没有导入任何数据" in page
    row_number = index + 2  # the header is row 1
    assert f'<td class="num">{row_number}</td><td class="nowrap">{header}</td>' in page
    assert reason in page and "/members/import/confirm" not in page
    assert fingerprint() == before


def test_every_bad_row_is_listed(admin):
    rows = [list(r) for r in ROWS]
    rows[1][2] = "123"
    rows[3][5] = "99"
    page = upload(admin, xlsx(rows)).get_data(as_text=True)
    assert "发现 2 处错误" in page


def test_id_already_registered_to_another_member(app, admin, create_member, fingerprint):
    create_member("t1", member_no="OLD1", id_number=make_id(1))
    before = fingerprint()
    page = upload(admin, xlsx(ROWS)).get_data(as_text=True)
    assert "这个身份证号已登记在成员 OLD1 张三 名下" in page
    assert fingerprint() == before


@pytest.mark.parametrize("data,name,message", [
    (b"not a spreadsheet", "roster.xlsx", "它不是有效的 Excel（.xlsx）文件"),
    (b"", "roster.xlsx", "它不是有效的 Excel（.xlsx）文件"),
    (b"x", "roster.xls", "请在 Excel 中“另存为” .xlsx 格式后再导入"),
    (b"x", "roster.pdf", "请上传 Excel 文件（.xlsx）"),
    (xlsx([], headers=["成员编号", "姓名"]), "roster.xlsx", "第 1 行缺少这些列：身份证号、户号"),
    (xlsx([]), "roster.xlsx", "文件中没有数据行"),
])
def test_unusable_files(admin, fingerprint, data, name, message):
    before = fingerprint()
    resp = upload(admin, data, name)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_no_file_and_expired_token(admin):
    assert "请选择要导入的文件" in admin.post("/members/import", data={}).get_data(as_text=True)
    resp = admin.post("/members/import/confirm", data={"token": "0" * 32})
    assert resp.status_code == 422 and "导入文件已过期或不存在" in resp.get_data(as_text=True)


def test_masked_export_cannot_be_imported_back(admin, create_member):
    create_member("t1", member_no="CY0001", id_number=make_id(1))
    masked = admin.get("/members/export?format=csv").data
    page = upload(admin, masked, "roster.csv").get_data(as_text=True)
    assert "身份证号是打码的" in page


def test_full_export_round_trips(app, admin, create_member, fingerprint):
    confirm(admin, upload(admin, xlsx(ROWS)).get_data(as_text=True))
    full = admin.get("/members/export?format=xlsx&full=1").data
    before = fingerprint()
    page = upload(admin, full).get_data(as_text=True)
    assert "将新增 0 人，更新 0 人，4 人没有变化" in page
    assert fingerprint() == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_names_are_text_in_the_export_and_round_trip(app, admin, fingerprint, fmt):
    rows = [list(r) for r in ROWS]
    rows[1][1], rows[2][4] = "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)"
    confirm(admin, upload(admin, xlsx(rows)).get_data(as_text=True))
    full = admin.get(f"/members/export?format={fmt}&full=1").data
    if fmt == "csv":
        text = full.decode("utf-8-sig")
        assert "'-2+3+cmd|' /C calc'!A0" in text and "'@SUM(1+1)" in text
    else:
        cells = [c for row in load_workbook(io.BytesIO(full)).worksheets[0].iter_rows()
                 for c in row if str(c.value).startswith(("-2+3", "@SUM"))]
        assert len(cells) == 2 and all(c.data_type == "s" and c.quotePrefix for c in cells)
    before = fingerprint()
    page = upload(admin, full, f"roster.{fmt}").get_data(as_text=True)
    assert "将新增 0 人，更新 0 人，4 人没有变化" in page
    assert fingerprint() == before


def test_a_sheet_that_understates_its_size_is_read_whole(app, admin):
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx(ROWS)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as patched:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
            patched.writestr(part, data)
    page = upload(admin, out.getvalue()).get_data(as_text=True)
    assert "将新增 4 人" in page


# -- CLI -----------------------------------------------------------------------------

def test_cli_import_and_export(app, runner, create_coop, tmp_path):
    create_coop("t1")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx(ROWS))
    result = runner.invoke(args=["members", "import", str(path), "--coop", "t1"])
    assert result.exit_code == 0, result.output
    assert "新增 4 人，更新 0 人，0 人没有变化" in result.output
    again = runner.invoke(args=["members", "import", str(path), "--coop", "t1"])
    assert "新增 0 人，更新 0 人，4 人没有变化" in again.output

    out = tmp_path / "out.csv"
    result = runner.invoke(args=["members", "export", "--coop", "t1", str(out)])
    assert result.exit_code == 0 and "已导出 4 名成员" in result.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0][:9] == HEADERS and rows[0][9:] == ["状态", "状态变更日期"]
    assert rows[1][:3] == ["CY0001", "张三", "1502**********0016"]
    full = tmp_path / "full.xlsx"
    result = runner.invoke(args=["members", "export", "--coop", "t1", "--full-id", str(full)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(full).worksheets[0]
    assert ws["C2"].value == make_id(1) and ws.max_row == 5


def test_cli_import_refuses_bad_rows_with_nonzero_exit(app, runner, create_coop, tmp_path,
                                                       fingerprint):
    create_coop("t1")
    rows = [list(r) for r in ROWS]
    rows[2][2] = "12345"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(rows))
    before = fingerprint()
    result = runner.invoke(args=["members", "import", str(path), "--coop", "t1"])
    assert result.exit_code == 1
    assert "第 4 行 身份证号（*****）：身份证号应为 18 位，现在是 5 位" in result.output
    assert "没有写入任何数据" in result.output
    assert fingerprint() == before


def test_cli_errors(runner, create_coop, tmp_path):
    create_coop("t1")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx(ROWS))
    result = runner.invoke(args=["members", "import", str(path), "--coop", "nope"])
    assert result.exit_code == 1 and "没有代码为 nope 的合作社" in result.output
    result = runner.invoke(args=["members", "export", "--coop", "t1", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "导出文件名应以 .csv 或 .xlsx 结尾" in result.output
