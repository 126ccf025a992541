"""Backup and restore of the whole database.

SQLite: the online backup API (a consistent copy while the app keeps
serving). PostgreSQL: pg_dump / pg_restore in the custom format, which are
the standard tools; a file made by either can be restored by the same
command.

``backup_into(engine, directory, keep)`` (``flask --app coop backup --dir
DIR --keep N``, what deploy/coop-backup.timer runs nightly) names the file
after the Beijing time it was taken, ``coop-20261130-023000-000.sqlite3``
(``.pgdump`` for PostgreSQL), and then removes the oldest of the files so
named in that folder beyond the newest ``keep``; nothing else there is
touched.

A backup holds every member's personal data: it is created readable by its
owner only (0600). The PostgreSQL password reaches pg_dump and pg_restore in
their environment (PGPASSWORD), never on their command line, where any user
of the machine could read it in the process list.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from coop import clock
from coop.errors import ServiceError
from coop.files import create_private

SQLITE_MAGIC = b"SQLite format 3\x00"
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
TIMESTAMPED = re.compile(r"^coop-\d{8}-\d{6}-\d{3}\.(sqlite3|pgdump)$")


def backup(engine: Engine, out: Path) -> str:
    out = Path(out)
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise ServiceError(f"不支持的数据库：{engine.dialect.name}")
    if not out.parent.exists():
        raise ServiceError(f"目录 {out.parent} 不存在")
    try:
        create_private(out)
    except FileExistsError:
        raise ServiceError(f"文件 {out} 已存在，不会覆盖；请换一个文件名") from None
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, out)
            return f"已备份到 {out}（SQLite 在线备份）"
        _run_pg("pg_dump", engine, ["--format=custom", "--no-owner", f"--file={out}"])
        return f"已备份到 {out}（pg_dump 自定义格式，可用 pg_restore 或本命令恢复）"
    except BaseException:
        out.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Rotation:
    """A timestamped backup just made, and the older ones removed to keep N."""
    path: Path
    removed: list[Path]
    message: str


def backup_into(engine: Engine, directory: Path, keep: int) -> Rotation:
    if keep < 1:
        raise ServiceError("--keep 至少为 1（保留的备份份数）")
    if engine.dialect.name not in SUFFIXES:
        raise ServiceError(f"不支持的数据库：{engine.dialect.name}")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ServiceError(f"{directory} 不是目录")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = clock.local(clock.utcnow()).strftime("%Y%m%d-%H%M%S-%f")[:-3]
    out = directory / f"coop-{stamp}{SUFFIXES[engine.dialect.name]}"
    message = backup(engine, out)
    kept = sorted((p for p in directory.iterdir() if TIMESTAMPED.match(p.name) and p.is_file()),
                  key=lambda p: p.name, reverse=True)
    removed = kept[keep:]
    for old in removed:
        old.unlink()
    if removed:
        message += f"；按 --keep {keep} 删除了较早的 {len(removed)} 份：" + "、".join(p.name for p in removed)
    return Rotation(out, removed, message)


def _sqlite_backup(engine: Engine, out: Path) -> None:
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(out)
        with target:
            raw.driver_connection.backup(target)
        target.close()
    finally:
        raw.close()


def restore(engine: Engine, source: Path) -> str:
    source = Path(source)
    if not source.is_file():
        raise ServiceError(f"找不到备份文件 {source}")
    if engine.dialect.name == "sqlite":
        with source.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise ServiceError(f"{source} 不是 SQLite 备份文件")
        check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables or "cooperatives" not in tables:
                raise ServiceError(f"{source} 不是本系统的备份文件")
            engine.dispose()  # no pooled connection may hold the old pages
            raw = engine.raw_connection()
            try:
                check.backup(raw.driver_connection)
            finally:
                raw.close()
        finally:
            check.close()
        return f"已从 {source} 恢复"
    if engine.dialect.name == "postgresql":
        with source.open("rb") as fh:
            if fh.read(5) != b"PGDMP":
                raise ServiceError(f"{source} 不是 pg_dump 自定义格式的备份文件")
        engine.dispose()
        _run_pg("pg_restore", engine, ["--clean", "--if-exists", "--no-owner",
                                       "--single-transaction", str(source)])
        return f"已从 {source} 恢复"
    raise ServiceError(f"不支持的数据库：{engine.dialect.name}")


def _run_pg(tool: str, engine: Engine, args: list[str]) -> None:
    if shutil.which(tool) is None:
        raise ServiceError(f"找不到 {tool}：请安装 PostgreSQL 客户端（Debian 软件包 postgresql-client）")
    url = engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    dbname = url._replace(password=None).render_as_string(hide_password=False)  # URL is a NamedTuple
    result = subprocess.run([tool, f"--dbname={dbname}", *args], capture_output=True, text=True,
                            env=env, umask=0o077)
    if result.returncode != 0:
        raise ServiceError(f"{tool} 失败：{result.stderr.strip()[:500]}")
