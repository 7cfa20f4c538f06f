"""Periodic passes: work that must happen because time passed, not because someone clicked.

A capability registers a pass with `@periodic_pass("conflicts.escalate")`: a function of `now`
that does its work idempotently (running it twice changes nothing the second time) and returns a
one-line summary. The scheduler process (`manage.py accord_scheduler`) only enqueues
`run_periodic_passes` on a cron; a `db_worker` runs it. `manage.py accord_tick` runs the passes
once, in the foreground, for operators and tests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction
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


class PartialPassError(RuntimeError):
    """Some partnerships of a pass failed; the others' work is committed. The next run retries
    the failed ones (passes are idempotent)."""


def for_each_partnership(partnership_ids: Iterable[int], work: Callable[[int], int]) -> int:
    """Run `work(partnership_id)` in one transaction per partnership and return the sum of what
    it returns. A pass over a large portfolio then holds each partnership's row locks only for
    that partnership's share of the work, and a failure in one rolls back only that one: the
    rest are done, then PartialPassError says which failed (their errors are in the log)."""
    total = 0
    failed: list[int] = []
    ids = sorted(set(partnership_ids))
    for partnership_id in ids:
        try:
            with transaction.atomic():
                total += work(partnership_id)
        except Exception:
            log.exception(
                "periodic pass: partnership %s failed; the others continue", partnership_id
            )
            failed.append(partnership_id)
    if failed:
        names = ", ".join(map(str, failed))
        raise PartialPassError(
            f"{len(failed)} of {len(ids)} partnership(s) failed (ids {names}); {total} "
            "change(s) in the others were committed. See the worker's log."
        )
    return total


class PassesFailedError(RuntimeError):
    """One or more passes failed; every other pass ran. `results` holds each pass's summary."""

    def __init__(self, results: list[tuple[str, str]]) -> None:
        failed = [name for name, summary in results if summary.startswith(FAILED)]
        super().__init__(f"Periodic pass(es) failed: {', '.join(failed)}.")
        self.results = results


FAILED = "FAILED: "


def run_passes(now: datetime | None = None, only: list[str] | None = None) -> list[tuple[str, str]]:
    """Run passes in name order; each commits on its own, so one failure undoes no other and
    stops no later pass. Raises PassesFailedError at the end if any pass failed."""
    now = now or timezone.now()
    names = only or sorted(PASSES)
    unknown = [name for name in names if name not in PASSES]
    if unknown:
        raise UnknownPassError(f"Unknown pass(es): {', '.join(unknown)}. Known: {sorted(PASSES)}")
    results = []
    failed = False
    for name in names:
        try:
            summary = PASSES[name](now)
        except Exception as error:
            log.exception("periodic pass %s failed", name)
            summary, failed = f"{FAILED}{error}", True
        else:
            log.info("periodic pass %s: %s", name, summary)
        results.append((name, summary))
    if failed:
        raise PassesFailedError(results)
    return results


@task()
def run_periodic_passes() -> list[tuple[str, str]]:
    return run_passes()
