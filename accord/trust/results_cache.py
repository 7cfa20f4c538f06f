"""Scored trust results, kept per round state so a page does not re-score every round on every
request (the trust tab used to score them three times per request: its own results, the stage
evidence and the health registry's trust source all ask for them).

Results come only from closed rounds, and a closed round's answers never change (answering
needs an open round). So the scores are a function of: the partnership's k, its parties, and,
per closed round, its identity, number, title, promised k, instrument version and closing time
— and its answers, fingerprinted by their count and smallest key (every submission rewrites the
round's rows under new random keys, see ``Response``). Any change there is a new cache key;
nothing is invalidated by hand and nothing stale can be read. Only the domain's output (cells,
trends, asymmetries, roll-ups) and charts drawn from it are cached; rounds and parties are
always read fresh.

The cache lives in each web process's memory, bounded (least recently used out), holding the
domain's frozen objects themselves: no pickling, which would cost as much as a third of the
scoring. Workers warm up separately; a shared cache would buy nothing since the key is the
content. Batches of several partnerships (the background health scoring) are scored directly."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import CharField, Count, Min
from django.db.models.functions import Cast

from accord.kept import Memory
from accord.partnerships.models import Partnership, Party

if TYPE_CHECKING:
    from accord.trust.selectors import TrustResults

MAX_ENTRIES = 512
PREFIX = "trust-results:v1:"
T = TypeVar("T")


cache = Memory(MAX_ENTRIES)
Scorer = Callable[..., "dict[int, TrustResults]"]


def _key(
    partnership: Partnership,
    rounds: list[Any],
    parties: list[tuple[int, str]],
    prefix: str = PREFIX,
) -> str:
    """The state scores of ``rounds`` depend on (see the module's docstring), as a key; one
    query. Culture readings use it too, under their own prefix."""
    from accord.trust.models import Response

    answers = list(
        Response.objects.filter(round__in=[r.pk for r in rounds])
        .values_list("round_id")
        .annotate(n=Count("id"), first=Min(Cast("id", output_field=CharField())))
        .order_by("round_id")
    )
    state = (
        partnership.pk,
        partnership.anonymity_k,
        parties,
        [
            (
                r.pk,
                r.number,
                r.title,
                r.anonymity_k,
                r.instrument_id,
                r.instrument.created_at.isoformat(),
                r.closes_at.isoformat(),
                r.updated_at.isoformat(),
            )
            for r in rounds
        ],
        [(round_id, n, str(first)) for round_id, n, first in answers],
    )
    return prefix + hashlib.sha256(repr(state).encode()).hexdigest()


def cached_for_one_partnership(score: Scorer) -> Scorer:
    """Wrap ``trust_results``: a call for one partnership reads the scores of its current round
    state from the cache, or scores and keeps them."""

    @functools.wraps(score)
    def wrapper(
        *,
        partnerships: Sequence[Partnership],
        now: datetime | None = None,
        rounds: list[Any] | None = None,
        parties: list[tuple[int, str]] | None = None,
    ) -> dict[int, TrustResults]:
        """``rounds`` (the closed trust rounds by number, instrument and partnership joined)
        and ``parties`` ((id, organization name) by id) save their queries when the caller
        has read them already; they must be what ``closed_rounds`` and the parties query
        would return."""
        if len(partnerships) != 1:
            return score(partnerships=partnerships, now=now)
        from accord.trust.models import Instrument
        from accord.trust.selectors import TrustResults, closed_rounds

        partnership = partnerships[0]
        if rounds is None:
            rounds = closed_rounds([partnership], Instrument.Kind.TRUST, now)
        if not rounds:
            return score(partnerships=partnerships, now=now)  # nothing to score
        if parties is None:
            parties = list(
                Party.objects.filter(partnership=partnership)
                .order_by("pk")
                .values_list("pk", "organization__name")
            )
        key = _key(partnership, rounds, parties)
        scored = cache.get(key)
        if scored is None:
            results = score(partnerships=partnerships, now=now)[partnership.pk]
            kept = (
                tuple(results.cells),
                tuple(results.trends),
                tuple(results.asymmetries),
                tuple(results.rollups),
            )
            cache.set(key, kept)
        else:
            cells, trends, asymmetries, rollups = scored
            results = TrustResults(
                partnership,
                partnership.anonymity_k,
                rounds={r.number: r for r in rounds},
                parties=dict(parties),
                cells=list(cells),
                trends=list(trends),
                asymmetries=list(asymmetries),
                rollups=list(rollups),
            )
        results.__dict__["cache_key"] = key
        return {partnership.pk: results}

    return wrapper


def presented(results: TrustResults, name: str, present: Callable[[TrustResults], T]) -> T:
    """``present(results)`` (a chart drawn from the results alone), kept under the results' key."""
    key = results.__dict__.get("cache_key")
    if key is None:
        return present(results)
    kept: tuple[T] | None = cache.get(f"{key}:{name}")  # a tuple, so None is a result too
    if kept is None:
        kept = (present(results),)
        cache.set(f"{key}:{name}", kept)
    return kept[0]
