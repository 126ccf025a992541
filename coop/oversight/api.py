"""What other modules may use of the township and county view.

Other modules import from this module only; what is not here is private to
``coop.oversight``."""
from __future__ import annotations

from coop.oversight.county_demo import LOGINS as COUNTY_LOGINS  # noqa: F401
from coop.oversight.county_demo import county_exists, load_county  # noqa: F401

__all__ = ["COUNTY_LOGINS", "county_exists", "load_county"]
