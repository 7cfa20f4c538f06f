"""Path parameters, literal types, messages, schemas and lookups shared by the accountability
API's feature modules."""

from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Path, Schema

from accord.accountability import rules, selectors, services
from accord.accountability.models import (
    Commitment,
)
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Participant, Party

Id = Path(..., ge=1, le=2**53)
VisibilityName = Literal["joint", "internal"]
UNKNOWN_PARTY = "owner_party: not a party to this partnership."
UNKNOWN_PERSON = "owner: not a participant in this partnership."
UNKNOWN_METRIC = "metric: not a metric of this partnership you can see."
NOT_OWNER_SIDE = services.NOT_OWNER_SIDE


class EscalationOut(Schema):
    issue_id: int
    basis: str


def _party(partnership: Any, party_id: int) -> Party:
    party = partnership.parties.select_related("organization").filter(pk=party_id).first()
    if party is None:
        raise ValidationError(UNKNOWN_PARTY)
    return party


def _person(partnership: Any, user_id: int | None) -> Any:
    if user_id is None:
        return None
    if not Participant.objects.filter(partnership=partnership, user_id=user_id).exists():
        raise ValidationError(UNKNOWN_PERSON)
    return get_user_model().objects.get(pk=user_id)


def _commitment(
    request: HttpRequest, partnership_id: int, commitment_id: int, need: Need
) -> Commitment:
    partnership = access_partnership(request.user, partnership_id, need)
    return selectors.commitment_get(
        partnership=partnership, viewer=request.user, commitment_id=commitment_id
    )


def _reporting(request: HttpRequest, record: Any) -> None:
    """Only the owning side reports; to anyone else the write does not exist (404)."""
    if not rules.can_report(request.user, record):
        raise Http404


def _metrics(request: HttpRequest, partnership: Any, ids: set[int]) -> list[Any]:
    if not ids:
        return []
    from accord.performance.models import Metric

    metrics = list(
        Metric.objects.visible_to(request.user).filter(partnership=partnership, pk__in=ids)
    )
    if len(metrics) != len(ids):
        raise ValidationError(UNKNOWN_METRIC)
    return metrics
