"""Answering a survey: from the e-mailed link without signing in, or from the app.

The link's opaque code (accord.trust.links) grants answering one round once and nothing else —
the page shows no partnership data beyond the questions. The code never travels in a URL: the
link carries it in the fragment, the page's script POSTs it (or the person pastes it), and the
questionnaire form sends it back in its body."""

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
from accord.trust.views.instrument_answer import instrument_answer_page


def _answer_page(
    request: HttpRequest, invitee: Invitee, *, via_link: bool, code: str = ""
) -> HttpResponse:
    survey = invitee.round
    context: dict[str, object] = {
        "survey": survey,
        "partnership": survey.partnership,
        "via_link": via_link,
        "invitee_party": invitee.party,
        "code": code,
    }
    try:
        services.check_can_answer(invitee)
    except ValidationError as error:
        context["error"] = error.messages[0]
        return render(request, "trust/answer.html", context, status=410)
    # Through a link, the first POST only carries the code; answers come with step=answers.
    sent = request.method == "POST" and (not via_link or request.POST.get("step") == "answers")
    if survey.kind == "custom":  # own instruments have their own scale and targets
        return instrument_answer_page(request, invitee, context, sent=sent)
    items = list(survey.instrument.items.all())
    parties = services.rated_parties(invitee)
    form = AnswerForm(
        request.POST if sent else None,
        parties=parties,
        items=items,
        points=survey.instrument.scale_points,
    )
    if sent and form.is_valid():
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
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the page that takes the code (from the link's fragment by script, or pasted).
    POST: the code in the body opens the questionnaire; with the answers, stores them."""
    if request.method == "GET":
        return render(request, "trust/answer_code.html", {"partnership_id": pk})
    code = request.POST.get("token", "")
    try:
        invitee = services.invitee_from_token(code, partnership_id=pk)
    except ValidationError as error:
        context = {"partnership_id": pk, "error": error.messages[0]}
        return render(request, "trust/answer_code.html", context, status=404)
    return _answer_page(request, invitee, via_link=True, code=code)


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
