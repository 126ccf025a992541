from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from coop.auth import services
from coop.auth.access import (ADMIN, ALL_STAFF, MEMBER, OVERSEER, current_coop, current_coop_id, is_overseer,
                              public, roles_required)
from coop.auth.forms import ChangePasswordForm, LoginForm, UserForm
from coop.auth.models import User
from coop.auth.services import IssuedLogin, Login
from coop.cooperatives.api import NEUTRAL_TITLE, all_cooperatives
from coop.errors import ValidationFailed
from coop.extensions import db
from coop.forms import CoopForm
from coop.web import owned, redirect_to, render, save

bp = Blueprint("auth", __name__)

COOP_COOKIE = "coop_code"


def _start_session(user: User) -> None:
    """A fresh session for ``user``: nothing of the one before it survives,
    the CSRF token included (a token planted before login is worthless)."""
    session.clear()
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    login_user(user)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home() -> str:
    """Where a signed-in user starts: an overseer at the area's overview."""
    return "oversight.index" if is_overseer() else "cooperatives.dashboard"


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for(_home()))
    form = LoginForm()
    coops = all_cooperatives()

    def page(status: int = 200, error: str | None = None):
        single = len(coops) == 1 and not services.has_overseers()
        # no cooperative is known yet where the code is still to be typed
        return render("auth/login.html", form=form, error=error, coops=coops, single_coop=single,
                      system_title=coops[0].words.system_title if single else NEUTRAL_TITLE,
                      status=status)

    if request.method == "GET":
        # the code this browser last logged in with; otherwise only the one
        # cooperative there is (never the first of several: its secretary
        # would be refused without seeing why)
        # (or the code a login slip's QR code carries)
        form.coop.data = ((request.args.get("coop") or "").strip()[:32] or request.cookies.get(COOP_COOKIE)
                          or (coops[0].code if len(coops) == 1 else None))
        return page()

    def done(attempt: Login):
        # a refused attempt is committed too: the throttle counts it
        if attempt.user is None:
            return page(422, attempt.error)
        _start_session(attempt.user)
        resp = redirect(_safe_next(request.args.get("next")) or url_for(_home()))
        place = attempt.user.cooperative or attempt.user.area
        resp.set_cookie(COOP_COOKIE, place.code, max_age=365 * 86400,
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
        return resp

    return save(form, lambda: services.authenticate(form.coop.data, form.username.data,
                                                    form.password.data, request.remote_addr or ""),
                again=lambda status, stale="": page(status), done=done)


@bp.post("/logout")
@public
def logout():
    """Ends every session of the account, this one and any copy of its cookie."""

    def done(_=None):
        logout_user()
        session.clear()
        flash("您已退出登录", "info")
        return redirect_to("auth.login")

    if not current_user.is_authenticated:
        return done()
    return save(CoopForm(), lambda: services.end_sessions(current_user), validate=False,
                again=lambda status, stale="": done(), done=done)


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ALL_STAFF, *MEMBER, *OVERSEER)
def change_password():
    form = ChangePasswordForm()

    def page(status: int = 200, stale: str = ""):
        return render("auth/password.html", block="password_form", form=form, status=status)

    if request.method == "GET":
        return page()

    def done(errors: dict[str, str]):
        # a wrong current password is committed too: the throttle counts it
        if errors:
            form.add_service_errors(ValidationFailed(errors))
            return page(422)
        _start_session(current_user._get_current_object())
        flash("密码已修改", "success")
        return redirect_to(_home())

    return save(form, lambda: services.change_password(current_user, form.current.data,
                                                       form.new.data, form.repeat.data,
                                                       request.remote_addr or ""),
                again=page, done=done)


def _users_page(form: UserForm, status: int = 200, issued: IssuedLogin | None = None):
    users = db.session.scalars(
        select(User).where(User.cooperative_id == current_coop_id(),
                           User.role != "member").order_by(User.username)
    ).all()
    return render("auth/users.html", block="users_body", form=form.name_roles_for(current_coop()),
                  users=users, issued=issued, status=status)


def _users_again(form: CoopForm):
    """The users' list again after a refused button: its message as a flash."""

    def again(status: int, stale: str = ""):
        for message in form.form_errors:
            flash(message, "error")
        return _users_page(UserForm(formdata=None), status=status)

    return again


@bp.get("/users")
@roles_required(*ADMIN)
def users():
    return _users_page(UserForm(formdata=None))


@bp.post("/users")
@roles_required(*ADMIN)
def user_create():
    form = UserForm()
    return save(form, lambda: services.create_user(current_coop(), form.username.data,
                                                   form.display_name.data, form.role.data),
                again=lambda status, stale="": _users_page(form, status=status),
                done=lambda issued: _users_page(UserForm(formdata=None), issued=issued))


@bp.post("/users/<int:user_id>/reset-password")
@roles_required(*ADMIN)
def user_reset_password(user_id: int):
    user = owned(User, user_id)
    form = CoopForm()
    return save(form, lambda: IssuedLogin(user, services.reset_password(user)), validate=False,
                again=_users_again(form),
                done=lambda issued: _users_page(UserForm(formdata=None), issued=issued))


@bp.post("/users/<int:user_id>/enabled")
@roles_required(*ADMIN)
def user_set_enabled(user_id: int):
    """Disable a login (its sessions end) or enable it again, with the reason."""
    user = owned(User, user_id)
    form = CoopForm()
    return save(form, lambda: services.set_enabled(user, request.form.get("enabled") == "1",
                                                   current_user, request.form.get("reason", "")),
                validate=False, again=_users_again(form),
                message=lambda _: f"{user.display_name} 的账号已{'启用' if user.is_enabled else '停用'}",
                done=lambda _: _users_page(UserForm(formdata=None)))
