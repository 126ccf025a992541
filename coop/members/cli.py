"""``flask --app coop members import FILE --coop CODE`` and ``members export``."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from coop.clitools import fail
from coop.cooperatives.api import get_by_code
from coop.errors import ServiceError
from coop.extensions import db
from coop.files import open_private
from coop.members import importing


@click.group("members", help="成员名册：导入、导出")
def group() -> None:
    pass


@group.command("import", help="从文件 FILE（.xlsx 或 .csv）导入成员：先逐行检查，全部无误才写入；按成员编号对应已有成员。")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
def import_command(file: Path, coop_code: str) -> None:
    try:
        coop = get_by_code(coop_code)
        with file.open("rb") as stream:
            result = importing.import_file(coop, stream, file.name)
    except importing.ImportFailed as exc:
        db.session.rollback()
        for e in exc.plan.errors:
            where = f"第 {e.row} 行" if e.row else "文件"
            column = f" {e.column}" if e.column else ""
            shown = f"（{e.value}）" if e.value else ""
            click.echo(f"错误：{where}{column}{shown}：{e.message}", err=True)
        click.echo(f"导入未进行：共 {len(exc.plan.errors)} 处错误，没有写入任何数据。", err=True)
        raise SystemExit(1)
    except ServiceError as exc:
        fail(exc)
    db.session.commit()
    click.echo(f"导入完成：新增 {result['created']} 人，更新 {result['updated']} 人，"
               f"{result['unchanged']} 人没有变化。")


@group.command("export", help="把成员名册导出到 OUT.csv 或 OUT.xlsx（导入用的各列，另加状态）。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--full-id", is_flag=True,
              help="导出完整身份证号（默认打码，只显示前 4 位和后 4 位）")
def export_command(out: Path, coop_code: str, full_id: bool) -> None:
    try:
        coop = get_by_code(coop_code)
        n = importing.export_members(coop.id, out, full_id=full_id)
    except ServiceError as exc:
        fail(exc)
    except OSError as exc:  # no such directory, no permission, disk full
        fail(f"无法写入文件 {out}（{exc.strerror or exc}）")
    click.echo(f"已导出 {n} 名成员到 {out}" + ("（含完整身份证号）" if full_id else "（身份证号已打码）"))


@group.command("template", help="生成空白的成员导入模板（.xlsx）到 OUT。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def template_command(out: Path) -> None:
    with open_private(out, "wb") as stream:
        importing.write_template(stream)
    click.echo(f"已生成导入模板 {out}")
