"""Field types shared by every capability's API schemas."""

from datetime import UTC, datetime
from typing import Annotated

from ninja import Field
from pydantic import AfterValidator

# A database id as a client may send it: positive and within what every database (and JSON
# number precision) holds, so an absurd id is a 422, never an overflow deep in a query.
ObjectId = Annotated[int, Field(ge=1, le=2**53)]


def _in_utc(value: datetime) -> datetime:
    """Any offset a client sends (even an absurd one) becomes the same instant in UTC; a time
    without an offset is read as UTC. Databases differ in which offsets they accept."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("The date and time are out of range.") from None


# A moment in time as a client may send it.
Moment = Annotated[datetime, AfterValidator(_in_utc)]

# A person named as an owner: the `user_id` that GET /partnerships/{id}/participants lists (the
# participant's own `id` is another number), and who must take part in the partnership.
OWNER_DESCRIPTION = (
    "A person's user id: the `user_id` of an entry in GET /partnerships/{partnership_id}/"
    "participants (not the entry's `id`)."
)
