from datetime import timedelta

from django.utils import timezone

from accord.partnerships.models import Invitation, hash_secret
from accord.testing.authz import api, everyone, web

LOGIN = 302  # anonymous visitors are sent to the sign-in page


def not_creators(status):
    return dict(observer=status, facilitator=status)


def pk(cast):
    return {"pk": cast.partnership.pk}


def pid(cast):
    return {"partnership_id": cast.partnership.pk}


def pending_invitation(cast, token="inv_authz"):
    return Invitation.objects.create(
        kind=Invitation.Kind.PARTY,
        email="new@partner.test",
        organization_name="New Partner",
        partnership=cast.partnership,
        token_hash=hash_secret(token),
        created_by=cast.alice,
        expires_at=timezone.now() + timedelta(days=3),
    )


def revoke_params(cast):
    return {"pk": cast.partnership.pk, "invitation_id": pending_invitation(cast).pk}


def api_revoke_params(cast):
    return {"partnership_id": cast.partnership.pk, "invitation_id": pending_invitation(cast).pk}


def accept_params(cast):
    pending_invitation(cast, "inv_accept")
    return {"token": "inv_accept"}


MANAGERS = dict(owner=200, partner=200, observer=404, facilitator=404, outsider=404)
READERS = dict(owner=200, partner=200, observer=200, facilitator=404, outsider=404)
VIEWERS = dict(owner=200, partner=200, observer=200, facilitator=200, outsider=404)

EXPECTATIONS = [
    web("login", **everyone(200)),
    web("logout", method="POST", **everyone(302)),
    web("password_reset", **everyone(200)),
    web("password_reset_done", **everyone(200)),
    web(
        "password_reset_confirm",
        params=lambda c: {"uidb64": "MQ", "token": "bad-token"},
        **everyone(200),
    ),
    web("password_reset_complete", **everyone(200)),
    web("password_change", **everyone(200, anonymous=LOGIN)),
    web("password_change_done", **everyone(200, anonymous=LOGIN)),
    web("home", **everyone(302)),
    web("partnership_list", **everyone(200, anonymous=LOGIN)),
    # observers and neutral facilitators do not start partnerships (access.can_create_partnership)
    web("partnership_create", **{**everyone(200, anonymous=LOGIN), **not_creators(404)}),
    web("partnership_detail", params=pk, anonymous=LOGIN, **VIEWERS),
    web("partnership_edit", params=pk, anonymous=LOGIN, **MANAGERS),
    web("partnership_activity", params=pk, anonymous=LOGIN, **READERS),
    web("partnership_activity_export", params=pk, anonymous=LOGIN, **READERS),
    web("invite_party", params=pk, anonymous=LOGIN, **MANAGERS),
    web("invite_participant", params=pk, anonymous=LOGIN, **MANAGERS),
    web(
        "invitation_revoke",
        method="POST",
        params=revoke_params,
        anonymous=LOGIN,
        **{**MANAGERS, "owner": 302, "partner": 302},
    ),
    web("invitation_accept", params=accept_params, **everyone(200)),
    web(
        "organization_detail",
        params=lambda c: {"slug": c.org_a.slug},
        owner=200,
        observer=200,
        partner=404,
        facilitator=404,
        outsider=404,
        anonymous=LOGIN,
    ),
    api("GET", "/partnerships", **everyone(200, anonymous=401)),
    api(
        "POST",
        "/partnerships",
        body=lambda c: {"name": "A new alliance"},
        **{**everyone(201, anonymous=401), **not_creators(400)},
    ),
    api("GET", "/partnerships/{partnership_id}", params=pid, **VIEWERS),
    api(
        "PATCH",
        "/partnerships/{partnership_id}",
        params=pid,
        body=lambda c: {"notice_lead_days": 45},
        **MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/parties", params=pid, **VIEWERS),
    api("GET", "/partnerships/{partnership_id}/participants", params=pid, **VIEWERS),
    api("GET", "/partnerships/{partnership_id}/invitations", params=pid, **MANAGERS),
    api(
        "POST",
        "/partnerships/{partnership_id}/invitations",
        params=pid,
        body=lambda c: {"kind": "participant", "email": "x@y.test", "participant_role": "member"},
        **{**MANAGERS, "owner": 201, "partner": 201},
    ),
    api(
        "POST",
        "/partnerships/{partnership_id}/invitations/{invitation_id}/revoke",
        params=api_revoke_params,
        **MANAGERS,
    ),
    api("GET", "/partnerships/{partnership_id}/audit-events", params=pid, **READERS),
]
