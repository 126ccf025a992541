"""Run the county-scale benchmark and print the results table.

    python -m benchmarks.run                         # 100,000 members, 1,000,000 orders, SQLite
    python -m benchmarks.run --members 2000 --orders 20000 --duration 10   # a quick look
    python -m benchmarks.run --db postgresql://coop:coop@127.0.0.1:5432/coop_bench
    python -m benchmarks.run --reuse --only 2,3      # the same data, some scenarios

The database named by --db is emptied and rebuilt (SQLite: the file is
replaced; PostgreSQL: its public schema is dropped), so the name must
contain "bench". Nothing here runs in the test suite.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

from benchmarks.common import Row, make_app, table
from benchmarks.generate import Sizes, World, generate, migrate_to_heads, reset_schema

DEFAULT_DB = "sqlite:////tmp/coop-bench/bench.sqlite3"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()} from {sys.base_prefix}; "
            f"SQLite {sqlite3.sqlite_version}")


def _world_file(url: str) -> Path:
    """What ``--reuse`` needs to know of the generated data: beside a SQLite
    database's file (so a test's database in its temporary folder leaves
    nothing behind), in /tmp/coop-bench for a server's database."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///") + ".world.json")
    safe = "".join(c if c.isalnum() else "_" for c in url)[-80:]
    return Path("/tmp/coop-bench") / f"world-{safe}.json"


def prepare(url: str, sizes: Sizes, reuse: bool) -> World:
    path = _world_file(url)
    if reuse and path.exists():
        data = json.loads(path.read_text())
        data.setdefault("cpu_seconds", 0.0)
        data["member_ids"] = tuple(data["member_ids"])
        data["order_years"] = tuple(data["order_years"])
        print(f"reusing the data generated earlier ({path})")
        migrate_to_heads(make_app(url), vacuum=True)
        return World(**data)
    if "bench" not in url:
        raise SystemExit(f"refusing to empty {url}: the database name must contain 'bench'")
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    app = make_app(url)
    reset_schema(app)
    print(f"generating {sizes.members:,} members, {sizes.entries:,} register entries, "
          f"{sizes.orders:,} service orders, {sizes.coops} cooperatives ...")
    world = generate(app, sizes)
    total = sum(world.rows.values())
    print(f"generated {total:,} rows in {world.seconds:.1f} s ({world.cpu_seconds:.1f} s CPU) "
          f"({total / world.seconds:,.0f} rows/s): "
          + ", ".join(f"{k} {v:,}" for k, v in world.rows.items()))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataclasses.asdict(world)))
    return world


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=None,
                        help="share register entries (default: 10 per member)")
    parser.add_argument("--coops", type=int, default=230, help="cooperatives in the county")
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run")
    parser.add_argument("--only", default="1,2,3,4,5,6,7,8,9", help="scenarios to run, e.g. 2,3")
    parser.add_argument("--duration", type=float, default=30, help="load test seconds")
    parser.add_argument("--secretaries", type=int, default=4)
    parser.add_argument("--online-members", type=int, default=12)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=5108)
    parser.add_argument("--rounds", type=int, default=20, help="roster search rounds")
    parser.add_argument("--statements-html", type=int, default=10_000)
    parser.add_argument("--statements-pdf", type=int, default=1_000)
    args = parser.parse_args(argv)

    from benchmarks import machinery, notice, oversight, scenarios, structure

    sizes = Sizes.scaled(args.members, args.orders, args.entries, coops=args.coops)
    started = time.perf_counter()
    world = prepare(args.db, sizes, args.reuse)
    # the generator's garbage goes now, and what stays is never scanned
    # again: a full collection of it (150 ms) landed inside a timed request
    gc.collect()
    gc.freeze()
    only = {s.strip() for s in args.only.split(",")}
    rows: list[Row] = []
    generation = Row("0", "generate the data (bulk executemany, indexes built after)",
                     f"{world.seconds:.1f} s",
                     note=f"{sum(world.rows.values()):,} rows; {world.cpu_seconds:.1f} s CPU")
    rows.append(generation)
    steps = (
        ("1", lambda: scenarios.dividend_plan(args.db, world)),
        ("2", lambda: scenarios.roster_search(args.db, world, rounds=args.rounds)),
        ("3", lambda: scenarios.holdings(args.db, world)),
        ("4", lambda: scenarios.statements(args.db, world, html_count=args.statements_html,
                                           pdf_count=args.statements_pdf)),
        ("5", lambda: _load(args, world)),
        ("6", lambda: oversight.overview(args.db, world)),
        ("7", lambda: machinery.receivables_and_orders(args.db, world)),
        ("8", lambda: notice.public_notice(args.db, world)),
        ("9", lambda: structure.first_view_after_a_change(args.db, world)),
    )
    for number, step in steps:
        if number not in only:
            continue
        print(f"scenario {number} ...", flush=True)
        try:
            new = step()
        except Exception as exc:  # report it in the table, keep going
            new = [Row(number, "scenario failed", type(exc).__name__, note=str(exc)[:200], ok=False)]
        rows += new
        print(table(new), flush=True)
    print(f"\nMachine: {machine()}")
    print(f"Database: {args.db.split('@')[-1]}; sizes: {sizes}; "
          f"whole run {time.perf_counter() - started:.0f} s\n")
    print(table(rows))
    return 0 if all(r.ok is not False for r in rows) else 1


def _load(args, world: World) -> list[Row]:
    from benchmarks import loadtest

    return loadtest.run(args.db, world, duration=args.duration, secretaries=args.secretaries,
                        members=args.online_members, workers=args.workers, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
