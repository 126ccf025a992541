"""What other domains may use of the statements and certificates.

Other domains import from this module only; what is not here is private to
``coop.statements``."""
from __future__ import annotations

from coop.statements.certificates import member_certificate_pdf  # noqa: F401
from coop.statements.downloads import statement_pdf  # noqa: F401
from coop.statements.services import (  # noqa: F401
    MemberLine,
    Statement,
    current_notice,
    member_line,
    member_lines,
    per_unit_text,
    plan_lines,
    statement_of,
    valuation,
)

__all__ = [
    "MemberLine",
    "Statement",
    "current_notice",
    "member_certificate_pdf",
    "member_line",
    "member_lines",
    "per_unit_text",
    "plan_lines",
    "statement_of",
    "statement_pdf",
    "valuation",
]
