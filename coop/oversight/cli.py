"""``flask --app coop oversight export``: the annual statistics of an area."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from coop import clock
from coop.clitools import fail, parse_year
from coop.cooperatives.api import area_by_code
from coop.extensions import db
from coop.files import open_private
from coop.oversight.exports import statistics_workbook
from coop.oversight.overview import area_cooperatives, as_of, overview_of


@click.group("oversight", help="乡镇、县级监管：导出辖区合作社的年度统计表")
def group() -> None:
    pass


@group.command("export", help="把辖区 AREA（县、乡镇或村的辖区代码）内各合作社 YEAR 年的主要指标导出到 "
               "OUT.xlsx：每个合作社一行（成员、户数、各类股数和股本金、入股土地、本年和上年盈余、"
               "上年度分配方案的分红及发放、集体分红收入、应收款），最后一行为合计。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--area", "area_code", required=True, help="辖区代码，例如县、乡镇或村的代码")
@click.option("--year", required=True, callback=parse_year, help="统计年度，例如 2025")
def export_command(out: Path, area_code: str, year: int) -> None:
    area = area_by_code(area_code)
    if area is None:
        fail(f"没有代码为 {area_code} 的辖区")
    today = clock.today()
    if year > today.year:
        fail(f"{year} 年还没有到，统计年度最晚为 {today.year} 年")
    if out.suffix.lower() != ".xlsx":
        fail("输出文件应为 .xlsx")
    overview = overview_of(area_cooperatives(area.id), year, as_of(year, today))
    with open_private(out, "wb") as binary:
        binary.write(statistics_workbook(area, overview).getvalue())
    click.echo(f"已导出 {area.name} {len(overview.rows)} 个合作社 {year} 年的统计表到 {out}")
