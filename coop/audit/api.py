"""What other domains may use of the audit trail.

Other domains import from this module only; what is not here is private to
``coop.audit``."""
from __future__ import annotations

from coop.audit.labels import Field as AuditField  # noqa: F401
from coop.audit.models import AuditEntry  # noqa: F401
from coop.audit.services import acting_as, check_version, register_audit_listener  # noqa: F401

__all__ = [
    "AuditEntry",
    "AuditField",
    "acting_as",
    "check_version",
    "register_audit_listener",
]
