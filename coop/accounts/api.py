"""What other domains may use of the member accounts.

Other domains import from this module only; what is not here is private to
``coop.accounts``."""
from __future__ import annotations

__all__: list[str] = []
