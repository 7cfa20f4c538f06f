"""Survey rounds: scheduling, opening (invitations and e-mail), reminders and closing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Party
from accord.partnerships.stale import StaleStateError
from accord.trust import links
from accord.trust.models import (
    Instrument,
    Invitee,
    SurveyRound,
)
from accord.trust.services.messages import (
    INSTRUMENT_NOT_AVAILABLE,
    INVITED_ROLES,
    MAX_ROUND_DAYS,
    ROUND_ALREADY_CLOSED,
    ROUND_ALREADY_OPEN,
    ROUND_CLOSED_MEANWHILE,
    ROUND_CLOSES_BEFORE_OPENING,
    ROUND_CLOSES_IN_PAST,
    ROUND_NEEDS_TWO_PARTIES,
    ROUND_NOT_OPEN_YET,
    ROUND_NOT_SCHEDULED,
    ROUND_OVERLAPS,
    ROUND_TOO_LONG,
)


def _check_times(opens_at: datetime, closes_at: datetime, now: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": ROUND_CLOSES_BEFORE_OPENING})
    if closes_at <= now:
        raise ValidationError({"closes_at": ROUND_CLOSES_IN_PAST})
    if closes_at - opens_at > timedelta(days=MAX_ROUND_DAYS):
        raise ValidationError({"closes_at": ROUND_TOO_LONG})


def overlapping_round(
    partnership: Partnership, opens_at: datetime, closes_at: datetime, now: datetime
) -> SurveyRound | None:
    """A round of this partnership, open or scheduled, whose window overlaps the given one."""
    return (
        SurveyRound.objects.filter(
            partnership=partnership,
            closes_at__gt=max(now, opens_at),
            opens_at__lt=closes_at,
            closed_at__isnull=True,
        )
        .order_by("opens_at", "pk")
        .first()
    )


def _refuse_overlap(
    partnership: Partnership, opens_at: datetime, closes_at: datetime, now: datetime
) -> None:
    other = overlapping_round(partnership, opens_at, closes_at, now)
    if other is None:
        return
    when = "%d %b %Y %H:%M"
    message = ROUND_OVERLAPS.format(
        title=other.title,
        opens=timezone.localtime(other.opens_at).strftime(when),
        closes=timezone.localtime(other.closes_at).strftime(when),
    )
    raise ValidationError(message, code="overlap")


@transaction.atomic
def round_create(
    *,
    user: Any,
    partnership: Partnership,
    instrument: Instrument,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    include_observers: bool = False,
    reminder_days: int = 4,
    allow_overlap: bool = False,
    now: datetime | None = None,
) -> SurveyRound:
    """Schedule a round; one whose opening time has come opens (and invites) at once.

    A round whose window overlaps a round that is open or scheduled is refused with
    ROUND_OVERLAPS (code "overlap") unless `allow_overlap`: people must not get two survey
    e-mails by accident, but may when someone chose it knowingly."""
    now = now or timezone.now()
    if instrument.partnership_id not in (None, partnership.pk) or instrument.organization_id:
        raise ValidationError({"instrument": INSTRUMENT_NOT_AVAILABLE})
    _check_times(opens_at, closes_at, now)
    if partnership.parties.count() < 2:
        raise ValidationError(ROUND_NEEDS_TWO_PARTIES)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).exists()
    if not allow_overlap:
        _refuse_overlap(partnership, opens_at, closes_at, now)
    last = SurveyRound.objects.filter(partnership=partnership, kind=instrument.kind).aggregate(
        n=Max("number")
    )["n"]
    survey = SurveyRound.objects.create(
        partnership=partnership,
        owner_org=user.membership.organization,
        created_by=user,
        instrument=instrument,
        kind=instrument.kind,
        number=(last or 0) + 1,
        title=title.strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        include_observers=include_observers,
        reminder_days=reminder_days,
        anonymity_k=partnership.anonymity_k,
    )
    record_event(
        partnership=partnership,
        actor=user,
        action="trust.round_create",
        summary=f"Scheduled the survey “{survey.title}” ({instrument.name} v{instrument.version}), "
        f"open {opens_at:%d %b %Y %H:%M} – {closes_at:%d %b %Y %H:%M}",
        target=survey,
        changes={"opens_at": opens_at, "closes_at": closes_at, "instrument": instrument.pk},
    )
    if opens_at <= now:
        round_open(survey=survey, now=now)
        survey.refresh_from_db()
    return survey


@transaction.atomic
def round_update(
    *, user: Any, survey: SurveyRound, now: datetime | None = None, **fields: Any
) -> SurveyRound:
    """Title, closing time and reminders may change while open; the rest only before opening."""
    now = now or timezone.now()
    state = survey.state(now)
    if state == SurveyRound.State.CLOSED:
        raise ValidationError(ROUND_ALREADY_CLOSED)
    allowed = {"title", "closes_at", "reminder_days"}
    if state == SurveyRound.State.SCHEDULED:
        allowed |= {"opens_at", "include_observers"}
    values = {k: v for k, v in fields.items() if v is not None}
    if set(values) - allowed:
        raise ValidationError(ROUND_ALREADY_OPEN)
    opens_at = values.get("opens_at", survey.opens_at)
    closes_at = values.get("closes_at", survey.closes_at)
    if "opens_at" in values or "closes_at" in values:
        _check_times(opens_at, closes_at, now)
    changes = {k: [getattr(survey, k), v] for k, v in values.items() if getattr(survey, k) != v}
    if not changes:
        return survey
    for key, value in values.items():
        setattr(survey, key, value)
    survey.save()
    record_event(
        partnership=survey.partnership,
        actor=user,
        action="trust.round_update",
        summary=f"Changed the survey “{survey.title}”: {', '.join(changes)}",
        target=survey,
        changes=changes,
    )
    if survey.invited_at is None and survey.opens_at <= now:
        round_open(survey=survey, now=now)
        survey.refresh_from_db()
    return survey


@transaction.atomic
def round_close(*, user: Any, survey: SurveyRound, now: datetime | None = None) -> SurveyRound:
    """Close an open round now (its results become visible). Under a row lock: of two people
    closing at once, the second finds it closed meanwhile and is refused as stale."""
    now = now or timezone.now()
    seen_open = survey.state(now) == SurveyRound.State.OPEN
    survey = SurveyRound.objects.select_for_update().get(pk=survey.pk)
    # `closed_at` as well as the clock: a close that committed while this one waited for the lock
    # set `closes_at` to its own moment, which can be a hair later than this request's `now`.
    if survey.closed_at is not None or survey.state(now) == SurveyRound.State.CLOSED:
        if seen_open:
            raise StaleStateError(ROUND_CLOSED_MEANWHILE)
        raise ValidationError(ROUND_ALREADY_CLOSED)
    if survey.state(now) == SurveyRound.State.SCHEDULED:
        raise ValidationError(ROUND_NOT_OPEN_YET)
    survey.closes_at = now
    survey.save(update_fields=["closes_at", "updated_at"])
    round_finish(survey=survey, now=now, actor=user)
    survey.refresh_from_db()
    return survey


@transaction.atomic
def round_delete(*, user: Any, survey: SurveyRound, now: datetime | None = None) -> None:
    if survey.state(now) != SurveyRound.State.SCHEDULED:
        raise ValidationError(ROUND_NOT_SCHEDULED)
    record_event(
        partnership=survey.partnership,
        actor=user,
        action="trust.round_delete",
        summary=f"Deleted the scheduled survey “{survey.title}”",
        changes={"title": survey.title, "number": survey.number},
    )
    # Later rounds keep their numbers; the gap is visible in the history and harmless.
    survey.delete()


def _eligible(survey: SurveyRound) -> tuple[list[Participant], dict[int, int]]:
    """Participants to invite, and each party organization's party id."""
    roles = list(INVITED_ROLES) + ([Participant.Role.OBSERVER] if survey.include_observers else [])
    party_of = dict(
        Party.objects.filter(partnership=survey.partnership_id).values_list("organization", "pk")
    )
    return [
        p
        for p in Participant.objects.filter(
            partnership=survey.partnership_id, role__in=roles, user__is_active=True
        ).select_related("user")
        if p.organization_id in party_of
    ], party_of


def answer_token(invitee: Invitee) -> str:
    """A fresh opaque code for one invitee (earlier ones stop working); see accord.trust.links."""
    return links.issue_codes([invitee])[invitee.pk]


def answer_url(invitee: Invitee) -> str:
    """A fresh link for one invitee, with its code in the URL fragment."""
    return links.answer_link(invitee.round.partnership_id, answer_token(invitee))


def _mail(invitees: list[Invitee], survey: SurveyRound, *, reminder: bool) -> None:
    """E-mail each invitee a fresh link (its code in the URL fragment, and on its own line for
    pasting when the page cannot read it)."""
    partnership = survey.partnership
    closes = timezone.localtime(survey.closes_at)
    recipients = [invitee for invitee in invitees if invitee.user.email]
    codes = links.issue_codes(recipients)
    messages = []
    for invitee in recipients:
        code = codes[invitee.pk]
        link = settings.SITE_URL + links.answer_link(partnership.pk, code)
        opening = (
            "A reminder: you have not answered this survey yet."
            if reminder
            else f"You are invited to answer the survey “{survey.title}” for {partnership.name}."
        )
        body = (
            f"{opening}\n\nIt takes about five minutes. Your answers are anonymous: they are "
            f"stored without your name, and results are shown only for groups of at least "
            f"{survey.threshold()} people, after the survey closes on "
            f"{closes:%d %b %Y, %H:%M}.\n\nAnswer here (no sign-in needed; the link works once, "
            f"only for this survey, and expires when it closes):\n{link}\n\n"
            f"If the page asks for your survey code, paste this one:\n{code}\n"
        )
        subject = f"[Accord] {'Reminder: ' if reminder else ''}{survey.title} — {partnership.name}"
        messages.append((subject, body, None, [invitee.user.email]))
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def _invite(survey: SurveyRound, now: datetime) -> list[Invitee]:
    participants, party_of = _eligible(survey)
    already = set(Invitee.objects.filter(round=survey).values_list("user_id", flat=True))
    new = [
        Invitee(round=survey, user=p.user, party_id=party_of[p.organization_id])
        for p in participants
        if p.user_id not in already
    ]
    Invitee.objects.bulk_create(new, ignore_conflicts=True)
    created = list(
        Invitee.objects.filter(round=survey, user__in=[i.user for i in new]).select_related(
            "user", "round"
        )
    )
    if created:
        _mail(created, survey, reminder=False)
        notify(
            recipients=[i.user for i in created],
            kind="trust.survey",
            summary=f"Please answer the survey “{survey.title}” by "
            f"{timezone.localtime(survey.closes_at):%d %b}",
            partnership=survey.partnership,
            url=reverse(
                "trust:respond", kwargs={"pk": survey.partnership_id, "round_id": survey.pk}
            ),
            email=False,
        )
    return created


@transaction.atomic
def round_open(*, survey: SurveyRound, now: datetime) -> int:
    """Invite every eligible participant of every party (idempotent: the pass calls it again to
    invite people who joined while the round is open). Returns how many were invited now."""
    survey = SurveyRound.objects.select_for_update().select_related("partnership").get(pk=survey.pk)
    if survey.state(now) != SurveyRound.State.OPEN:
        return 0
    if survey.invited_at is None:
        # The invitations promise this k: fix it on the round before they are written.
        survey.anonymity_k = survey.partnership.anonymity_k
        survey.save(update_fields=["anonymity_k"])
    created = _invite(survey, now)
    if survey.invited_at is None:
        survey.invited_at = now
        survey.save(update_fields=["invited_at"])
        record_event(
            partnership=survey.partnership,
            action="trust.round_open",
            summary=f"The survey “{survey.title}” opened; {len(created)} people invited",
            target=survey,
            changes={"invited": len(created)},
        )
    return len(created)


@transaction.atomic
def round_finish(*, survey: SurveyRound, now: datetime, actor: Any = None) -> bool:
    """Record the close once and tell participants that results are ready."""
    survey = SurveyRound.objects.select_for_update().select_related("partnership").get(pk=survey.pk)
    if survey.closed_at is not None or survey.state(now) != SurveyRound.State.CLOSED:
        return False
    survey.closed_at = now
    survey.save(update_fields=["closed_at"])
    invited = survey.invitees.count()
    answered = survey.invitees.filter(responded=True).count()
    record_event(
        partnership=survey.partnership,
        actor=actor,
        action="trust.round_close",
        summary=f"The survey “{survey.title}” closed: {answered} of {invited} invited people "
        "answered",
        target=survey,
        changes={"invited": invited, "answered": answered},
    )
    app = "culture" if survey.kind == Instrument.Kind.CULTURE else "trust"
    url = reverse(f"{app}:overview", kwargs={"pk": survey.partnership_id})
    notify(
        recipients=[i.user for i in survey.invitees.select_related("user")],
        kind="trust.results",
        summary=f"Results of the survey “{survey.title}” are available",
        partnership=survey.partnership,
        url=url,
        email=False,
    )
    return True


@transaction.atomic
def round_remind(*, survey: SurveyRound, now: datetime) -> int:
    """E-mail those who have not answered, at most once per ``reminder_days`` and not in the
    last twelve hours before closing. Returns how many were reminded."""
    survey = SurveyRound.objects.select_for_update().select_related("partnership").get(pk=survey.pk)
    if survey.state(now) != SurveyRound.State.OPEN or survey.invited_at is None:
        return 0
    since = survey.last_reminder_at or survey.invited_at
    if now - since < timedelta(days=survey.reminder_days):
        return 0
    if survey.closes_at - now < timedelta(hours=12):
        return 0
    pending = list(
        survey.invitees.filter(responded=False).select_related("user", "round__partnership")
    )
    survey.last_reminder_at = now
    survey.reminders_sent += 1
    survey.save(update_fields=["last_reminder_at", "reminders_sent"])
    _mail(pending, survey, reminder=True)
    return len(pending)
