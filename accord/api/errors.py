"""One error format for the whole API: {"detail": "...", "code": "..."}."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.code = status, detail, code


# Ninja raises HttpError itself for a body it cannot parse (400) and a failed CSRF check (403).
HTTP_ERROR_CODES = {400: "malformed", 403: "forbidden"}


def error_body(detail: Any, code: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, error_body(exc.detail, exc.code))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("Not found.", "not_found"))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            error_body("Authentication required: a bearer token or a session.", "unauthenticated"),
        )

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
            for e in exc.errors
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid input"}
        where = ".".join(first["loc"][1:] or first["loc"])
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        return respond(request, 422, error_body(detail, "invalid", errors=errors))

    @api.exception_handler(ValidationError)
    def rejected(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [{"loc": [k], "msg": m} for k, v in exc.message_dict.items() for m in v]
            detail = "; ".join(f"{e['loc'][0]}: {e['msg']}" for e in errors)
        else:
            errors = [{"loc": [], "msg": m} for m in exc.messages]
            detail = "; ".join(exc.messages)
        return respond(request, 400, error_body(detail, "rejected", errors=errors))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_ERROR_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(str(exc), code))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, error_body("The request body is too large.", "too_large"))


def _method_not_allowed_as_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)  # keeps ninja's csrf_exempt flag
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        allowed = response.get("Allow", "")
        response = JsonResponse(
            error_body(f"Method not allowed; use {allowed}.", "method_not_allowed"), status=405
        )
        response["Allow"] = allowed
        return response

    return wrapper


@csrf_exempt
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return JsonResponse(error_body("Not found.", "not_found"), status=404)


def api_urls(api: NinjaAPI) -> tuple[list[Any], str, str]:
    """`api.urls` with the two answers ninja gives outside its handlers in the error format too:
    405 for a method a path does not have (ninja answers in plain text), and 404 for a path under
    the API that does not exist (Django would answer with an HTML page)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _method_not_allowed_as_json(pattern.callback)
    return [*patterns, re_path(r"^(?P<rest>.*)$", api_not_found)], app_name, namespace


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "code": {"type": "string", "description": "A stable code for programs to switch on."},
        "errors": {
            "type": "array",
            "description": "Per-field errors of a rejected input.",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"},
                },
            },
        },
    },
}
ERROR_DESCRIPTIONS = {
    400: "Rejected by a business rule, or a body that is not valid JSON",
    401: "No valid token or session",
    403: "CSRF check failed (session authentication)",
    404: "Not found, or not yours to see",
    413: "Request body too large",
    422: "Invalid input",
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def document_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare, on every operation, the error answers the handlers above can give it, so clients
    and schema checks know them: ninja documents only the success response."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            parameters = operation.get("parameters", [])
            has_body = "requestBody" in operation
            codes = set()
            if operation.get("security"):
                codes |= {401, 403} if method in UNSAFE_METHODS else {401}
            if method in UNSAFE_METHODS or parameters or has_body:
                codes.add(400)
            if any(p.get("in") == "path" for p in parameters):
                codes.add(404)
            if parameters or has_body:
                codes.add(422)
            if has_body:
                codes.add(413)
            # Ninja keys its own responses by int; JSON keys are strings, so one status declared
            # both ways would be dumped twice (and clients keep whichever comes last).
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            for code in sorted(codes):
                declared = responses.get(str(code))
                responses[str(code)] = (
                    _error_response(code) if declared is None else _or_error(declared, code)
                )
            operation["responses"] = responses
    return schema


ERROR_REF = {"$ref": "#/components/schemas/Error"}


def _error_response(code: int) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def _or_error(declared: dict[str, Any], code: int) -> dict[str, Any]:
    """An operation that declares an error status itself (the bulk ingest's row report) can still
    get the generic error under that status (a body that is not JSON, an unknown party): either
    shape is documented."""
    media = declared.get("content", {}).get("application/json", {})
    own = media.get("schema")
    if own is None or own == ERROR_REF:
        return declared
    return {
        **declared,
        "description": f"This operation's own report, or: {ERROR_DESCRIPTIONS[code]}",
        "content": {"application/json": {**media, "schema": {"anyOf": [own, ERROR_REF]}}},
    }
