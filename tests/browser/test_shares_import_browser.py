"""The founding shares in one go (issue 16) in a browser, at 1280 and 390 px:
download the template, fill it in with a mistake, upload it, see the mistake
by row and column, fix it, upload again, confirm, and find the entries in
the register, recorded by the secretary."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.helpers import login, page_width

PASSWORD = "secret-pass-1"
ROWS = [["C000", "集体股", "实物", 650, None, None, None, None, "2024-01-10", "办公楼"],
        ["G001", "干部股", "货币", 40, None, None, None, None, "2024-01-10"],
        ["V001", "村民股", "货币", 150, None, None, None, None, "2024-01-10"],
        ["V002", "村民股", "土地", None, 2, 80, None, None, "2024-01-10"]]


def _fill(template: str, rows, out) -> str:
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    workbook.save(out)
    return str(out)


def _fits(page, width: int) -> None:
    assert page_width(page) <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_upload_the_filled_template_fix_the_error_and_confirm(
        live_server, browser, empty_share_world, create_user, tmp_path, width):
    create_user(empty_share_world.code, "shuji", role="admin", password=PASSWORD,
                display_name="王书记")
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                  accept_downloads=True,
                                  **({"is_mobile": True, "has_touch": True} if width < 600 else {}))
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        login(page, live_server, "shuji", PASSWORD)
        page.goto(live_server + "/shares/import")
        expect(page.get_by_role("heading", name="从 Excel 导入入股登记")).to_be_visible()
        _fits(page, width)

        with page.expect_download() as download:
            page.get_by_role("link", name="下载导入模板（.xlsx）").click()
        template = tmp_path / "template.xlsx"
        download.value.save_as(template)

        wrong = [*ROWS[:2], ["V0O1", *ROWS[2][1:]], ROWS[3]]  # a letter O for a zero
        page.get_by_label("入股登记文件（.xlsx）").set_input_files(
            _fill(str(template), wrong, tmp_path / "wrong.xlsx"))
        page.get_by_role("button", name="上传并检查").click()
        preview = page.locator("#import-preview")
        expect(preview).to_contain_text("发现 1 处错误，没有写入任何数据")
        row = preview.locator("table.import-errors tbody tr")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(0)).to_have_text("4")
        expect(row.locator("td").nth(1)).to_have_text("成员编号")
        expect(row.locator("td").nth(2)).to_have_text("本合作社没有成员编号为 V0O1 的成员")
        expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
        _fits(page, width)

        page.get_by_label("入股登记文件（.xlsx）").set_input_files(
            _fill(str(template), ROWS, tmp_path / "right.xlsx"))
        page.get_by_role("button", name="上传并检查").click()
        expect(preview).to_contain_text("全部 4 行检查通过：将作为设立登记登记 4 笔入股，共 1,000 股")
        expect(preview.locator("table.sh-impact")).to_contain_text("65.00%")
        _fits(page, width)
        page.get_by_role("button", name="确认导入").click()

        expect(page).to_have_url(re.compile(r"/shares/register$"))
        expect(page.locator(".flash-success")).to_contain_text("导入完成：设立登记 4 行，共 1,000 股")
        expect(page.locator("main")).to_contain_text("王书记")
        _fits(page, width)
        assert empty_share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
