"""Request plumbing shared by every blueprint: rendering full pages or htmx
fragments, security headers, error pages, template filters."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Callable, TypeVar
from urllib.parse import quote

from flask import (Flask, Response, current_app, flash, has_request_context, make_response, redirect,
                   render_template, request, url_for)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from jinja2_fragments import render_block
from markupsafe import Markup, escape
from werkzeug.routing import BuildError, IntegerConverter

from coop import clock
from coop.database import MAX_ID, parse_id
from coop.errors import RecordNotFound, ServiceError, StaleRecordError
from coop.extensions import db, login_manager
from coop.forms import MissingVersion, error_summary
from coop.idcodes import mask_resident_id
from coop.money import format_mu, format_percent, format_yuan
from coop.tenancy import Owned, get_owned

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

# Endpoints a user who must change the password can still reach.
_PASSWORD_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "static"}


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` in every URL: ASCII digits that fit an id column (MAX_ID).
    A larger number (/me/statements/99999999999999999999) is a 404, not an
    OverflowError or 'integer out of range' in the database driver."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def is_htmx() -> bool:
    # a history restore (back button after hx-push-url) needs the whole page
    return (bool(getattr(request, "htmx", False)) and not request.htmx.boosted
            and not request.htmx.history_restore_request)


MAX_PAGE = 1_000_000  # past any real list; keeps the query's OFFSET in range


def page_number() -> int:
    """The ``page`` query argument: 1 when missing, not a number, or below 1; at most MAX_PAGE."""
    return min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)


def id_arg(name: str) -> int | None:
    """A row id in the query string (``?a=12``), None when it is not one."""
    return parse_id(request.args.get(name))


def render(template: str, block: str | None = None, *, oob: tuple[str, ...] = (),
           status: int = 200, flashes: bool = True, headers: dict[str, str] | None = None,
           **context: Any) -> Response:
    """The one renderer: the full page, or for htmx only ``block`` of it, with
    the blocks named in ``oob`` swapped out of band (rendered with ``oob=True``)
    and the flash messages out of band unless ``flashes`` is False (a preview
    that must leave the page's messages alone)."""
    if block and is_htmx():
        # the context processors run once for every block of the answer
        app = current_app._get_current_object()
        shared: dict[str, Any] = {}
        app.update_template_context(shared)
        env = app.jinja_env
        html = render_block(env, template, block, **{**shared, **context})
        for name in oob:
            html += render_block(env, template, name, **{**shared, **context, "oob": True})
        if flashes:
            html += env.get_template("_flashes.html").render({**shared, "oob": True})
    else:
        html = render_template(template, **context)
    resp = make_response(html, status)
    if headers:
        resp.headers.update(headers)
    return resp


# werkzeug's converters quote a path argument this way (BaseConverter.to_url)
_PATH_SAFE = "!$&'()*+,/:;=@"
_PLACEHOLDER = "\x00url-argument\x00"


def url_maker(endpoint: str, argument: str, **values: Any) -> Callable[[Any], str]:
    """``url_for(endpoint, argument=value, **values)`` for the many rows of
    one page, built once: a table of 50 members needs 150 links, and each
    ``url_for`` walks the URL map. The returned function puts a row's value in
    the URL as the route's converter would (an int as its digits, text
    quoted)."""
    try:
        url = url_for(endpoint, **{argument: _PLACEHOLDER}, **values)
        marker, as_text = quote(_PLACEHOLDER, safe=_PATH_SAFE), True
    except (BuildError, ValueError):  # an <int:...> argument
        url = url_for(endpoint, **{argument: MAX_ID}, **values)
        marker, as_text = str(MAX_ID), False
    prefix, found, suffix = url.partition(marker)
    if not found or "?" in prefix or marker in suffix:  # in the path, once
        raise ValueError(f"{endpoint}: {argument} is not one path argument")
    if as_text:
        return lambda value: f"{prefix}{quote(str(value), safe=_PATH_SAFE)}{suffix}"
    return lambda value: f"{prefix}{int(value)}{suffix}"


def template_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` in templates. A URL without arguments (the menu's and a
    page's own buttons: 15-30 a page) is built once for each script root and
    kept with the app, since nothing else goes into it (the app's only
    ``url_defaults`` fingerprints the static files, which have an argument);
    any other is Flask's ``url_for``."""
    if values or endpoint.startswith(".") or not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint)
    built = current_app.extensions["coop.urls"]
    url = built.get(key)
    if url is None:
        url = built[key] = url_for(endpoint)
    return url


T = TypeVar("T")
O = TypeVar("O", bound=Owned)


def acting_coop_id() -> int | None:
    """The cooperative the request acts for, as coop.auth decides it (an
    overseer's is the one they chose to read): registered by create_app
    through ``scope_requests``, since auth sits above this module."""
    return current_app.extensions["coop.acting_coop_id"]()


def scope_requests(app: Flask, coop_id: Callable[[], int | None]) -> None:
    app.extensions["coop.acting_coop_id"] = coop_id


def owned(model: type[O], record_id: Any) -> O:
    """A record of the cooperative the request acts for, or 404 (``coop.tenancy``)."""
    return get_owned(model, record_id, acting_coop_id())


def save(form: Any, action: Callable[[], T], *, again: Callable[..., Response],
         done: Callable[[T], Response], message: str | Callable[[T], str] | None = None,
         field: str | None = None, aliases: dict[str, str] | None = None,
         validate: bool = True, check_anyway: bool = False) -> Response:
    """The one way a view writes.

    ``form`` is validated (unless ``validate`` is False: the service checks
    everything); ``action`` runs the service, which only flushes; then the
    request commits once. ``again(status, stale="")`` renders the form's block
    again: 422 when the form or the service refused (the service's messages on
    the fields, ``aliases`` mapping its names to the form's, others on
    ``field`` or the form), 409 when someone saved the record meanwhile (the
    form takes the current version; ``stale`` says what changed). On success
    ``message`` is flashed and ``done(result)`` answers (usually
    ``redirect_to``, an HX-Redirect for htmx).

    ``check_anyway``: when the form refuses (a number or day it cannot
    read), the service still checks the rest, its writes rolled back, so
    every message comes in one round instead of the ranges and cross-field
    checks only after the typing is mended. Only for a service that writes
    nothing but rows (no file, no queued task) before it commits."""
    if validate and not form.validate():
        if check_anyway:
            _check_the_rest(form, action, field, aliases)
        return again(422)
    try:
        result = action()
    except StaleRecordError as exc:
        db.session.rollback()
        version = getattr(form, "version", None)
        if version is not None:
            version.data = exc.current_version
            version.raw_data = [str(exc.current_version)]
        return again(409, stale=exc.message)
    except ServiceError as exc:
        db.session.rollback()
        form.add_service_errors(exc, field, aliases)
        return again(422)
    db.session.commit()
    if message:
        flash(message(result) if callable(message) else message, "success")
    return done(result)


def _check_the_rest(form: Any, action: Callable[[], Any], field: str | None,
                    aliases: dict[str, str] | None) -> None:
    """The service's refusals of a form that already refused, added to the
    fields the form found nothing wrong with; whatever it wrote, undone."""
    try:
        action()
    except StaleRecordError:
        pass  # said again once the form is mended
    except ServiceError as exc:
        form.add_service_errors(exc, field, aliases, skip_refused=True)
    finally:
        db.session.rollback()


def redirect_to(endpoint: str, **values: Any) -> Response:
    """Redirect that also works for htmx requests (a full navigation)."""
    url = url_for(endpoint, **values)
    if is_htmx():
        resp = make_response("", 204)
        resp.headers["HX-Redirect"] = url
        return resp
    return redirect(url)


DOWNLOAD_TYPES = frozenset({
    "text/csv", "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})


def is_download(resp: Response) -> bool:
    """A file the app hands out (CSV, XLSX, PDF, any attachment)."""
    return (resp.mimetype in DOWNLOAD_TYPES
            or resp.headers.get("Content-Disposition", "").startswith("attachment"))


def register_web(app: Flask) -> None:
    # before any blueprint: a rule takes its converters when it is added
    app.url_map.converters["int"] = BoundedIntConverter
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.unauthorized_handler
    def unauthorized():
        flash("请先登录", "info")
        if is_htmx():
            resp = make_response("", 401)
            resp.headers["HX-Redirect"] = url_for("auth.login")
            return resp
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.before_request
    def force_password_change():
        # the endpoint first: a static file does not load the user
        if (
            request.endpoint not in _PASSWORD_CHANGE_ALLOWED
            and current_user.is_authenticated
            and current_user.must_change_password
        ):
            flash("首次登录或密码已重置，请先修改密码", "warning")
            return redirect_to("auth.change_password")
        return None

    @app.after_request
    def security_headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        resp.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            resp.headers.setdefault("Strict-Transport-Security",
                                    "max-age=31536000; includeSubDomains")
        if request.endpoint != "static":
            resp.vary.add("HX-Request")
            resp.headers.setdefault("Cache-Control", "no-store")
        if is_download(resp):
            # send_file says no-cache (kept, revalidated): a file of personal
            # data must not be kept by the browser or a proxy at all
            resp.headers["Cache-Control"] = "no-store"
        return resp

    def error_page(status: int, title: str, message: str) -> Response:
        if is_htmx():
            # htmx shows this text in the error banner (static/js/app.js)
            resp = make_response(message, status)
            resp.headers["Content-Type"] = "text/plain; charset=utf-8"
            return resp
        return make_response(render_template("errors.html", status=status, title=title,
                                             message=message), status)

    @app.errorhandler(400)
    def bad_request(_e):
        return error_page(400, "请求有误", "提交的内容无法处理，请返回重试。")

    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return error_page(400, "页面已过期", "页面已过期或来源不明，请刷新页面后重新提交。")

    @app.errorhandler(403)
    def forbidden(_e):
        return error_page(403, "没有权限", "您的账号没有权限查看或进行此操作。")

    @app.errorhandler(404)
    def not_found(_e):
        return error_page(404, "页面不存在", "您要找的页面或记录不存在。")

    @app.errorhandler(RecordNotFound)
    def record_not_found(_e):
        return error_page(404, "页面不存在", "您要找的页面或记录不存在。")

    @app.errorhandler(405)
    def method_not_allowed(_e):
        return error_page(405, "操作方式不正确", "不支持此操作方式，请从页面上的按钮进入。")

    @app.errorhandler(413)
    def too_large(_e):
        return error_page(413, "文件太大", "上传的文件太大（最大 16 MB）。")

    @app.errorhandler(StaleDataError)
    def stale_save(_e):
        # The form's version was current when checked, but another save was
        # committed before this one's UPDATE ... WHERE version = n ran: that
        # UPDATE matched nothing, so nothing was overwritten.
        db.session.rollback()
        return error_page(409, "保存未成功", "保存未成功：就在您保存的同时，此记录已被他人修改，"
                          "您的修改没有保存。请刷新页面，核对最新内容后再次提交。")

    @app.errorhandler(MissingVersion)
    def missing_version(exc: MissingVersion):
        db.session.rollback()
        return error_page(409, "保存未成功", exc.message)

    @app.errorhandler(500)
    def server_error(_e):
        db.session.rollback()
        return error_page(500, "系统出错", "系统出了点问题，操作没有完成。请稍后再试，或联系管理员。")

    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["mask_id"] = mask_resident_id
    app.jinja_env.filters["datefmt"] = _datefmt
    app.jinja_env.filters["datetimefmt"] = _datetimefmt
    # hundredths of a mu (areas) and of a litre (fuel, machinery's "area"), as '1,234.50'
    app.jinja_env.filters["mu"] = format_mu
    app.jinja_env.filters["area"] = format_mu
    app.jinja_env.filters["shares"] = _shares
    app.jinja_env.filters["whole_dates"] = whole_dates
    app.jinja_env.globals["error_summary"] = error_summary
    app.jinja_env.globals["url_maker"] = url_maker
    app.extensions["coop.urls"] = {}
    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.globals["answers_a_plain_post"] = answers_a_plain_post


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def whole_dates(text: str) -> Markup:
    """``text`` escaped, each YYYY-MM-DD in it moved to the next line whole
    rather than broken after its first hyphen (a phone did so in large
    type), unless the day is wider than the line (``.whole``)."""
    return Markup(_DAY.sub(lambda m: f'<span class="whole">{m.group(0)}</span>', str(escape(text))))


def answers_a_plain_post() -> bool:
    """Whether the page answers a form posted without htmx: a page drawn for
    a POST is a refusal (a saved form redirects), and its error summary takes
    the focus (``autofocus``: no JavaScript needed) so the reader is taken to
    it, however far down the page the form is."""
    return request.method == "POST" and not is_htmx()


def _shares(value: int | None, sign: bool = False) -> str:
    """A number of shares with thousands separators ('1,500'; '+150' with ``sign``)."""
    if value is None:
        return ""
    return f"{value:+,}" if sign else f"{value:,}"


def _datefmt(value: date | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _datetimefmt(value: datetime | None) -> str:
    """A stored (UTC) time as Beijing time."""
    return clock.local(value).strftime("%Y-%m-%d %H:%M") if value else ""
