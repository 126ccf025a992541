"""The scans kept as evidence of a membership event: checked by their content
(PDF, JPEG or PNG, at most MAX_SCAN_BYTES), stored outside the web root in
the instance folder under a generated name, readable by the app's user only
(mode 0600, coop.files)."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from coop.errors import ServiceError
from coop.files import write_private_bytes

MAX_SCAN_BYTES = 5 * 1024 * 1024
FOLDER = "membership_files"
_NAME_RE = re.compile(r"^[0-9]{1,10}-[0-9a-f]{32}\.(pdf|jpg|png)$")

# what a file starts with -> (extension, mimetype)
_SIGNATURES = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
MIMETYPES = {ext: mime for _, ext, mime in _SIGNATURES}


@dataclass(frozen=True)
class Scan:
    """An uploaded file as the browser sent it: its name and its bytes."""

    filename: str
    data: bytes


def kind_of(data: bytes) -> str | None:
    """'pdf', 'jpg' or 'png' by the file's first bytes; None for anything else."""
    for magic, ext, _ in _SIGNATURES:
        if data.startswith(magic):
            return ext
    return None


def scan_error(scan: Scan) -> str | None:
    if not scan.data:
        return "上传的文件是空的，请重新选择"
    if len(scan.data) > MAX_SCAN_BYTES:
        return f"扫描件不能超过 {MAX_SCAN_BYTES // (1024 * 1024)} MB，请压缩后再上传"
    if kind_of(scan.data) is None:
        return "扫描件只能是 PDF、JPEG 或 PNG 文件（按文件内容判断，改扩展名无效）"
    return None


def check_scan(scan: Scan) -> None:
    if message := scan_error(scan):
        raise ServiceError(message, field="scan")


def store_scan(folder: Path, coop_id: int, scan: Scan) -> str:
    """Write ``scan`` (already checked) under ``folder``/membership_files with
    a generated name, 0600; the stored name."""
    check_scan(scan)
    target = folder / FOLDER
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{coop_id}-{secrets.token_hex(16)}.{kind_of(scan.data)}"
    write_private_bytes(target / name, scan.data)
    return name


def scan_path(folder: Path, stored_name: str | None) -> Path | None:
    """The file of a stored name, None when the name is not one we make or
    the file is gone."""
    if not stored_name or not _NAME_RE.match(stored_name):
        return None
    path = folder / FOLDER / stored_name
    return path if path.is_file() else None


def display_name(filename: str) -> str:
    """The uploaded file's own name, kept only to show it (never as a path)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable() and c not in '<>"&;')[:200]
