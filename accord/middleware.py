"""Request guards that apply to every page and API route."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL_REFUSED = "Text may not contain NUL characters."
TOO_MANY_FIELDS = (
    "Too many fields in the request: at most {fields} query or form fields and {files} files."
)


def too_many_fields_detail() -> str:
    return TOO_MANY_FIELDS.format(
        fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, files=settings.DATA_UPLOAD_MAX_NUMBER_FILES
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _request_has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _has_nul(list(request.GET.lists())):
        return True
    content_type = request.content_type or ""
    if content_type not in ("application/json", "application/x-www-form-urlencoded"):
        return False  # multipart bodies are files and form fields, which forms validate
    try:
        body = request.body
    except RequestDataTooBig:
        return False  # the view answers 413 in its own format
    if content_type == "application/x-www-form-urlencoded":
        return _has_nul(list(request.POST.lists()))
    try:
        return _has_nul(json.loads(body)) if body else False
    except (ValueError, RecursionError):
        return False  # malformed JSON: the API answers with its own clear error


class RefuseNulCharactersMiddleware:
    """PostgreSQL cannot store NUL in text (SQLite can): refuse it at the door, on both, with a
    400 instead of a database error deep in a view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            has_nul = _request_has_nul(request)
        except (TooManyFieldsSent, TooManyFilesSent):
            # Reading the fields is where Django counts them; the API answers in its own format
            # (pages keep Django's 400 page).
            if not request.path.startswith("/api/"):
                raise
            return JsonResponse(
                {"detail": too_many_fields_detail(), "code": "too_many_fields"}, status=400
            )
        if has_nul:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_REFUSED, "code": "invalid"}, status=400)
            return HttpResponseBadRequest(NUL_REFUSED)
        return self.get_response(request)
