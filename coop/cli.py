"""Top-level commands: ``flask --app coop init | preflight | create-coop |
create-admin | demo | backup | restore | worker``.

Each domain registers its own command group (``members``, ``shares`` ...)
from its ``cli.py`` through ``register_cli``.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from coop import tasks
from coop.auth.api import Role, create_overseer, create_user
from coop.backup import backup, backup_into, restore
from coop.clitools import commit, fail
from coop.config import DEMO_PASSWORD, production_problems
from coop.cooperatives.api import LegalRegime, area_by_code, create_cooperative, get_by_code
from coop.demo import DEMOS, demo_exists
from coop.domains import domain_modules
from coop.errors import ServiceError
from coop.extensions import db
from coop.oversight.api import COUNTY_LOGINS, county_exists, load_county

DEFAULT_KEEP = 14  # backups kept by `backup --dir` without --keep: two weeks of nightly ones


@click.command("init", help="建立数据库，或把已有数据库升级到最新结构。")
@with_appcontext
def init_command() -> None:
    upgrade(revision="heads")
    click.echo("数据库已就绪（已升级到最新结构）。")


@click.command("create-coop", help="新建一个合作社（使用其法律类型的默认章程，之后可在“章程”页面修改），"
               "CODE 为合作社代码。")
@with_appcontext
@click.argument("code")
@click.option("--name", required=True, help="合作社名称")
@click.option("--credit-code", required=True, help="统一社会信用代码")
@click.option("--village", required=True, help="所在村（嘎查）名称")
@click.option("--town", required=True, help="所在乡镇（苏木）名称")
@click.option("--legal-kind", type=click.Choice([r.value for r in LegalRegime]),
              default=LegalRegime.COLLECTIVE.value, show_default=True,
              help="法律类型：collective 农村集体经济组织（股份经济合作社、经济合作社，按股分红）；"
                   "specialized 农民专业合作社（按《农民专业合作社法》，按交易量返还为主，"
                   "默认章程不设股份类别区间和单一成员持股上限）")
def create_coop_command(code: str, name: str, credit_code: str, village: str, town: str,
                        legal_kind: str) -> None:
    coop = commit(lambda: create_cooperative(code, name=name, credit_code=credit_code,
                                             village=village, town=town, legal_regime=legal_kind))
    click.echo(f"已创建合作社 {coop.code}：{coop.name}；法律类型：{coop.regime.label}")


@click.command("create-admin", help="为合作社创建一个管理员（秘书）登录账号。")
@with_appcontext
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--username", required=True, help="登录用户名")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再输入一次密码",
              help="登录密码（不给出时会提示输入）")
def create_admin_command(coop_code: str, username: str, display_name: str, password: str) -> None:
    user, _ = commit(lambda: create_user(get_by_code(coop_code), username, display_name,
                                         Role.ADMIN.value, password=password, must_change=False))
    click.echo(f"已为 {user.cooperative.name} 创建管理员 {user.username}")


@click.command("create-overseer", help="为乡镇或县（区）创建一个监管登录账号：只读查看辖区内每个合作社，不能修改。")
@with_appcontext
@click.option("--area", "area_code", required=True, help="辖区代码（用 area list 命令查看）")
@click.option("--username", required=True, help="登录用户名")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再输入一次密码",
              help="登录密码（不给出时会提示输入）")
def create_overseer_command(area_code: str, username: str, display_name: str, password: str) -> None:
    area = area_by_code(area_code)
    if area is None:
        fail(f"没有代码为 {area_code} 的辖区（用 flask --app coop area list 查看）")
    user, _ = commit(lambda: create_overseer(area, username, display_name, password=password,
                                             must_change=False))
    click.echo(f"已为 {area.name}（{area.level_label}）创建监管账号 {user.username}；"
               f"登录时在“合作社或辖区代码”处填写 {area.code}")


@click.command("demo", help="加载演示合作社 wljs 和 hxnj，以及演示县（两个乡镇、几个小合作社和监管账号；见 README“演示合作社”一节）。")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="只加载数据库中还没有的演示合作社")
def demo_command(if_empty: bool) -> None:
    missing = [demo for demo in DEMOS if not demo_exists(demo.code)]
    if not missing and county_exists() and not if_empty:
        click.echo(f"演示合作社 {'、'.join(d.code for d in DEMOS)} 已存在，未重复加载。", err=True)
        raise SystemExit(1)
    for demo in DEMOS:
        if demo in missing:
            commit(demo.load)
            click.echo(f"已加载演示合作社 {demo.code}。")
        else:
            click.echo(f"演示合作社 {demo.code} 已存在。")
        for role, username, password in demo.logins:
            click.echo(f"  {role}：用户名 {username}  密码 {password}")
        click.echo(f"  社员（成员编号登录）：用户名 {demo.member_login}  密码 {DEMO_PASSWORD}")
    if county_exists():
        click.echo("演示县已存在。")
    else:
        commit(load_county)
        click.echo("已加载演示县（两个乡镇，wljs、hxnj 和三个小合作社）。")
    for what, username, code in COUNTY_LOGINS:
        click.echo(f"  {what}：合作社或辖区代码 {code}  用户名 {username}  密码 {DEMO_PASSWORD}")


@click.command("preflight", help="检查正式服务器必需的设置（SECRET_KEY、COOP_PUBLIC_URL），然后建立或升级数据库；"
               "make serve 和 deploy/coop-web.service 在启动 gunicorn 之前运行它。")
@with_appcontext
def preflight_command() -> None:
    problems = production_problems(current_app.config)
    if problems:
        for problem in problems:
            click.echo(f"错误：{problem}", err=True)
        click.echo("服务未启动：请补齐以上设置后重试（见 README 的 Serve 一节）。", err=True)
        raise SystemExit(1)
    upgrade(revision="heads")
    click.echo(f"设置齐全，数据库已升级到最新结构；对外地址 {current_app.config['COOP_PUBLIC_URL']}")


@click.command("backup", help="把整个数据库备份到文件 OUT，或用 --dir 备份到目录（文件名带北京时间，只保留最新的 --keep 份）。"
               "SQLite 用在线备份，PostgreSQL 用 pg_dump。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False), required=False)
@click.option("--dir", "directory", type=click.Path(file_okay=False),
              help="备份到此目录，文件名带北京时间（与 --keep 一起用）")
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="目录中只保留最新的 N 份带时间的备份，更早的删除")
def backup_command(out: str | None, directory: str | None, keep: int | None) -> None:
    if (out is None) == (directory is None):
        fail("请给出备份文件名 OUT，或用 --dir 指定备份目录（二者选一）")
    if keep is not None and directory is None:
        fail("--keep 只能与 --dir 一起使用")
    try:
        if directory is not None:
            click.echo(backup_into(db.engine, Path(directory), keep or DEFAULT_KEEP).message)
        else:
            click.echo(backup(db.engine, Path(out)))
    except ServiceError as exc:
        fail(exc)


@click.command("restore", help="用备份文件 SOURCE 替换当前整个数据库（之后自动升级到最新结构）。")
@with_appcontext
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="不再询问，直接用备份替换当前数据")
def restore_command(source: str, yes: bool) -> None:
    if not yes and not click.confirm("恢复会用备份替换当前全部数据，确定吗？"):
        click.echo("已取消。")
        raise SystemExit(1)
    try:
        click.echo(restore(db.engine, Path(source)))
    except ServiceError as exc:
        fail(exc)
    upgrade(revision="heads")  # a backup of an older version is brought up to date


@click.command("worker", help="运行后台任务进程（批量生成对账单 PDF），按 Ctrl-C 停止。"
               "每套系统只运行一个；make run 会在网站旁边启动它。")
@with_appcontext
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="同时工作的线程数（默认取配置 HUEY_WORKERS）")
def worker_command(workers: int | None) -> None:
    app = current_app._get_current_object()
    if app.config.get("HUEY_IMMEDIATE"):
        click.echo("错误：HUEY_IMMEDIATE 已开启（任务在提交它的进程中直接运行），不需要后台任务进程。",
                   err=True)
        raise SystemExit(1)
    tasks.configure_worker_logging()
    tasks.recover(app)
    click.echo("后台任务进程已启动（按 Ctrl-C 停止）。")
    tasks.create_consumer(app, workers or app.config["HUEY_WORKERS"]).run()


def register_cli(app: Flask) -> None:
    for command in (init_command, preflight_command, create_coop_command, create_admin_command,
                    create_overseer_command, demo_command, backup_command, restore_command, worker_command):
        app.cli.add_command(command)
    modules = list(domain_modules("cli"))
    for cli in modules:
        if hasattr(cli, "group"):
            app.cli.add_command(cli.group)
    for cli in modules:  # a higher domain's commands on a lower domain's group
        for name, commands in getattr(cli, "extends", {}).items():
            for command in commands:
                app.cli.commands[name].add_command(command)
