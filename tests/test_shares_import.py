"""The shares import page (issue 16, "Founding shares in one go"): the template
with its drop-down lists and instructions, the upload's preview with every
problem by row and column, one confirmation that writes every row or none,
the resolution chosen among the recorded ones, and the recorder: the
secretary on the page, the CLI's --by user, never nobody."""
from __future__ import annotations

import io
import random

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from coop.extensions import db
from coop.shares import importing
from coop.shares.models import ShareEntry

FOUNDING = [["C000", "集体股", "实物", 650, None, None, None, None, "2024-01-10", "办公楼"],
            ["G001", "干部股", "货币", 40, None, None, None, None, "2024-01-10"],
            ["V001", "村民股", "货币", 150, None, None, None, None, "2024-01-10"],
            ["V002", "村民股", "土地", None, 2, 80, None, None, "2024-01-10"]]
HALF = [["V001", "村民股", "货币", 500, None, None, None, None, "2024-01-10"],
        ["C000", "集体股", "货币", 500, None, None, None, None, "2024-01-10"]]


def filled_template(rows) -> bytes:
    """The downloaded template with ``rows`` typed under its header."""
    out = io.BytesIO()
    importing.write_template(out)
    out.seek(0)
    workbook = load_workbook(out)
    sheet = workbook.worksheets[0]
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def _entries(app) -> list[ShareEntry]:
    with app.app_context():
        entries = list(db.session.scalars(select(ShareEntry).order_by(ShareEntry.id)))
        db.session.expunge_all()
        return entries


@pytest.fixture
def secretary(empty_share_world, create_user, client, auth):
    user_id = create_user(empty_share_world.code, "shuji", role="admin", display_name="王书记")
    auth.login("shuji")
    client.user_id = user_id
    return client


def _upload(client, data: bytes, name: str = "入股.xlsx", **fields):
    return client.post("/shares/import", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def _token(html: str) -> str:
    start = html.index('name="token"')
    return html[start:].split('value="', 1)[1].split('"', 1)[0]


# -- the template ------------------------------------------------------------------------


def test_the_template_has_chinese_drop_downs_and_instructions(secretary):
    resp = secretary.get("/shares/import/template")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(resp.data))
    data, instructions = workbook.worksheets
    assert data.title == "入股登记" and instructions.title == "填写说明"
    assert [c.value for c in data[1]] == ["成员编号", "股份类别", "出资方式", "金额", "亩数",
                                          "每亩折价", "天数", "每天折价", "日期", "实物名称"]
    lists = {str(v.sqref): v.formula1 for v in data.data_validations.dataValidation}
    assert lists == {"B2:B2000": '"集体股,村民股,干部股"', "C2:C2000": '"货币,土地,实物,劳动"'}
    text = " ".join(str(c.value) for row in instructions.iter_rows() for c in row if c.value)
    assert "与行的先后顺序无关" in text and "只要有一处错误，就不会写入任何数据" in text
    # no example row that would be imported by mistake
    assert not any(c.value is not None for row in data.iter_rows(min_row=2) for c in row)


def test_the_template_filled_in_imports_as_it_is(empty_share_world, app):
    """What the drop-downs offer is what the import reads."""
    with app.app_context():
        rows = importing.read_rows(io.BytesIO(filled_template(FOUNDING)))
        result = importing.check_rows(empty_share_world.coop(), rows)
    assert result.ok and result.founding and result.shares == 1_000
    assert [line.row for line in result.lines] == [2, 3, 4, 5]
    assert result.after == {"collective": 650, "villager": 310, "cadre": 40}
    assert _entries(app) == []  # the check wrote nothing


# -- the page ----------------------------------------------------------------------------


def test_upload_preview_and_confirm_records_every_row_as_the_secretary(secretary, app,
                                                                       empty_share_world):
    page = secretary.get("/shares/import").get_data(as_text=True)
    assert "设立登记（首批入股）" in page and "下载导入模板" in page
    resp = _upload(secretary, filled_template(FOUNDING[::-1]))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    assert "全部 4 行检查通过：将作为设立登记登记 4 笔入股，共 1,000 股" in html
    assert "65.00%" in html and "确认导入" in html
    assert _entries(app) == []
    resp = secretary.post("/shares/import/confirm", data={"token": _token(html),
                                                           "resolution_no": "",
                                                           "allow_duplicates": ""})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/shares/register")
    entries = _entries(app)
    assert len(entries) == 4 and {e.recorded_by_id for e in entries} == {secretary.user_id}
    assert empty_share_world.totals() == {"collective": 650, "villager": 310, "cadre": 40}
    register = secretary.get("/shares/register").get_data(as_text=True)
    assert "导入完成：设立登记 4 行，共 1,000 股" in register and "王书记" in register
    assert "系统" not in register
    # the same token again: the file is gone, nothing more is written
    resp = secretary.post("/shares/import/confirm", data={"token": _token(html)})
    assert resp.status_code == 422 and "导入文件已过期或不存在" in resp.get_data(as_text=True)
    assert len(_entries(app)) == 4


def test_every_error_is_listed_by_row_and_column_and_nothing_is_written(secretary, fingerprint):
    rows = FOUNDING + [["NOPE", "村民股", "货币", 10, None, None, None, None, "2024-01-10"],
                       ["V003", "股东股", "货币", 10, None, None, None, None, "2024-01-10"],
                       ["V004", "村民股", "货币", 10.5, None, None, None, None, "2024-01-10"],
                       ["V005", "村民股", "货币", 10, None, None, None, None, "下周"]]
    before = fingerprint()
    resp = _upload(secretary, filled_template(rows))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "发现 4 处错误，没有写入任何数据" in html
    for row, column, message in (
            (6, "成员编号", "本合作社没有成员编号为 NOPE 的成员"),
            (7, "股份类别", "股份类别应为 集体股、村民股 或 干部股，不是“股东股”"),
            (8, "金额", "出资金额 10.50 元不是每股面值 1.00 元的整数倍"),
            (9, "日期", "日期格式不正确")):
        cells = f'<td class="num nowrap">{row}</td><td class="nowrap">{column}</td><td>{message}'
        assert cells in html, (row, column)
    assert 'id="import-confirm"' not in html
    assert fingerprint() == before


def test_a_batch_needing_a_resolution_asks_for_one_among_the_recorded(secretary, app,
                                                                      empty_share_world,
                                                                      fingerprint):
    before = fingerprint()
    html = _upload(secretary, filled_template(HALF)).get_data(as_text=True)
    assert '<td class="num nowrap">整批</td><td class="nowrap">决议文号</td>' in html
    assert "超过章程规定的单一成员持股上限 20.00%" in html
    assert "在上方“决议文号”中选择后重新上传" in html
    assert "（无已通过的决议，请先" in html
    resp = _upload(secretary, filled_template(HALF), resolution_no="决议〔2024〕1号")
    assert resp.status_code == 422
    assert "“决议〔2024〕1号”不是本社已通过决议的编号" in resp.get_data(as_text=True)
    assert fingerprint() == before
    empty_share_world.resolution("2023-001")
    page = secretary.get("/shares/import").get_data(as_text=True)
    assert '<option value="2023-001">2023-001 股权事项（2023-001）' in page
    html = _upload(secretary, filled_template(HALF), resolution_no="2023-001").get_data(
        as_text=True)
    assert "依据决议“2023-001”" in html
    resp = secretary.post("/shares/import/confirm", data={
        "token": _token(html), "resolution_no": "2023-001", "allow_duplicates": ""})
    assert resp.status_code == 302
    assert {e.resolution_no for e in _entries(app)} == {"2023-001"}


def test_confirm_checks_again_and_refuses_what_no_longer_passes(secretary, app,
                                                               empty_share_world):
    """Between the preview and the confirmation the founding was done on the
    founding page: the file is no longer a founding batch and is refused whole."""
    html = _upload(secretary, filled_template(FOUNDING)).get_data(as_text=True)
    empty_share_world.found([("C000", "collective", 650, "in_kind"), ("G001", "cadre", 40),
                             ("V001", "villager", 150), ("V002", "villager", 160)])
    count = len(_entries(app))
    resp = secretary.post("/shares/import/confirm", data={"token": _token(html)})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "没有写入任何数据" in page
    assert len(_entries(app)) == count


def test_a_token_of_another_cooperative_or_made_up_is_expired(secretary, app, create_coop,
                                                              create_user, client, auth):
    html = _upload(secretary, filled_template(FOUNDING)).get_data(as_text=True)
    token = _token(html)
    for bad in ("../../etc/passwd", "0" * 32, token.upper()):
        resp = secretary.post("/shares/import/confirm", data={"token": bad})
        assert resp.status_code == 422 and "导入文件已过期或不存在" in resp.get_data(as_text=True)
    auth.logout()
    create_coop("t2")
    create_user("t2", "other", role="admin")
    auth.login("other", coop="t2")
    resp = client.post("/shares/import/confirm", data={"token": token})
    assert resp.status_code == 422 and "导入文件已过期或不存在" in resp.get_data(as_text=True)
    assert _entries(app) == []


def test_not_a_spreadsheet_and_no_file_are_refused_in_chinese(secretary, fingerprint):
    before = fingerprint()
    resp = _upload(secretary, b"MZ\x90\x00" + b"\x00" * 100, "x.xlsx")
    assert resp.status_code == 422 and "不是有效的 Excel（.xlsx）文件" in resp.get_data(as_text=True)
    resp = secretary.post("/shares/import", data={}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "请选择要导入的文件" in resp.get_data(as_text=True)
    assert fingerprint() == before


def test_the_page_is_for_the_secretary_only(empty_share_world, create_user, client, auth):
    create_user(empty_share_world.code, "kuaiji", role="accountant")
    auth.login("kuaiji")
    assert client.get("/shares/import").status_code == 403
    assert client.get("/shares/import/template").status_code == 403
    assert client.post("/shares/import/confirm", data={"token": "0" * 32}).status_code == 403


# -- the order of the rows ---------------------------------------------------------------


@pytest.mark.parametrize("rows", [FOUNDING, HALF + FOUNDING[1:2]])
def test_a_founding_file_gives_the_same_result_in_any_order(empty_share_world, app, rows):
    """Checked on its end state: the same rows shuffled, the same refusal or the
    same end state."""
    outcomes = set()
    for seed in range(6):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        with app.app_context():
            result = importing.check_rows(
                empty_share_world.coop(), importing.read_rows(io.BytesIO(filled_template(shuffled))))
        outcomes.add((result.ok, tuple(sorted(e.message for e in result.errors)),
                      tuple(sorted(result.after.items()))))
    assert len(outcomes) == 1


# -- the command line --------------------------------------------------------------------


@pytest.fixture
def founding_file(empty_share_world, tmp_path):
    path = tmp_path / "founding.xlsx"
    path.write_bytes(filled_template(FOUNDING))
    return str(path)


def test_cli_records_as_the_by_user(empty_share_world, create_user, runner, founding_file, app):
    user_id = create_user(empty_share_world.code, "shuji", role="admin")
    result = runner.invoke(args=["shares", "import", founding_file, "--coop", "t1",
                                 "--by", "shuji"])
    assert result.exit_code == 0, result.output
    assert {e.recorded_by_id for e in _entries(app)} == {user_id}


@pytest.mark.parametrize("by, message", [
    (None, "请用 --by 写明登记人的用户名"),
    ("nobody", "本合作社没有用户名为 nobody 的用户"),
    ("other", "用户 other 不是本合作社"),
    ("kuaiji", "用户 kuaiji 是会计，只有书记（管理员）可以登记股权"),
])
def test_cli_refuses_a_missing_unknown_foreign_or_unfit_recorder(
        empty_share_world, create_coop, create_user, runner, founding_file, fingerprint, by,
        message):
    create_user(empty_share_world.code, "kuaiji", role="accountant")
    create_coop("t2")
    create_user("t2", "other", role="admin")
    before = fingerprint()
    args = ["shares", "import", founding_file, "--coop", "t1"] + (["--by", by] if by else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 1 and message in result.output, result.output
    assert fingerprint() == before


def test_cli_writes_the_template(runner, tmp_path):
    out = tmp_path / "t.xlsx"
    result = runner.invoke(args=["shares", "template", str(out)])
    assert result.exit_code == 0 and "已写出入股导入模板" in result.output
    assert load_workbook(out).sheetnames == ["入股登记", "填写说明"]


def test_cli_reports_a_batch_needing_a_resolution_as_the_whole_file(
        empty_share_world, create_user, runner, tmp_path, fingerprint):
    create_user(empty_share_world.code, "shuji", role="admin")
    path = tmp_path / "half.xlsx"
    path.write_bytes(filled_template(HALF))
    before = fingerprint()
    result = runner.invoke(args=["shares", "import", str(path), "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1
    assert "错误：整批 决议文号：" in result.output
    assert fingerprint() == before
