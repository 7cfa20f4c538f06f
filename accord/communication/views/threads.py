"""Threads and meeting notes: the communication overview and one thread."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accord.communication import kept_overview, selectors, services
from accord.communication.forms import MessageForm, ThreadForm
from accord.communication.models import Attachment
from accord.partnerships.access import Need, access_partnership, can


def _apply(form: ThreadForm | MessageForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.thread_start(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("communication:thread", pk=pk, thread_id=thread.pk)
    kept = kept_overview.sections(request, partnership)
    return render(
        request,
        "communication/overview.html",
        {
            "partnership": partnership,
            "kept": kept,
            "open_concerns": kept["open_concerns"],
            "form": form,
            "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int, thread_id: int) -> HttpResponse:
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    found = (
        selectors.threads_for(partnership=partnership, viewer=request.user)
        .filter(pk=thread_id)
        .first()
    )
    if found is None:
        raise Http404
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.message_post(thread=found, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            return redirect("communication:thread", pk=pk, thread_id=thread_id)
    return render(
        request,
        "communication/thread.html",
        {
            "partnership": partnership,
            "thread": found,
            "messages_": selectors.messages_of(thread=found, viewer=request.user),
            "form": form,
            "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def attachment_download(
    request: HttpRequest, pk: int, thread_id: int, attachment_id: int
) -> HttpResponse:
    """Attachments are served only through this check (the thread must be visible to the
    reader), never from a public media URL — as accountability evidence is."""
    partnership = access_partnership(request.user, pk, Need.READ)
    visible = selectors.threads_for(partnership=partnership, viewer=request.user)
    attachment = Attachment.objects.filter(
        pk=attachment_id, message__thread_id=thread_id, message__thread__in=visible
    ).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
