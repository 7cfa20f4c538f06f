from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.partnerships import selectors, services
from accord.partnerships.access import (
    NOT_FOUND,
    Need,
    access_partnership,
    can,
    can_create_partnership,
    lens_audit_events,
    people_lens,
)
from accord.partnerships.attention import attention_for
from accord.partnerships.audit import AuditEvent
from accord.partnerships.forms import PartnershipForm
from accord.partnerships.kept_overview import overview
from accord.partnerships.needs_me import needs_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("partnership_list")


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.partnership_rows(user=request.user))
    figures = attention_for(request.user, [p.pk for p in rows])
    for row in rows:
        row.attention = figures[row.pk]
    rows.sort(key=attention_order)
    return render(
        request,
        "partnerships/list.html",
        {
            "rows": rows,
            "needs": needs_for(request.user),
            "can_create": can_create_partnership(request.user),
        },
    )


def attention_order(row: Any) -> tuple[int, float, str]:
    """Most to attend to first, then the lowest health (none last), then by name."""
    a = row.attention
    return (-a.count, a.health if a.health is not None else 101.0, row.name.lower())


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: HttpRequest) -> HttpResponse:
    if not can_create_partnership(request.user):
        raise Http404(NOT_FOUND)
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(user=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Partnership “{partnership.name}” created.")
            return redirect("partnership_detail", pk=partnership.pk)
    return render(request, "partnerships/form.html", {"form": form, "creating": True})


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk)
    can_manage = can(request.user, partnership, Need.MANAGE)
    can_read = can(request.user, partnership, Need.READ)
    kept = overview(request, partnership, can_read=can_read, can_manage=can_manage)
    context = {
        "partnership": partnership,
        "can_manage": can_manage,
        "kept": kept.sections,
        "invitations": kept.invitations,
    }
    return render(request, "partnerships/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        partnership.refresh_from_db()
        before = partnership.status
        services.partnership_update(user=request.user, partnership=partnership, **fields)
        messages.success(request, "Changes saved.")
        from accord.formation.selectors import status_change_warnings  # formation reads us

        for warning in status_change_warnings(partnership, before=before):
            messages.warning(request, warning)
        return redirect("partnership_detail", pk=partnership.pk)
    return render(request, "partnerships/form.html", {"form": form, "partnership": partnership})


@login_required
def partnership_activity(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    events = AuditEvent.objects.visible_to(request.user).filter(partnership=partnership)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = lens_audit_events(people_lens(request.user, partnership), page.object_list)
    return render(request, "partnerships/activity.html", {"partnership": partnership, "page": page})


ACTIVITY_HEADER = [
    "seq",
    "created_at",
    "actor",
    "action",
    "summary",
    "visibility",
    "changes",
    "hash",
    "prev_hash",
]


@login_required
def partnership_activity_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity record the reader sees, as CSV with exact values: timestamps to the
    microsecond (ISO 8601), changes as the JSON that was hashed, each entry's hash and its
    predecessor's — so an export can be checked against the chain. Hidden people stay hidden."""
    from accord.economics.exports import respond

    partnership = access_partnership(request.user, pk, Need.READ)
    lens = people_lens(request.user, partnership)
    events = (
        AuditEvent.objects.visible_to(request.user)
        .filter(partnership=partnership)
        .order_by("visibility", "seq")
    )

    def rows() -> Iterator[list[Any]]:
        yield ACTIVITY_HEADER
        for chunk in _chunks(events.iterator(chunk_size=2000), 2000):
            for e in lens_audit_events(lens, chunk):
                yield [
                    e.seq,
                    e.created_at.isoformat(),
                    e.actor_name,
                    e.action,
                    e.summary,
                    e.visibility,
                    json.dumps(e.changes, ensure_ascii=False, sort_keys=True),
                    e.hash,
                    e.prev_hash,
                ]

    return respond(rows(), filename=f"activity-{partnership.pk}", fmt="csv")


def _chunks(items: Iterator[AuditEvent], size: int) -> Iterator[list[AuditEvent]]:
    chunk: list[AuditEvent] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
