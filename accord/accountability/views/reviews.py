"""Reviews: the schedule (cadences and meetings), a meeting with its agenda, minutes and actions,
the calendar export, review actions and the accountability settings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from accord.accountability import calendar, rules, selectors, services
from accord.accountability.forms import (
    ActionDoneForm,
    ActionForm,
    CadenceForm,
    MinutesForm,
    ReviewForm,
    SettingsForm,
)
from accord.accountability.models import Commitment, Review, ReviewAction
from accord.accountability.views.commitments import issue_url, page
from accord.partnerships.access import Need, access_partnership
from accord.partnerships.models import Visibility


@login_required
def review_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    reviews = selectors.review_list(partnership=partnership, viewer=request.user)
    now = timezone.now()
    return page(
        request,
        "accountability/reviews.html",
        partnership,
        "reviews",
        cadences=selectors.cadence_list(partnership=partnership, viewer=request.user),
        upcoming=reviews.filter(scheduled_at__gte=now - timedelta(hours=12)).exclude(
            status=Review.Status.HELD
        )[:20],
        past=reviews.filter(scheduled_at__lt=now)
        .exclude(status=Review.Status.SCHEDULED)
        .order_by("-scheduled_at")[:20],
        unminuted=reviews.filter(
            scheduled_at__lt=now - timedelta(hours=12), status=Review.Status.SCHEDULED
        ).order_by("-scheduled_at")[:10],
        closure=selectors.loop_closure(partnership=partnership),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cadence_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    form = CadenceForm(request.POST or None, partnership=partnership, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cadence = services.cadence_create(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"“{cadence.name}” set up; its meetings are on the schedule.")
            return redirect("accountability:reviews", pk=pk)
    return page(request, "accountability/cadence_form.html", partnership, "reviews", form=form)


@login_required
@require_POST
def cadence_end(request: HttpRequest, pk: int, cadence_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    cadence = (
        selectors.cadence_list(partnership=partnership, viewer=request.user)
        .filter(pk=cadence_id)
        .first()
    )
    if cadence is None:
        raise Http404
    try:
        services.cadence_end(cadence=cadence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{cadence.name}” ended; later meetings are cancelled.")
    return redirect("accountability:reviews", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.CONTRIBUTE)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if timezone.is_naive(data["scheduled_at"]):
            data["scheduled_at"] = timezone.make_aware(data["scheduled_at"])
        try:
            review = services.review_create(partnership=partnership, user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accountability:review_detail", pk=pk, review_id=review.pk)
    return page(request, "accountability/review_form.html", partnership, "reviews", form=form)


def _metrics(partnership: Any, viewer: Any, review: Review) -> Any:
    from accord.performance.models import Metric

    metrics = Metric.objects.visible_to(viewer).filter(partnership=partnership)
    if review.visibility == Visibility.JOINT:
        metrics = metrics.filter(visibility=Visibility.JOINT)
    return metrics


def _review_context(
    request: HttpRequest, partnership: Any, review: Review, **forms: Any
) -> dict[str, Any]:
    agenda = selectors.review_agenda(review=review, viewer=request.user)
    metrics = _metrics(partnership, request.user, review)
    initial = {
        "attendees": list(review.attendees.all())
        or list(review.cadence.participants.all() if review.cadence else []),
        "decisions": review.decisions,
        "notes": review.notes,
        "metrics_reviewed": list(review.metrics_reviewed.all())
        or [m.metric for m in agenda.metrics if m.metric is not None],
    }
    window = selectors.settings_for(partnership).action_overdue_window_days
    actions = list(
        selectors.action_list(partnership=partnership, viewer=request.user).filter(review=review)
    )
    return {
        "review": review,
        "agenda": agenda,
        "snapshot": _readable(review.agenda_snapshot)
        if review.status == Review.Status.HELD
        else None,
        "minutes_form": forms.get("minutes_form")
        or MinutesForm(
            initial=initial, partnership=partnership, viewer=request.user, metrics=metrics
        ),
        "action_form": forms.get("action_form")
        or ActionForm(
            initial={"due_on": timezone.localdate() + timedelta(days=14)},
            partnership=partnership,
            viewer=request.user,
        ),
        "actions": actions,
        "attendees": review.attendees.select_related("user", "organization"),
        "metrics_reviewed": review.metrics_reviewed.all(),
        "window": window,
        "today": timezone.localdate(),
    }


def _readable(snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """The stored agenda with dates and statuses ready to show (it is kept as plain JSON)."""
    if not snapshot:
        return None
    labels = dict(Commitment.Status.choices)

    def row(item: dict[str, Any]) -> dict[str, Any]:
        due = item.get("due_on")
        return {
            **item,
            "due_on": date.fromisoformat(due) if due else None,
            "status_label": labels.get(item.get("status", ""), ""),
        }

    return {
        key: [row(i) for i in snapshot.get(key, [])]
        for key in ("commitments", "metrics", "actions")
    }


def _review(
    request: HttpRequest, pk: int, review_id: int, need: Need = Need.READ
) -> tuple[Any, Review]:
    partnership = access_partnership(request.user, pk, need)
    return partnership, selectors.review_get(
        partnership=partnership, viewer=request.user, review_id=review_id
    )


@login_required
def review_detail(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    partnership, review = _review(request, pk, review_id)
    return page(
        request,
        "accountability/review_detail.html",
        partnership,
        "reviews",
        **_review_context(request, partnership, review),
    )


@login_required
@require_POST
def review_minutes(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    partnership, review = _review(request, pk, review_id, Need.CONTRIBUTE)
    form = MinutesForm(
        request.POST,
        partnership=partnership,
        viewer=request.user,
        metrics=_metrics(partnership, request.user, review),
    )
    if form.is_valid():
        agenda = selectors.review_agenda(review=review, viewer=request.user)
        try:
            services.review_record_minutes(
                review=review, user=request.user, agenda=agenda.snapshot(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Minutes saved.")
            return redirect("accountability:review_detail", pk=pk, review_id=review.pk)
    response = page(
        request,
        "accountability/review_detail.html",
        partnership,
        "reviews",
        **_review_context(request, partnership, review, minutes_form=form),
    )
    response.status_code = 400
    return response


@login_required
@require_POST
def review_cancel(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    _partnership, review = _review(request, pk, review_id, Need.MANAGE)
    try:
        services.review_cancel(review=review, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Review cancelled.")
    return redirect("accountability:review_detail", pk=pk, review_id=review.pk)


@login_required
@require_POST
def review_action_new(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    partnership, review = _review(request, pk, review_id, Need.CONTRIBUTE)
    form = ActionForm(request.POST, partnership=partnership, viewer=request.user)
    if form.is_valid():
        try:
            services.review_action_create(
                partnership=partnership, user=request.user, review=review, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Action added.")
            return redirect("accountability:review_detail", pk=pk, review_id=review.pk)
    response = page(
        request,
        "accountability/review_detail.html",
        partnership,
        "reviews",
        **_review_context(request, partnership, review, action_form=form),
    )
    response.status_code = 400
    return response


@login_required
def review_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    body = calendar.review_calendar(partnership=partnership, viewer=request.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    name = slugify(partnership.name) or "partnership"
    response["Content-Disposition"] = f'attachment; filename="{name}-reviews.ics"'
    return response


@login_required
def action_list(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.READ)
    show = request.GET.get("show", "open")
    rows = selectors.action_list(
        partnership=partnership, viewer=request.user, open_only=show != "all"
    )
    window = selectors.settings_for(partnership).action_overdue_window_days
    today = timezone.localdate()
    items = [
        {
            "action": a,
            "overdue": selectors.action_overdue_days(a, today),
            "escalable": selectors.action_escalable(a, window, today),
            "can_close": rules.can_report(request.user, a)
            or rules.can_manage(request.user, partnership),
            "issue_url": issue_url(partnership, a.escalated_issue_id),
        }
        for a in rows[:300]
    ]
    return page(
        request,
        "accountability/actions.html",
        partnership,
        "actions",
        items=items,
        show=show,
        window=window,
        today=today,
    )


def _action(request: HttpRequest, pk: int, action_id: int, need: Need) -> tuple[Any, ReviewAction]:
    partnership = access_partnership(request.user, pk, need)
    action = (
        selectors.action_list(partnership=partnership, viewer=request.user)
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    return partnership, action


@login_required
@require_POST
def action_done(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    partnership, action = _action(request, pk, action_id, Need.CONTRIBUTE)
    if not (rules.can_report(request.user, action) or rules.can_manage(request.user, partnership)):
        raise Http404
    form = ActionDoneForm(request.POST)
    done_on = form.cleaned_data["done_on"] if form.is_valid() else None
    try:
        services.review_action_complete(action=action, user=request.user, done_on=done_on)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{action.title}” closed.")
    target = request.POST.get("next", "")
    if target.startswith(f"/partnerships/{pk}/accountability/") and "//" not in target:
        return redirect(target)
    return redirect("accountability:actions", pk=pk)


@login_required
@require_POST
def action_escalate(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    partnership, action = _action(request, pk, action_id, Need.MANAGE)
    try:
        issue = services.review_action_escalate(action=action, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accountability:actions", pk=pk)
    messages.success(request, "Escalated into the conflict ladder at its first tier.")
    url = issue_url(partnership, issue.pk)
    return redirect(url) if url else redirect("accountability:actions", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk, Need.MANAGE)
    current = selectors.settings_for(partnership)
    initial = {f: getattr(current, f) for f in services.SETTINGS_LIMITS}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                partnership=partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("accountability:overview", pk=pk)
    return page(request, "accountability/settings.html", partnership, "settings", form=form)
