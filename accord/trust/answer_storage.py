"""How answers are written so that storage keeps no trace of who answered when (issue 10,
item 7). See docs/trust.md, "What an operator can and cannot learn"."""

from __future__ import annotations

import random
import uuid
from typing import Any

from django.db import connection

from accord.trust.models import Response


def store_shuffled(round_id: int, new_rows: list[tuple[int, int, dict[str, int]]]) -> None:
    """Store the new answers by rewriting all of the round's rows in a random order with new
    random keys, so that storage order (SQLite's rowid, PostgreSQL's heap order in a dump) says
    nothing about who answered when. Costs O(rows of the round) per submission; the caller
    holds the round's lock. On SQLite ``secure_delete`` zeroes the deleted rows' bytes, so the
    file keeps no copy in the old order."""
    rows = [
        *Response.objects.filter(round_id=round_id).values_list(
            "rater_party_id", "rated_party_id", "values"
        ),
        *new_rows,
    ]
    shuffle(rows)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    Response.objects.filter(round_id=round_id).delete()
    Response.objects.bulk_create(
        (
            Response(
                id=uuid.uuid4(),
                round_id=round_id,
                rater_party_id=rater,
                rated_party_id=rated,
                values=values,
            )
            for rater, rated, values in rows
        ),
        batch_size=1000,
    )


def shuffle(rows: list[Any]) -> None:
    """Shuffle in place from the operating system's randomness (a seam for tests)."""
    random.SystemRandom().shuffle(rows)
