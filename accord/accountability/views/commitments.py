"""Commitments: the overview, the list with filters, a commitment with its evidence, status
history, monitoring requests, consequences and escalation; on-time delivery and oversight."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accord import charts
from accord.accountability import rules, selectors, services
from accord.accountability.forms import (
    AnswerForm,
    CommitmentEditForm,
    CommitmentFilterForm,
    CommitmentForm,
    ConsequenceForm,
    EvidenceForm,
    MonitoringRequestForm,
    ReplanForm,
    StatusForm,
)
from accord.accountability.models import Commitment, Evidence, MonitoringRequest
from accord.partnerships.access import Need, access_partnership, can


def page(
    request: HttpRequest, template: str, partnership: Any, section: str, **context: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "partnership": partnership,
            "section": section,
            "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
            "can_manage": can(request.user, partnership, Need.MANAGE),
            **context,
        },
    )


def issue_url(partnership: Any, issue_id: int | None) -> str:
    if not issue_id:
        return ""
    try:
        return reverse(
            "conflicts:issue_detail", kwargs={"pk": partnership.pk, "issue_id": issue_id}
        )
    except NoReverseMatch:
        return ""


def on_time_chart(data: selectors.OnTime) -> charts.Chart | None:
    if data.evaluated == 0:
        return None
    series = {
        row.party.organization.name: [None if r is None else round(100 * r, 1) for r in row.rates]
        for row in data.rows
    }
    alt = "On-time delivery per party and quarter: " + data.sentence()
    return charts.line_chart(
        "On-time delivery per party (%)", data.quarters, series, alt=alt, y_range=(0, 100)
    )


@login_required
def commitment_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    filters = CommitmentFilterForm(request.GET or None, partnership=partnership)
    party = status = None
    if filters.is_valid():
        party, status = filters.cleaned_data["party"], filters.cleaned_data["status"] or None
    rows = selectors.commitment_list(
        partnership=partnership, viewer=request.user, party=party, status=status
    )
    page_obj = Paginator(rows, 50).get_page(request.GET.get("page"))
    template = "accountability/commitments.html"
    if request.htmx:
        template += "#results"
    return page(
        request,
        template,
        partnership,
        "commitments",
        filters=filters,
        page_obj=page_obj,
        today=timezone.localdate(),
        query=request.GET.urlencode(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    initial = {"owner_party": request.GET["owner_party"]} if "owner_party" in request.GET else {}
    form = CommitmentForm(
        request.POST or None, initial=initial, partnership=partnership, viewer=request.user
    )
    if request.htmx and request.method == "GET":  # the owner party changed: its people only
        return render(request, "accountability/commitment_form.html#owner", {"form": form})
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Commitment “{commitment.title}” recorded.")
            return redirect("accountability:commitment_detail", pk=pk, commitment_id=commitment.pk)
    return page(
        request, "accountability/commitment_form.html", partnership, "commitments", form=form
    )


def _detail_context(
    request: HttpRequest, partnership: Any, commitment: Commitment, **forms: Any
) -> dict[str, Any]:
    user = request.user
    window_basis = selectors.escalation_basis(commitment=commitment)
    return {
        "commitment": commitment,
        "evidence": commitment.evidence.select_related("added_by"),
        "history": commitment.status_changes.select_related("changed_by"),
        "consequences": commitment.consequences.select_related("recorded_by"),
        "requests": selectors.monitoring_requests(partnership=partnership, viewer=user).filter(
            commitment=commitment
        ),
        "replanned_as": Commitment.objects.visible_to(user)
        .filter(replanned_from=commitment)
        .first(),
        "can_report": rules.can_report(user, commitment),
        "can_request": rules.can_request_monitoring(user, commitment),
        "can_replan": rules.can_replan(user, commitment),
        "escalation_basis": window_basis,
        "issue_url": issue_url(partnership, commitment.escalated_issue_id),
        "status_form": forms.get("status_form") or StatusForm(commitment=commitment),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "request_form": forms.get("request_form") or MonitoringRequestForm(),
        "replan_form": forms.get("replan_form") or ReplanForm(),
        "consequence_form": forms.get("consequence_form") or ConsequenceForm(),
        "answer_form": AnswerForm(),
        "today": timezone.localdate(),
    }


def _commitment(
    request: HttpRequest, pk: int, commitment_id: int, need: Need = Need.READ
) -> tuple[Any, Commitment]:
    partnership = access_partnership(request.user, pk, need)
    commitment = selectors.commitment_get(
        partnership=partnership, viewer=request.user, commitment_id=commitment_id
    )
    return partnership, commitment


@login_required
def commitment_detail(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id)
    return page(
        request,
        "accountability/commitment_detail.html",
        partnership,
        "commitments",
        **_detail_context(request, partnership, commitment),
    )


def _rerender(
    request: HttpRequest, partnership: Any, commitment: Commitment, status: int = 400, **forms: Any
) -> HttpResponse:
    response = page(
        request,
        "accountability/commitment_detail.html",
        partnership,
        "commitments",
        **_detail_context(request, partnership, commitment, **forms),
    )
    response.status_code = status
    return response


def _back(commitment: Commitment) -> HttpResponse:
    return redirect(
        "accountability:commitment_detail",
        pk=commitment.partnership_id,
        commitment_id=commitment.pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_edit(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.CONTRIBUTE)
    if not (
        rules.can_replan(request.user, commitment) or commitment.created_by_id == request.user.pk
    ):
        raise Http404
    initial = {f: getattr(commitment, f) for f in services.EDITABLE}
    form = CommitmentEditForm(
        request.POST or None,
        initial=initial,
        partnership=partnership,
        viewer=request.user,
        owner_party=commitment.owner_party,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Commitment updated.")
            return _back(commitment)
    return page(
        request,
        "accountability/commitment_form.html",
        partnership,
        "commitments",
        form=form,
        commitment=commitment,
    )


@login_required
@require_POST
def commitment_status(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.CONTRIBUTE)
    if not rules.can_report(request.user, commitment):
        raise Http404
    form = StatusForm(request.POST, commitment=commitment)
    if form.is_valid():
        try:
            fields = dict(form.cleaned_data)
            fields["expected_status"] = fields["expected_status"] or None
            services.commitment_set_status(commitment=commitment, user=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Status updated.")
            return _back(commitment)
    return _rerender(request, partnership, commitment, status_form=form)


@login_required
@require_POST
def commitment_evidence(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.CONTRIBUTE)
    if not rules.can_report(request.user, commitment):
        raise Http404
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.commitment_add_evidence(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Evidence added.")
            return _back(commitment)
    return _rerender(request, partnership, commitment, evidence_form=form)


@login_required
def evidence_download(
    request: HttpRequest, pk: int, commitment_id: int, evidence_id: int
) -> HttpResponse:
    """Evidence files are served only through this check, never from a public media URL."""
    _partnership, commitment = _commitment(request, pk, commitment_id)
    evidence = (
        Evidence.objects.filter(commitment=commitment, pk=evidence_id).exclude(file="").first()
    )
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name or "evidence"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def commitment_replan(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.CONTRIBUTE)
    if not rules.can_replan(request.user, commitment):
        raise Http404
    form = ReplanForm(request.POST)
    if form.is_valid():
        try:
            new = services.commitment_replan(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Re-planned. The miss stays on record; this is the new commitment."
            )
            return _back(new)
    return _rerender(request, partnership, commitment, replan_form=form)


@login_required
@require_POST
def commitment_consequence(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.MANAGE)
    form = ConsequenceForm(request.POST)
    if form.is_valid():
        try:
            services.consequence_record(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Consequence recorded.")
            return _back(commitment)
    return _rerender(request, partnership, commitment, consequence_form=form)


@login_required
@require_POST
def commitment_escalate(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.MANAGE)
    try:
        issue = services.commitment_escalate(commitment=commitment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(commitment)
    messages.success(request, "Escalated into the conflict ladder at its first tier.")
    url = issue_url(partnership, issue.pk)
    return redirect(url) if url else _back(commitment)


@login_required
@require_POST
def commitment_send_link(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    _partnership, commitment = _commitment(request, pk, commitment_id, Need.CONTRIBUTE)
    try:
        services.commitment_send_update_link(commitment=commitment, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        owner = commitment.owner.get_full_name() or commitment.owner.username  # type: ignore[union-attr]
        messages.success(
            request, f"{owner} was e-mailed a link to update this commitment without signing in."
        )
    return _back(commitment)


@login_required
@require_POST
def monitoring_new(request: HttpRequest, pk: int, commitment_id: int) -> HttpResponse:
    partnership, commitment = _commitment(request, pk, commitment_id, Need.CONTRIBUTE)
    if not rules.can_request_monitoring(request.user, commitment):
        raise Http404
    form = MonitoringRequestForm(request.POST)
    if form.is_valid():
        try:
            services.monitoring_request_create(
                commitment=commitment, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Request sent to the owning party.")
            return _back(commitment)
    return _rerender(request, partnership, commitment, request_form=form)


@login_required
@require_POST
def monitoring_answer(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    item = (
        selectors.monitoring_requests(partnership=partnership, viewer=request.user)
        .filter(pk=request_id)
        .first()
    )
    if item is None or not rules.can_report(request.user, item.commitment):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.monitoring_request_answer(request=item, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Answer sent.")
    else:
        messages.error(request, services.ANSWER_REQUIRED)
    return _back(item.commitment)


@login_required
def on_time(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    data = selectors.on_time(partnership=partnership)
    return page(
        request,
        "accountability/on_time.html",
        partnership,
        "on_time",
        on_time=data,
        chart=on_time_chart(data),
    )


@login_required
def oversight(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    data = selectors.oversight(partnership=partnership)
    rows = selectors.monitoring_requests(partnership=partnership, viewer=request.user)
    chart = None
    if data.total:
        chart = charts.bar_chart(
            f"Monitoring requests in the last {data.window_days} days, by requesting party",
            [p.organization.name for p, _n, _s in data.rows],
            {"Requests": [n for _p, n, _s in data.rows]},
            alt=data.sentence,
            height=300,
        )
    return page(
        request,
        "accountability/oversight.html",
        partnership,
        "oversight",
        oversight=data,
        chart=chart,
        page_obj=Paginator(rows, 50).get_page(request.GET.get("page")),
        open_count=rows.filter(answered_at__isnull=True).count(),
        kinds=MonitoringRequest.Kind,
    )
