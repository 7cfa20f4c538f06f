"""The API's one pagination: ninja's limit/offset with both numbers bounded.

Ninja's own class leaves `offset` (and, unless configured, `limit`) unbounded, so a huge offset
reached the database and came back as a 500 (an integer overflow on SQLite, bigint out of range on
PostgreSQL). Bounded, it is a 422 like any other invalid input.
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 500
MAX_OFFSET = 2**31 - 1


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
