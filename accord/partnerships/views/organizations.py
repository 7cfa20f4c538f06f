from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accord.partnerships import services
from accord.partnerships.access import access_organization, is_org_admin
from accord.partnerships.forms import OrganizationInviteForm
from accord.partnerships.models import Invitation, Partnership


@login_required
@require_http_methods(["GET", "POST"])
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_organization(request.user, slug)
    admin = is_org_admin(request.user, organization)
    form = OrganizationInviteForm(request.POST or None) if admin else None
    if request.method == "POST":
        organization = access_organization(request.user, slug, admin=True)
        if form is not None and form.is_valid():
            services.invitation_create(
                created_by=request.user,
                kind=Invitation.Kind.ORGANIZATION,
                organization=organization,
                **form.cleaned_data,
            )
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("organization_detail", slug=slug)
    context = {
        "organization": organization,
        "members": organization.memberships.select_related("user").order_by("user__last_name"),
        "partnerships": organization.parties.select_related("partnership").order_by(
            "partnership__name"
        ),
        "openable": set(Partnership.objects.visible_to(request.user).values_list("pk", flat=True)),
        "is_admin": admin,
        "form": form,
        "invitations": organization.invitations.filter(
            kind=Invitation.Kind.ORGANIZATION,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        if admin
        else [],
    }
    return render(request, "partnerships/organization.html", context)
