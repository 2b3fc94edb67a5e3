"""Pausing Python's cycle collector around work that makes many objects and frees none."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off for the block. Reading content, or a cohort's answers and
    scoring them, creates objects that all survive the block; a collection in the middle of
    it finds nothing to free, yet walks every object of the process, the larger a server's
    heap the longer (docs/performance.md, targets (c) and (e))."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
