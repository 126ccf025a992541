"""What other domains may use of accounts and access.

Other domains import from this module only; what is not here is private to
``coop.auth``."""
from __future__ import annotations

from coop.auth.access import (  # noqa: F401
    ADMIN,
    ALL_STAFF,
    MEMBER,
    OVERSEER,
    check_every_route_declares_roles,
    current_coop,
    current_coop_id,
    is_overseer,
    oversee,
    overseen_cooperatives,
    roles_required,
)
from coop.auth.models import Role, User  # noqa: F401
from coop.auth.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH  # noqa: F401
from coop.auth.services import (  # noqa: F401
    create_overseer,
    create_user,
    has_enabled_user,
    reset_password,
    set_enabled,
    set_published_password,
)
from coop.auth.signals import login_checked  # noqa: F401

__all__ = [
    "ADMIN",
    "ALL_STAFF",
    "MEMBER",
    "OVERSEER",
    "PASSWORD_MIN_LENGTH",
    "Role",
    "User",
    "check_every_route_declares_roles",
    "current_coop",
    "current_coop_id",
    "is_overseer",
    "oversee",
    "overseen_cooperatives",
    "create_overseer",
    "create_user",
    "has_enabled_user",
    "login_checked",
    "reset_password",
    "roles_required",
    "set_enabled",
    "set_published_password",
]
