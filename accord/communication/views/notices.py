"""Change notices, reports of unannounced changes, answers and acknowledgements."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.accountability import links
from accord.communication import selectors, services
from accord.communication.forms import NoticeForm, ReportForm
from accord.communication.models import ChangeNotice
from accord.communication.views.threads import _apply
from accord.partnerships.access import Need, access_partnership, can, user_organization


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest, pk: int) -> HttpResponse:
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    org = user_organization(request.user)
    others = [
        (p.pk, p.organization.name)
        for p in partnership.parties.select_related("organization")
        if p.organization_id != getattr(org, "pk", None)
    ]
    action = request.POST.get("action", "")
    notice_form = NoticeForm(request.POST if action == "notice" else None)
    report_form = ReportForm(request.POST if action == "report" else None, parties=others)
    form = notice_form if action == "notice" else report_form
    if request.method == "POST" and form.is_valid():
        try:
            if action == "notice":
                services.notice_give(
                    partnership=partnership, user=request.user, **form.cleaned_data
                )
            else:
                services.notice_report(
                    partnership=partnership, user=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("communication:notices", pk=pk)
    notices = selectors.notices_between(
        partnership=partnership, viewer=request.user, start=date(1970, 1, 1), end=date(9999, 12, 31)
    )
    own_party = partnership.parties.filter(organization=org).first()
    return render(
        request,
        "communication/notices.html",
        {
            "partnership": partnership,
            "notices": notices,
            "own_party": own_party,
            "record": selectors.notice_record(partnership=partnership, viewer=request.user),
            "history": selectors.notice_history(partnership=partnership, viewer=request.user),
            "notice_form": notice_form,
            "report_form": report_form,
            "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        },
        status=400 if form.errors else 200,
    )


def _notice(request: HttpRequest, pk: int, notice_id: int) -> ChangeNotice:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    notice = (
        ChangeNotice.objects.visible_to(request.user)
        .filter(partnership=partnership, pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


@login_required
@require_POST
def answer(request: HttpRequest, pk: int, notice_id: int) -> HttpResponse:
    notice = _notice(request, pk, notice_id)
    try:
        services.notice_answer(
            notice=notice, user=request.user, answer=request.POST.get("answer", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("communication:notices", pk=pk)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int, notice_id: int) -> HttpResponse:
    notice = _notice(request, pk, notice_id)
    try:
        services.notice_acknowledge(notice=notice, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("communication:notices", pk=pk)


def _refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "accountability/link_refused.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def link_acknowledge(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """From the e-mailed link, no sign-in: acknowledge this one notice, once, and nothing else."""
    try:
        grant = links.read_token(links.NOTICE_ACKNOWLEDGE, token)
    except links.LinkError as error:
        return _refuse(request, error.message, error.status)
    from accord.accountability.services import link_is_used

    if link_is_used(token):
        return _refuse(request, services.LINK_USED, 410)
    notice = (
        ChangeNotice.objects.filter(pk=grant.object_id, partnership_id=pk)
        .select_related("partnership", "changing_party__organization")
        .first()
    )
    if notice is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.notice_acknowledge(notice=notice, user=grant.holder, token=token)
        except ValidationError as exc:
            if services.LINK_USED in exc.messages:
                return _refuse(request, services.LINK_USED, 410)
            error = " ".join(exc.messages)
        else:
            return render(
                request, "communication/link_done.html", {"notice": notice, "holder": grant.holder}
            )
    return render(
        request,
        "communication/link_acknowledge.html",
        {
            "notice": notice,
            "holder": grant.holder,
            "error": error,
            "max_age_days": links.MAX_AGE_DAYS,
        },
        status=400 if error else 200,
    )
