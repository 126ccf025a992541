"""Scenario 5: the app under gunicorn (its production settings) on
127.0.0.1, with simulated secretaries and members for a bounded time;
afterwards every write the server acknowledged is looked up in the database.

Secretaries search the roster, open members, add members, edit members
(from a small shared pool, so that two of them edit the same member at once:
the later save must be refused with 409, never silently overwrite), enter
service orders and look at the order list and the share structure. Members
log in and read their own page. Each virtual user is a thread with its own
cookies; every request opens a new connection (as gunicorn's sync workers
close them anyway).

Counted as errors: a 5xx, a refused connection or time-out, and any answer a
correct request should not get (e.g. 422 on a valid new member). A 409 on a
concurrent edit is the optimistic lock doing its job and is counted apart.
"""
from __future__ import annotations

import http.client
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

from benchmarks.common import SECRET, Row, make_app, percentile
from benchmarks.generate import World, resident_id

ROOT = Path(__file__).resolve().parent.parent
TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ORDER_NO_RE = re.compile(r"已保存作业单 (\d{4}-\d+)")
LOAD_TEST_BORN_FROM = 1960  # the series of the resident IDs of the members the runs add
LOG_LINE_RE = re.compile(r"coop\.requests: (\w+) (\S+) (\d+) [\d.]+ms cpu=([\d.]+)ms")


class FormFields(HTMLParser):
    """name -> value of the inputs, selects and textareas of one form."""

    def __init__(self, action: str):
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action or a.get("hx-post") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "checkbox":
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "y")
            elif kind not in ("submit", "button", "file"):
                self.fields[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(html: str, action: str) -> dict[str, str]:
    parser = FormFields(action)
    parser.feed(html)
    return parser.fields


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    stale_refusals: int = 0
    members_created: dict[str, str] = field(default_factory=dict)  # member_no -> name
    phones: dict[int, list[tuple[float, str]]] = field(default_factory=dict)
    orders_created: dict[str, str] = field(default_factory=dict)  # note tag -> order no
    versions_before: dict[int, int] = field(default_factory=dict)
    run_tag: str = field(default_factory=lambda: f"{int(time.time()) % 46656:03x}")
    lock: threading.Lock = field(default_factory=threading.Lock)
    # resident IDs of the members earlier runs added (their series, born from
    # 1960, is not the generator's): a new member takes an ID none has, or
    # the app refuses it with 422 as it should
    taken_ids: set[str] = field(default_factory=set)
    next_id: int = 0

    def fresh_id(self) -> str:
        """A resident ID no member has, for a new member."""
        with self.lock:
            while True:
                candidate = resident_id(self.next_id, born_from=LOAD_TEST_BORN_FROM)
                self.next_id += 1
                if candidate not in self.taken_ids:
                    self.taken_ids.add(candidate)
                    return candidate

    def record(self, action: str, ms: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(action, []).append(ms)
            self.statuses[status] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Client:
    def __init__(self, port: int, stats: Stats):
        self.port = port
        self.stats = stats
        self.cookies: dict[str, str] = {}
        self.token = ""

    def request(self, action: str, method: str, path: str, data: dict | None = None,
                htmx: bool = False) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if htmx:
            headers["HX-Request"] = "true"
            if self.token:
                headers["X-CSRFToken"] = self.token
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            self.stats.record(action, (time.perf_counter() - started) * 1000, 0)
            self.stats.error(f"{action} {path}: {type(exc).__name__} {exc}")
            return 0, ""
        ms = (time.perf_counter() - started) * 1000
        for cookie in resp.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            if value and "Max-Age=0" not in cookie and "1970" not in cookie:
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        self.stats.record(action, ms, resp.status)
        html = payload.decode("utf-8", "replace")
        if resp.status >= 500:
            self.stats.error(f"{action} {path}: HTTP {resp.status}")
        if match := TOKEN_RE.search(html):
            self.token = match.group(1) or match.group(2)
        return resp.status, html

    def expect(self, action: str, method: str, path: str, ok: tuple[int, ...] = (200,),
               **kw) -> tuple[int, str]:
        status, html = self.request(action, method, path, **kw)
        if status and status < 500 and status not in ok:
            self.stats.error(f"{action} {path}: unexpected HTTP {status}")
        return status, html

    def login(self, coop: str, username: str, password: str) -> bool:
        self.expect("login page", "GET", "/login")
        status, _ = self.expect("login", "POST", "/login", ok=(302,), data={
            "coop": coop, "username": username, "password": password, "csrf_token": self.token})
        if status == 302:
            self.expect("after login", "GET", "/me/" if username.startswith("m") else "/",
                        ok=(200, 302))
        return status == 302


SEARCHES = ("王", "李", "张建", "wj", "ls", "zh", "M00", "M012", "13000", "1300012", "2345",
            "刘", "陈明", "yx")
SERVICES = ("ploughing", "sowing", "spraying", "harvesting", "deep_loosening")


def secretary(n: int, port: int, world: World, stats: Stats, deadline: float,
              shared_pool: list[int], seed: int) -> None:
    r = random.Random(f"{stats.run_tag}-{seed}")
    c = Client(port, stats)
    if not c.login(world.coop_code, world.admin, world.password):
        stats.error(f"secretary {n}: login failed")
        return
    first, last = world.member_ids
    made = 0
    today = date.today().isoformat()
    actions = (["search"] * 30 + ["roster"] * 4 + ["detail"] * 15 + ["create"] * 12
               + ["edit"] * 10 + ["order"] * 15 + ["orders"] * 10 + ["structure"] * 4)
    while time.monotonic() < deadline:
        action = r.choice(actions)
        if action == "search":
            c.expect("search", "GET", "/members/?" + urlencode({"q": r.choice(SEARCHES)}),
                     htmx=True)
        elif action == "roster":
            c.expect("roster page", "GET", "/members/")
        elif action == "detail":
            c.expect("member page", "GET", f"/members/{r.randint(first, last)}")
        elif action == "create":
            made += 1
            member_no = f"LT{stats.run_tag}{n:02d}{made:04d}".upper()
            name = "压测" + "甲乙丙丁戊己庚辛"[n % 8] + "一二三四五六七八九十"[made % 10]
            status, html = c.expect("add member", "POST", "/members/", ok=(302,), data={
                "csrf_token": c.token, "member_no": member_no, "name": name, "kind": "villager",
                "household_no": member_no, "village_group": "压测组",
                "id_number": stats.fresh_id(),
                "phone": f"15{n:02d}{made:07d}", "joined_on": "2025-03-01"})
            if status == 302:
                with stats.lock:
                    stats.members_created[member_no] = name
        elif action == "edit":
            member_id = r.choice(shared_pool)
            status, html = c.expect("edit form", "GET", f"/members/{member_id}/edit")
            if status != 200:
                continue
            values = form_fields(html, f"/members/{member_id}")
            if "version" not in values:
                stats.error(f"edit form of {member_id}: no version field")
                continue
            time.sleep(r.random() * 0.3)  # the secretary types
            phone = f"18{n:02d}{r.randrange(10**7):07d}"
            values.update(phone=phone, csrf_token=c.token)
            status, html = c.expect("save member", "POST", f"/members/{member_id}",
                                    ok=(302, 409), data=values)
            if status == 302:
                with stats.lock:
                    stats.phones.setdefault(member_id, []).append((time.monotonic(), phone))
            elif status == 409:
                with stats.lock:
                    stats.stale_refusals += 1
                if "已被他人修改" not in html:
                    stats.error(f"409 on member {member_id} without the 'changed by' message")
        elif action == "order":
            made += 1
            tag = f"LT-{stats.run_tag}-{n}-{made}"
            status, html = c.expect("add order", "POST", "/machinery/orders", ok=(302,), data={
                "csrf_token": c.token, "service_on": today,
                "client_ref": f"m:{r.randint(first, last)}", "client_text": "",
                "service": r.choice(SERVICES), "plot": "压测地块",
                "area_cmu": f"{r.randint(1, 80)}.{r.randint(0, 99):02d}", "unit_price_fen": "",
                "machine_id": "", "operator": "压测机手", "fuel_cl": "", "note": tag})
            if status == 302:
                with stats.lock:
                    stats.orders_created[tag] = ""
        elif action == "orders":
            c.expect("order list", "GET", "/machinery/orders")
        elif action == "structure":
            c.expect("share structure", "GET", "/shares/")


def member(n: int, port: int, world: World, stats: Stats, deadline: float, seed: int) -> None:
    r = random.Random(seed)
    c = Client(port, stats)
    username = world.member_logins[n % len(world.member_logins)]
    if not c.login(world.coop_code, username, world.password):
        stats.error(f"member {n}: login failed")
        return
    pages = (("member home", "/me/"), ("own holdings", "/me/holdings"),
             ("own dividends", "/me/dividends"), ("own statements", "/me/statements"),
             ("stylesheet", "/static/css/app.css"))
    while time.monotonic() < deadline:
        action, path = pages[min(int(r.random() * 6), 4)]  # home twice as often
        if r.random() < 0.3:
            action, path = "member home", "/me/"
        c.expect(action, "GET", path)
        time.sleep(r.random() * 0.5)  # an older person reads the page


def _log_file(port: int) -> Path:
    """gunicorn's log, one a port (two runs side by side keep their own)."""
    return Path("/tmp/coop-bench") / f"gunicorn-{port}.log"


def _wait_up(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {_log_file(port)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return 0.0
    total = 0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def _wait_settled(pid: int, workers: int, seconds: float = 60) -> None:
    """Until every worker has started (each imports and builds the app,
    1-2 s of CPU) and the server is idle, so the run's CPU is the requests'."""
    end = time.monotonic() + seconds
    before = _cpu_seconds(pid)
    while time.monotonic() < end:
        time.sleep(0.5)
        now = _cpu_seconds(pid)
        try:
            children = len(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
        except OSError:
            children = 0
        if children >= workers and now - before < 0.05:
            return
        before = now


def run(url: str, world: World, duration: float = 30, secretaries: int = 4, members: int = 12,
        workers: int = 4, port: int = 5108) -> list[Row]:
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    log = _log_file(port)
    log.parent.mkdir(parents=True, exist_ok=True)
    # the production settings (coop.gunicorn_conf), but no worker replaced
    # inside the run: an exited worker's CPU time could not be read
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET,
           "COOP_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [gunicorn, "-c", "python:coop.gunicorn_conf", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--max-requests", "0", "--log-level", "warning",
             "coop:create_app()"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    stats = Stats()
    try:
        _wait_up(port, proc)
        _wait_settled(proc.pid, workers)
        app = make_app(url)
        with app.app_context():
            from coop.extensions import db

            versions = dict(db.session.execute(text(
                "SELECT id, version FROM members WHERE cooperative_id = :c AND kind = 'villager' "
                "AND status = 'active' ORDER BY id LIMIT 8"), {"c": world.coop_id}).all())
            pool = list(versions)
            stats.versions_before = versions
            stats.taken_ids = set(db.session.scalars(text(
                "SELECT id_number FROM members WHERE id_number LIKE :series"),
                {"series": f"150{LOAD_TEST_BORN_FROM % 1000:03d}%"}))
            stats.next_id = int(stats.run_tag, 16) * 1_000 % 17_000_000
            db.session.remove()
        load_before = os.getloadavg()[0]
        log_start = log.stat().st_size
        server_cpu, client_cpu = _cpu_seconds(proc.pid), time.process_time()
        deadline = time.monotonic() + duration
        threads = [threading.Thread(target=secretary, args=(i, port, world, stats, deadline,
                                                            pool, 100 + i))
                   for i in range(secretaries)]
        threads += [threading.Thread(target=member, args=(i, port, world, stats, deadline,
                                                          200 + i))
                    for i in range(members)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        server_cpu = _cpu_seconds(proc.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    lost = _check_writes(app, world, stats)
    every = [ms for values in stats.latencies.values() for ms in values]
    total = len(every)
    writes = (len(stats.members_created) + len(stats.orders_created)
              + sum(len(v) for v in stats.phones.values()))
    errors = len(stats.errors)
    rows = [
        Row("5", f"load test: {secretaries} secretaries + {members} members, {workers} gunicorn "
                 f"workers, {elapsed:.0f} s: throughput", f"{total / elapsed:,.1f} req/s",
            note=f"{total:,} requests; load average {load_before:.1f} before, "
                 f"{os.getloadavg()[0]:.1f} after"),
        Row("5", "load test: CPU a request, server (gunicorn workers) / client (the virtual users)",
            f"{server_cpu * 1000 / max(1, total):.1f} ms / {client_cpu * 1000 / max(1, total):.1f} ms",
            note=f"{server_cpu:.1f} s / {client_cpu:.1f} s CPU in {elapsed:.0f} s on "
                 f"{os.cpu_count()} cores"),
        Row("5", "load test: p95 latency (all requests)", f"{percentile(every, 95):,.0f} ms",
            note=f"median {percentile(every, 50):,.0f} ms"),
        Row("5", "load test: errors (5xx, refused, unexpected status)", str(errors),
            target="0", ok=errors == 0,
            note="; ".join(sorted(set(stats.errors)))[:300] if errors else ""),
        Row("5", f"load test: acknowledged writes missing from the database "
                 f"({writes} writes; {stats.stale_refusals} concurrent edits refused with 409)",
            str(len(lost)), target="0", ok=not lost,
            note="; ".join(lost)[:300]),
    ]
    for action, values in sorted(stats.latencies.items(), key=lambda kv: -percentile(kv[1], 95)):
        rows.append(Row("5", f"  {action}", f"p95 {percentile(values, 95):,.0f} ms",
                        note=f"{len(values)} requests, median {percentile(values, 50):,.0f} ms"))
    return rows + cpu_by_route(log, log_start, server_cpu)


def cpu_by_route(log: Path, start: int, server_cpu: float, shown: int = 10) -> list[Row]:
    """The CPU time each route took in the workers, from the app's request log
    (its ``cpu=`` figures), the costliest first; and how much of the workers'
    CPU time falls outside the app's request hooks (gunicorn, the session
    cookie, the request's teardown)."""
    with log.open("rb") as f:
        f.seek(start)
        text = f.read().decode("utf-8", "replace")
    routes: dict[str, list[float]] = {}
    for method, path, status, cpu in LOG_LINE_RE.findall(text):
        route = f"{method} {re.sub(r'/[0-9]+', '/<id>', path)} {status}"
        routes.setdefault(route, []).append(float(cpu))
    logged = sum(sum(v) for v in routes.values())
    count = sum(len(v) for v in routes.values())
    if not count:
        return []
    rows = [Row("5", "load test: CPU a request inside the app's request hooks (request log)",
                f"{logged / count:.1f} ms",
                note=f"{count:,} requests; the rest of the workers' "
                     f"{server_cpu * 1000 / count:.1f} ms is gunicorn, the session and teardown")]
    for route, values in sorted(routes.items(), key=lambda kv: -sum(kv[1]))[:shown]:
        rows.append(Row("5", f"  CPU {route}", f"{sum(values) / len(values):.1f} ms",
                        note=f"{len(values)} requests, {sum(values) / logged:.0%} of the app's CPU"))
    return rows


def _check_writes(app, world: World, stats: Stats) -> list[str]:
    """Every acknowledged member, order and phone edit must be in the database."""
    from coop.extensions import db

    lost: list[str] = []
    with app.app_context():
        names = dict(db.session.execute(text(
            "SELECT member_no, name FROM members WHERE cooperative_id = :c AND member_no LIKE 'LT%'"),
            {"c": world.coop_id}).all())
        for member_no, name in stats.members_created.items():
            if names.get(member_no) != name:
                lost.append(f"member {member_no}")
        notes = {n for (n,) in db.session.execute(text(
            "SELECT note FROM service_orders WHERE cooperative_id = :c AND note LIKE 'LT-%'"),
            {"c": world.coop_id})}
        lost += [f"order {tag}" for tag in stats.orders_created if tag not in notes]
        for member_id, saves in stats.phones.items():
            phone, version = db.session.execute(text(
                "SELECT phone, version FROM members WHERE id = :i"), {"i": member_id}).one()
            # each acknowledged save was made on the version before it: the
            # version counts them all, and the phone is one of them
            before = stats.versions_before.get(member_id, 1)
            if version != before + len(saves) or phone not in {p for _, p in saves}:
                lost.append(f"edit of member {member_id} (version {version}, "
                            f"{len(saves)} saves acknowledged)")
        db.session.remove()
    return lost
