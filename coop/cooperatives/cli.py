"""``flask --app coop area add|list|assign``: the county's areas (county >
township > village) and the village each cooperative lies in."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from coop.clitools import commit, fail
from coop.cooperatives.area_reading import area_by_code
from coop.cooperatives.area_services import add_area, area_rows, assign_area
from coop.cooperatives.services import all_cooperatives, get_by_code
from coop.errors import ServiceError


@click.group("area", help="辖区（县、乡镇、村）：新增、列出，把合作社归到所在村")
def group() -> None:
    pass


@group.command("add", help="新增一个辖区：县（区）没有上级，乡镇的上级是县（区），村的上级是乡镇。")
@with_appcontext
@click.option("--code", required=True, help="辖区代码（字母、数字、短横线；可用行政区划代码）")
@click.option("--name", required=True, help="辖区名称")
@click.option("--level", required=True, help="级别：county 县（区）、township 乡镇、village 村")
@click.option("--parent", "parent_code", default=None, help="上级辖区的代码")
def add_command(code: str, name: str, level: str, parent_code: str | None) -> None:
    area = commit(lambda: add_area(code, name, level, parent_code))
    where = f"，属于 {area.parent.name}" if area.parent is not None else ""
    click.echo(f"已新增{area.level_label} {area.name}（代码 {area.code}）{where}")


@group.command("list", help="列出全部辖区（按上下级缩进）和每个辖区内的合作社数。")
@with_appcontext
def list_command() -> None:
    rows = area_rows()
    if not rows:
        click.echo("还没有辖区。用 area add 命令新增。")
        return
    for row in rows:
        click.echo(f"{'  ' * row.depth}{row.area.code}  {row.area.name}（{row.area.level_label}）"
                   f"  合作社 {row.cooperatives} 个")
    unplaced = [c.code for c in all_cooperatives() if c.area_id is None]
    if unplaced:
        click.echo(f"未归属辖区的合作社：{'、'.join(unplaced)}")


@group.command("assign", help="把合作社归到一个村一级辖区（所在村、所在镇随之改为该辖区的名称）。")
@with_appcontext
@click.option("--coop", "coop_code", required=True, help="合作社代码")
@click.option("--area", "area_code", required=True, help="村一级辖区的代码")
def assign_command(coop_code: str, area_code: str) -> None:
    area = area_by_code(area_code)
    if area is None:
        fail(f"没有代码为 {area_code} 的辖区（用 area list 命令查看）")
    try:
        coop = get_by_code(coop_code)
    except ServiceError as exc:
        fail(exc)
    commit(lambda: assign_area(coop, area))
    click.echo(f"{coop.name} 已归属 {coop.town}{coop.village}（{area.code}）")
