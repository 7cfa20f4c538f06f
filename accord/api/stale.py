"""The documented body of a 409 answer: the record moved on since the client read it."""

from __future__ import annotations

from ninja import Schema


class StaleOut(Schema):
    detail: str
    code: str  # always "stale"
