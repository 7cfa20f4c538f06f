"""The digest setting (signed in) and the one-click unsubscribe page (from the e-mail)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.accountability import links
from accord.communication import services
from accord.communication.models import DigestPreference


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        on = request.POST.get("daily_digest") == "on"
        services.digest_set(user=request.user, daily_digest=on)
        messages.success(request, "Daily digest turned on." if on else "Daily digest turned off.")
        return redirect("digest_settings")
    pref = DigestPreference.objects.filter(user=request.user).first()
    return render(
        request,
        "communication/digest_settings.html",
        {"daily_digest": pref.daily_digest if pref else True},
    )


@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link names its holder; it turns their digest off and does nothing else. Asking twice
    is harmless, so it is not single-use."""
    try:
        grant = links.read_token(links.DIGEST_UNSUBSCRIBE, token)
    except links.LinkError as error:
        return render(
            request,
            "accountability/link_refused.html",
            {"message": error.message},
            status=error.status,
        )
    if grant.object_id != grant.holder.pk:
        return render(
            request,
            "accountability/link_refused.html",
            {"message": links.LINK_TAMPERED},
            status=400,
        )
    done = request.method == "POST"
    if done:
        services.digest_set(user=grant.holder, daily_digest=False)
    return render(
        request, "communication/digest_unsubscribe.html", {"holder": grant.holder, "done": done}
    )
