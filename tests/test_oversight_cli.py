"""``flask --app coop oversight export --area AREA --year YYYY OUT.xlsx``: the
area's statistics table, and refusals in Chinese that write nothing."""
from __future__ import annotations

from openpyxl import load_workbook

from tests.oversight_world import place


def test_export_writes_a_row_per_cooperative_and_the_total(app, runner, create_coop, tmp_path):
    create_coop("a1")
    create_coop("b1")
    place(app, {"a1": "VA", "b1": "VB"})
    out = tmp_path / "stats.xlsx"
    result = runner.invoke(args=["oversight", "export", "--area", "C", "--year", "2025", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 个合作社 2025 年的统计表" in result.output
    ws = load_workbook(out).active
    assert "测试县" in ws["A1"].value and "2025" in ws["A1"].value
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert [r[3] for r in rows] == ["a1", "b1", None] and rows[-1][0] == "合计"
    result = runner.invoke(args=["oversight", "export", "--area", "TA", "--year", "2026",
                                 str(tmp_path / "ta.xlsx")])
    assert result.exit_code == 0 and "1 个合作社" in result.output


def test_export_refuses_in_chinese_and_writes_nothing(app, runner, create_coop, tmp_path):
    create_coop("a1")
    place(app, {"a1": "VA"})
    out = tmp_path / "stats.xlsx"
    for args, message in (
            (["--area", "NOPE", "--year", "2025", str(out)], "没有代码为 NOPE 的辖区"),
            (["--area", "C", "--year", "2099", str(out)], "2099 年还没有到"),
            (["--area", "C", "--year", "25", str(out)], "年度应为四位数字"),
            (["--area", "C", "--year", "2025", str(tmp_path / "stats.csv")], "输出文件应为 .xlsx")):
        result = runner.invoke(args=["oversight", "export", *args])
        assert result.exit_code != 0 and message in result.output, result.output
    assert not out.exists() and not (tmp_path / "stats.csv").exists()


def test_export_help_is_chinese(runner):
    result = runner.invoke(args=["oversight", "export", "--help"])
    assert "辖区代码" in result.output and "统计年度" in result.output
