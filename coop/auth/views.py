from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from urllib.parse import urlsplit

from coop.auth import services
from coop.auth.access import ADMIN, ALL_STAFF, MEMBER, public, roles_required
from coop.auth.forms import ChangePasswordForm, LoginForm, UserForm
from coop.auth.models import User
from coop.cooperatives.services import all_cooperatives
from coop.errors import ServiceError, ValidationFailed
from coop.extensions import db
from coop.web import redirect_to, render

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


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("cooperatives.dashboard"))
    form = LoginForm()
    coops = all_cooperatives()
    form.coop.choices = [(c.code, c.name) for c in coops]
    if request.method == "GET":
        form.coop.data = request.cookies.get(COOP_COOKIE) or (coops[0].code if coops else None)
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.coop.data, form.username.data,
                                         form.password.data, request.remote_addr or "")
        except ServiceError as exc:
            db.session.commit()  # keep the failed attempt for throttling
            error = exc.message
        else:
            db.session.commit()
            _start_session(user)
            resp = redirect(_safe_next(request.args.get("next")) or url_for("cooperatives.dashboard"))
            resp.set_cookie(COOP_COOKIE, user.cooperative.code, max_age=365 * 86400,
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
            return resp
    status = 422 if request.method == "POST" else 200
    return render("auth/login.html", form=form, error=error, single_coop=len(coops) == 1,
                  status=status)


@bp.post("/logout")
@public
def logout():
    """Ends every session of the account, this one and any copy of its cookie."""
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("您已退出登录", "info")
    return redirect_to("auth.login")


@bp.route("/password", methods=["GET", "POST"])
@roles_required(*ALL_STAFF, *MEMBER)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data,
                                     form.repeat.data, request.remote_addr or "")
        except ValidationFailed as exc:
            db.session.commit()  # keep a wrong current password for throttling
            for name, message in exc.errors.items():
                getattr(form, name).errors = [message]
        else:
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash("密码已修改", "success")
            return redirect_to("cooperatives.dashboard")
    status = 422 if request.method == "POST" else 200
    return render("auth/password.html", block="password_form", form=form, status=status)


def _coop_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.cooperative_id != current_user.cooperative_id:
        abort(404)
    return user


def _users_page(form: UserForm, status: int = 200, issued: tuple[User, str] | None = None):
    users = db.session.scalars(
        select(User).where(User.cooperative_id == current_user.cooperative_id,
                           User.role != "member").order_by(User.username)
    ).all()
    return render("auth/users.html", block="users_body", form=form, users=users,
                  issued=issued, status=status)


@bp.get("/users")
@roles_required(*ADMIN)
def users():
    return _users_page(UserForm(formdata=None))


@bp.post("/users")
@roles_required(*ADMIN)
def user_create():
    form = UserForm()
    if form.validate():
        try:
            user, password = services.create_user(current_user.cooperative, form.username.data,
                                                  form.display_name.data, form.role.data)
        except ValidationFailed as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors = [message]
        else:
            db.session.commit()
            return _users_page(UserForm(formdata=None), issued=(user, password))
    return _users_page(form, status=422)


@bp.post("/users/<int:user_id>/reset-password")
@roles_required(*ADMIN)
def user_reset_password(user_id: int):
    user = _coop_user(user_id)
    password = services.reset_password(user)
    db.session.commit()
    return _users_page(UserForm(formdata=None), issued=(user, password))


@bp.post("/users/<int:user_id>/enabled")
@roles_required(*ADMIN)
def user_set_enabled(user_id: int):
    user = _coop_user(user_id)
    try:
        services.set_enabled(user, request.form.get("enabled") == "1", current_user)
    except ServiceError as exc:
        flash(exc.message, "error")
        return _users_page(UserForm(formdata=None), status=422)
    db.session.commit()
    flash(f"{user.display_name} 的账号已{'启用' if user.is_enabled else '停用'}", "success")
    return _users_page(UserForm(formdata=None))
