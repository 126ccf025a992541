"""Shared pieces: the app under test, logging in through the test client,
timing statistics, and the result row every scenario returns."""
from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass
from typing import Callable

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SECRET = "bench-secret-not-for-production-use"  # 32+ characters, as gunicorn_conf asks


def make_app(url: str, **extra):
    from coop import create_app

    config = {"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url,
              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    config.update(extra)
    return create_app(config)


def login(client, coop: str, username: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    resp = client.post("/login", data={"coop": coop, "username": username,
                                       "password": password, "csrf_token": token})
    if resp.status_code != 302:
        raise RuntimeError(f"login as {username} failed: {resp.status_code}")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    """Wall times in milliseconds of ``repeat`` calls."""
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Row:
    """One line of the results table."""

    scenario: str
    what: str
    figure: str
    floor: str = ""
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "ok", False: "MISSED", None: "-"}[self.ok]


def ms(value: float) -> str:
    if value != value:  # nan
        return "n/a"
    return f"{value:,.1f} ms" if value < 10_000 else f"{value / 1000:,.1f} s"


def table(rows: list[Row]) -> str:
    head = "| # | what | figure | floor | ratio | target | result |\n|---|---|---|---|---|---|---|\n"
    lines = []
    for r in rows:
        ratio = f"{r.ratio:.1f}x" if r.ratio is not None else ""
        what = r.what + (f" ({r.note})" if r.note else "")
        lines.append(f"| {r.scenario} | {what} | {r.figure} | {r.floor} | {ratio} | {r.target} "
                     f"| {r.verdict} |")
    return head + "\n".join(lines) + "\n"
