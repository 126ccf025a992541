"""One page of a long list: the rows and what the pager macro reads."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any, Sequence


@dataclass
class Page:
    items: Sequence[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.total else 0

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first(self) -> int:
        """The place of this page's first item in the whole list (from 1)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        """The place of this page's last item (``first - 1`` when it has none)."""
        return self.first + len(self.items) - 1

    def span(self, unit: str) -> str:
        """"第a至b<unit>" when the list is in several pages, "" when one holds it all."""
        return f"第{self.first}至{self.last}{unit}" if self.pages > 1 else ""
