"""Reads for communication. Every selector takes the viewer and applies the one access rule."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from accord.communication.models import ChangeNotice, Concern, ConcernResponse, Message, Thread
from accord.partnerships.access import PeopleLens, user_organization
from accord.partnerships.models import Partnership, Party


def threads_for(*, partnership: Partnership, viewer: Any) -> QuerySet[Thread]:
    """Joint threads and the viewer's own organization's internal ones."""
    return Thread.objects.visible_to(viewer).filter(partnership=partnership)


def messages_of(*, thread: Thread, viewer: Any) -> QuerySet[Message]:
    return (
        Message.objects.visible_to(viewer)
        .filter(thread=thread)
        .select_related("created_by", "author_party__organization")
        .prefetch_related("attachments")
    )


def notices_between(
    *, partnership: Partnership, viewer: Any, start: date, end: date
) -> QuerySet[ChangeNotice]:
    """Change notices and reported unannounced changes given in [start, end] — all joint, so both
    parties see the same list. The intervention reads these as sins of omission."""
    return (
        ChangeNotice.objects.visible_to(viewer)
        .filter(partnership=partnership, given_on__gte=start, given_on__lte=end)
        .select_related("changing_party__organization", "owner_org")
        .prefetch_related("acks__party__organization")
    )


@dataclass(frozen=True)
class ConcernView:
    """A concern as one viewer may see it: ``raised_by`` is the label this viewer is shown."""

    concern: Concern
    raised_by: str
    party_name: str | None
    responses: list[ConcernResponse]

    @property
    def hours_to_first_response(self) -> float | None:
        c = self.concern
        if c.first_response_at is None:
            return None
        return round((c.first_response_at - c.raised_at).total_seconds() / 3600, 1)

    @property
    def days_to_close(self) -> float | None:
        c = self.concern
        if c.closed_at is None:
            return None
        return round((c.closed_at - c.raised_at).total_seconds() / 86400, 1)


def open_concern_count(*, partnership: Partnership) -> int:
    """How many of the partnership's concerns are still open (concerns are joint). Callers must
    have checked READ access to the partnership."""
    return Concern.objects.filter(partnership=partnership, closed_at__isnull=True).count()


def concern_author_label(concern: Concern, viewer: Any) -> str:
    """The author's name only for the author's own organization, and only when not hidden from
    it; "Someone at <party>" for the other parties; "Anonymous" under full anonymity."""
    if concern.fully_anonymous or concern.author is None or concern.raised_by_party is None:
        return "Anonymous"
    party_org = concern.raised_by_party.organization
    same_org = user_organization(viewer) == party_org
    if concern.name_hidden and not same_org:
        return f"Someone at {party_org.name}"
    return PeopleLens(viewer, concern.partnership).name(concern.author)


def concerns_for(*, partnership: Partnership, viewer: Any) -> list[ConcernView]:
    """Every concern of the partnership (concerns are joint), each labelled for this viewer.
    Callers must have checked READ access to the partnership."""
    rows = (
        Concern.objects.filter(partnership=partnership)
        .select_related("partnership", "author", "raised_by_party__organization")
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=ConcernResponse.objects.select_related("author", "party__organization"),
            )
        )
    )
    return [
        ConcernView(
            concern=c,
            raised_by=concern_author_label(c, viewer),
            party_name=c.raised_by_party.organization.name if c.raised_by_party else None,
            responses=list(c.responses.all()),
        )
        for c in rows
    ]


@dataclass(frozen=True)
class NoticeRecord:
    party: Party
    given: int
    short: int
    unannounced: int
    median_lead_days: float | None

    @property
    def kept(self) -> int:
        return self.given - self.short


# The columns the notice record reads: a record only counts and measures notices.
_RECORD_FIELDS = ("changing_party_id", "kind", "given_on", "effective_on", "agreed_days")


def _record_notices(
    *, partnership: Partnership, viewer: Any, start: date, end: date
) -> list[ChangeNotice]:
    """The notices of [start, end] with only the columns a record needs (no acknowledgements,
    no related rows): the record is on pages that do not list the notices themselves."""
    return list(
        ChangeNotice.objects.visible_to(viewer)
        .filter(partnership=partnership, given_on__gte=start, given_on__lte=end)
        .only(*_RECORD_FIELDS)
        .order_by()
    )


def _parties(partnership: Partnership) -> list[Party]:
    return list(partnership.parties.select_related("organization"))


def _records(parties: list[Party], notices: list[ChangeNotice]) -> list[NoticeRecord]:
    out = []
    for party in parties:
        mine = [n for n in notices if n.changing_party_id == party.pk]
        given = [n for n in mine if n.kind == ChangeNotice.Kind.NOTICE]
        leads = [n.lead_days for n in given if n.lead_days is not None]
        out.append(
            NoticeRecord(
                party=party,
                given=len(given),
                short=sum(1 for n in given if n.is_short),
                unannounced=len(mine) - len(given),
                median_lead_days=float(statistics.median(leads)) if leads else None,
            )
        )
    return out


@dataclass(frozen=True)
class QuarterRecord:
    label: str
    records: list[NoticeRecord]


def notice_history(
    *, partnership: Partnership, viewer: Any, quarters: int = 4
) -> list[QuarterRecord]:
    """Notice kept per party in each of the last ``quarters`` calendar quarters, newest first,
    so a party's trend (more short notices, more unannounced changes) shows on the page."""
    from django.utils import timezone

    today = timezone.localdate()
    first_month = 3 * ((today.month - 1) // 3) + 1
    starts = []
    year, month = today.year, first_month
    for _ in range(quarters):
        starts.append(date(year, month, 1))
        month -= 3
        if month < 1:
            month, year = month + 12, year - 1
    notices = _record_notices(partnership=partnership, viewer=viewer, start=starts[-1], end=today)
    parties = _parties(partnership)
    out = []
    for i, start in enumerate(starts):
        end = starts[i - 1] if i else today + timedelta(days=1)
        inside = [n for n in notices if start <= n.given_on < end]
        label = f"Q{(start.month - 1) // 3 + 1} {start.year}"
        out.append(QuarterRecord(label, _records(parties, inside)))
    return out


def notice_record(*, partnership: Partnership, viewer: Any, days: int = 365) -> list[NoticeRecord]:
    """Per party over the last ``days``: notices given, how many were short, changes reported as
    unannounced, and the median lead time (each notice judged by the period stored on it)."""
    from django.utils import timezone

    end = timezone.localdate()
    notices = _record_notices(
        partnership=partnership, viewer=viewer, start=end - timedelta(days=days), end=end
    )
    return _records(_parties(partnership), notices)
