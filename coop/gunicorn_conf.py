"""gunicorn's settings for coop: ``gunicorn -c python:coop.gunicorn_conf 'coop:create_app()'``
(``make serve``, deploy/coop-web.service).

- ``bind``: COOP_BIND, default ``127.0.0.1:8000`` (nginx in front, deploy/nginx-coop.conf);
  ``0.0.0.0:8000`` serves the office network directly.
- ``workers``: COOP_WEB_WORKERS, default 2 x cores + 1 (at most 8): synchronous
  workers, each one request at a time, nginx buffering slow clients for them.
- ``timeout`` 120 s: a member's one-page PDF and an Excel import are drawn in
  their request; a worker silent for longer is killed and replaced.
- ``graceful_timeout`` 30 s: on SIGTERM (stop) or SIGHUP (``systemctl reload
  coop-web``: new workers with the new code, the old ones finish what they
  serve), requests in progress get this long.
- ``max_requests``: each worker is replaced after about 2,000 requests, so
  memory a long run gathers is given back.
- Logs: coop logs each request itself (coop.requestlog), gunicorn's access log
  is off; both write to standard error, which systemd's journal keeps.
- Garbage collector: each worker, once its app and templates are loaded,
  freezes them out of the cyclic collector's reach (``settle_garbage_collector``).
- Templates: each worker compiles every template before its first request,
  through Jinja's bytecode cache in ``instance/template-cache`` (a template's
  entry is keyed by its source, so a changed template is compiled again).
  Compiling all 146 takes a worker about 1 s of CPU, loading them from the
  cache about 40 ms; without this every worker, and every replacement after
  ``max_requests``, compiled each template inside the first request that
  used it (20-70 ms added to that request).

gunicorn refuses to start (before any worker) when SECRET_KEY or
COOP_PUBLIC_URL is missing, saying which, as ``flask --app coop preflight`` does.
"""
from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from flask import Flask
from jinja2 import FileSystemBytecodeCache

from coop import create_app
from coop.config import production_problems

MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(2 * cores + 1, MAX_DEFAULT_WORKERS)


bind = os.environ.get("COOP_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("COOP_WEB_WORKERS") or default_workers())
worker_class = "sync"
timeout = 120
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
accesslog = None
errorlog = "-"
loglevel = "info"
proc_name = "coop-web"
control_socket_disable = True  # stopped and reloaded by signals (systemd), no socket in $HOME


def compile_templates(app: Flask) -> int:
    """Compile every template of ``app`` now, through the bytecode cache in
    its instance folder; the number compiled."""
    cache = Path(app.instance_path) / "template-cache"
    cache.mkdir(parents=True, exist_ok=True)
    env = app.jinja_env
    env.bytecode_cache = FileSystemBytecodeCache(str(cache))
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    return len(names)


def post_worker_init(worker) -> None:
    compile_templates(worker.wsgi)
    settle_garbage_collector()


def settle_garbage_collector() -> None:
    """Collect once, then move what the worker holds after loading the app
    and its templates (about 420,000 objects: modules, mappers, compiled
    templates, all kept for the worker's life) out of the cyclic garbage
    collector's reach: a full collection walked them all (180-320 ms, now
    and then inside a request), and the load test's server spent about 4 %
    less CPU a request without them."""
    gc.collect()
    gc.freeze()


def on_starting(server) -> None:
    problems = production_problems(create_app().config)
    if problems:
        for problem in problems:
            print(f"错误：{problem}", file=sys.stderr)
        print("服务未启动：请补齐以上设置后重试（见 README 的 Serve 一节）。", file=sys.stderr)
        sys.exit(1)
