"""Writes for objectives: create, edit (content and links), delete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.accountability.models import Commitment
from accord.interventions.models import Objective
from accord.interventions.services._text import plain
from accord.partnerships.access import Need, can, check_ownership_change, user_organization
from accord.partnerships.audit import record_event
from accord.partnerships.models import Partnership, Party, Visibility
from accord.performance.models import Metric

NOT_A_CONTRIBUTOR = "Only a sponsor, alliance manager or team member of a party can do this."
TITLE_REQUIRED = "Give the objective a title."
TITLE_TOO_LONG = "Keep the title under 200 characters."
BAD_SCOPE = "Choose joint, owned by one party, or shared."
OWNER_PARTY_REQUIRED = "Name the party that owns this objective."
OWNER_PARTY_ONLY_FOR_PARTY_SCOPE = "Only an objective owned by one party names an owner party."
UNKNOWN_PARTY = "That party is not part of this partnership."
INTERNAL_ONLY_OWN = "Only an objective your own party owns can be internal to your organization."
UNKNOWN_LINK = "Link only metrics and commitments of this partnership that you can see."
JOINT_LINKS_ONLY = (
    "A joint objective can link only joint metrics and commitments: every party must be able to "
    "see the evidence behind its status."
)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else "Accord"


def _contributor_org(user: Any, partnership: Partnership) -> Any:
    org = user_organization(user)
    if (
        org is None
        or not partnership.parties.filter(organization=org).exists()
        or not can(user, partnership, Need.CONTRIBUTE)
    ):
        raise ValidationError(NOT_A_CONTRIBUTOR)
    return org


def _clean(
    *,
    partnership: Partnership,
    org: Any,
    title: str,
    scope: str,
    owner_party_id: int | None,
    visibility: str,
) -> tuple[str, Party | None]:
    title = plain(title, "title")
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    if len(title) > 200:
        raise ValidationError({"title": TITLE_TOO_LONG})
    if scope not in Objective.Scope.values:
        raise ValidationError({"scope": BAD_SCOPE})
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": "Choose joint or internal."})
    party = None
    if scope == Objective.Scope.PARTY:
        if owner_party_id is None:
            raise ValidationError({"owner_party": OWNER_PARTY_REQUIRED})
        party = partnership.parties.filter(pk=owner_party_id).first()
        if party is None:
            raise ValidationError({"owner_party": UNKNOWN_PARTY})
    elif owner_party_id is not None:
        raise ValidationError({"owner_party": OWNER_PARTY_ONLY_FOR_PARTY_SCOPE})
    if visibility == Visibility.INTERNAL and (party is None or party.organization_id != org.pk):
        raise ValidationError({"visibility": INTERNAL_ONLY_OWN})
    return title, party


def _links(
    *,
    partnership: Partnership,
    user: Any,
    visibility: str,
    metric_ids: Iterable[int],
    commitment_ids: Iterable[int],
) -> tuple[list[Metric], list[Commitment]]:
    """The linked records, each visible to the writer; a joint objective links joint ones only,
    so its status never rests on evidence one party cannot see."""
    metric_ids, commitment_ids = set(metric_ids), set(commitment_ids)
    metrics = list(
        Metric.objects.visible_to(user).filter(partnership=partnership, pk__in=metric_ids)
    )
    commitments = list(
        Commitment.objects.visible_to(user).filter(partnership=partnership, pk__in=commitment_ids)
    )
    if len(metrics) != len(metric_ids) or len(commitments) != len(commitment_ids):
        raise ValidationError({"metrics": UNKNOWN_LINK})
    if visibility == Visibility.JOINT and any(
        r.visibility != Visibility.JOINT for r in [*metrics, *commitments]
    ):
        raise ValidationError({"metrics": JOINT_LINKS_ONLY})
    return metrics, commitments


def _audit(objective: Objective, *, user: Any, action: str, summary: str, changes: Any) -> None:
    internal = objective.visibility == Visibility.INTERNAL
    record_event(
        partnership=objective.partnership,
        actor=user,
        action=action,
        summary=summary,
        target=objective,
        changes=changes,
        owner_org=objective.owner_org if internal else None,
        visibility=objective.visibility,
    )


@transaction.atomic
def objective_create(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    description: str = "",
    scope: str = Objective.Scope.JOINT,
    owner_party_id: int | None = None,
    visibility: str = Visibility.JOINT,
    metric_ids: Iterable[int] = (),
    commitment_ids: Iterable[int] = (),
) -> Objective:
    org = _contributor_org(user, partnership)
    title, party = _clean(
        partnership=partnership,
        org=org,
        title=title,
        scope=scope,
        owner_party_id=owner_party_id,
        visibility=visibility,
    )
    metrics, commitments = _links(
        partnership=partnership,
        user=user,
        visibility=visibility,
        metric_ids=metric_ids,
        commitment_ids=commitment_ids,
    )
    objective = Objective.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        title=title,
        description=plain(description, "description"),
        scope=scope,
        owner_party=party,
    )
    objective.metrics.set(metrics)
    objective.commitments.set(commitments)
    _audit(
        objective,
        user=user,
        action="interventions.objective_create",
        summary=f"{_name(user)} recorded the objective “{title}”",
        changes={"scope": scope, "metrics": len(metrics), "commitments": len(commitments)},
    )
    return objective


@transaction.atomic
def objective_update(
    *,
    objective: Objective,
    user: Any,
    title: str,
    description: str,
    scope: str,
    owner_party_id: int | None,
    visibility: str,
    metric_ids: Iterable[int],
    commitment_ids: Iterable[int],
) -> Objective:
    """Replace an objective's content and links. Preconditions: the caller fetched it through
    selectors.objective_for (so the user may read it); visibility stays the owner's to change."""
    partnership = objective.partnership
    _contributor_org(user, partnership)
    check_ownership_change(user, objective, {"visibility": visibility})
    title, party = _clean(
        partnership=partnership,
        org=objective.owner_org,
        title=title,
        scope=scope,
        owner_party_id=owner_party_id,
        visibility=visibility,
    )
    metrics, commitments = _links(
        partnership=partnership,
        user=user,
        visibility=visibility,
        metric_ids=metric_ids,
        commitment_ids=commitment_ids,
    )
    objective.title, objective.description = title, plain(description, "description")
    objective.scope, objective.owner_party, objective.visibility = scope, party, visibility
    objective.save()
    objective.metrics.set(metrics)
    objective.commitments.set(commitments)
    _audit(
        objective,
        user=user,
        action="interventions.objective_update",
        summary=f"{_name(user)} edited the objective “{title}”",
        changes={"scope": scope, "metrics": len(metrics), "commitments": len(commitments)},
    )
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective, user: Any) -> None:
    _contributor_org(user, objective.partnership)
    check_ownership_change(user, objective, {"owner_org": None})
    _audit(
        objective,
        user=user,
        action="interventions.objective_delete",
        summary=f"{_name(user)} removed the objective “{objective.title}”",
        changes={},
    )
    objective.delete()
