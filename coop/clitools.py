"""Small helpers shared by the domains' click commands."""
from __future__ import annotations

from datetime import date, datetime

import click


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

