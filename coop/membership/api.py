"""What other domains may use of membership confirmation.

Other domains import from this module only; what is not here is private to
``coop.membership``."""
from __future__ import annotations

__all__: list[str] = []
