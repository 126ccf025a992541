"""Files the app writes that hold members' personal data (exports, backups,
statement PDFs): readable and writable by their owner only (mode 0600),
whatever the process umask, from the moment they exist.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

PRIVATE_MODE = 0o600


def _private_opener(path: str, flags: int) -> int:
    fd = os.open(path, flags, PRIVATE_MODE)
    os.fchmod(fd, PRIVATE_MODE)  # an existing file being overwritten keeps its old mode otherwise
    return fd


def open_private(path: str | Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)``, the file created (or truncated and narrowed) as 0600."""
    return open(path, mode, opener=_private_opener, **kwargs)


def create_private(path: str | Path) -> None:
    """Create ``path`` as an empty 0600 file; FileExistsError if it is there already."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)
    finally:
        os.close(fd)


def write_private_bytes(path: str | Path, data: bytes) -> None:
    with open_private(path, "wb") as out:
        out.write(data)
