"""``flask --app coop dividends compute|export``."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from coop.clitools import parse_date, parse_year
from sqlalchemy import select

from coop.audit.api import acting_as
from coop.auth.api import Role, User
from coop.cooperatives.api import Cooperative, get_by_code
from coop.dividends import bank, compute, exports, reading
from coop.dividends.constants import WeightBasis
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.files import open_private


# who makes a bank list: those who record payments
LIST_MAKERS = (Role.ADMIN.value, Role.ACCOUNTANT.value)

@click.group("dividends", help="年度分红：计算分配方案草案、导出分红明细")
def group() -> None:
    pass


def _fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"错误：{message}", err=True)
    raise SystemExit(1)


@group.command("compute", help="计算（或重新计算）YEAR 年度的分配方案草案，并打印分配顺序。")
@with_appcontext
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--year", required=True, callback=parse_year, help="年度，例如 2025")
@click.option("--share-days", is_flag=True, help="按持股天数（股·天）分配，而不是按登记日持股")
@click.option("--record-date", callback=parse_date, help="股权登记日 YYYY-MM-DD（默认该年 12 月 31 日）")
def compute_command(coop_code: str, year: int, share_days: bool, record_date: date | None) -> None:
    basis = WeightBasis.SHARE_DAYS if share_days else WeightBasis.RECORD_DATE
    try:
        coop = get_by_code(coop_code)
        plan = compute.compute_plan(coop, year, basis=basis, record_date=record_date)
    except ValidationFailed as exc:
        _fail("；".join(exc.errors.values()))
    except ServiceError as exc:
        _fail(exc.message)
    db.session.commit()
    click.echo(reading.waterfall_text(plan))


@group.command("export", help="把该年度分配方案（已通过的，否则最新草案）的分红明细导出到 OUT："
               "OUT.xlsx 为带中文表头、金额以元计的表格；OUT.csv 供系统读取（每位成员一行：编号、姓名、"
               "类别、权数、各项金额，单位为分，最后一行为各项合计）。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--year", required=True, callback=parse_year, help="年度，例如 2025")
def export_command(out: Path, coop_code: str, year: int) -> None:
    try:
        coop = get_by_code(coop_code)
    except ServiceError as exc:
        _fail(exc.message)
    plan = reading.plan_for_export(coop.id, year)
    if plan is None:
        _fail(f"{year} 年度还没有分配方案，请先运行 flask --app coop dividends compute "
              f"--coop {coop_code} --year {year}")
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        with open_private(out, "wb") as binary:
            binary.write(exports.plan_workbook(coop, plan).getvalue())
        n = plan.line_count
    elif suffix == ".csv":
        with open_private(out, "w", newline="", encoding="utf-8-sig") as stream:
            n = reading.write_csv(stream, plan)
    else:
        _fail("输出文件应为 .xlsx 或 .csv")
    click.echo(f"已导出 {year} 年度第 {plan.version_no} 版方案（{plan.status_label}）的分红明细 "
               f"{n} 行到 {out}")


def _list_maker(coop: Cooperative, username: str | None) -> User:
    """The secretary or the accountant of ``coop`` named with --by, who makes
    the list (the same who record payments)."""
    name = (username or "").strip()
    if not name:
        raise ServiceError("请用 --by 写明制表人的用户名（本社书记或会计的登录账号），例如 --by shuji；"
                           "代发清单登记为一个批次，须记下是谁制的")
    user = db.session.scalar(select(User).where(User.cooperative_id == coop.id,
                                                User.username == name))
    if user is None:
        raise ServiceError(f"本合作社没有用户名为 {name} 的用户")
    if user.role not in LIST_MAKERS:
        raise ServiceError(f"用户 {name} 是{user.role_label}，只有书记（管理员）或会计可以制作银行代发清单")
    if not user.is_enabled:
        raise ServiceError(f"用户 {name} 的账号已停用")
    return user


@group.command("bank-list", help="把该年度已公示方案中尚未发放的分红导出为银行代发清单 OUT.xlsx："
               "第一页为代发清单（序号、户名、身份证号、开户行、账号、金额），"
               "第二页为没有银行账户、须现金发放的成员。代发清单登记为一个编号的批次（文件标题写明编号），"
               "银行代发后在方案页面“发放记录”中按清单登记发放。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--year", required=True, callback=parse_year, help="年度，例如 2025")
@click.option("--by", "username", help="制表人：本社书记（管理员）或会计的用户名（必填）")
def bank_list_command(out: Path, coop_code: str, year: int, username: str | None) -> None:
    if out.suffix.lower() != ".xlsx":
        _fail(f"银行代发清单是 .xlsx 文件，请把输出文件命名为 *.xlsx（收到 {out.name}）")
    try:
        coop = get_by_code(coop_code)
    except ServiceError as exc:
        _fail(exc.message)
    plan = reading.plan_for_export(coop.id, year)
    if plan is None:
        _fail(f"{year} 年度还没有分配方案")
    try:
        user = _list_maker(coop, username)
        with acting_as(user.id):
            listed = bank.make_bank_list(plan, user.id)
    except ServiceError as exc:
        _fail(exc.message)
    with open_private(out, "wb") as binary:
        binary.write(bank.bank_list_workbook(coop, plan, listed).getvalue())
    db.session.commit()
    number = f"第 {listed.batch.number} 号" if listed.batch is not None else ""
    click.echo(f"已导出 {year} 年度第 {plan.version_no} 版方案的银行代发清单{number}到 {out}："
               f"代发 {len(listed.bank)} 人，现金发放 {len(listed.cash)} 人")
    if not listed.bank and listed.cash:
        click.echo(f"注意：尚未发放的 {len(listed.cash)} 人都没有登记开户行和账号，代发清单是空的，"
                   "没有登记编号；需要银行代发的，请先在成员资料中填写开户行和账号。", err=True)
