"""The Formation tab: the playbook checklist, each party's progress, what is missing and where
to do it. Everything on it is derived from records; nothing is ticked here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accord.formation import kept_playbook
from accord.partnerships.access import Need, access_partnership, can, user_organization


@login_required
@require_GET
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    org = user_organization(request.user)
    playbook = kept_playbook.playbook_html(
        partnership,
        viewer_org_id=org.pk if org else None,
        can_manage=can(request.user, partnership, Need.MANAGE),
    )
    return render(
        request, "formation/overview.html", {"partnership": partnership, "playbook": playbook}
    )
