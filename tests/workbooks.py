"""Spreadsheets the import tests feed in: a header row, then the rows."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    Path(path).write_bytes(xlsx_bytes(headers, rows))
    return str(path)
