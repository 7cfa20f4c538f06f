from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accord.imports.forms import UploadForm
from accord.imports.models import ImportJob
from accord.imports.registry import IMPORTERS, need_for
from accord.imports.services import import_job_create
from accord.partnerships.access import Need, access_partnership


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, need_for(kind))
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                partnership=partnership,
                user=request.user,
                kind=kind,
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("import_detail", pk=partnership.pk, job_id=job.pk)
    return render(
        request,
        "imports/upload.html",
        {"partnership": partnership, "importer": importer, "form": form},
    )


@login_required
def import_detail(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    job = (
        ImportJob.objects.visible_to(request.user)
        .filter(partnership=partnership, pk=job_id)
        .first()
    )
    if job is None:
        raise Http404
    template = "imports/detail.html#status" if request.htmx else "imports/detail.html"
    importer = IMPORTERS.get(job.kind)
    return render(request, template, {"partnership": partnership, "job": job, "importer": importer})
