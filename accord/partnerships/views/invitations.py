from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.partnerships import services
from accord.partnerships.access import Need, access_partnership, user_organization
from accord.partnerships.forms import NewAccountForm, ParticipantInviteForm, PartyInviteForm
from accord.partnerships.models import Invitation, Participant


@login_required
@require_http_methods(["GET", "POST"])
def invite_party(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = PartyInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_create(
            created_by=request.user,
            kind=Invitation.Kind.PARTY,
            partnership=partnership,
            **form.cleaned_data,
        )
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
        return redirect("partnership_detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/invite.html",
        {"form": form, "partnership": partnership, "title": "Invite a partner organization"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite_participant(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = ParticipantInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        facilitator = data["participant_role"] == Participant.Role.FACILITATOR
        services.invitation_create(
            created_by=request.user,
            kind=Invitation.Kind.PARTICIPANT,
            partnership=partnership,
            email=data["email"],
            participant_role=data["participant_role"],
            organization=None if facilitator else user_organization(request.user),
            organization_name=data["organization_name"] if facilitator else "",
            message=data["message"],
        )
        messages.success(request, f"Invitation sent to {data['email']}.")
        return redirect("partnership_detail", pk=partnership.pk)
    return render(
        request,
        "partnerships/invite.html",
        {"form": form, "partnership": partnership, "title": "Invite a participant"},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    invitation = partnership.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    try:
        services.invitation_revoke(user=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("partnership_detail", pk=partnership.pk)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Someone without an account creates one here, in one step."""
    try:
        invitation = services.invitation_by_token(token)
    except ValidationError as error:
        return render(request, "partnerships/accept.html", {"error": error.messages[0]}, status=404)
    state = invitation.state()
    context: dict[str, object] = {"invitation": invitation, "state": state}
    if state != "pending":
        return render(request, "partnerships/accept.html", context, status=410)
    form = NewAccountForm(request.POST or None) if not request.user.is_authenticated else None
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                services.invitation_accept(raw_token=token, user=request.user)
                user = request.user
            elif form is not None and form.is_valid():
                data = form.cleaned_data
                user = services.user_create_and_accept(
                    raw_token=token,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                    unit=data["unit"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                user = None
        except ValidationError as error:
            context["error"] = error.messages[0]
        else:
            if user is not None:
                messages.success(request, "Welcome — your invitation is accepted.")
                if invitation.partnership_id:
                    return redirect("partnership_detail", pk=invitation.partnership_id)
                return redirect("organization_detail", slug=invitation.organization.slug)
    context["form"] = form
    return render(request, "partnerships/accept.html", context)
