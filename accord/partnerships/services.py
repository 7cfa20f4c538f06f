"""Writes for the tenant root. Each service validates, saves and records its audit event in one
transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from accord.partnerships.access import can_create_partnership
from accord.partnerships.audit import record_event
from accord.partnerships.models import (
    DEFAULT_ESCALATION_WINDOWS,
    MINIMUM_ANONYMITY_K,
    Invitation,
    Membership,
    Organization,
    Participant,
    Partnership,
    Party,
    hash_secret,
    new_secret,
)

INVITATION_NOT_FOUND = "This invitation link is not valid."
INVITATION_USED = "This invitation has already been used."
INVITATION_REVOKED = "This invitation was withdrawn."
INVITATION_EXPIRED = "This invitation has expired. Ask for a new one."
INVITATION_WRONG_ORG = "You belong to {org}, but this invitation is for {target}."
ALREADY_IN_ORG = "You already belong to {org}; a person belongs to one organization."
ALREADY_PARTY = "{org} is already a party to this partnership."
ALREADY_PARTICIPANT = "You already take part in this partnership."
NO_ORGANIZATION = "You need to belong to an organization first."
NOT_A_CREATOR = (
    "Observers and neutral facilitators cannot start a partnership; "
    "ask your alliance manager or your organization's admin."
)
K_TOO_SMALL = f"The anonymity threshold must be at least {MINIMUM_ANONYMITY_K}."
END_BEFORE_START = "The end date must not be before the start date."
BAD_WINDOWS = "Escalation windows must be whole days between 1 and 365 for each tier."

EDITABLE_FIELDS = (
    "name",
    "purpose",
    "objectives",
    "continuum_stage",
    "status",
    "start_date",
    "end_date",
    "anonymity_k",
    "notice_lead_days",
    "escalation_windows",
    "restrict_participant_lists",
)


def unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def organization_create(*, name: str, admin: Any = None, unit: str = "") -> Organization:
    org = Organization.objects.create(name=name.strip(), slug=unique_slug(name))
    if admin is not None:
        Membership.objects.create(
            user=admin, organization=org, role=Membership.Role.ADMIN, unit=unit
        )
    record_event(
        organization=org,
        actor=admin,
        action="organization.create",
        summary=f"Organization {org.name} created",
        target=org,
    )
    return org


def validate_settings(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    k = values.get("anonymity_k")
    if k is not None and k < MINIMUM_ANONYMITY_K:
        errors["anonymity_k"] = K_TOO_SMALL
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = END_BEFORE_START
    windows = values.get("escalation_windows")
    if windows is not None and (
        not isinstance(windows, dict)
        or set(windows) != set(DEFAULT_ESCALATION_WINDOWS)
        or not all(isinstance(v, int) and 1 <= v <= 365 for v in windows.values())
    ):
        errors["escalation_windows"] = BAD_WINDOWS
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def partnership_create(*, user: Any, name: str, **fields: Any) -> Partnership:
    """The creator's organization becomes the first party and the creator its alliance manager."""
    org = Organization.objects.filter(memberships__user=user).first()
    if org is None:
        raise ValidationError(NO_ORGANIZATION)
    if not can_create_partnership(user):
        raise ValidationError(NOT_A_CREATOR)
    values = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    validate_settings(values)
    partnership = Partnership.objects.create(name=name, created_by=user, **values)
    Party.objects.create(partnership=partnership, organization=org)
    Participant.objects.create(
        partnership=partnership, user=user, organization=org, role=Participant.Role.ALLIANCE_MANAGER
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="partnership.create",
        summary=f"{user.get_full_name() or user.username} created the partnership “{name}”",
        target=partnership,
        changes={k: _show(v) for k, v in values.items()},
    )
    return partnership


def _show(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def partnership_update(*, user: Any, partnership: Partnership, **fields: Any) -> Partnership:
    values = {k: v for k, v in fields.items() if k in EDITABLE_FIELDS}
    validate_settings({**{f: getattr(partnership, f) for f in EDITABLE_FIELDS}, **values})
    changes = {
        field: [_show(getattr(partnership, field)), _show(value)]
        for field, value in values.items()
        if getattr(partnership, field) != value
    }
    if not changes:
        return partnership
    for field, value in values.items():
        setattr(partnership, field, value)
    partnership.save()
    labels = ", ".join(Partnership._meta.get_field(f).verbose_name for f in changes)
    record_event(
        partnership=partnership,
        actor=user,
        action="partnership.update",
        summary=f"{user.get_full_name() or user.username} changed {labels}",
        target=partnership,
        changes=changes,
    )
    return partnership


def _send_invitation(invitation: Invitation, raw_token: str) -> None:
    link = settings.SITE_URL + reverse("invitation_accept", args=[raw_token])
    inviter = invitation.created_by.get_full_name() or invitation.created_by.username
    if invitation.kind == Invitation.Kind.ORGANIZATION:
        subject = f"{inviter} invites you to join {invitation.organization} on Accord"
    elif invitation.kind == Invitation.Kind.PARTY:
        subject = f"{inviter} invites your organization to the partnership {invitation.partnership}"
    else:
        role = invitation.get_participant_role_display()
        subject = f"{inviter} invites you to {invitation.partnership} as {role}"
    body = (
        f"{subject}.\n\n{invitation.message}\n\nAccept here (the link works once and expires on "
        f"{invitation.expires_at:%d %b %Y}):\n{link}\n"
    )
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    created_by: Any,
    kind: str,
    email: str,
    organization: Organization | None = None,
    organization_name: str = "",
    partnership: Partnership | None = None,
    membership_role: str = Membership.Role.MEMBER,
    participant_role: str = "",
    message: str = "",
) -> tuple[Invitation, str]:
    """Returns the invitation and its raw token; the token is e-mailed and never stored."""
    raw = new_secret("inv")
    invitation = Invitation.objects.create(
        kind=kind,
        email=email.strip().lower(),
        organization=organization,
        organization_name=organization_name.strip(),
        partnership=partnership,
        membership_role=membership_role,
        participant_role=participant_role,
        message=message,
        token_hash=hash_secret(raw),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=settings.ACCORD_INVITATION_DAYS),
    )
    target = invitation.invited_organization_name()
    event = {
        "actor": created_by,
        "target": invitation,
        "changes": {"email": invitation.email, "kind": kind, "role": participant_role},
    }
    if partnership is not None:
        who = f"{target} as a partner" if kind == Invitation.Kind.PARTY else invitation.email
        record_event(
            partnership=partnership,
            action=f"invitation.{kind}",
            summary=f"Invited {who}",
            **event,
        )
    else:
        record_event(
            organization=organization,
            action="invitation.organization",
            summary=f"Invited {invitation.email} to {organization}",
            **event,
        )
    transaction.on_commit(lambda: _send_invitation(invitation, raw))
    return invitation, raw


def invitation_by_token(raw_token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organization", "partnership", "created_by")
        .filter(token_hash=hash_secret(raw_token))
        .first()
    )
    if invitation is None:
        raise ValidationError(INVITATION_NOT_FOUND)
    return invitation


def _check_pending(invitation: Invitation) -> None:
    state = invitation.state()
    if state != "pending":
        raise ValidationError(
            {"accepted": INVITATION_USED, "revoked": INVITATION_REVOKED}.get(
                state, INVITATION_EXPIRED
            )
        )


@transaction.atomic
def invitation_accept(*, raw_token: str, user: Any, unit: str = "") -> Invitation:
    """Single use even under a double click: the row is locked and re-checked before use."""
    found = invitation_by_token(raw_token)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    _check_pending(invitation)
    membership = Membership.objects.filter(user=user).select_related("organization").first()
    target_org = invitation.organization
    if invitation.kind == Invitation.Kind.ORGANIZATION or (
        target_org is not None and membership is None
    ):
        if membership is not None:
            raise ValidationError(ALREADY_IN_ORG.format(org=membership.organization))
        membership = Membership.objects.create(
            user=user, organization=target_org, role=invitation.membership_role, unit=unit
        )
        record_event(
            organization=target_org,
            actor=user,
            action="membership.create",
            summary=f"{user.get_full_name() or user.username} joined {target_org}",
            target=membership,
        )
    elif target_org is None and membership is None:
        org = organization_create(name=invitation.organization_name, admin=user, unit=unit)
        membership = Membership.objects.get(user=user, organization=org)
    if membership is None:
        raise ValidationError(NO_ORGANIZATION)
    org = membership.organization
    if target_org is not None and org.pk != target_org.pk:
        raise ValidationError(INVITATION_WRONG_ORG.format(org=org, target=target_org))

    partnership = invitation.partnership
    if invitation.kind == Invitation.Kind.PARTY:
        if partnership.parties.filter(organization=org).exists():
            raise ValidationError(ALREADY_PARTY.format(org=org))
        party = Party.objects.create(partnership=partnership, organization=org)
        record_event(
            partnership=partnership,
            actor=user,
            action="party.join",
            summary=f"{org} joined the partnership",
            target=party,
        )
        _add_participant(partnership, user, org, Participant.Role.ALLIANCE_MANAGER)
    elif invitation.kind == Invitation.Kind.PARTICIPANT:
        _add_participant(partnership, user, org, invitation.participant_role)

    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation


def _add_participant(partnership: Partnership, user: Any, org: Organization, role: str) -> None:
    if Participant.objects.filter(partnership=partnership, user=user).exists():
        raise ValidationError(ALREADY_PARTICIPANT)
    participant = Participant.objects.create(
        partnership=partnership, user=user, organization=org, role=role
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="participant.join",
        summary=(
            f"{user.get_full_name() or user.username} ({org}) joined as "
            f"{participant.get_role_display()}"
        ),
        target=participant,
    )


@transaction.atomic
def invitation_revoke(*, user: Any, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _check_pending(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    scope = (
        {"partnership": invitation.partnership}
        if invitation.partnership_id
        else {"organization": invitation.organization}
    )
    record_event(
        actor=user,
        action="invitation.revoke",
        summary=f"Withdrew the invitation to {invitation.email}",
        target=invitation,
        **scope,
    )
    return invitation


@transaction.atomic
def user_create_and_accept(
    *, raw_token: str, first_name: str, last_name: str, password: str, unit: str = ""
) -> Any:
    """The flow for someone with no account: the account exists only if acceptance succeeds."""
    invitation = invitation_by_token(raw_token)
    _check_pending(invitation)
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=invitation.email,
        email=invitation.email,
        password=password,
        first_name=first_name,
        last_name=last_name,
    )
    invitation_accept(raw_token=raw_token, user=user, unit=unit)
    return user
