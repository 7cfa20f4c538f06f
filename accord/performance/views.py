"""Pages: scorecard, metrics and catalog, one metric's series, actions from off-target metrics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accord.charts import line_chart, period_label
from accord.partnerships.access import Need, access_partnership, can
from accord.performance import kept_scorecard, selectors, services
from accord.performance.forms import ActionForm, AdoptForm, MetricForm, ObservationForm
from accord.performance.models import CatalogMetric, Category, Observation
from accord.performance.parsing import parse_period

ACTIONS_UNAVAILABLE = "Review actions are not available yet in this installation."


def _htmx(request: HttpRequest, template: str, partial: str) -> str:
    return f"{template}#{partial}" if request.htmx else template


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    """The scorecard: every visible metric's latest value against target, by category."""
    partnership = access_partnership(request.user, pk, Need.READ)
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    can_contribute = can(request.user, partnership, Need.CONTRIBUTE)
    context = {
        "partnership": partnership,
        "today": timezone.localdate(),
        "can_contribute": can_contribute,
        "kept": kept_scorecard.sections(
            request.user,
            partnership,
            category=category,
            can_contribute=can_contribute,
            can_manage=can(request.user, partnership, Need.MANAGE),
        ),
    }
    return render(request, _htmx(request, "performance/overview.html", "scores"), context)


@login_required
def metric_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The partnership's metric definitions and the starter catalog to adopt from."""
    partnership = access_partnership(request.user, pk, Need.READ)
    metrics = selectors.visible_metrics(partnership=partnership, viewer=request.user)
    adopted = set(metrics.values_list("code", flat=True))
    context = {
        "partnership": partnership,
        "metrics": metrics,
        "catalog": [(entry, entry.key in adopted) for entry in CatalogMetric.objects.all()],
        "can_manage": can(request.user, partnership, Need.MANAGE),
        "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        "adopt_form": AdoptForm(partnership=partnership, user=request.user),
    }
    return render(request, "performance/metrics.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def metric_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = MetricForm(request.POST or None, partnership=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            metric = services.metric_create(
                partnership=partnership, user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Metric “{metric.name}” defined.")
            return redirect("performance:metric_detail", pk=partnership.pk, metric_id=metric.pk)
    return render(
        request, "performance/metric_form.html", {"partnership": partnership, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def metric_edit(request: HttpRequest, pk: int, metric_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    form = MetricForm(
        request.POST or None, instance=metric, partnership=partnership, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        metric.refresh_from_db()
        try:
            services.metric_update(metric=metric, user=request.user, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("performance:metric_detail", pk=partnership.pk, metric_id=metric.pk)
    context = {"partnership": partnership, "form": form, "metric": metric}
    return render(request, "performance/metric_form.html", context)


@login_required
@require_POST
def metric_delete(request: HttpRequest, pk: int, metric_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    try:
        services.metric_delete(metric=metric, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("performance:metric_detail", pk=partnership.pk, metric_id=metric.pk)
    messages.success(request, f"Metric “{metric.name}” removed.")
    return redirect("performance:metrics", pk=partnership.pk)


@login_required
@require_POST
def catalog_adopt(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    entry = get_object_or_404(CatalogMetric, key=key)
    form = AdoptForm(request.POST, partnership=partnership, user=request.user)
    if not form.is_valid():
        messages.error(request, "Choose an owner party and a visibility.")
        return redirect("performance:metrics", pk=partnership.pk)
    try:
        metric = services.metric_adopt(
            partnership=partnership, user=request.user, entry=entry, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("performance:metrics", pk=partnership.pk)
    messages.success(request, f"Now tracking “{metric.name}”. Adjust its target if needed.")
    return redirect("performance:metric_detail", pk=partnership.pk, metric_id=metric.pk)


def _series_chart(metric: Any, points: list[Observation]) -> Any:
    labels = [period_label(o.period, metric.cadence) for o in points]
    unit = f" ({metric.unit})" if metric.unit else ""
    reference = {
        f"Target {metric.target:g}": metric.target,
        f"Amber threshold {metric.amber_threshold:g}": metric.amber_threshold,
        f"Red threshold {metric.red_threshold:g}": metric.red_threshold,
    }
    latest = (
        f"latest {points[-1].value:g} for "
        f"{period_label(points[-1].period, metric.cadence, year=True)}"
        if points
        else "no values yet"
    )
    return line_chart(
        f"{metric.name}{unit}",
        labels,
        {metric.name: [o.value for o in points]},
        alt=(
            f"{metric.name}: {len(points)} values, {latest}; target {metric.target:g}, "
            f"amber threshold {metric.amber_threshold:g}, red threshold {metric.red_threshold:g}."
        ),
        reference_lines=reference,
    )


@login_required
@require_http_methods(["GET", "POST"])
def metric_detail(request: HttpRequest, pk: int, metric_id: int) -> HttpResponse:
    """One metric: its chart with target and threshold lines, the numbers, and a form to add a
    value (POST needs the contribute right)."""
    need = Need.CONTRIBUTE if request.method == "POST" else Need.READ
    partnership = access_partnership(request.user, pk, need)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    form = ObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = services.observation_record(
                metric=metric, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            verb = "recorded" if created else "updated"
            day = period_label(form.cleaned_data["period"], metric.cadence, year=True)
            messages.success(request, f"Value for {day} {verb}.")
            return redirect("performance:metric_detail", pk=partnership.pk, metric_id=metric.pk)
    recent = list(selectors.observations_of(metric=metric)[: selectors.SERIES_POINTS])
    recent.reverse()
    selectors.label_values(metric=metric, observations=recent)
    row = next(
        iter(
            r
            for r in selectors.scorecard(partnership=partnership, viewer=request.user).rows
            if r.metric.pk == metric.pk
        ),
        None,
    )
    context = {
        "partnership": partnership,
        "metric": metric,
        "row": row,
        "chart": _series_chart(metric, recent) if recent else None,
        "table": list(reversed(recent)),
        "total": selectors.observations_of(metric=metric).count(),
        "form": form,
        "can_contribute": can(request.user, partnership, Need.CONTRIBUTE),
        "can_manage": can(request.user, partnership, Need.MANAGE),
    }
    return render(request, "performance/metric_detail.html", context)


@login_required
@require_POST
def observation_delete(request: HttpRequest, pk: int, metric_id: int, period: str) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    try:
        day = parse_period(period)
    except ValueError:
        raise Http404 from None
    observation = Observation.objects.filter(metric=metric, period=day).first()
    if observation is None:
        raise Http404
    try:
        services.observation_delete(observation=observation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = period_label(day, metric.cadence, year=True)
        messages.success(request, f"Value for {label} removed.")
    return redirect("performance:metric_detail", pk=partnership.pk, metric_id=metric.pk)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int, metric_id: int) -> HttpResponse:
    """Create a review action (accountability) to bring an off-target metric back."""
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    metric = selectors.metric_for(partnership=partnership, viewer=request.user, metric_id=metric_id)
    form = ActionForm(request.POST or None, partnership=partnership, metric=metric)
    if request.method == "POST" and form.is_valid():
        owner = form.cleaned_data["owner"]
        try:
            services.action_from_metric(
                partnership=partnership,
                user=request.user,
                metric=metric,
                title=form.cleaned_data["title"],
                owner_party=partnership.parties.get(organization=owner.organization),
                owner=owner.user,
                due_on=form.cleaned_data["due_on"],
            )
        except ImportError:
            form.add_error(None, ACTIONS_UNAVAILABLE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Action created for “{metric.name}”.")
            return redirect("performance:overview", pk=partnership.pk)
    context = {"partnership": partnership, "metric": metric, "form": form}
    return render(request, "performance/action_form.html", context)
