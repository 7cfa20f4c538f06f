"""The one function through which communication evidence reaches the health engine and the trust
stage: ``communication_evidence`` in long format, one row per (partnership, ISO week, direction,
signal) that has evidence.

Rules (see docs/communication.md):
- Only joint messages count: internal threads are one organization talking to itself, and
  counting them would tell the other party how much it talks about them.
- A direction exists from the later of the partnership's start (or, without one, the day it was
  created) and the day the receiving and sending parties joined, until its end date (inclusive)
  or now. Outside that window there are no rows; inside it a count with no events is a real 0.
- Medians (reply hours, notice lead days) have a row only in weeks with at least one event.
- Concerns raised under full anonymity have no party, so no direction: they give no rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
from django.db.models import Max
from django.utils import timezone

from accord.communication.models import ChangeNotice, Concern, ConcernResponse, Message
from accord.domain import communication as domain
from accord.partnerships.models import Partnership, Party, Visibility
from accord.trust.evidence import evidence_provider

EPOCH = date(1970, 1, 1)
DATES_OUT_OF_ORDER = "The start date must not be after the end date."


class EvidenceRow(NamedTuple):
    partnership_id: int
    period_start: date  # Monday of the ISO week
    from_party_id: int
    to_party_id: int
    signal: str
    value: float


def day_number(value: date) -> int:
    return (value - EPOCH).days


def moment(value: datetime) -> float:
    return value.timestamp() / 86400.0


def _directions(ids: list[int], now: datetime) -> domain.Directions:
    today = timezone.localdate(now)
    partnerships = {
        p["pk"]: p
        for p in Partnership.objects.filter(pk__in=ids).values(
            "pk", "start_date", "end_date", "created_at"
        )
    }
    parties: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for pk, pid, joined in Party.objects.filter(partnership_id__in=ids).values_list(
        "pk", "partnership_id", "joined_at"
    ):
        parties[pid].append((pk, timezone.localdate(joined)))
    rows: list[tuple[int, int, float, float]] = []
    for pid, members in parties.items():
        p = partnerships[pid]
        begins = p["start_date"] or timezone.localdate(p["created_at"])
        last_day = p["end_date"] + timedelta(days=1) if p["end_date"] else today + timedelta(1)
        ends = min(float(day_number(last_day)), moment(now))
        for a, joined_a in members:
            for b, joined_b in members:
                if a != b:
                    start = float(day_number(max(begins, joined_a, joined_b)))
                    if start <= ends:  # a partnership that starts later has no window yet
                        rows.append((a, b, start, ends))
    return domain.Directions(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] for r in rows], dtype=np.float64),
        np.array([r[3] for r in rows], dtype=np.float64),
    )


def _messages(ids: list[int], since: datetime, until: datetime) -> domain.Messages:
    joint = Message.objects.filter(partnership_id__in=ids, visibility=Visibility.JOINT)
    rows = list(
        joint.filter(created_at__gte=since, created_at__lt=until).values_list(
            "thread_id", "author_party_id", "created_at"
        )
    )
    # The last message before the period, so a silence that began earlier counts whole. Its
    # thread id is negative and unique, so it is never taken for a reply.
    earlier = (
        joint.filter(created_at__lt=since)
        .values("author_party_id")
        .annotate(last=Max("created_at"))
    )
    rows += [(-1 - i, e["author_party_id"], e["last"]) for i, e in enumerate(earlier)]
    return domain.Messages(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([moment(r[2]) for r in rows], dtype=np.float64),
    )


def _notices(ids: list[int], start: date, end: date) -> domain.Notices:
    rows = list(
        ChangeNotice.objects.filter(
            partnership_id__in=ids, given_on__gte=start, given_on__lte=end
        ).values_list("changing_party_id", "given_on", "effective_on", "agreed_days", "kind")
    )
    return domain.Notices(
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([day_number(r[1]) for r in rows], dtype=np.int64),
        np.array([day_number(r[2]) for r in rows], dtype=np.int64),
        np.array([r[3] for r in rows], dtype=np.int64),
        np.array([r[4] == ChangeNotice.Kind.REPORT for r in rows], dtype=bool),
    )


def _concerns(ids: list[int], since: datetime, until: datetime) -> domain.Concerns:
    from django.db.models import Q

    concerns = list(
        Concern.objects.filter(partnership_id__in=ids, raised_by_party__isnull=False)
        .filter(
            Q(raised_at__gte=since, raised_at__lt=until)
            | Q(first_response_at__gte=since, first_response_at__lt=until)
        )
        .values_list("pk", "raised_by_party_id", "raised_at", "first_response_at")
    )
    first_at = {c[0]: c[3] for c in concerns if c[3] is not None}
    answered_by = {
        cid: party
        for cid, party, at in ConcernResponse.objects.filter(concern_id__in=first_at).values_list(
            "concern_id", "party_id", "created_at"
        )
        if at == first_at[cid]
    }
    return domain.Concerns(
        np.array([c[1] for c in concerns], dtype=np.int64),
        np.array([moment(c[2]) for c in concerns], dtype=np.float64),
        np.array([answered_by.get(c[0], domain.NO_PARTY) for c in concerns], dtype=np.int64),
        np.array([moment(c[3]) if c[3] else math.nan for c in concerns], dtype=np.float64),
    )


def signals_for(partnership_ids: list[int], *, start: date, end: date) -> domain.Signals:
    if start > end:
        raise ValueError(DATES_OUT_OF_ORDER)
    ids = sorted({int(i) for i in partnership_ids})
    first_monday = start - timedelta(days=start.weekday())
    weeks = (end - first_monday).days // 7 + 1
    since = datetime.combine(first_monday, datetime.min.time(), tzinfo=UTC)
    until = datetime.combine(first_monday + timedelta(weeks=weeks), datetime.min.time(), tzinfo=UTC)
    return domain.communication_signals(
        _directions(ids, timezone.now()),
        _messages(ids, since, until),
        _notices(ids, first_monday, until.date() - timedelta(days=1)),
        _concerns(ids, since, until),
        first_monday=day_number(first_monday),
        weeks=weeks,
    )


def communication_evidence(partnership_ids: Any, *, start: date, end: date) -> list[EvidenceRow]:
    """Long-format rows for the weeks from the one containing ``start`` to the one containing
    ``end``; raises ValueError when start is after end."""
    result = signals_for(list(partnership_ids), start=start, end=end)
    d = result.directions
    party_partnership = dict(
        Party.objects.filter(pk__in=set(d.from_party.tolist())).values_list("pk", "partnership_id")
    )
    rows: list[EvidenceRow] = []
    mondays = [EPOCH + timedelta(days=result.first_monday + 7 * w) for w in range(result.weeks)]
    for signal in domain.SIGNALS:
        values = result.values[signal]
        for i, w in zip(*np.nonzero(~np.isnan(values)), strict=True):
            frm = int(d.from_party[i])
            rows.append(
                EvidenceRow(
                    party_partnership[frm],
                    mondays[w],
                    frm,
                    int(d.to_party[i]),
                    signal,
                    round(float(values[i, w]), 4),
                )
            )
    rows.sort(key=lambda r: (r.partnership_id, r.period_start, r.from_party_id, r.to_party_id))
    return rows


@evidence_provider("communication.messages")
def longest_gap(partnership: Partnership) -> dict[str, Any]:
    """The longest silence in either direction over the last 26 weeks, in whole days; nothing
    (no evidence) while the partnership has no joint message at all."""
    if not Message.objects.filter(partnership=partnership, visibility=Visibility.JOINT).exists():
        return {}
    today = timezone.localdate()
    result = signals_for([partnership.pk], start=today - timedelta(weeks=26), end=today)
    silence = result.values["longest_silence_days"]
    if silence.size == 0 or np.isnan(silence).all():
        return {}
    return {"longest_communication_gap_days": math.ceil(float(np.nanmax(silence)))}
