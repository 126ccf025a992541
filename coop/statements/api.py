"""What other domains may use of the statements and certificates.

Other domains import from this module only; what is not here is private to
``coop.statements``."""
from __future__ import annotations

from coop.statements import pdf, services  # noqa: F401
from coop.statements.views import pdf_response, pdf_unavailable  # noqa: F401

__all__ = [
    "pdf",
    "pdf_response",
    "pdf_unavailable",
    "services",
]
