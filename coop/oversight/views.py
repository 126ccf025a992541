"""The overseer's pages: the area's overview with its warnings, the county
figures, the statistics download, and the choice of a cooperative to read
(its pages then open read-only)."""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, send_file, url_for
from flask_login import current_user

from coop import clock
from coop.auth.api import OVERSEER, oversee, roles_required
from coop.cooperatives.api import Area
from coop.extensions import db
from coop.oversight import rules
from coop.oversight.charts import bar_chart
from coop.oversight.county import county_figures
from coop.oversight.exports import statistics_workbook
from coop.oversight.overview import COLUMNS, SORT_KEYS, area_cooperatives, as_of, overview_of, sort_rows
from coop.oversight.warnings import KINDS, Thresholds, area_warnings
from coop.web import render
from coop.workbooks import XLSX_MIMETYPE

bp = Blueprint("oversight", __name__, url_prefix="/oversight")


def _area() -> Area:
    return db.session.get(Area, current_user.area_id)


def _thresholds() -> Thresholds:
    config = current_app.config
    return Thresholds(
        old_receivables_fen=config.get("OVERSIGHT_OLD_RECEIVABLES_FEN", rules.OLD_RECEIVABLES_FEN),
        large_cash_fen=config.get("OVERSIGHT_LARGE_CASH_FEN", rules.LARGE_CASH_FEN))


def _year() -> int:
    value = request.args.get("year", "")
    today = clock.today()
    if value.isascii() and value.isdigit() and 2000 <= int(value) <= today.year:
        return int(value)
    return today.year


def _sorting() -> tuple[str, bool]:
    key = request.args.get("sort", "code")
    return (key if key in SORT_KEYS else "code"), request.args.get("dir") == "desc"


def _sort_url(year: int, key: str, descending: bool):
    def url(column: str) -> str:
        flip = "asc" if column == key and descending else ("desc" if column == key else "asc")
        return url_for("oversight.index", year=year, sort=column, dir=flip)
    return url


def cause_url(coop_code: str, endpoint: str, **values) -> str:
    """The drill-down link to a page of a cooperative: choose it, then open the page."""
    return url_for("oversight.choose", code=coop_code, next=url_for(endpoint, **values))


@bp.get("/")
@roles_required(*OVERSEER)
def index():
    area, year, today = _area(), _year(), clock.today()
    coops = area_cooperatives(area.id)
    overview = overview_of(coops, year, as_of(year, today))
    key, descending = _sorting()
    context = dict(area=area, overview=overview, rows=sort_rows(overview.rows, key, descending),
                   sort=key, descending=descending, sort_url=_sort_url(year, key, descending),
                   columns=COLUMNS, cause_url=cause_url)
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "overview-table":
        return render("oversight/index.html", block="table", **context)
    return render("oversight/index.html", **context)


@bp.get("/warnings")
@roles_required(*OVERSEER)
def warnings():
    """The area's warnings: a page, or its list alone for the overview, which
    asks for it once the table is shown (checking every cooperative's
    disclosures takes longer than the figures)."""
    area, today = _area(), clock.today()
    found = area_warnings(area_cooperatives(area.id), today, _thresholds())
    block = "warnings" if request.headers.get("HX-Request") else None
    return render("oversight/warnings.html", block=block, area=area, warnings=found, kinds=KINDS,
                  cause_url=cause_url, today=today)


@bp.get("/county")
@roles_required(*OVERSEER)
def county():
    area, year = _area(), _year()
    overview = overview_of(area_cooperatives(area.id), year, as_of(year, clock.today()))
    figures = county_figures(overview)
    return render("oversight/county.html", area=area, county=figures,
                  paid_chart=bar_chart([(t.name, t.paid_fen) for t in figures.townships]),
                  households_chart=bar_chart([(t.name, t.households) for t in figures.townships]))


@bp.get("/export.xlsx")
@roles_required(*OVERSEER)
def export():
    area, year = _area(), _year()
    overview = overview_of(area_cooperatives(area.id), year, as_of(year, clock.today()))
    return send_file(statistics_workbook(area, overview), as_attachment=True,
                     download_name=f"{area.code}-{year}-statistics.xlsx", mimetype=XLSX_MIMETYPE)


@bp.get("/coops/<code>")
@roles_required(*OVERSEER)
def choose(code: str):
    """Read cooperative ``code`` of the area (404 outside it), then the page
    ``next`` names (a path of this site), else its home page."""
    oversee(code)
    target = request.args.get("next", "")
    if not (target.startswith("/") and not target.startswith("//") and "\\" not in target):
        target = url_for("cooperatives.dashboard")
    return redirect(target)
