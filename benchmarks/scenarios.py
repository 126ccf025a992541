"""Scenarios 1-4 of issue 8; each returns result rows with its floor.

Server time is measured in-process through Flask's test client (the whole
request: routing, session, login, queries, template, security headers), so
the network is not part of it. The load test (scenario 5) is in loadtest.py.
"""
from __future__ import annotations

import os
import re
import time
from datetime import date
from typing import Callable

from flask import Flask
from sqlalchemy import text

from benchmarks.common import Row, login, make_app, median, ms, percentile, timed
from benchmarks.generate import World

# A secretary's searches: empty roster, common surnames, pinyin initials,
# member number, phone and ID-tail prefixes, filters, sorting, deep pages.
ROSTER_QUERIES = (
    ("first page", "/members/", False),
    ("surname 王", "/members/?q=王", True),
    ("name 李建", "/members/?q=李建", True),
    ("initials wj", "/members/?q=wj", True),
    ("initials zsh", "/members/?q=zsh", True),
    ("member no M0123", "/members/?q=M0123", True),
    ("phone 1300001", "/members/?q=1300001", True),
    ("ID tail 2345", "/members/?q=2345", True),
    ("no match", "/members/?q=qqqq", True),
    ("cadres", "/members/?kind=cadre", True),
    ("withdrawn", "/members/?status=withdrawn", True),
    ("group 第3组", "/members/?village_group=第3组", True),
    ("sort by name p.100", "/members/?sort=name&page=100", True),
    ("sort by joined desc", "/members/?sort=joined_on&direction=desc", True),
    ("last page", "/members/?page=2000", True),
)


def _floor_apps(bodies: dict[str, bytes], url: str, world: World):
    """Two floors returning the same bytes: a bare Flask app, and a bare route
    inside the coop app (same session, login, CSRF and security headers, but
    no query and no template)."""
    from coop.auth.access import ALL_STAFF, roles_required

    bare = Flask("floor")

    @bare.get("/floor/<int:i>")
    def bare_route(i: int):
        return bodies_list[i]

    bodies_list = list(bodies.values())
    app = make_app(url)

    @app.get("/floor/<int:i>", endpoint="bench_floor")
    @roles_required(*ALL_STAFF)
    def app_route(i: int):
        return bodies_list[i]

    return bare, app


def roster_search(url: str, world: World, rounds: int = 20) -> list[Row]:
    app = make_app(url)
    client = app.test_client()
    login(client, world.coop_code, world.admin, world.password)
    bodies: dict[str, bytes] = {}
    headers_for = {}
    for label, path, htmx in ROSTER_QUERIES:
        headers = {"HX-Request": "true"} if htmx else {}
        resp = client.get(path, headers=headers)
        assert resp.status_code == 200, (path, resp.status_code)
        bodies[label] = resp.data
        headers_for[label] = headers
    floor_once = _raw_floor(app, client, world, headers_for, bodies)
    # each search and its floor one after the other: a noisy machine slows both alike
    times: dict[str, list[float]] = {label: [] for label, _, _ in ROSTER_QUERIES}
    raw_times: list[float] = []
    for _ in range(rounds):
        for label, path, _ in ROSTER_QUERIES:
            times[label] += timed(lambda: client.get(path, headers=headers_for[label]), 1)
            raw_times.append(floor_once(label, path))
    every = [t for v in times.values() for t in v]
    load = os.getloadavg()[0]
    with app.app_context():
        from coop.extensions import db

        members = db.session.scalar(text(
            "SELECT count(*) FROM members WHERE cooperative_id = :c"), {"c": world.coop_id})

    bare, floor_app = _floor_apps(bodies, url, world)
    bare_client = bare.test_client()
    floor_client = floor_app.test_client()
    login(floor_client, world.coop_code, world.admin, world.password)
    floor_times, bare_times = [], []
    for _ in range(rounds):
        for i, label in enumerate(bodies):
            floor_times += timed(lambda: floor_client.get(f"/floor/{i}",
                                                          headers=headers_for[label]), 1)
            bare_times += timed(lambda: bare_client.get(f"/floor/{i}"), 1)
    p95, med = percentile(every, 95), median(every)
    r95, rmed = percentile(raw_times, 95), median(raw_times)
    f95, fmed = percentile(floor_times, 95), median(floor_times)
    b95 = percentile(bare_times, 95)
    rows = [
        Row("2", f"roster search in a cooperative of {members:,} members, "
                 f"{len(every)} requests over {len(ROSTER_QUERIES)} searches: median",
            ms(med), ms(rmed), med / rmed, "<= 1.5x", med / rmed <= 1.5,
            note=f"floor: the route's SQL run raw + the same template from those rows; "
                 f"load average {load:.1f}"),
        Row("2", "roster search: p95", ms(p95), ms(r95), p95 / r95, "<= 20 ms", p95 <= 20),
        Row("2", "roster search against a bare route in the app (same bytes, session, "
                 "login and headers): p95", ms(p95), ms(f95), p95 / f95, "", None),
        Row("2", "the same: median", ms(med), ms(fmed), med / fmed, "", None),
        Row("2", "roster search p95 against a bare Flask app (no session, no login)",
            ms(p95), ms(b95), p95 / b95, "", None),
    ]
    slowest = sorted(times.items(), key=lambda kv: -percentile(kv[1], 95))[:3]
    for label, values in slowest:
        rows.append(Row("2", f"  slowest search: {label}", f"p95 {ms(percentile(values, 95))}",
                        note=f"{len(bodies[label]):,} bytes"))
    return rows


class _RawMember:
    """A member row as the raw cursor returned it, with what the roster's
    template reads of a Member (its labels, the date as a date)."""

    def __init__(self, names: list[str], row: tuple) -> None:
        from coop.members.constants import MemberKind, MemberStatus

        self.__dict__.update(zip(names, row))
        if isinstance(self.joined_on, str):
            self.joined_on = date.fromisoformat(self.joined_on)
        self.kind_label = MemberKind(self.kind).label
        self.status_label = MemberStatus(self.status).label


def _without_tokens(body: bytes) -> bytes:
    """The page without its CSRF tokens (each session has its own)."""
    return re.sub(rb'(csrf_token" (?:type="hidden" )?value=|"X-CSRFToken": |csrf-token" content=)"[^"]+"',
                  rb"\1", body)


def _raw_floor(app, client, world: World, headers_for: dict[str, dict], bodies: dict[str, bytes]
               ) -> Callable[[str, str], float]:
    """The floor of each search, as a function timing it once (ms): the SQL
    statements the route ran (caught on the engine) executed raw on a pooled
    DB-API connection, and the route's template rendered from those rows
    (``members.views.roster_answer``, the same blocks and context), inside a
    request context of the same URL with the same user signed in. Routing,
    the session cookie, loading the user through the ORM, the ORM's
    statements and objects and the request's hooks are what the route adds
    to it."""
    from sqlalchemy import event, select

    from coop.auth.models import User
    from coop.extensions import db
    from coop.members import counts as member_counts
    from coop.members import roster, services, views

    with app.app_context():
        engine = db.engine
        user = db.session.scalar(select(User).where(User.cooperative_id == world.coop_id,
                                                    User.username == world.admin))
        specialized = services.is_specialized(user.cooperative)
        db.session.expunge_all()
    statements: dict[str, list] = {}
    caught: list = []

    def catch(_conn, _cursor, statement, parameters, _context, _many):
        caught.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", catch)
    try:
        for label, path, _ in ROSTER_QUERIES:
            caught.clear()
            client.get(path, headers=headers_for[label])
            statements[label] = list(caught)
    finally:
        event.remove(engine, "before_cursor_execute", catch)

    def answer(label: str) -> bytes:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            results = []
            for statement, parameters in statements[label]:
                cursor.execute(statement, parameters)
                results.append((statement, parameters, [d[0] for d in cursor.description],
                                cursor.fetchall()))
            cursor.close()
        finally:
            connection.close()
        form = views.RosterFilterForm(request.args)
        filters = views._filters_from(form)
        total, items, groups, counts, kept = None, [], None, None, None
        shown_status = filters.normalised().status
        for statement, parameters, names, rows in results:
            lowered = " ".join(statement.lower().split())
            if "id_number" in names:
                items = [_RawMember(names, row) for row in rows]
            elif "from cooperative_marks" in lowered:
                # the route's counts, kept by the process for this mark
                # (coop.members.counts): what the route read with it
                kept = member_counts.kept(world.coop_id, rows[0][0]) if rows else None
                if kept is not None:
                    counts = kept.roster()
            elif lowered.startswith("with recursive"):
                groups = roster.sorted_groups(v for (v,) in rows)
            elif "count(" in lowered and "from users" not in lowered and not items:
                total = rows[0][0]
            elif "count(distinct" in lowered:
                counts = _raw_counts(counts, "households", rows[0][0])
            elif "count(" in lowered:
                values = parameters.values() if isinstance(parameters, dict) else parameters
                status = next((p for p in values if p in _STATUSES), "total")
                counts = _raw_counts(counts, status, rows[0][0])
        if total is None:  # an unfiltered page's total is a kept count too (roster._total)
            total = (kept.by_status.get(shown_status, 0) if shown_status else kept.total) if kept else 0
        pages = max(1, -(-total // roster.PAGE_SIZE))
        number = min(page_number(), pages)
        if (number - 1) * roster.PAGE_SIZE > total // 2:
            items = items[::-1]  # read from the end in reverse, as the route does
        page = Page(items, number, roster.PAGE_SIZE, total)
        if counts is not None and "active" not in counts:
            counts = _finished_counts(counts)
        return views.roster_answer(form, filters, page, groups=groups, counts=counts,
                                   specialized=specialized).get_data()

    from flask import g, request

    from coop.paging import Page
    from coop.web import page_number

    for label, path, _ in ROSTER_QUERIES:  # the floor answers the same page
        with app.test_request_context(path, headers=headers_for[label]):
            g._login_user = user
            same = _without_tokens(answer(label)) == _without_tokens(bodies[label])
            db.session.remove()
        if not same:
            raise AssertionError(f"the floor of {label!r} is not the route's page")

    def floor_once(label: str, path: str) -> float:
        with app.test_request_context(path, headers=headers_for[label]):
            g._login_user = user
            (took,) = timed(lambda: answer(label), 1)
            db.session.remove()
        return took

    return floor_once


def _statuses() -> frozenset[str]:
    from coop.members.constants import MemberStatus

    return frozenset(s.value for s in MemberStatus)


_STATUSES = _statuses()


def _raw_counts(counts: dict | None, key: str, value: int) -> dict:
    counts = dict(counts or {})
    counts[key] = value
    return counts


def _finished_counts(raw: dict) -> dict:
    """The roster's counts as roster.roster_counts hands them to the page."""
    total = raw.pop("total", 0)
    households = raw.pop("households", 0)
    counts = {status: n for status, n in raw.items()}
    counts["active"] = total - sum(counts.values())
    counts = {status: n for status, n in counts.items() if n}
    counts["total"] = total
    counts["households"] = households
    return counts


def holdings(url: str, world: World, on: date = date(2025, 6, 30), repeat: int = 3) -> list[Row]:
    """Holdings of every member on a date: the service, the page, the CSV,
    each against one raw GROUP BY over the same entries."""
    from coop.extensions import db
    from coop.shares import register

    app = make_app(url)
    rows: list[Row] = []
    with app.app_context():
        entries = db.session.scalar(text(
            "SELECT count(*) FROM share_entries WHERE cooperative_id = :c"), {"c": world.coop_id})
        raw = ("SELECT member_id, share_class, SUM(shares) FROM share_entries "
               "WHERE cooperative_id = :c AND effective_on <= :d GROUP BY member_id, share_class")

        def floor():
            with db.engine.connect() as conn:
                return conn.execute(text(raw), {"c": world.coop_id, "d": on}).all()

        floor()  # warm the cache for both
        floor_ms = median(timed(floor, repeat))
        result = []

        def service():
            result[:] = register.holdings_as_of(world.coop_id, on)
            db.session.remove()

        service_ms = median(timed(service, repeat))
        rows.append(Row("3", f"holdings_as_of on {on}: {len(result):,} holdings from "
                             f"{entries:,} register entries", ms(service_ms), ms(floor_ms),
                        service_ms / floor_ms, "<= 3x", service_ms / floor_ms <= 3,
                        note="floor: one raw GROUP BY"))
    client = app.test_client()
    login(client, world.coop_code, world.admin, world.password)
    for label, path in (("holdings page (first 50 rows and the count)",
                         f"/shares/holdings?on={on.isoformat()}"),
                        ("holdings CSV of every holder", f"/shares/holdings.csv?on={on.isoformat()}")):
        resp = client.get(path)
        assert resp.status_code == 200, (path, resp.status_code)
        page_ms = median(timed(lambda: client.get(path), repeat))
        rows.append(Row("3", label, ms(page_ms), ms(floor_ms), page_ms / floor_ms, "<= 3x",
                        page_ms / floor_ms <= 3, note=f"{len(resp.data):,} bytes"))
    return rows + workbook_downloads(client, on)


def workbook_downloads(client, on: date) -> list[Row]:
    """The largest .xlsx files a person downloads, each drawn once in its
    request: it must finish inside the worker's 120 s timeout."""
    rows = []
    for label, path in (("holdings .xlsx of every holder", f"/shares/holdings.xlsx?on={on.isoformat()}"),
                        ("member roster .xlsx (成员花名册) of every member", "/members/roster.xlsx")):
        started = time.perf_counter()
        resp = client.get(path)
        took = time.perf_counter() - started
        assert resp.status_code == 200, (path, resp.status_code)
        rows.append(Row("3", label, f"{took:.1f} s", target="< 120 s", ok=took < 120,
                        note=f"{len(resp.data) / 1e6:.1f} MB, one request"))
    return rows


def not_available(scenario: str, what: str, reason: str) -> list[Row]:
    return [Row(scenario, what, "not yet available", note=reason)]


def dividend_plan(url: str, world: World, year: int = 2025) -> list[Row]:
    """Scenario 1: the draft plan of ``year`` for every holder, computed and
    saved (compute_plan + commit), against the raw SQL aggregate of the
    weights plus as many lines written into the lines' table the way the app
    writes them (its indexes and foreign keys are part of the cost)."""
    from coop.bulk import insert_rows
    from coop.cooperatives.services import get_by_code
    from coop.dividends import compute
    from coop.dividends.models import DividendLine
    from coop.extensions import db

    app = make_app(url)
    rows: list[Row] = []
    record_date = date(year, 12, 31)
    with app.app_context():
        raw = ("SELECT member_id, share_class, SUM(shares) FROM share_entries "
               "WHERE cooperative_id = :c AND effective_on <= :d "
               "GROUP BY member_id, share_class HAVING SUM(shares) <> 0")
        for basis, label in (("record_date", "shares on the record date"),
                             ("share_days", "share-days")):
            coop = get_by_code(world.coop_code)
            started = time.perf_counter()
            plan = compute.compute_plan(coop, year, basis=basis, record_date=record_date)
            db.session.commit()
            plan_ms = (time.perf_counter() - started) * 1000
            lines = db.session.scalar(select_count(DividendLine, plan.id))
            db.session.remove()

            def floor(plan_id: int = plan.id) -> None:
                # the lines' columns written the way the app writes them (COPY on
                # PostgreSQL) into the same table, its indexes and foreign keys,
                # under member numbers of their own; rolled back
                with db.engine.connect() as conn:
                    weights = conn.execute(text(raw), {"c": world.coop_id, "d": record_date}).all()
                    insert_rows(conn, DividendLine.__tablename__, compute.LINE_COLUMNS,
                                [(plan_id, member_id, f"~{n}", "基准", "villager", share_class,
                                  shares, shares, 0, 0, 0, 0, shares, shares)
                                 for n, (member_id, share_class, shares) in enumerate(
                                     (weights * (lines // max(1, len(weights)) + 1))[:lines])])
                    conn.rollback()

            floor_ms = median(timed(floor, 2))
            rows.append(Row("1", f"dividend plan {year} by {label}: {lines:,} lines computed and "
                                 f"saved", ms(plan_ms), ms(floor_ms), plan_ms / floor_ms,
                            "< 2 s, <= 3x", plan_ms < 2000 and plan_ms / floor_ms <= 3,
                            note="floor: raw GROUP BY of the weights + as many lines written as the app writes them, into the same table (rolled back)"))
            world.rows["plan_id_" + basis] = plan.id
    return rows


def select_count(model, plan_id: int):
    from sqlalchemy import func, select

    return select(func.count()).select_from(model).where(model.plan_id == plan_id)


def statements(url: str, world: World, html_count: int = 10_000, pdf_count: int = 1_000,
               year: int = 2025) -> list[Row]:
    """Scenario 4: annual statements of the plan of scenario 1, as HTML and PDF."""
    import io

    from pypdf import PdfReader

    from coop.cooperatives.services import get_by_code
    from coop.dividends.models import DividendLine, DividendPlan
    from coop.extensions import db
    from coop.statements import pdf, services

    app = make_app(url)
    rows: list[Row] = []
    with app.app_context():
        from sqlalchemy import select

        plan_id = world.rows.get("plan_id_record_date") or db.session.scalar(
            select(DividendPlan.id).where(DividendPlan.cooperative_id == world.coop_id,
                                          DividendPlan.year == year,
                                          DividendPlan.weight_basis == "record_date")
            .order_by(DividendPlan.id.desc()))
        plan = db.session.get(DividendPlan, plan_id) if plan_id else None
        if plan is None:
            return not_available("4", "statements", "no plan: run scenario 1 first")
        coop = get_by_code(world.coop_code)
        member_ids = list(db.session.scalars(
            select_members(DividendLine, plan.id, html_count)))
        started = time.perf_counter()
        built = services.build_statements(coop, plan, member_ids)
        build_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        html = pdf.statements_html(built, "bench")
        html_ms = (time.perf_counter() - started) * 1000
        rows.append(Row("4", f"{len(built):,} statements as HTML (built from the database, "
                             f"then rendered)", ms(build_ms + html_ms),
                        note=f"build {ms(build_ms)}, render {ms(html_ms)}, "
                             f"{len(html) / 1e6:,.1f} MB; "
                             f"{(build_ms + html_ms) / max(1, len(built)):.2f} ms each"))
        some = built[:pdf_count]
        if not some:
            return rows
        try:
            cpu = time.process_time()
            floor_ms, pages = plain_pages_pdf(pdf.statements_html(some, "bench"))
            floor_cpu = time.process_time() - cpu
            per_floor = floor_ms / max(1, pages)
            rows.append(Row("4", f"floor: the same text as {pages:,} plain A4 pages, one process "
                                 f"(WeasyPrint, same font)", ms(floor_ms),
                            note=f"{per_floor:.0f} ms a page; {floor_cpu:.1f} s CPU"))
            for processes, label in ((1, "one process"), (0, "both cores")):
                app.config["PDF_PROCESSES"] = processes
                started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
                data = pdf.render_pdf(some, "bench")
                pdf_ms = (time.perf_counter() - started) * 1000
                cpu = time.process_time() - cpu + _children_cpu() - children
                per_statement = pdf_ms / max(1, len(some))
                drawn_pages = len(PdfReader(io.BytesIO(data)).pages)
                per_page = pdf_ms / max(1, drawn_pages)
                cpu_note = (f"; {cpu:.1f} s CPU with the worker processes', "
                            f"{cpu * 1000 / max(1, len(some)):.0f} ms a statement, "
                            f"{cpu / floor_cpu:.1f}x the floor's; load {os.getloadavg()[0]:.1f}")
                rows.append(Row("4", f"{len(some):,} statements as one PDF (WeasyPrint), {label}",
                                ms(pdf_ms), f"{per_floor:.0f} ms a page", per_page / per_floor,
                                "<= 50 ms a page", per_page <= 50,
                                note=f"{len(data) / 1e6:,.1f} MB, {drawn_pages:,} pages, "
                                     f"{per_page:.0f} ms a page; "
                                     f"{per_statement:.0f} ms a statement{cpu_note}"))
            county_s = per_statement * 10_000 / 1000
            rows.append(Row("4", "10,000 statements with both cores (from the batch above)",
                            f"{county_s / 60:,.1f} min", "", None, "< 10 min", county_s < 600))
        except Exception as exc:  # no CJK font, WeasyPrint missing
            rows.append(Row("4", "statements as PDF", "not available", note=str(exc)[:150]))
    return rows


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plain_pages_pdf(html: str) -> tuple[float, int]:
    """The floor of scenario 4: each statement's text, no tags, as one plain A4
    page drawn by the same engine with the same font, in one process."""
    import re

    from coop import pdf as coop_pdf

    texts = [re.sub(r"<[^>]+>", " ", article)
             for article in re.findall(r"<article.*?</article>", html, re.S)]
    plain = "<html><body>" + "".join(
        f'<div style="break-after: page">{text}</div>' for text in texts) + "</body></html>"
    sheets = [coop_pdf.A4_PAGE + coop_pdf.font_css(coop_pdf.require_cjk_font())]
    started = time.perf_counter()
    coop_pdf.render_pdf([plain], stylesheets=sheets, base_url=".")
    return (time.perf_counter() - started) * 1000, len(texts)


def select_members(model, plan_id: int, limit: int):
    from sqlalchemy import select

    return (select(model.member_id).where(model.plan_id == plan_id)
            .order_by(model.member_no).limit(limit))


def wall(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out
