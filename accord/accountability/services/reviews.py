"""Review cadences, reviews, their minutes and the actions they produce."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accord.accountability import schedule
from accord.accountability.models import (
    Review,
    ReviewAction,
    ReviewCadence,
)
from accord.accountability.services._common import (
    DONE_IN_FUTURE,
    INTERNAL_NOT_OWN_PARTY,
    NO_ORGANIZATION,
    _audit,
    _check_owner,
    _name,
    _org_name,
    _url,
)
from accord.notifications.services import notify
from accord.partnerships.access import user_organization
from accord.partnerships.models import Participant, Partnership, Party, Visibility

CADENCE_FREQUENCY = "Frequency must be one of: daily, weekly, monthly, quarterly."
CADENCE_KIND = "A review is operational or strategic."
CADENCE_NAME = "Name the review."
CADENCE_DURATION = "A review lasts between 5 and 600 minutes."
CADENCE_PARTICIPANT_OUTSIDE = "Participants must take part in this partnership."
CADENCE_EACH_PARTY = "A joint review needs participants from each party; missing: {missing}."
CADENCE_INTERNAL_PARTICIPANTS = (
    "An internal review can only include your own organization's people."
)
CADENCE_ENDED = "This cadence has already ended."
CADENCE_END_BEFORE_START = "A cadence cannot end before it starts."
REVIEW_CANCELLED = "A cancelled review cannot take minutes."
REVIEW_NOT_SCHEDULED = "Only a scheduled review can be cancelled."
ATTENDEE_OUTSIDE = "Attendees must be participants in this partnership."
METRIC_OUTSIDE = "Metrics must belong to this partnership."
ACTION_TITLE = "Say what needs to happen."
ACTION_DONE_ALREADY = "This action is already done."
ACTION_REVIEW_OUTSIDE = "The review must belong to this partnership."


def _check_participants(
    partnership: Partnership, participants: list[Participant], visibility: str, org: Any
) -> None:
    if any(p.partnership_id != partnership.pk for p in participants):
        raise ValidationError({"participants": CADENCE_PARTICIPANT_OUTSIDE})
    if visibility == Visibility.INTERNAL:
        if any(p.organization_id != org.pk for p in participants):
            raise ValidationError({"participants": CADENCE_INTERNAL_PARTICIPANTS})
        return
    present = {p.organization_id for p in participants}
    missing = [
        party.organization.name
        for party in partnership.parties.select_related("organization")
        if party.organization_id not in present
    ]
    if missing:
        raise ValidationError(
            {"participants": CADENCE_EACH_PARTY.format(missing=", ".join(missing))}
        )


@transaction.atomic
def cadence_create(
    *,
    partnership: Partnership,
    user: Any,
    name: str,
    frequency: str,
    kind: str,
    starts_on: date,
    time_of_day: time,
    participants: list[Participant],
    duration_minutes: int = 60,
    location: str = "",
    visibility: str = Visibility.JOINT,
) -> ReviewCadence:
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not name.strip():
        raise ValidationError({"name": CADENCE_NAME})
    if frequency not in ReviewCadence.Frequency.values:
        raise ValidationError({"frequency": CADENCE_FREQUENCY})
    if kind not in ReviewCadence.Kind.values:
        raise ValidationError({"kind": CADENCE_KIND})
    if not 5 <= duration_minutes <= 600:
        raise ValidationError({"duration_minutes": CADENCE_DURATION})
    participants = list(participants)
    _check_participants(partnership, participants, visibility, org)
    cadence = ReviewCadence.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        name=name.strip(),
        frequency=frequency,
        kind=kind,
        starts_on=starts_on,
        time_of_day=time_of_day,
        duration_minutes=duration_minutes,
        location=location.strip(),
    )
    cadence.participants.set(participants)
    created = reviews_generate(cadence=cadence, today=timezone.localdate())
    _audit(
        cadence,
        actor=user,
        action="accountability.cadence_create",
        summary=f"{_name(user)} set up the {cadence.get_frequency_display().lower()} "
        f"{cadence.get_kind_display().lower()} review “{cadence.name}” "
        f"({created} meetings scheduled)",
        changes={"frequency": frequency, "kind": kind, "starts_on": starts_on.isoformat()},
    )
    return cadence


@transaction.atomic
def cadence_end(
    *, cadence: ReviewCadence, user: Any, ended_on: date | None = None
) -> ReviewCadence:
    cadence = ReviewCadence.objects.select_for_update().get(pk=cadence.pk)
    if cadence.ended_on is not None:
        raise ValidationError(CADENCE_ENDED)
    ended_on = ended_on or timezone.localdate()
    if ended_on < cadence.starts_on:
        raise ValidationError({"ended_on": CADENCE_END_BEFORE_START})
    cadence.ended_on = ended_on
    cadence.save()
    after = datetime.combine(ended_on + timedelta(days=1), time.min, tzinfo=UTC)
    cancelled = cadence.reviews.filter(
        status=Review.Status.SCHEDULED, scheduled_at__gte=after
    ).update(status=Review.Status.CANCELLED)
    _audit(
        cadence,
        actor=user,
        action="accountability.cadence_end",
        summary=f"{_name(user)} ended the review “{cadence.name}” on {ended_on:%d %b %Y} "
        f"({cancelled} later meetings cancelled)",
    )
    return cadence


def reviews_generate(*, cadence: ReviewCadence, today: date) -> int:
    """Create the cadence's meetings from today to its horizon. Idempotent: existing slots are
    left alone (a rescheduled or cancelled meeting stays as people left it)."""
    last = today + timedelta(days=schedule.HORIZON_DAYS[cadence.frequency])
    slots = [
        datetime.combine(day, cadence.time_of_day, tzinfo=UTC)
        for day in schedule.occurrences(
            cadence.frequency, cadence.starts_on, first=today, last=last, ended_on=cadence.ended_on
        )
    ]
    if not slots:
        return 0
    existing = set(
        cadence.reviews.filter(scheduled_at__in=slots).values_list("scheduled_at", flat=True)
    )
    new = [
        Review(
            partnership_id=cadence.partnership_id,
            owner_org_id=cadence.owner_org_id,
            visibility=cadence.visibility,
            created_by=None,
            cadence=cadence,
            title=cadence.name,
            kind=cadence.kind,
            scheduled_at=slot,
            duration_minutes=cadence.duration_minutes,
            location=cadence.location,
        )
        for slot in slots
        if slot not in existing
    ]
    Review.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def review_create(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    scheduled_at: datetime,
    kind: str = ReviewCadence.Kind.OPERATIONAL,
    duration_minutes: int = 60,
    location: str = "",
    visibility: str = Visibility.JOINT,
) -> Review:
    """A one-off review (an extraordinary steering meeting, a recovery check-in)."""
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not title.strip():
        raise ValidationError({"title": CADENCE_NAME})
    if kind not in ReviewCadence.Kind.values:
        raise ValidationError({"kind": CADENCE_KIND})
    if not 5 <= duration_minutes <= 600:
        raise ValidationError({"duration_minutes": CADENCE_DURATION})
    review = Review.objects.create(
        partnership=partnership,
        owner_org=org,
        visibility=visibility,
        created_by=user,
        title=title.strip(),
        kind=kind,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
    )
    _audit(
        review,
        actor=user,
        action="accountability.review_create",
        summary=f"{_name(user)} scheduled the review “{review.title}” for "
        f"{scheduled_at:%d %b %Y %H:%M}",
    )
    return review


@transaction.atomic
def review_cancel(*, review: Review, user: Any) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != Review.Status.SCHEDULED:
        raise ValidationError(REVIEW_NOT_SCHEDULED)
    review.status = Review.Status.CANCELLED
    review.save()
    _audit(
        review,
        actor=user,
        action="accountability.review_cancel",
        summary=f"{_name(user)} cancelled the review “{review.title}” of "
        f"{review.scheduled_at:%d %b %Y}",
    )
    return review


@transaction.atomic
def review_record_minutes(
    *,
    review: Review,
    user: Any,
    attendees: list[Participant],
    decisions: str = "",
    notes: str = "",
    metrics_reviewed: list[Any] | None = None,
    agenda: dict[str, Any] | None = None,
) -> Review:
    """Record who attended, what was decided and which metrics were looked at. The agenda as it
    stood is kept with the minutes, so later changes to commitments do not rewrite history.
    Minutes may be corrected; each correction is audited."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status == Review.Status.CANCELLED:
        raise ValidationError(REVIEW_CANCELLED)
    attendees = list(attendees)
    if any(p.partnership_id != review.partnership_id for p in attendees):
        raise ValidationError({"attendees": ATTENDEE_OUTSIDE})
    metrics = list(metrics_reviewed or [])
    if any(m.partnership_id != review.partnership_id for m in metrics):
        raise ValidationError({"metrics_reviewed": METRIC_OUTSIDE})
    first_time = review.status != Review.Status.HELD
    review.status = Review.Status.HELD
    review.held_at = review.held_at or timezone.now()
    review.decisions = decisions.strip()
    review.notes = notes.strip()
    if first_time and agenda is not None:
        review.agenda_snapshot = agenda
    review.save()
    review.attendees.set(attendees)
    review.metrics_reviewed.set(metrics)
    _audit(
        review,
        actor=user,
        action="accountability.review_minutes",
        summary=f"{_name(user)} {'recorded' if first_time else 'corrected'} the minutes of "
        f"“{review.title}” ({len(attendees)} attended, {len(review.decision_list())} decisions, "
        f"{len(metrics)} metrics reviewed)",
        changes={"attendees": len(attendees), "metrics": [m.pk for m in metrics]},
    )
    return review


@transaction.atomic
def review_action_create(
    *,
    partnership: Partnership,
    user: Any,
    title: str,
    owner_party: Party,
    owner: Any,
    due_on: date,
    metric: Any = None,
    review: Review | None = None,
) -> ReviewAction:
    """An action out of a review, or raised from an off-target metric (performance's scorecard
    calls this). It is as visible as its review, or its metric when raised from the scorecard;
    joint otherwise."""
    org = user_organization(user)
    if org is None or not partnership.parties.filter(organization=org).exists():
        raise ValidationError(NO_ORGANIZATION)
    if not title.strip():
        raise ValidationError({"title": ACTION_TITLE})
    _check_owner(partnership, owner_party, owner)
    if review is not None and review.partnership_id != partnership.pk:
        raise ValidationError({"review": ACTION_REVIEW_OUTSIDE})
    if metric is not None and metric.partnership_id != partnership.pk:
        raise ValidationError({"metric": METRIC_OUTSIDE})
    source = review or metric
    visibility = getattr(source, "visibility", Visibility.JOINT)
    owner_org = source.owner_org if visibility == Visibility.INTERNAL else org
    if visibility == Visibility.INTERNAL and owner_party.organization_id != owner_org.pk:
        raise ValidationError({"owner_party": INTERNAL_NOT_OWN_PARTY})
    action = ReviewAction.objects.create(
        partnership=partnership,
        owner_org=owner_org,
        visibility=visibility,
        created_by=user,
        review=review,
        metric=metric,
        title=title.strip(),
        owner_party=owner_party,
        owner=owner,
        due_on=due_on,
    )
    origin = f" from the review “{review.title}”" if review else ""
    if metric is not None:
        origin += f" on the metric “{metric}”"
    _audit(
        action,
        actor=user,
        action="accountability.action_create",
        summary=f"{_name(user)} created the action “{action.title}”{origin} for "
        f"{_org_name(owner_party)}, due {due_on:%d %b %Y}",
    )
    if owner is not None and owner != user:
        notify(
            recipients=[owner],
            kind="accountability.action_assigned",
            summary=f"Action for you in {partnership.name}: “{action.title}”, due "
            f"{due_on:%d %b %Y}.",
            partnership=partnership,
            url=_url("actions", partnership),
        )
    return action


@transaction.atomic
def review_action_complete(
    *, action: ReviewAction, user: Any, done_on: date | None = None
) -> ReviewAction:
    action = ReviewAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise ValidationError(ACTION_DONE_ALREADY)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": DONE_IN_FUTURE})
    action.done_on = done_on
    action.save()
    late = (done_on - action.due_on).days
    _audit(
        action,
        actor=user,
        action="accountability.action_done",
        summary=f"{_name(user)} closed the action “{action.title}”"
        + (f" ({late} days late)" if late > 0 else " on time"),
    )
    return action
