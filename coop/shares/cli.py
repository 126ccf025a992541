"""``flask --app coop shares holdings|template|import``."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from coop import clock
from coop.auth.api import ADMIN, User
from coop.clitools import parse_date
from coop.cooperatives.api import Cooperative, get_by_code
from coop.errors import ServiceError
from coop.extensions import db
from coop.files import open_private
from coop.shares import importing
from coop.shares.exports import holdings_workbook, write_holdings_csv


@click.group("shares", help="股权：持股导出、入股导入")
def group() -> None:
    pass


@group.command("holdings", help="把截至某日每位成员的持股导出到 OUT：OUT.xlsx 为带中文表头、金额以元计的表格；"
               "OUT.csv 供系统读取（每位成员每个股份类别一行：编号、姓名、类别、股数、金额（分））。")
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
    if out.suffix.lower() == ".xlsx":
        with open_private(out, "wb") as binary:
            binary.write(holdings_workbook(coop, on).getvalue())
        click.echo(f"已导出截至 {on.isoformat()} 的持股表到 {out}")
        return
    with open_private(out, "w", newline="", encoding="utf-8-sig") as stream:
        n = write_holdings_csv(stream, coop, on)
    click.echo(f"已导出截至 {on.isoformat()} 的持股 {n} 行到 {out}")


def recorder(coop: Cooperative, username: str | None) -> User:
    """The user an import is recorded by: a secretary (admin) of ``coop``,
    named with --by; refused in Chinese otherwise."""
    name = (username or "").strip()
    if not name:
        raise ServiceError("请用 --by 写明登记人的用户名（本社书记的登录账号），例如 --by shuji；"
                           "股权登记须记下是谁登记的")
    user = db.session.scalar(select(User).where(User.cooperative_id == coop.id,
                                                User.username == name))
    if user is None:
        elsewhere = db.session.scalar(select(User.id).where(User.username == name).limit(1))
        if elsewhere is not None:
            raise ServiceError(f"用户 {name} 不是本合作社（{coop.name}）的用户，不能为本社登记股权")
        raise ServiceError(f"本合作社没有用户名为 {name} 的用户")
    if user.role not in ADMIN:
        raise ServiceError(f"用户 {name} 是{user.role_label}，只有书记（管理员）可以登记股权")
    if not user.is_enabled:
        raise ServiceError(f"用户 {name} 的账号已停用，不能登记股权")
    return user


@group.command("template", help="把入股登记导入模板（.xlsx，含填写说明和下拉列表）写到 OUT。")
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def template_command(out: Path) -> None:
    with open_private(out, "wb") as stream:
        importing.write_template(stream)
    click.echo(f"已写出入股导入模板：{out}")


@group.command("import", help="从文件 FILE（.xlsx，用导入模板填写）导入入股登记：列为 成员编号、股份类别、出资方式、金额、"
               "亩数、每亩折价、天数、每天折价、日期（可选：实物名称）。全部行无误才写入。")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--resolution", default="", help="本社已通过决议的编号（有行突破章程比例区间或持股上限时）")
@click.option("--allow-duplicates", is_flag=True, help="允许与已有登记完全相同的行")
@click.option("--by", "username", help="登记人：本社书记（管理员）的用户名（必填）")
def import_command(file: Path, coop_code: str, resolution: str, allow_duplicates: bool,
                   username: str | None) -> None:
    try:
        coop = get_by_code(coop_code)
        user = recorder(coop, username)
        with file.open("rb") as stream:
            result = importing.import_file(coop, stream, resolution_no=resolution,
                                           allow_duplicates=allow_duplicates,
                                           recorded_by_id=user.id)
    except importing.ImportFailed as exc:
        db.session.rollback()
        for e in exc.result.errors:
            column = f" {e.column}" if e.column else ""
            where = f"第 {e.row} 行" if e.row else "整批"
            click.echo(f"错误：{where}{column}：{e.message}", err=True)
        click.echo(f"导入未进行：共 {len(exc.result.errors)} 处错误，没有写入任何数据。", err=True)
        raise SystemExit(1)
    except ServiceError as exc:
        db.session.rollback()
        click.echo(f"错误：{exc.message}", err=True)
        raise SystemExit(1)
    db.session.commit()
    click.echo(f"导入完成：{result.rows} 行入股，共 {result.shares:,} 股。")
