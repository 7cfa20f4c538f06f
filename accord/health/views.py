"""The Health tab, its history (an htmx partial), the inputs behind a number, and the alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.domain.health import GROUPS
from accord.health import kept_overview, selectors, services
from accord.health.kept_overview import HISTORY_CHOICES
from accord.partnerships.access import NOT_FOUND, Need, access_partnership, can


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return render(
        request,
        "health/overview.html",
        {
            "partnership": partnership,
            "active_alerts": selectors.alerts(partnership, active_only=True),
            "kept": kept_overview.sections(request.user, partnership, weeks=_weeks(request)),
        },
    )


@login_required
def history_partial(request: HttpRequest, pk: int) -> HttpResponse:
    """The chart alone for htmx; a browser that opens the address itself gets the whole tab."""
    partnership = access_partnership(request.user, pk, Need.READ)
    weeks = _weeks(request)
    if not request.headers.get("HX-Request"):
        url = reverse("health:overview", args=[partnership.pk])
        return redirect(f"{url}?weeks={weeks}#health-history")
    return render(
        request, "health/_history.html", kept_overview.history_context(partnership, weeks)
    )


def _weeks(request: HttpRequest) -> int:
    try:
        weeks = int(request.GET.get("weeks", "52"))
    except ValueError:
        weeks = 52
    return weeks if weeks in HISTORY_CHOICES else 52


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    group = request.GET.get("group") or None
    if group not in {None, *(str(g) for g in GROUPS)}:
        group = None
    try:
        party = int(request.GET.get("party") or 0) or None
    except ValueError:
        party = None
    if party is not None and party not in selectors.party_names(partnership):
        party = None
    rows = selectors.inputs(partnership, group=group, party=party)
    return render(
        request,
        "health/evidence.html",
        {
            "partnership": partnership,
            "rows": rows,
            "group": group,
            "group_label": dict((str(g), lbl) for g, lbl in selectors.GROUP_LABELS.items()).get(
                group or "", ""
            ),
        },
    )


@login_required
def alert_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    return render(
        request,
        "health/alerts.html",
        {
            "partnership": partnership,
            "alerts": selectors.alerts(partnership),
            "can_manage": can(request.user, partnership, Need.MANAGE),
        },
    )


def _alert_action(request: HttpRequest, pk: int, alert_id: int, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    alert = selectors.alert_for(partnership, alert_id)
    if alert is None:
        raise Http404(NOT_FOUND)
    try:
        action(alert=alert, actor=request.user)
    except services.AlertStateError as error:
        messages.error(request, str(error))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "health/_alert.html",
            {
                "partnership": partnership,
                "alert": selectors.alert_for(partnership, alert_id),
                "can_manage": True,
            },
        )
    return redirect("health:alerts", pk=partnership.pk)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, pk: int, alert_id: int) -> HttpResponse:
    return _alert_action(request, pk, alert_id, services.acknowledge_alert)


@login_required
@require_POST
def alert_resolve(request: HttpRequest, pk: int, alert_id: int) -> HttpResponse:
    return _alert_action(request, pk, alert_id, services.resolve_alert)
