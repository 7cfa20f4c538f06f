"""Questionnaires: read them, and revise a partnership's own version (alliance managers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accord.partnerships.access import Need, access_partnership, can
from accord.trust import instruments as catalog
from accord.trust import selectors, services
from accord.trust.forms import ItemForm, StageRulesForm
from accord.trust.views.rounds import _add_errors


def _versions(partnership, key: str):
    services.ensure_builtin_instruments()
    versions = selectors.instrument_versions(partnership=partnership, key=key)
    if not versions:
        raise Http404
    return versions


@login_required
@require_GET
def instrument_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    services.ensure_builtin_instruments()
    return render(
        request,
        "trust/instrument_list.html",
        {
            "partnership": partnership,
            "instruments": selectors.instruments_for(partnership=partnership),
        },
    )


def partner_word(user, partnership) -> str:  # type: ignore[no-untyped-def]
    """What ``{partner}`` reads as for this viewer: the one other party's name when there is
    exactly one, otherwise "the other party" (the statement is asked about each in turn)."""
    from accord.partnerships.access import user_organization

    org = user_organization(user)
    others = [
        p for p in partnership.parties.select_related("organization") if p.organization != org
    ]
    if len(others) == 1 and org is not None:
        return str(others[0].organization.name)
    return "the other party"


@login_required
@require_GET
def instrument_detail(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    versions = _versions(partnership, key)
    current = versions[0]
    if current.kind == current.Kind.CUSTOM:  # own instruments change by version, not by item
        return redirect("trust:own_detail", pk=partnership.pk, key=key)
    return render(
        request,
        "trust/instrument_detail.html",
        {
            "partnership": partnership,
            "instrument": current,
            "versions": versions,
            "items": [
                (item, item.text.replace("{partner}", partner_word(request.user, partnership)))
                for item in current.items.all()
            ],
            "labels": catalog.CONSTRUCT_LABELS,
            "in_use": current.in_use() or current.partnership_id is None,
            "can_manage": can(request.user, partnership, Need.MANAGE),
            "rounds": current.rounds.filter(partnership=partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int, key: str, item_key: str | None = None) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    current = _versions(partnership, key)[0]
    if current.kind == current.Kind.CUSTOM:  # own instruments change by version, not by item
        return redirect("trust:own_detail", pk=partnership.pk, key=key)
    item = current.items.filter(key=item_key).first() if item_key else None
    if item_key and item is None:
        raise Http404
    initial = (
        {
            f: getattr(item, f)
            for f in ("key", "text", "construct", "reverse", "low_anchor", "high_anchor", "comment")
        }
        if item
        else {
            "low_anchor": "Strongly disagree",
            "high_anchor": "Strongly agree",
            "text": "{partner} ",
        }
    )
    form = ItemForm(request.POST or None, kind=current.kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            target, saved = services.instrument_item_save(
                user=request.user,
                partnership=partnership,
                instrument=current,
                item_key=item_key,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            note = f" as version {target.version}" if target.pk != current.pk else ""
            label = catalog.CONSTRUCT_LABELS.get(saved.construct, saved.construct)
            messages.success(request, f"Saved the statement ({label}){note}.")
            return redirect("trust:instrument_detail", pk=partnership.pk, key=key)
    return render(
        request,
        "trust/item_form.html",
        {
            "partnership": partnership,
            "instrument": current,
            "form": form,
            "item": item,
            "new_version": current.in_use() or current.partnership_id is None,
        },
    )


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, key: str, item_key: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    current = _versions(partnership, key)[0]
    if current.kind == current.Kind.CUSTOM:
        return redirect("trust:own_detail", pk=partnership.pk, key=key)
    item = current.items.filter(key=item_key).first()
    label = catalog.CONSTRUCT_LABELS.get(item.construct, "") if item else ""
    try:
        target = services.instrument_item_remove(
            user=request.user, partnership=partnership, instrument=current, item_key=item_key
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        what = f" ({label})" if label else ""
        messages.success(request, f"Removed the statement{what} (now version {target.version}).")
    return redirect("trust:instrument_detail", pk=partnership.pk, key=key)


@login_required
@require_http_methods(["GET", "POST"])
def stage_rules(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = StageRulesForm(
        request.POST or None, rules=selectors.stage_rules(partnership=partnership)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_rules_update(
                user=request.user, partnership=partnership, values=form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Stage rules saved.")
            return redirect("trust:stage", pk=partnership.pk)
    return render(request, "trust/stage_rules.html", {"partnership": partnership, "form": form})
