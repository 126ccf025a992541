"""What other modules may use of the township and county view.

Other modules import from this module only; what is not here is private to
``coop.oversight``."""
from __future__ import annotations

__all__: list[str] = []
