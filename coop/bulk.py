"""Helpers for work over a whole cooperative in one request (100,000 holders).

Building a few hundred thousand tuples, lists and dicts makes CPython's cyclic
garbage collector run again and again over every object alive, young and
old: at 100,000 holders a large part of a dividend plan's Python time.
The objects such work builds hold no reference cycles (rows, columns,
numbers), so reference counting frees them; the collector can wait.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator


class _Pause:
    """How many threads are inside :func:`paused_gc`; the collector comes back
    when the last one leaves (if it was on when the first one came in)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False


_pause = _Pause()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (reference
    counting still frees memory); it is switched back on afterwards."""
    with _pause.lock:
        if _pause.depth == 0:
            _pause.was_enabled = gc.isenabled()
            gc.disable()
        _pause.depth += 1
    try:
        yield
    finally:
        with _pause.lock:
            _pause.depth -= 1
            if _pause.depth == 0 and _pause.was_enabled:
                gc.enable()
