"""The governance charter page, its Markdown and PDF exports, and each party's sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from accord.governance import selectors, services
from accord.governance.charter import (
    NOT_CONFIGURED,
    Charter,
    build_charter,
    charter_markdown,
    charter_pdf,
    charter_version,
    with_signoffs,
)
from accord.governance.forms import SettingsForm
from accord.governance.rules import is_approver, user_party
from accord.governance.views.common import context
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Partnership


def current_charter(partnership: Partnership) -> tuple[Charter, str]:
    charter = build_charter(partnership=partnership)
    digest = services.charter_hash(charter_markdown(charter, signoffs=False))
    return with_signoffs(charter, partnership=partnership, current_hash=digest), digest


@login_required
def charter(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    doc, digest = current_charter(partnership)
    party = user_party(request.user, partnership)
    signed = {name: (who, when, current) for name, who, when, current in doc.signoffs}
    mine = signed.get(party.organization.name) if party else None
    return render(
        request,
        "governance/charter.html",
        context(
            request,
            partnership,
            "charter",
            charter=doc,
            digest=digest,
            version=charter_version(partnership=partnership, digest=digest),
            not_configured=NOT_CONFIGURED,
            signed=signed,
            party_rows=[(name, signed.get(name)) for name in doc.parties],
            can_sign=bool(party and is_approver(request.user, party) and not (mine and mine[2])),
            my_party=party,
        ),
    )


def _filename(partnership: Partnership, ext: str) -> str:
    return f"governance-charter-{slugify(partnership.name) or partnership.pk}.{ext}"


@login_required
def charter_markdown_export(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    doc, digest = current_charter(partnership)
    version = charter_version(partnership=partnership, digest=digest)
    response = HttpResponse(
        charter_markdown(doc, version=version), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(partnership, "md")}"'
    return response


@login_required
def charter_pdf_export(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    doc, digest = current_charter(partnership)
    version = charter_version(partnership=partnership, digest=digest)
    response = HttpResponse(charter_pdf(doc, version=version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(partnership, "pdf")}"'
    return response


@login_required
@require_POST
def charter_sign(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    try:
        signoff = services.charter_sign(partnership=partnership, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Signed off for {signoff.party.organization.name}. The other parties have been told.",
        )
    return redirect("governance:charter", pk=partnership.pk)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    gov = selectors.governance_settings(partnership=partnership)
    if gov is None:
        messages.error(request, services.NOT_SET_UP)
        return redirect("governance:overview", pk=partnership.pk)
    form = SettingsForm(request.POST or None, instance=gov)
    if request.method == "POST" and form.is_valid():
        gov.refresh_from_db()
        try:
            services.settings_update(
                partnership=partnership,
                user=request.user,
                hide_stances_until_closed=form.cleaned_data["hide_stances_until_closed"],
                consultation_days=form.cleaned_data["consultation_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Governance settings saved.")
            return redirect("governance:overview", pk=partnership.pk)
    return render(
        request, "governance/settings.html", context(request, partnership, "settings", form=form)
    )
