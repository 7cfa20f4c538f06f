from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accord.api import services
from accord.api.forms import TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        _token, created = services.token_create(user=request.user, **form.cleaned_data)
        form = TokenForm()
    tokens = request.user.api_tokens.all()  # type: ignore[union-attr]
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "created": created})


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = request.user.api_tokens.filter(pk=token_id).first()  # type: ignore[union-attr]
    if token is None:
        raise Http404
    try:
        services.token_revoke(token=token)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("token_list")
