"""The review schedule as an iCalendar file (RFC 5545), one event per meeting.

Each meeting is its own VEVENT with a stable UID, so re-importing the file updates events instead
of duplicating them, and a cancelled meeting arrives as STATUS:CANCELLED.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accord.accountability.models import Review
from accord.accountability.selectors import review_list
from accord.partnerships.models import Partnership

PAST_DAYS = 90
STATUS = {
    Review.Status.SCHEDULED: "CONFIRMED",
    Review.Status.HELD: "CONFIRMED",
    Review.Status.CANCELLED: "CANCELLED",
}


def review_calendar(*, partnership: Partnership, viewer: Any) -> bytes:
    now = timezone.now()
    cal = Calendar()
    cal.add("prodid", "-//Accord//Review schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{partnership.name} — reviews")
    reviews = review_list(partnership=partnership, viewer=viewer).filter(
        scheduled_at__gte=now - timedelta(days=PAST_DAYS)
    )
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "accord"
    for review in reviews:
        event = Event()
        event.add("uid", f"accord-review-{review.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", review.scheduled_at)
        event.add("dtend", review.scheduled_at + timedelta(minutes=review.duration_minutes))
        event.add("summary", f"{review.title} ({partnership.name})")
        kind = review.get_kind_display()
        cadence = review.cadence.get_frequency_display().lower() if review.cadence else "one-off"
        url = settings.SITE_URL + reverse(
            "accountability:review_detail", kwargs={"pk": partnership.pk, "review_id": review.pk}
        )
        event.add("description", f"{kind} review, {cadence}. Agenda and minutes: {url}")
        event.add("url", url)
        if review.location:
            event.add("location", review.location)
        event.add("status", STATUS[review.status])
        event.add("categories", [kind])
        cal.add_component(event)
    return cal.to_ical()
