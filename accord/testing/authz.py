"""Declared expectations for the authorization test: every route × every persona.

Each app lists its routes in `accord/<app>/tests/authz.py` as `EXPECTATIONS`. The test in
`accord/tests/test_authorization.py` enumerates every URL pattern and every API operation and
fails for any route without a declaration, so a new route is covered as soon as it exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.testing.personas import Cast

Builder = Callable[[Cast], dict[str, Any]]


@dataclass(frozen=True)
class Expect:
    key: str  # URL name for pages; "METHOD /api/v1/path" for API operations
    method: str
    params: Builder
    outcomes: dict[str, int]
    body: Callable[[Cast], Any] | None = None
    multipart: bool = False


def _no_params(cast: Cast) -> dict[str, Any]:
    return {}


def web(
    name: str,
    *,
    method: str = "GET",
    params: Builder = _no_params,
    data: Callable[[Cast], Any] | None = None,
    owner: int,
    partner: int,
    outsider: int,
    anonymous: int,
    observer: int,
    facilitator: int,
) -> Expect:
    outcomes = dict(
        owner=owner,
        partner=partner,
        outsider=outsider,
        anonymous=anonymous,
        observer=observer,
        facilitator=facilitator,
    )
    return Expect(name, method, params, outcomes, data)


def api(
    method: str,
    path: str,
    *,
    params: Builder = _no_params,
    body: Callable[[Cast], Any] | None = None,
    multipart: bool = False,
    owner: int,
    partner: int,
    outsider: int,
    anonymous: int = 401,
    observer: int,
    facilitator: int,
) -> Expect:
    outcomes = dict(
        owner=owner,
        partner=partner,
        outsider=outsider,
        anonymous=anonymous,
        observer=observer,
        facilitator=facilitator,
    )
    return Expect(f"{method} /api/v1{path}", method, params, outcomes, body, multipart)


def everyone(status: int, anonymous: int | None = None) -> dict[str, int]:
    """Shorthand for routes every signed-in person may use."""
    return dict(
        owner=status,
        partner=status,
        outsider=status,
        observer=status,
        facilitator=status,
        anonymous=status if anonymous is None else anonymous,
    )


def declared_expectations() -> dict[str, Expect]:
    """Every app's declarations, keyed by route; a route declared twice is an error."""
    import accord

    found: dict[str, Expect] = {}
    for module in pkgutil.iter_modules(accord.__path__):
        try:
            authz = importlib.import_module(f"accord.{module.name}.tests.authz")
        except ModuleNotFoundError:
            continue
        for expect in authz.EXPECTATIONS:
            assert expect.key not in found, f"{expect.key} is declared twice"
            found[expect.key] = expect
    return found
