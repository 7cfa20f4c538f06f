"""Answering a survey: from the e-mailed link without signing in, or from the app.

The link's token names one invitee of one round; it grants answering that round once and
nothing else — the page shows no partnership data beyond the questions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accord.partnerships.access import Need, access_partnership
from accord.trust import selectors, services
from accord.trust.forms import AnswerForm
from accord.trust.models import Invitee, SurveyRound


def _answer_page(request: HttpRequest, invitee: Invitee, *, via_link: bool) -> HttpResponse:
    survey = invitee.round
    context: dict[str, object] = {
        "survey": survey,
        "partnership": survey.partnership,
        "via_link": via_link,
        "invitee_party": invitee.party,
    }
    try:
        services.check_can_answer(invitee)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return render(request, "trust/answer.html", context, status=410)
    items = list(survey.instrument.items.all())
    parties = services.rated_parties(invitee)
    form = AnswerForm(
        request.POST or None,
        parties=parties,
        items=items,
        points=survey.instrument.scale_points,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitee=invitee, answers=form.answers())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            context["done"] = True
            return render(request, "trust/answer.html", context)
    context.update(
        form=form,
        rows=form.rows(invitee.party_id),
        scale=range(1, survey.instrument.scale_points + 1),
        instrument=survey.instrument,
        own_party=invitee.party,
    )
    return render(request, "trust/answer.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    try:
        invitee = services.invitee_from_token(token, partnership_id=pk)
    except ValidationError as error:
        return render(request, "trust/answer.html", {"error": error.messages[0]}, status=404)
    return _answer_page(request, invitee, via_link=True)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def respond(request: HttpRequest, pk: int, round_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    survey = SurveyRound.objects.filter(partnership=partnership, pk=round_id).first()
    invitee = selectors.invitee_for(survey=survey, user=request.user) if survey else None
    if invitee is None:
        raise Http404
    if invitee.responded and request.method == "GET":
        messages.info(request, services.ALREADY_ANSWERED)
        return redirect("trust:round_detail", pk=partnership.pk, round_id=round_id)
    return _answer_page(request, invitee, via_link=False)
