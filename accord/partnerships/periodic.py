"""Periodic passes: work that must happen because time passed, not because someone clicked.

A capability registers a pass with `@periodic_pass("conflicts.escalate")`: a function of `now`
that does its work idempotently (running it twice changes nothing the second time) and returns a
one-line summary. The scheduler process (`manage.py accord_scheduler`) only enqueues
`run_periodic_passes` on a cron; a `db_worker` runs it. `manage.py accord_tick` runs the passes
once, in the foreground, for operators and tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

Pass = Callable[[datetime], str]
PASSES: dict[str, Pass] = {}


def periodic_pass(name: str) -> Callable[[Pass], Pass]:
    def register(fn: Pass) -> Pass:
        PASSES[name] = fn
        return fn

    return register


class UnknownPassError(ValueError):
    pass


def run_passes(now: datetime | None = None, only: list[str] | None = None) -> list[tuple[str, str]]:
    """Run passes in name order; each commits on its own so one failure does not undo another."""
    now = now or timezone.now()
    names = only or sorted(PASSES)
    unknown = [name for name in names if name not in PASSES]
    if unknown:
        raise UnknownPassError(f"Unknown pass(es): {', '.join(unknown)}. Known: {sorted(PASSES)}")
    results = []
    for name in names:
        summary = PASSES[name](now)
        log.info("periodic pass %s: %s", name, summary)
        results.append((name, summary))
    return results


@task()
def run_periodic_passes() -> list[tuple[str, str]]:
    return run_passes()
