"""API for the caller themselves: who am I, and my personal access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema, Status

from accord.api import services
from accord.partnerships.access import user_organization

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    organization: str | None


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    days: int = Field(90, ge=1, le=365)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="Shown only once; store it now.")


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    user: Any = request.user
    org = user_organization(user)
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "organization": org.name if org else None,
    }


@router.get("/tokens", response=list[TokenOut])
def list_tokens(request: HttpRequest) -> Any:
    return request.user.api_tokens.all()  # type: ignore[union-attr]


@router.post("/tokens", response={201: TokenCreated})
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, raw = services.token_create(user=request.user, name=payload.name, days=payload.days)
    token.token = raw  # type: ignore[attr-defined]
    return Status(201, token)


@router.delete("/tokens/{token_id}", response=TokenOut)
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=2**53)) -> Any:
    token = request.user.api_tokens.filter(pk=token_id).first()  # type: ignore[union-attr]
    if token is None:
        raise Http404
    return services.token_revoke(token=token)
