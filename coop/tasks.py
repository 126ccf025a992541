"""The task queue: Huey, for work too long for a request (statement PDF
batches).

By default the queue is a SQLite file, ``instance/huey.sqlite3``: it needs
no server, and a task queued there waits for the worker across restarts of
either process. With ``COOP_REDIS_URL`` set (``redis://host:6379/0``) the
queue lives in that Redis server instead (``pip install 'coop[redis]'``).
The worker is ``flask --app coop worker``: one process, a few threads; run
exactly one per installation (``make run`` starts it beside the web server).
In testing (``HUEY_IMMEDIATE``) a task runs at once in the process that
queues it.

Each domain with queued work has a ``tasks.py`` with ``register(huey, app)``
(declares its tasks, bound to the app) and ``recover(app)`` (called once
when the worker starts, before it takes any task: puts back work that a
worker which stopped mid-task left unfinished).
"""
from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from coop.domains import domain_modules

QUEUE_NAME = "coop"


def make_huey(app: Flask) -> Huey:
    """Immediate mode keeps its queue in memory (the file or server is opened only
    if it is switched off, as a test of the real queue does)."""
    immediate = bool(app.config.get("HUEY_IMMEDIATE"))
    redis_url = os.environ.get("COOP_REDIS_URL") or app.config.get("COOP_REDIS_URL")
    if redis_url:
        if importlib.util.find_spec("redis") is None:
            raise RuntimeError("已设置 COOP_REDIS_URL，但没有安装 redis 软件包："
                               "请运行 pip install 'coop[redis]'，或去掉 COOP_REDIS_URL 改用 SQLite 队列")
        return RedisHuey(QUEUE_NAME, url=redis_url, results=False, immediate=immediate)
    path = app.config.get("HUEY_SQLITE_PATH") or str(Path(app.instance_path) / "huey.sqlite3")
    return SqliteHuey(QUEUE_NAME, filename=path, results=False, immediate=immediate)


def init_app(app: Flask) -> None:
    huey = make_huey(app)
    app.extensions["huey"] = huey
    for tasks in domain_modules("tasks"):
        tasks.register(huey, app)


def huey_of(app: Flask | None = None) -> Huey:
    return (app or current_app).extensions["huey"]


def recover(app: Flask) -> None:
    for tasks in domain_modules("tasks"):
        tasks.recover(app)


def create_consumer(app: Flask, workers: int) -> Consumer:
    """The worker: ``workers`` threads taking tasks from the queue. Call
    ``recover(app)`` first, once, while no worker runs.

    Ctrl-C (SIGINT) lets a task in progress finish for HUEY_SHUTDOWN_TIMEOUT
    seconds, SIGTERM stops at once; either way a task cut short is taken up
    again by ``recover`` when the worker next starts."""
    return huey_of(app).create_consumer(workers=workers, worker_type="thread",
                                        periodic=False, flush_locks=True,
                                        shutdown_timeout=app.config["HUEY_SHUTDOWN_TIMEOUT"])


def configure_worker_logging() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # a line per page drawn
    logging.getLogger("fontTools").setLevel(logging.WARNING)
