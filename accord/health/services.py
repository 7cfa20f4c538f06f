"""Scoring: evidence from the registry → the domain's index and detector → stored rows and
alerts. Runs in the background (debounced after new evidence, and nightly), never on a page."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.domain import early_warning as ew
from accord.domain.health import GROUPS, SIGNAL_INDEX, evidence_arrays, health_index
from accord.health.explain import movements
from accord.health.models import Alert, HealthScore, HealthSettings
from accord.health.registry import EvidenceRow, collect, week_of
from accord.health.sources import parties_of
from accord.notifications.services import notify
from accord.partnerships.audit import record_event
from accord.partnerships.models import Participant, Partnership, Party
from accord.performance.feeds import refresh_fed_observations

HORIZON_WEEKS = 156  # three years of ISO weeks; a multiple of the review length
WINDOW_WEEKS = 13
# Four-week reviews. Real partnerships bring one to three years of history, so the baseline
# ends 4 reviews (not 8) before the review judged and two deteriorating reviews in a row make a
# decline; trust rows count each respondent once per form, so one answer's spread is widened by
# about √3. An alert clears after three quiet reviews. Checked on the demo's archetypes in
# accord/health/tests/test_demo.py (lead time and false alarms in docs/health.md).
RULES = ew.DetectorRules(review_periods=4, gap=4, sustain=2, trust_unit_sd=40.0, clear_after=3)
DEBOUNCE = timedelta(minutes=5)
STATE_NAMES = {s: s.name.lower() for s in ew.State}


class HealthScoringError(ValueError):
    pass


def _num(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 2)


def horizon(today: date) -> tuple[date, date]:
    end = week_of(today)
    return end - timedelta(weeks=HORIZON_WEEKS - 1), end


def weights_of(partnership_ids: Sequence[int]) -> np.ndarray:
    stored = dict(
        HealthSettings.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "weights"
        )
    )
    from accord.domain.health import DEFAULT_WEIGHTS

    out = np.empty((len(partnership_ids), len(GROUPS)))
    for i, pid in enumerate(partnership_ids):
        given = stored.get(pid) or {}
        out[i] = [float(given.get(str(g), DEFAULT_WEIGHTS[g])) for g in GROUPS]
    return out


def score_partnerships(partnership_ids: Sequence[int], *, today: date | None = None) -> int:
    """Score the given partnerships over the last three years in one domain call; store one
    row per week with evidence and bring their alerts up to date. Returns rows stored."""
    today = today or timezone.localdate()
    ids = sorted(set(partnership_ids))
    if not ids:
        return 0
    start, _end = horizon(today)
    parties = parties_of(ids)
    sides = max([2, *(len(v) for v in parties.values())])
    side_of = {party: s for plist in parties.values() for s, party in enumerate(plist)}
    pindex = {pid: i for i, pid in enumerate(ids)}
    tagged = collect(ids, start=start, end=today)
    refresh_fed_observations(ids, (r for _name, r in tagged))  # relationship metrics' feeds
    table = [
        (
            pindex[r.partnership_id],
            (r.period_start - start).days // 7,
            side_of.get(r.from_party_id, -1) if r.from_party_id else -1,
            side_of.get(r.to_party_id, -1) if r.to_party_id else -1,
            r.signal,
            float(r.value),
            float(r.weight),
        )
        for _name, r in tagged
        if r.partnership_id in pindex and r.weight > 0 and math.isfinite(r.value)
    ]
    ev = evidence_arrays(table, partnerships=len(ids), periods=HORIZON_WEEKS, sides=sides)
    index = health_index(ev, weights_of(ids), window=WINDOW_WEEKS)
    detection = ew.detect(index, RULES)
    rows_of: dict[int, list[EvidenceRow]] = defaultdict(list)
    for _name, r in tagged:
        rows_of[r.partnership_id].append(r)
    names = dict(
        Party.objects.filter(partnership_id__in=ids).values_list("pk", "organization__name")
    )
    stored = 0
    now = timezone.now()
    for pid in ids:
        with transaction.atomic():
            partnership = Partnership.objects.select_for_update().get(pk=pid)
            stored += _store(
                partnership,
                pindex[pid],
                start,
                index,
                detection,
                parties[pid],
                rows_of[pid],
                names,
                now,
            )
            if not Alert.objects.filter(partnership=partnership).exists():
                _replay_episodes(partnership, pindex[pid], start, detection, parties[pid], names)
            _sync_alerts(partnership, pindex[pid], start, detection, parties[pid], names)
            HealthSettings.objects.filter(partnership_id=pid).update(rescore_requested_at=None)
    return stored


def _review_of_week(detection: ew.Detection) -> np.ndarray:
    """For each week, the review that last ended on or before it (−1 before the first)."""
    weeks = np.arange(HORIZON_WEEKS)
    return np.searchsorted(detection.review_end, weeks, side="right") - 1


def _store(
    partnership: Partnership,
    p: int,
    start: date,
    index: Any,
    detection: ew.Detection,
    party_ids: list[int],
    rows: list[EvidenceRow],
    names: dict[int, str],
    now: datetime,
) -> int:
    has = ~np.isnan(index.subscores[p]).all(axis=1)
    HealthScore.objects.filter(partnership=partnership).delete()
    if not has.any():
        return 0
    first = int(np.argmax(has))
    review = _review_of_week(detection)
    latest = HORIZON_WEEKS - 1
    week_now = start + timedelta(weeks=latest)
    said = movements(
        rows,
        names,
        now=week_now,
        then=week_now - timedelta(weeks=RULES.review_periods),
        window_weeks=WINDOW_WEEKS,
        notice_days=partnership.notice_lead_days,
    )
    objs = []
    for t in range(first, HORIZON_WEEKS):
        sub = {str(g): _num(index.subscores[p, t, k]) for k, g in enumerate(GROUPS)}
        r = int(review[t])
        state = STATE_NAMES[ew.State(int(detection.state[p, r]))] if r >= 0 else "unknown"
        own = {
            str(party): {
                "trust": _num(index.own_view[p, t, s, 0]),
                "behaviour": _num(index.own_view[p, t, s, 1]),
            }
            for s, party in enumerate(party_ids)
        }
        objs.append(
            HealthScore(
                partnership=partnership,
                period_start=start + timedelta(weeks=t),
                overall=_num(index.overall[p, t]),
                trend=_num(index.trend[p, t]),
                state=state,
                own_views=own,
                movements=said if t == latest else [],
                latest=t == latest,
                computed_at=now,
                **sub,
            )
        )
    HealthScore.objects.bulk_create(objs, batch_size=1000)
    return len(objs)


NEXT_STEP = {
    Alert.Kind.CIRCLE: (
        "Both sides are reacting to each other. Raise it in the feedback forum and agree one"
        " intervention together before the next review."
    ),
    Alert.Kind.ONE_SIDED: (
        "Ask what changed on the declining side, and raise it in the feedback forum before the"
        " other side's trust settles lower."
    ),
}


def _chain(
    partnership: Partnership,
    p: int,
    start: date,
    detection: ew.Detection,
    party_ids: list[int],
    names: dict[int, str],
    review: int | None = None,
) -> list[dict[str, str]]:
    """The chain of evidence at a review (the latest by default): each declining series, since
    when, against its usual level."""
    r = detection.state.shape[1] - 1 if review is None else review
    url = reverse("health:overview", kwargs={"pk": partnership.pk})
    chain = []
    for s, party in enumerate(party_ids):
        name = names.get(party, f"Party {s + 1}")
        onset = int(detection.onset[p, r, s])
        since = start + timedelta(weeks=int(detection.review_end[max(onset, 0)]))
        for k, (down, what, group) in enumerate(
            (
                (detection.trust_down, f"The other side's trust in {name}", "trust"),
                (
                    detection.behaviour_down,
                    f"{name}'s behaviour as the other side sees it",
                    "behaviour",
                ),
            )
        ):
            if down[p, r, s]:
                level = detection.level[p, r, s, k]
                usual = detection.baseline[p, r, s, k]
                chain.append(
                    {
                        "text": f"{what} has been below its usual range since the week of"
                        f" {since:%d %b %Y}: {level:.0f} against a usual {usual:.0f} of 100.",
                        "url": f"{url}evidence/?group={group}&party={party}",
                    }
                )
    return chain


def _sync_alerts(
    partnership: Partnership,
    p: int,
    start: date,
    detection: ew.Detection,
    party_ids: list[int],
    names: dict[int, str],
) -> None:
    r = detection.state.shape[1] - 1
    state = ew.State(int(detection.state[p, r]))
    active = Alert.objects.filter(partnership=partnership, state__in=Alert.ACTIVE).first()
    if state in ew.ALERTING:
        kind = Alert.Kind.CIRCLE if state is ew.State.CIRCLE else Alert.Kind.ONE_SIDED
        chain = _chain(partnership, p, start, detection, party_ids, names)
        if active is not None:
            if active.kind != kind or active.evidence != chain:
                active.kind, active.evidence, active.next_step = kind, chain, NEXT_STEP[kind]
                active.summary = _summary(kind, partnership)
                active.save(update_fields=["kind", "evidence", "next_step", "summary"])
            return
        quiet = np.flatnonzero(~detection.alert_open[p])
        last_quiet = (
            start + timedelta(weeks=int(detection.review_end[quiet[-1]])) if quiet.size else None
        )
        resolved = (
            Alert.objects.filter(partnership=partnership, state=Alert.State.RESOLVED)
            .order_by("-resolved_at")
            .first()
        )
        if (
            resolved
            and resolved.resolved_at
            and (last_quiet is None or resolved.resolved_at.date() >= last_quiet)
        ):
            return  # resolved by people during this episode: stays resolved until it recovers
        _open(partnership, kind, chain, start + timedelta(weeks=int(detection.review_end[r])))
    elif active is not None and not detection.alert_open[p, r]:
        active.state, active.cleared_at = Alert.State.CLEARED, timezone.now()
        active.save(update_fields=["state", "cleared_at"])
        summary = f"Health alert cleared by recovery: {active.get_kind_display().lower()}"
        record_event(
            action="health.alert_cleared", summary=summary, partnership=partnership, target=active
        )
        _notify(partnership, summary)


def _week_at(start: date, detection: ew.Detection, review: int) -> datetime:
    day = start + timedelta(weeks=int(detection.review_end[review]))
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _replay_episodes(
    partnership: Partnership,
    p: int,
    start: date,
    detection: ew.Detection,
    party_ids: list[int],
    names: dict[int, str],
) -> None:
    """A partnership scored for the first time (new, imported or demo history) gets the alerts
    its past would have raised: each episode that already ended is stored as cleared by
    recovery, and one still running is opened at the review where it began. Past episodes are
    audited but not notified — they are history, not news."""
    open_ = detection.alert_open[p]
    last = open_.shape[0] - 1
    r = 0
    while r <= last:
        if not open_[r]:
            r += 1
            continue
        end = r
        while end + 1 <= last and open_[end + 1]:
            end += 1
        states = detection.state[p, r : end + 1]
        kind = Alert.Kind.CIRCLE if (states == int(ew.State.CIRCLE)).any() else Alert.Kind.ONE_SIDED
        raised = _week_at(start, detection, r)
        if end == last:
            chain = _chain(partnership, p, start, detection, party_ids, names)
            alert = _open(partnership, kind, chain, raised.date())
            Alert.objects.filter(pk=alert.pk).update(opened_at=raised)
            return
        alert = Alert.objects.create(
            partnership=partnership,
            kind=kind,
            summary=_summary(kind, partnership),
            evidence=_chain(partnership, p, start, detection, party_ids, names, r),
            next_step=NEXT_STEP[Alert.Kind(kind)],
            raised_for=raised.date(),
            opened_at=raised,
            state=Alert.State.CLEARED,
            cleared_at=_week_at(start, detection, end + 1),
        )
        record_event(
            action="health.alert_opened",
            summary=alert.summary,
            partnership=partnership,
            target=alert,
            changes={"kind": kind, "replayed": True},
        )
        record_event(
            action="health.alert_cleared",
            summary=f"Health alert cleared by recovery: {alert.get_kind_display().lower()}",
            partnership=partnership,
            target=alert,
        )
        r = end + 1


def _summary(kind: str, partnership: Partnership) -> str:
    if kind == Alert.Kind.CIRCLE:
        return (
            f"{partnership.name}: trust and behaviour are worsening on both sides,"
            " each after the other's."
        )
    return f"{partnership.name}: one side's conduct or standing is declining while the other holds."


def _notify(partnership: Partnership, summary: str) -> None:
    managers = [
        p.user
        for p in Participant.objects.filter(
            partnership=partnership, role=Participant.Role.ALLIANCE_MANAGER
        ).select_related("user")
    ]
    notify(
        recipients=managers,
        kind="health_alert",
        summary=summary,
        partnership=partnership,
        url=reverse("health:alerts", kwargs={"pk": partnership.pk}),
    )


def _open(partnership: Partnership, kind: str, chain: list[dict[str, str]], week: date) -> Alert:
    alert = Alert.objects.create(
        partnership=partnership,
        kind=kind,
        summary=_summary(kind, partnership),
        evidence=chain,
        next_step=NEXT_STEP[Alert.Kind(kind)],
        raised_for=week,
    )
    record_event(
        action="health.alert_opened",
        summary=alert.summary,
        partnership=partnership,
        target=alert,
        changes={"kind": kind},
    )
    _notify(partnership, f"Health alert: {alert.summary}")
    return alert


class AlertStateError(ValueError):
    pass


@transaction.atomic
def acknowledge_alert(*, alert: Alert, actor: Any) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state != Alert.State.OPEN:
        raise AlertStateError(f"Only an open alert can be acknowledged; this one is {alert.state}.")
    alert.state, alert.acknowledged_at, alert.acknowledged_by = (
        Alert.State.ACKNOWLEDGED,
        timezone.now(),
        actor,
    )
    alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
    record_event(
        action="health.alert_acknowledged",
        summary=f"Health alert acknowledged: {alert.get_kind_display().lower()}",
        actor=actor,
        partnership=alert.partnership,
        target=alert,
    )
    return alert


@transaction.atomic
def resolve_alert(*, alert: Alert, actor: Any) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.state not in Alert.ACTIVE:
        raise AlertStateError(f"This alert is already {alert.get_state_display().lower()}.")
    alert.state, alert.resolved_at, alert.resolved_by = Alert.State.RESOLVED, timezone.now(), actor
    alert.save(update_fields=["state", "resolved_at", "resolved_by"])
    record_event(
        action="health.alert_resolved",
        summary=f"Health alert resolved: {alert.get_kind_display().lower()}",
        actor=actor,
        partnership=alert.partnership,
        target=alert,
    )
    _notify(alert.partnership, f"Health alert resolved by {actor.get_full_name() or actor}")
    return alert


@transaction.atomic
def set_weights(
    *, partnership: Partnership, weights: dict[str, float], actor: Any
) -> HealthSettings:
    unknown = sorted(set(weights) - {str(g) for g in GROUPS})
    if unknown:
        raise HealthScoringError(f"Unknown sub-score(s): {', '.join(unknown)}.")
    if any(not math.isfinite(w) or w < 0 or w > 100 for w in weights.values()):
        raise HealthScoringError("Weights must be numbers from 0 to 100.")
    settings, _created = HealthSettings.objects.get_or_create(partnership=partnership)
    merged = {**settings.weights, **{k: float(v) for k, v in weights.items()}}
    if not any(merged.values()):
        raise HealthScoringError("At least one sub-score needs a weight above 0.")
    before, settings.weights = settings.weights, merged
    settings.save(update_fields=["weights", "updated_at"])
    record_event(
        action="health.weights_changed",
        summary="Health index weights changed",
        actor=actor,
        partnership=partnership,
        changes={"before": before, "after": merged},
    )
    request_rescore(partnership.pk)
    return settings


def request_rescore(partnership_id: int) -> None:
    """Ask for a re-score soon; evidence arriving in a burst is scored once (debounced)."""
    now = timezone.now()
    settings, _ = HealthSettings.objects.get_or_create(partnership_id=partnership_id)
    first = HealthSettings.objects.filter(pk=settings.pk, rescore_requested_at__isnull=True).update(
        rescore_requested_at=now
    )
    if first:
        from accord.health.tasks import score_soon

        transaction.on_commit(lambda: score_soon.enqueue(partnership_id))


def signal_names() -> list[str]:
    return sorted(SIGNAL_INDEX)
