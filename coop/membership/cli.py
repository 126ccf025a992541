"""``flask --app coop members filing --coop CODE OUT.xlsx [--version N]`` and
``flask --app coop members roster --coop CODE`` (version 1 of the roster).

The command belongs with the roster's other commands (``members import``,
``members export``), but members sits below membership and may not import
it. So membership declares it in ``extends`` and the app attaches it to the
``members`` group (coop.cli.register_cli: a domain's cli module may add
commands to a lower domain's group by the group's name)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from coop.clitools import commit, fail
from coop.cooperatives.api import get_by_code
from coop.errors import ServiceError
from coop.files import open_private
from coop.membership.filing import filing_paper, filing_workbook
from coop.membership.rosters import make_first_version, version_by_number


def _version_number(_ctx, _param, value: str | None) -> int | None:
    """click callback: a version number, or a clear message in Chinese."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and 0 < len(text) <= 6 and int(text) > 0):
        raise click.BadParameter(f"名册版本号应为正整数，例如 2（收到 {value!r}）")
    return int(text)


@click.command("filing", help="导出成员名册备案表（.xlsx，含完整身份证号，报乡镇人民政府和县级农业农村主管部门备案）")
@with_appcontext
@click.argument("out", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--version", "number", callback=_version_number, default=None,
              help="名册版本号（默认最新一版）")
def filing_command(out: Path, coop_code: str, number: int | None) -> None:
    if out.suffix.lower() != ".xlsx":
        fail(f"备案表是 .xlsx 文件，请把输出文件命名为 *.xlsx（收到 {out.name}）")
    try:
        coop = get_by_code(coop_code)
        version = version_by_number(coop.id, number)
        if version is None:
            fail(f"成员名册第 {number} 版不存在" if number else
                 "还没有编制成员名册：请先在“成员名册”页面编制第 1 版")
        paper = filing_paper(coop, version)
        data = filing_workbook(paper).getvalue()
    except ServiceError as exc:
        fail(exc)
    try:
        with open_private(out, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        fail(f"无法写入文件 {out}（{exc.strerror or exc}）")
    click.echo(f"已导出成员名册第 {version.number} 版（{version.made_on:%Y-%m-%d}，{len(paper.rows)} 人）到 {out}"
               "（含完整身份证号，仅供备案，请妥善保管）")


@click.command("roster", help="编制成员名册第 1 版（按现在在册的成员；此后每份确认名单经成员大会表决通过后自动生成新版本）")
@with_appcontext
@click.option("--coop", "coop_code", required=True, help="合作社代码")
def roster_command(coop_code: str) -> None:
    try:
        coop = get_by_code(coop_code)
        version = commit(lambda: make_first_version(coop.id))
    except ServiceError as exc:
        fail(exc)
    click.echo(f"已编制成员名册第 {version.number} 版（{version.made_on:%Y-%m-%d}，{version.member_count} 人），"
               "请在 30 日内报送备案")


extends = {"members": [filing_command, roster_command]}
