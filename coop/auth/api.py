"""What other domains may use of accounts and access.

Other domains import from this module only; what is not here is private to
``coop.auth``."""
from __future__ import annotations

from coop.auth.access import (  # noqa: F401
    ADMIN,
    ALL_STAFF,
    MEMBER,
    check_every_route_declares_roles,
    roles_required,
)
from coop.auth.models import Role, User  # noqa: F401
from coop.auth.services import create_user, reset_password, set_published_password  # noqa: F401

__all__ = [
    "ADMIN",
    "ALL_STAFF",
    "MEMBER",
    "Role",
    "User",
    "check_every_route_declares_roles",
    "create_user",
    "reset_password",
    "roles_required",
    "set_published_password",
]
