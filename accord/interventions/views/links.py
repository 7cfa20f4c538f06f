"""The signed single-action link "submit your intervention lists" (purpose INTERVENTION_LISTS).

No sign-in: the link is the credential for one action — add the holder's party's entries and
submit its lists — once. A tampered link or one for another purpose gives 400, an expired or used
one 410, an intervention outside the URL's partnership 404. The page shows nothing of any list,
not even the holder's own party's drafts: a forwarded e-mail must not leak them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accord.accountability import links
from accord.accountability.services import link_is_used
from accord.communication.action_links import LINK_USED, redeem
from accord.interventions import services
from accord.interventions.forms import LinkListsForm
from accord.interventions.models import Intervention


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accountability/link_refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def link_lists(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        grant = links.read_token(links.INTERVENTION_LISTS, token)
    except links.LinkError as exc:
        return _refuse(request, exc.message, exc.status)
    if link_is_used(token):
        return _refuse(request, LINK_USED, 410)
    intervention = (
        Intervention.objects.filter(pk=grant.object_id, partnership_id=pk)
        .select_related("partnership")
        .first()
    )
    if intervention is None:
        raise Http404
    form = LinkListsForm(request.POST or None)
    error, done = "", False
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                redeem(token, links.INTERVENTION_LISTS)
                services.lists_submit(
                    intervention=intervention,
                    user=grant.holder,
                    strategic_logic=form.cleaned_data["strategic_logic"],
                    entries=form.entries(),
                )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            if error == LINK_USED:
                return _refuse(request, LINK_USED, 410)
        else:
            done = True
    bad = bool(error or form.errors)
    return render(
        request,
        "interventions/link_lists.html",
        {
            "intervention": intervention,
            "holder": grant.holder,
            "form": form,
            "error": error,
            "done": done,
        },
        status=400 if bad else 200,
    )
