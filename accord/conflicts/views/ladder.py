"""The ladder: windows per tier (on the partnership settings) and owners per tier and side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.conflicts import selectors, services
from accord.conflicts.forms import OwnersForm, WindowsForm
from accord.partnerships.access import Need, access_partnership, can, user_organization
from accord.partnerships.models import Participant, Partnership


def _candidates(partnership: Partnership, organization_id: int) -> list[tuple[int, str]]:
    rows = (
        Participant.objects.filter(partnership=partnership, organization_id=organization_id)
        .exclude(role__in=[Participant.Role.FACILITATOR, Participant.Role.OBSERVER])
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    return [
        (p.user_id, f"{selectors.person_name(p.user)} — {p.get_role_display().lower()}")
        for p in rows
    ]


def _context(request: HttpRequest, partnership: Partnership, **extra: object) -> dict:
    tiers = selectors.ladder(partnership=partnership, viewer=request.user)
    can_manage = can(request.user, partnership, Need.MANAGE)
    org = user_organization(request.user)
    own_id = org.pk if org else None
    candidates = _candidates(partnership, own_id) if can_manage and own_id else []
    rows = []
    for tier in tiers:
        own = next((s for s in tier.sides if s.organization_id == own_id and not s.neutral), None)
        form = None
        if can_manage and own is not None:
            form = OwnersForm(
                initial={
                    "tier": tier.key,
                    "people": [str(pk) for pk, _ in own.people] if own.configured else [],
                },
                candidates=candidates,
                auto_id=f"id_{tier.key}_%s",
            )
        sides = [(side, names) for side, (_, names) in zip(tier.sides, tier.owners, strict=True)]
        rows.append({"tier": tier, "own": own, "form": form, "sides": sides})
    context = {
        "partnership": partnership,
        "rows": rows,
        "can_manage": can_manage,
        "windows_form": WindowsForm(windows=partnership.escalation_windows),
        "own_org": org,
    }
    context.update(extra)
    return context


@login_required
def ladder_page(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.VIEW)
    return render(request, "conflicts/ladder.html", _context(request, partnership))


@login_required
@require_POST
def ladder_windows(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = WindowsForm(request.POST, windows=partnership.escalation_windows)
    if form.is_valid():
        try:
            services.ladder_windows_set(
                partnership=partnership, user=request.user, windows=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Escalation windows saved.")
            return redirect("conflicts:ladder", pk=partnership.pk)
    context = _context(request, partnership, windows_form=form)
    return render(request, "conflicts/ladder.html", context, status=400)


@login_required
@require_POST
def ladder_owners(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    org = user_organization(request.user)
    candidates = _candidates(partnership, org.pk) if org else []
    form = OwnersForm(request.POST, candidates=candidates)
    if form.is_valid() and org is not None:
        people = Participant.objects.filter(
            partnership=partnership, user_id__in=[int(x) for x in form.cleaned_data["people"]]
        ).select_related("user")
        try:
            services.tier_owners_set(
                partnership=partnership,
                user=request.user,
                tier=form.cleaned_data["tier"],
                organization=org,
                users=[p.user for p in people],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Tier owners saved.")
            return redirect("conflicts:ladder", pk=partnership.pk)
    else:
        messages.error(request, "Choose a tier and people from your organization.")
    return redirect("conflicts:ladder", pk=partnership.pk)
