"""``flask --app coop shares holdings|import``."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from coop import clock
from coop.clitools import parse_date
from coop.cooperatives.api import get_by_code
from coop.errors import ServiceError
from coop.extensions import db
from coop.files import open_private
from coop.shares import importing
from coop.shares.exports import write_holdings_csv


@click.group("shares", help="股权：持股导出、入股导入")
def group() -> None:
    pass


@group.command("holdings", help="把截至某日每位成员的持股导出到 OUT.csv（每位成员每个股份类别一行：编号、姓名、类别、股数、金额（分））。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--date", "on", callback=parse_date, help="截至日期 YYYY-MM-DD（默认今天）")
def holdings_command(out: Path, coop_code: str, on: date | None) -> None:
    try:
        coop = get_by_code(coop_code)
    except ServiceError as exc:
        click.echo(f"错误：{exc.message}", err=True)
        raise SystemExit(1)
    on = on or clock.today()
    with open_private(out, "w", newline="", encoding="utf-8") as stream:
        n = write_holdings_csv(stream, coop, on)
    click.echo(f"已导出截至 {on.isoformat()} 的持股 {n} 行到 {out}")


@group.command("import", help="从文件 FILE（.xlsx）导入入股登记：列为 成员编号、股份类别、出资方式、金额、亩数、每亩折价、"
               "天数、每天折价、日期。全部行无误才写入。")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--resolution", default="", help="本社已通过决议的编号（有行突破章程比例区间或持股上限时）")
@click.option("--allow-duplicates", is_flag=True, help="允许与已有登记完全相同的行")
def import_command(file: Path, coop_code: str, resolution: str, allow_duplicates: bool) -> None:
    try:
        coop = get_by_code(coop_code)
        with file.open("rb") as stream:
            result = importing.import_file(coop, stream, resolution_no=resolution,
                                           allow_duplicates=allow_duplicates)
    except importing.ImportFailed as exc:
        db.session.rollback()
        for e in exc.result.errors:
            column = f" {e.column}" if e.column else ""
            click.echo(f"错误：第 {e.row} 行{column}：{e.message}", err=True)
        click.echo(f"导入未进行：共 {len(exc.result.errors)} 处错误，没有写入任何数据。", err=True)
        raise SystemExit(1)
    except ServiceError as exc:
        db.session.rollback()
        click.echo(f"错误：{exc.message}", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"导入完成：{result.rows} 行入股，共 {result.shares:,} 股。")
