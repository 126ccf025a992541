"""Small helpers shared by the domains' click commands: option callbacks, and
the one way a command writes (``commit``) or refuses (``fail``)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable, NoReturn, TypeVar

import click

from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db

T = TypeVar("T")


def parse_date(_ctx, _param, value: str | None) -> date | None:
    """click callback: an ISO date, or a clear message in Chinese."""
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("日期应为 YYYY-MM-DD，例如 2025-12-31") from None


def parse_year(_ctx, _param, value: str | None) -> int | None:
    """click callback: a four-digit year, or a clear message in Chinese."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise click.BadParameter(f"年度应为四位数字，例如 2025（收到 {value!r}）")
    return int(text)



def fail(error: ServiceError | str) -> NoReturn:
    """Nothing is written (the session rolls back); the refusal is printed in
    Chinese on stderr, a ValidationFailed one message a line, and the command
    exits 1."""
    db.session.rollback()
    if isinstance(error, ValidationFailed):
        messages = list(error.errors.values())
    else:
        messages = [error.message if isinstance(error, ServiceError) else error]
    for message in messages:
        click.echo(f"错误：{message}", err=True)
    raise SystemExit(1)


def commit(action: Callable[[], T]) -> T:
    """The one way a command writes: ``action`` runs a service (which only
    flushes) and the command commits once; a refusal is ``fail``."""
    try:
        result = action()
    except ServiceError as exc:
        fail(exc)
    db.session.commit()
    return result
