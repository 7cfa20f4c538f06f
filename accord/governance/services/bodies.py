"""Joint bodies that decide delegated domains."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accord.governance.models import (
    JointBody,
    JointBodyMember,
    Proposal,
)
from accord.governance.services._common import _actor_name, _require_party, _settings
from accord.governance.services.messages import (
    BODY_IN_USE,
    BODY_MEMBERS_NOT_HERE,
    BODY_MEMBERS_PARTIES,
    BODY_NAME_REQUIRED,
    BODY_NAME_TAKEN,
    BODY_QUORUM_TOO_HIGH,
    BODY_QUORUM_TOO_LOW,
)
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership


def _validate_body(
    partnership: Partnership,
    name: str,
    quorum: int,
    members: list[Participant],
    exclude: int | None = None,
) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": BODY_NAME_REQUIRED})
    clash = JointBody.objects.filter(partnership=partnership, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"name": BODY_NAME_TAKEN})
    party_orgs = set(partnership.parties.values_list("organization_id", flat=True))
    if any(
        m.partnership_id != partnership.pk
        or m.organization_id not in party_orgs
        or m.role == Participant.Role.OBSERVER
        for m in members
    ):
        raise ValidationError({"members": BODY_MEMBERS_NOT_HERE})
    if len({m.organization_id for m in members}) < 2:
        raise ValidationError({"members": BODY_MEMBERS_PARTIES})
    if quorum < 1:
        raise ValidationError({"quorum": BODY_QUORUM_TOO_LOW})
    if quorum > len(members):
        raise ValidationError({"quorum": BODY_QUORUM_TOO_HIGH})
    return name


@transaction.atomic
def joint_body_create(
    *,
    partnership: Partnership,
    user: Any,
    name: str,
    mandate: str,
    quorum: int,
    members: list[Participant],
) -> JointBody:
    _settings(partnership)
    party = _require_party(user, partnership)
    name = _validate_body(partnership, name, quorum, members)
    body = JointBody.objects.create(
        partnership=partnership,
        owner_org_id=party.organization_id,
        created_by=user,
        name=name,
        mandate=mandate.strip(),
        quorum=quorum,
    )
    JointBodyMember.objects.bulk_create(
        [JointBodyMember(body=body, participant=m) for m in members]
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="governance.body_create",
        summary=f"{_actor_name(user)} formed the joint body “{name}” with {len(members)} members "
        f"and a quorum of {quorum}",
        target=body,
        changes={"members": [_actor_name(m.user) for m in members], "quorum": quorum},
    )
    return body


@transaction.atomic
def joint_body_update(
    *,
    body: JointBody,
    user: Any,
    name: str,
    mandate: str,
    quorum: int,
    members: list[Participant],
) -> JointBody:
    JointBody.objects.select_for_update().filter(pk=body.pk).exists()
    name = _validate_body(body.partnership, name, quorum, members, exclude=body.pk)
    before = sorted(_actor_name(m.participant.user) for m in body.memberships.all())
    body.name, body.mandate, body.quorum = name, mandate.strip(), quorum
    body.save()
    body.memberships.all().delete()
    JointBodyMember.objects.bulk_create(
        [JointBodyMember(body=body, participant=m) for m in members]
    )
    record_event(
        partnership=body.partnership,
        actor=user,
        action="governance.body_update",
        summary=f"{_actor_name(user)} updated the joint body “{name}”",
        target=body,
        changes={
            "members": [before, sorted(_actor_name(m.user) for m in members)],
            "quorum": quorum,
        },
    )
    return body


@transaction.atomic
def joint_body_delete(*, body: JointBody, user: Any) -> None:
    if body.domains.exists():
        raise ValidationError(BODY_IN_USE)
    if Proposal.objects.filter(joint_body=body).exists():
        raise ValidationError(BODY_IN_USE)
    record_event(
        partnership=body.partnership,
        actor=user,
        action="governance.body_delete",
        summary=f"{_actor_name(user)} dissolved the joint body “{body.name}”",
        target=body,
    )
    body.delete()
