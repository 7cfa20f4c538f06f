"""Refusing a stale state change: people act on what they saw, and if the record moved on
meanwhile (a partner escalated, the worker closed the round) the action is refused instead of
being applied to a state they never saw.

Services lock the row (`select_for_update`, PostgreSQL; SQLite serializes writers), then compare
the state the person expected with the locked one. The API answers a StaleStateError with 409 in
the usual `{"detail", "code": "stale"}` shape; pages show its message. It is a ValidationError,
so code that handles rejected input handles it too.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

STALE_CODE = "stale"
RELOAD = "Nothing was changed; reload the page to see where it stands now."


class StaleStateError(ValidationError):
    """The record is no longer in the state the person acted on."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=STALE_CODE)


def expect(actual: object, expected: object, message: str) -> None:
    """Raise StaleStateError(message) unless the locked record's state is the expected one."""
    if actual != expected:
        raise StaleStateError(message)
