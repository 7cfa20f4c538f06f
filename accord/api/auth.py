from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from accord.api.services import token_user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer acc_…` with a personal access token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, with CSRF on unsafe methods (what the web pages' htmx calls use)."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        """A client that sent a bearer token, or no session cookie, is not a session client.

        Checking CSRF for it would answer a bad token with 403 "CSRF check Failed"; skipping the
        session lets the API answer 401 `unauthenticated`, the same as a GET does.
        """
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api_auth = [TokenAuth(), SessionAuth(csrf=True)]
