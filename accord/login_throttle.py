"""Login throttling with django-axes: failed sign-ins are counted in the database per account
and per client address; past the limit, sign-in is refused until the cool-off has passed or an
administrator resets the lockout (``manage.py axes_reset``, ``axes_reset_username``,
``axes_reset_ip``). See docs/operations.md and README ("Signing in")."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT = (
    "Too many failed sign-ins for this account or from this network. Try again after "
    "{time} UTC (in {minutes} minutes), or ask an administrator to unlock the account."
)


class ThrottlingBackend(AxesStandaloneBackend):
    """Axes' lockout check, first in ``AUTHENTICATION_BACKENDS``.

    Every sign-in over the web passes the request (Django's ``LoginView`` does). A call without
    one — ``client.login`` in tests, a shell — has no address to count against, so it is left
    to the next backend instead of failing; nothing in Accord authenticates a web request
    without passing it (API tokens are checked by ``accord.api.auth``, not here)."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against. Behind ``ACCORD_PROXY_COUNT`` trusted
    proxies, the address the nearest of them saw in ``X-Forwarded-For``; else ``REMOTE_ADDR``
    (a forwarded header from the client itself is never trusted)."""
    proxies = settings.ACCORD_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The sign-in page again, with a message saying when to try again (429).

    Failures during a lockout restart the cool-off, so it runs from now."""
    cool_off = get_cool_off(request)
    until = timezone.localtime(timezone.now() + cool_off) if cool_off else None
    message = LOCKED_OUT.format(
        time=f"{until:%H:%M}" if until else "—",
        minutes=round(cool_off.total_seconds() / 60) if cool_off else "—",
    )
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": request.POST.get("next", ""),
            "lockout_message": message,
        },
        status=429,
    )
