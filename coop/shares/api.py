"""What other domains may use of the share register.

Other domains import from this module only; what is not here is private to
``coop.shares``."""
from __future__ import annotations

from coop.shares.certificates import Certificate, certificate_of, certificates_part  # noqa: F401
from coop.shares.conversion import (  # noqa: F401
    SurplusConversion,
    record_surplus_conversions,
    reverse_surplus_conversions,
    standing_conversions,
)
from coop.shares.founding import record_founding  # noqa: F401
from coop.shares.land import land_mu_by_member, member_land_mu  # noqa: F401
from coop.shares.models import ShareEntry  # noqa: F401
from coop.shares.register import (  # noqa: F401
    CLASSES,
    RegisterWeight,
    member_by_no,
    member_history,
    member_holdings,
    member_total_shares,
    register_weights,
)
from coop.shares.rules import ContributionKind  # noqa: F401
from coop.shares.tallies import RegisterTally, register_tallies  # noqa: F401

__all__ = [
    "RegisterTally",
    "register_tallies",
    "CLASSES",
    "Certificate",
    "ContributionKind",
    "RegisterWeight",
    "SurplusConversion",
    "certificate_of",
    "certificates_part",
    "ShareEntry",
    "land_mu_by_member",
    "member_by_no",
    "member_history",
    "member_holdings",
    "member_land_mu",
    "member_total_shares",
    "record_founding",
    "record_surplus_conversions",
    "register_weights",
    "reverse_surplus_conversions",
    "standing_conversions",
]
