"""Python's cycle collector around work that allocates many objects and keeps them to the end."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector for the block.

    A roster import or a check-in batch allocates hundreds of thousands of lists, tuples and
    dicts (cells, checked rows, readings) and keeps them alive to the end, so the collector,
    triggered by allocation counts, walks them again and again without finding anything: about a
    quarter of an import's time, a tenth of a batch's. None of them form cycles, so reference
    counting frees them all; the collector resumes afterwards (unless it was already paused by
    someone else)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
