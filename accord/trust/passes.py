"""Periodic passes of the survey engine: rounds open, invite, close and remind because time
passed, not because someone clicked. Each pass is idempotent."""

from __future__ import annotations

from datetime import datetime

from accord.partnerships.periodic import periodic_pass
from accord.trust import services
from accord.trust.models import SurveyRound


@periodic_pass("trust.rounds")
def open_and_close_rounds(now: datetime) -> str:
    """Open rounds whose time has come (inviting everyone), invite people who joined an open
    round late, and record the close of rounds whose time is up."""
    opened = invited = closed = 0
    for survey in SurveyRound.objects.filter(opens_at__lte=now, closes_at__gt=now):
        first = survey.invited_at is None
        count = services.round_open(survey=survey, now=now)
        opened += first
        invited += count
    for survey in SurveyRound.objects.filter(closes_at__lte=now, closed_at__isnull=True):
        closed += services.round_finish(survey=survey, now=now)
    return f"{opened} round(s) opened, {invited} people invited, {closed} round(s) closed"


@periodic_pass("trust.remind")
def remind_non_respondents(now: datetime) -> str:
    reminded = rounds = 0
    for survey in SurveyRound.objects.filter(
        opens_at__lte=now, closes_at__gt=now, invited_at__isnull=False
    ):
        count = services.round_remind(survey=survey, now=now)
        reminded += count
        rounds += bool(count)
    return f"{reminded} reminder(s) sent in {rounds} round(s)"
