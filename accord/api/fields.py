"""Field types shared by every capability's API schemas."""

from typing import Annotated

from ninja import Field

# A database id as a client may send it: positive and within what every database (and JSON
# number precision) holds, so an absurd id is a 422, never an overflow deep in a query.
ObjectId = Annotated[int, Field(ge=1, le=2**53)]
