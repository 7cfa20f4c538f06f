"""The signed-in person's membership and organization, read once: the top bar asks for
`user.membership.organization`, which would otherwise be two queries on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.partnerships.access import user_membership


def viewer(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        user_membership(user)
    return {}
