"""Role checks and the cooperative a request acts for. Every view declares
who may call it; create_app verifies that.

``roles_required(*roles)`` guards a view; ``public`` marks the few views that
anyone may call (login, static files). A view with neither makes create_app
fail, so no route can be added without deciding who may use it.

The cooperative of a request is ``current_coop()`` / ``current_coop_id()``,
never ``current_user.cooperative``: a cooperative's staff act for their own;
an overseer (an account of an area, not of a cooperative) reads the
cooperative of the area they chose (``oversee``, kept in the session). An
overseer passes wherever the supervisor may read (GET and HEAD only, with a
cooperative chosen) and writes nothing: ``refuse_overseer_writes`` turns
every other request of theirs away with 403, whatever the view.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort, flash, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select

from coop.auth.models import STAFF, Role, User
from coop.cooperatives.api import Cooperative, cooperatives_under, get_by_code, is_under
from coop.errors import RecordNotFound, ServiceError
from coop.extensions import db, login_manager

ALL_STAFF = tuple(r.value for r in STAFF)
ADMIN = (Role.ADMIN.value,)
MEMBER = (Role.MEMBER.value,)
OVERSEER = (Role.OVERSEER.value,)

READ_METHODS = frozenset({"GET", "HEAD"})
# what an overseer may post: their own account's (logging out, the password)
OVERSEER_POSTS = frozenset({"auth.logout", "auth.change_password"})
OVERSEEN_KEY = "overseen_coop_id"
_OVERSEEN = "_overseen_coop"


def is_overseer() -> bool:
    return bool(current_user.is_authenticated and current_user.role == Role.OVERSEER)


def overseen_coop() -> Cooperative | None:
    """The cooperative an overseer chose to read, while it lies in their area."""
    if _OVERSEEN not in g:
        setattr(g, _OVERSEEN, _load_overseen())
    return getattr(g, _OVERSEEN)


def _load_overseen() -> Cooperative | None:
    coop_id = session.get(OVERSEEN_KEY)
    if not is_overseer() or current_user.area_id is None or not isinstance(coop_id, int):
        return None
    coop = db.session.get(Cooperative, coop_id)
    return coop if coop is not None and is_under(current_user.area_id, coop.id) else None


def oversee(code: str) -> Cooperative:
    """The signed-in overseer reads cooperative ``code`` from now on; a
    cooperative outside their area is RecordNotFound (a 404, as if it did
    not exist)."""
    try:
        coop = get_by_code(code)
    except ServiceError:
        raise RecordNotFound("Cooperative") from None
    if not is_overseer() or not is_under(current_user.area_id, coop.id):
        raise RecordNotFound("Cooperative")
    session[OVERSEEN_KEY] = coop.id
    g.pop(_OVERSEEN, None)
    return coop


def overseen_cooperatives() -> list[Cooperative]:
    """Every cooperative of the signed-in overseer's area (none for anyone else)."""
    if not is_overseer() or current_user.area_id is None:
        return []
    return cooperatives_under(current_user.area_id)


def current_coop() -> Cooperative | None:
    """The cooperative the request acts for (see the module's docstring)."""
    if not current_user.is_authenticated:
        return None
    if current_user.role == Role.OVERSEER:
        return overseen_coop()
    return current_user.cooperative


def current_coop_id() -> int | None:
    if not current_user.is_authenticated:
        return None
    if current_user.role == Role.OVERSEER:
        coop = overseen_coop()
        return coop.id if coop is not None else None
    return current_user.cooperative_id


def refuse_overseer_writes() -> None:
    """Before every request: an overseer's request that is not a read is 403
    (their own logout and password change excepted)."""
    if request.method in READ_METHODS or request.endpoint in OVERSEER_POSTS:
        return
    if is_overseer():
        abort(403)


def _overseer_reads(roles: tuple[str, ...]) -> bool:
    return (current_user.role == Role.OVERSEER and Role.SUPERVISOR.value in roles
            and request.method in READ_METHODS)


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                if not _overseer_reads(roles):
                    abort(403)
                if overseen_coop() is None:
                    flash("请先选择要查看的合作社", "info")
                    return redirect(url_for("oversight.index"))
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    view.allowed_roles = None
    return view


# built once: every request loads its user (session.get rebuilds its query each time)
_USER_BY_ID = select(User).where(User.id == bindparam("user_id"))


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id ``<user id>:<session token>`` (User.get_id),
    while the token is the account's current one and the account is enabled."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or len(user_id) > 18 or not token:
        return None
    user = db.session.execute(_USER_BY_ID, {"user_id": int(user_id)}).unique().scalar_one_or_none()
    if user is None or not user.is_enabled or not user.holds_session(token):
        return None
    return user


def check_every_route_declares_roles(app: Flask) -> None:
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "allowed_roles")
    ]
    if missing:
        raise RuntimeError(f"routes without a role declaration: {sorted(missing)}")


