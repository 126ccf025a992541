"""Imports every domain's models so that metadata and migrations see them all.

Each domain owns its models in ``coop/<domain>/models.py``; this module only
gathers them.
"""
from coop.audit.models import AuditEntry  # noqa: F401
from coop.auth.models import LoginAttempt, User  # noqa: F401
from coop.cooperatives.models import Cooperative  # noqa: F401
