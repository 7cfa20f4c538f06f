"""Results kept in a web process's memory, keyed by the state they were computed from.

A page that would compute the same figures on every request keeps them here under a key that
names every input (a fingerprint read in one query: counts, highest ids, latest change stamps…),
so a changed input is a new key and nothing is invalidated by hand. Each process has its own
bounded map, least recently used out; a shared cache would buy nothing, as the key is the
content. See accord/trust/results_cache.py and stage_cache.py for the pattern.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any

_ALL: weakref.WeakSet[Memory] = weakref.WeakSet()


class Memory:
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict[str, Any](), threading.Lock()
        _ALL.add(self)

    def get(self, key: str) -> Any:
        with self.lock:
            if key not in self.items:
                return None
            self.items.move_to_end(key)
            return self.items[key]

    def set(self, key: str, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


def clear_all() -> None:
    """Forget everything kept (tests: a rolled-back test can leave the next one rows with the
    same ids and stamps, so each starts with nothing kept)."""
    for memory in list(_ALL):
        memory.clear()
