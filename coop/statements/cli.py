"""``flask --app coop statements pdf --coop CODE --year YYYY OUT.pdf [--member MEMBER_NO]``."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from coop.clitools import fail
from coop.cooperatives.api import get_by_code
from coop.dividends.api import effective_plan
from coop.errors import ServiceError
from coop.files import write_private_bytes
from coop.shares.api import member_by_no
from coop.statements import pdf, services


@click.group("statements", help="年度股金分红对账单：打印为 PDF")
def group() -> None:
    pass


@group.command("pdf", help="把某年度的对账单（每位有分红明细的成员一页 A4）打印到 OUT.pdf。")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--year", required=True, type=int, help="年度，例如 2025")
@click.option("--member", "member_no", help="只打印这位成员（成员编号）的对账单")
def pdf_command(out: Path, coop_code: str, year: int, member_no: str | None) -> None:
    try:
        coop = get_by_code(coop_code)
        plan = effective_plan(coop.id, year)
        if plan is None:
            raise ServiceError(f"{year} 年没有已表决通过的分红方案，没有对账单可打印")
        member_ids = None
        if member_no:
            member = member_by_no(coop, member_no.upper())
            if member is None:
                raise ServiceError(f"没有成员编号为 {member_no} 的成员")
            member_ids = [member.id]
        statements = services.build_statements(coop, plan, member_ids)
        if not statements:
            raise ServiceError(f"成员 {member_no} 在 {year} 年的分红方案中没有分红明细"
                               if member_no else f"{year} 年的分红方案没有分红明细")
        total = len(statements)

        def progress(done: int) -> None:
            click.echo(f"已生成 {done}/{total} 份", err=True)

        data = pdf.render_pdf(statements, f"{coop.name} {year} 年度{coop.words.statement_title}", progress)
    except ServiceError as exc:
        fail(exc)
    write_private_bytes(out, data)
    click.echo(f"已写入 {out}：{total} 份对账单，每份一页。")
