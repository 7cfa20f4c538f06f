"""A party never sees the other party's intervention lists before the reveal — through any page,
API route, export, notification, e-mail or audit event (issue 13).

Both parties write a private list entry only they could know (helpers.A_PRIVATE, B_PRIVATE) and
submit. Then every GET route Birch's alliance manager may open (the declared routes of every app,
seeded as the authorization test seeds them) is walked as Birch and searched for Alder's entry;
the same for the neutral facilitator, who sees neither before the reveal. After the reveal the
same page shows both: the search cannot pass because the entry is simply never rendered.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from accord.accountability import links
from accord.api.services import token_create
from accord.backup.export import export_archive
from accord.backup.scope import OrganizationScope
from accord.interventions import services
from accord.interventions.tests.helpers import A_PRIVATE, B_PRIVATE, fill, open_intervention
from accord.notifications.models import Notification
from accord.partnerships.audit import AuditEvent
from accord.testing.authz import declared_expectations

EXPECTATIONS = declared_expectations()


def _params(key, expect, cast, intervention):
    """Declared params, except for this app's intervention routes: the secret intervention is
    the open one, and a partnership has only one open intervention at a time."""
    if key == "interventions:link_lists":
        token = links.make_token(links.INTERVENTION_LISTS, intervention.pk, cast.bob)
        return {"pk": cast.partnership.pk, "token": token}
    if key == "interventions:detail":
        return {"pk": cast.partnership.pk, "intervention_id": intervention.pk}
    if key.startswith("GET ") and "{intervention_id}" in key:
        return {"partnership_id": cast.partnership.pk, "intervention_id": intervention.pk}
    return expect.params(cast)


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # an archive
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(name) for name in archive.namelist())
    return body.decode(errors="replace")


def _walk(cast, client, user, persona) -> dict[str, str]:
    """Every readable GET for `persona`, as `user`: route → page text."""
    intervention = cast.secret
    _token, raw = token_create(user=user, name="walk", days=1)
    client.force_login(user)
    pages = {}
    for key, expect in sorted(EXPECTATIONS.items()):
        if expect.method != "GET" or expect.outcomes[persona] != 200:
            continue
        # Each route's seeded records are rolled back after it, as if in a fresh database.
        with transaction.atomic():
            params = _params(key, expect, cast, intervention)
            if key.startswith("GET "):
                url = key.split(" ", 1)[1].format(**params)
                response = client.get(url, headers={"Authorization": f"Bearer {raw}"})
            else:
                response = client.get(reverse(key, kwargs=params))
            assert response.status_code == 200, key
            pages[key] = _text(response)
            transaction.set_rollback(True)
    return pages


@pytest.fixture
def secret(cast):
    cast.secret = fill(cast, open_intervention(cast))
    return cast


def test_no_route_shows_the_other_partys_lists_before_the_reveal(secret, client):
    pages = _walk(secret, client, secret.bob, "partner")
    assert {key for key, text in pages.items() if A_PRIVATE in text} == set()
    # Birch's own entry is on its own intervention page: the walk reads real pages.
    detail = pages["interventions:detail"]
    assert B_PRIVATE in detail


def test_the_facilitator_sees_neither_list_before_the_reveal(secret, client):
    pages = _walk(secret, client, secret.fiona, "facilitator")
    assert {k for k, text in pages.items() if A_PRIVATE in text or B_PRIVATE in text} == set()


def test_notifications_mail_audit_and_export_keep_the_lists_private_until_the_reveal(secret):
    cast = secret
    birch_notes = " ".join(
        Notification.objects.filter(recipient=cast.bob).values_list("summary", flat=True)
    )
    birch_mail = " ".join(m.body + m.subject for m in mail.outbox if cast.bob.email in m.to)
    birch_audit = " ".join(
        f"{e.summary} {e.changes}" for e in AuditEvent.objects.visible_to(cast.bob)
    )
    archive = io.BytesIO()
    export_archive(archive, scope=OrganizationScope(cast.org_b))
    with zipfile.ZipFile(io.BytesIO(archive.getvalue())) as z:
        birch_export = b"".join(z.read(n) for n in z.namelist()).decode()
    for text in (birch_notes, birch_mail, birch_audit, birch_export):
        assert A_PRIVATE not in text
    # Alder's own archive and audit trail do hold its entry, so the searches above are real.
    own = io.BytesIO()
    export_archive(own, scope=OrganizationScope(cast.org_a))
    with zipfile.ZipFile(io.BytesIO(own.getvalue())) as z:
        assert A_PRIVATE in b"".join(z.read(n) for n in z.namelist()).decode()
    alder_audit = " ".join(e.summary for e in AuditEvent.objects.visible_to(cast.alice))
    assert A_PRIVATE in alder_audit


def test_after_the_reveal_both_lists_are_shown_to_both_parties(secret, client):
    cast = secret
    services.intervention_reveal(intervention=cast.secret, user=cast.fiona)
    url = reverse(
        "interventions:detail",
        kwargs={"pk": cast.partnership.pk, "intervention_id": cast.secret.pk},
    )
    for user in (cast.alice, cast.bob, cast.fiona):
        client.force_login(user)
        text = client.get(url).content.decode()
        assert A_PRIVATE in text
        assert B_PRIVATE in text
    archive = io.BytesIO()
    export_archive(archive, scope=OrganizationScope(cast.org_b))
    with zipfile.ZipFile(io.BytesIO(archive.getvalue())) as z:
        assert A_PRIVATE in b"".join(z.read(n) for n in z.namelist()).decode()
