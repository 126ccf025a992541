"""``flask --app coop shares holdings`` and ``shares import``."""
import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from coop.extensions import db
from coop.shares.importing import COLUMNS
from coop.shares.models import ShareEntry
from tests.workbooks import write_xlsx


@pytest.fixture(autouse=True)
def shuji(share_world, create_user):
    """The secretary the imports are recorded by (--by shuji)."""
    return create_user(share_world.code, "shuji", role="admin")


def _xlsx(path, rows):
    return write_xlsx(path, [h for _, h in COLUMNS], rows)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ShareEntry.id)))


def test_holdings_csv(share_world, runner, tmp_path):
    out = tmp_path / "h.csv"
    result = runner.invoke(args=["shares", "holdings", "--coop", "t1", "--date", "2024-06-01",
                                 str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["member_no", "name", "kind", "class", "shares", "value_fen"]
    assert ["V001", "村民1", "villager", "villager", "150", "15000"] in rows
    assert ["C000", "乌兰计三村村集体", "collective", "collective", "650", "65000"] in rows
    assert len(rows) == 5


def test_holdings_before_any_entry_is_only_the_header(share_world, runner, tmp_path):
    out = tmp_path / "h.csv"
    result = runner.invoke(args=["shares", "holdings", "--coop", "t1", "--date", "2023-01-01",
                                 str(out)])
    assert result.exit_code == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_holdings_bad_date_and_coop(share_world, runner, tmp_path):
    result = runner.invoke(args=["shares", "holdings", "--coop", "t1", "--date", "2024-13-01",
                                 str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "日期应为 YYYY-MM-DD" in result.output
    result = runner.invoke(args=["shares", "holdings", "--coop", "nope", str(tmp_path / "x.csv")])
    assert result.exit_code == 1 and "没有代码为 nope 的合作社" in result.output


def test_import_good_file(share_world, runner, tmp_path, app):
    path = _xlsx(tmp_path / "c.xlsx", [
        ["V003", "村民股", "货币", 20, None, None, None, None, "2024-06-01"],
        ["V004", "村民股", "土地", None, 2.5, 8, None, None, date(2024, 6, 2)],
        ["V005", "村民", "劳动", None, None, None, 3, "5.00", "2024/06/03"],
    ])
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 0, result.output
    assert "导入完成：3 行入股，共 55 股" in result.output
    assert share_world.holdings("V004")["villager"] == 20
    assert share_world.holdings("V005")["villager"] == 15
    # the same file again: refused as duplicates, nothing written
    before = _count(app)
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1 and "可能是重复导入" in result.output
    assert _count(app) == before


def test_import_with_bad_rows_writes_nothing(share_world, runner, tmp_path, fingerprint):
    path = _xlsx(tmp_path / "bad.xlsx", [
        ["V003", "村民股", "货币", 20, None, None, None, None, "2024-06-01"],
        ["NOPE", "村民股", "货币", 20, None, None, None, None, "2024-06-01"],
        ["V004", "股东股", "货币", 20, None, None, None, None, "2024-06-01"],
        ["V004", "村民股", "货币", 20.5, None, None, None, None, "2024-06-01"],
        ["V004", "干部股", "货币", 20, None, None, None, None, "2024-06-01"],
        ["V005", "村民股", "土地", None, 1.234, 8, None, None, "2024-06-01"],
        ["V005", "村民股", "货币", 10, None, None, None, None, "下周"],
    ])
    before = fingerprint()
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1
    out = result.output
    assert "第 3 行 成员编号：本合作社没有成员编号为 NOPE 的成员" in out
    assert "第 4 行 股份类别：股份类别应为 集体股、村民股 或 干部股，不是“股东股”" in out
    assert "第 5 行 金额：出资金额 20.50 元不是每股面值 1.00 元的整数倍" in out
    assert "第 6 行 股份类别：干部股只能由干部持有，该成员是村民" in out
    assert "第 7 行 亩数：亩数最多保留 2 位小数" in out
    assert "第 8 行 日期：日期格式不正确" in out
    assert "导入未进行：共 6 处错误，没有写入任何数据。" in out
    assert fingerprint() == before


def test_import_band_needs_resolution(share_world, runner, tmp_path, app):
    path = _xlsx(tmp_path / "band.xlsx", [
        ["V003", "村民股", "货币", 500, None, None, None, None, "2024-06-01"]])
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1 and "超出章程允许区间" in result.output
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1",
                                 "--resolution", "决议〔2024〕2号", "--by", "shuji"])
    assert result.exit_code == 1 and "“决议〔2024〕2号”不是本社已通过决议的编号" in result.output
    result = runner.invoke(args=["shares", "import", path, "--coop", "t1",
                                 "--resolution", share_world.resolution("2023-002"), "--by", "shuji"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(ShareEntry.resolution_no).order_by(
            ShareEntry.id.desc()).limit(1)) == "2023-002"


def test_import_not_a_spreadsheet(share_world, runner, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("hello")
    result = runner.invoke(args=["shares", "import", str(path), "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1 and "不是有效的 Excel（.xlsx）文件" in result.output
    write_xlsx(tmp_path / "h.xlsx", ["成员编号", "股份类别"], [])
    result = runner.invoke(args=["shares", "import", str(tmp_path / "h.xlsx"), "--coop", "t1", "--by", "shuji"])
    assert result.exit_code == 1 and "第 1 行缺少这些列：出资方式" in result.output
