"""Role checks. Every view declares who may call it; create_app verifies that.

``roles_required(*roles)`` guards a view; ``public`` marks the few views that
anyone may call (login, static files). A view with neither makes create_app
fail, so no route can be added without deciding who may use it.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort
from flask_login import current_user

from coop.auth.models import STAFF, Role, User
from coop.extensions import db, login_manager

ALL_STAFF = tuple(r.value for r in STAFF)
ADMIN = (Role.ADMIN.value,)
MEMBER = (Role.MEMBER.value,)


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    view.allowed_roles = None
    return view


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session id ``<user id>:<session token>`` (User.get_id),
    while the token is the account's current one and the account is enabled."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or len(user_id) > 18 or not token:
        return None
    user = db.session.get(User, int(user_id))
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


def current_coop_id() -> int:
    return current_user.cooperative_id
