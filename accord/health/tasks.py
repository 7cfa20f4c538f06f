"""Background scoring: soon after new evidence (debounced), and nightly for everyone."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django_tasks import default_task_backend, task

from accord.health.models import HealthScore, HealthSettings
from accord.partnerships.models import Partnership
from accord.partnerships.periodic import periodic_pass

BATCH = 500


@task()
def score_partnership_task(partnership_id: int) -> int:
    from accord.health.services import score_partnerships

    if not HealthSettings.objects.filter(
        partnership_id=partnership_id, rescore_requested_at__isnull=False
    ).exists():
        return 0  # someone else scored it since
    return score_partnerships([partnership_id])


class _Soon:
    """Enqueue with the debounce delay where the backend can defer, at once where it cannot."""

    def enqueue(self, partnership_id: int) -> None:
        from accord.health.services import DEBOUNCE

        job = score_partnership_task
        if default_task_backend.supports_defer:
            job = job.using(run_after=timezone.now() + DEBOUNCE)
        job.enqueue(partnership_id)


score_soon = _Soon()


@periodic_pass("health.score")
def score_everyone(now: datetime) -> str:
    """Nightly: re-score every partnership not scored today, in batches of one domain call."""
    from accord.health.services import score_partnerships

    today = timezone.localdate(now)
    fresh = set(
        HealthScore.objects.filter(latest=True, computed_at__date=today).values_list(
            "partnership_id", flat=True
        )
    )
    ids = [pk for pk in Partnership.objects.values_list("pk", flat=True) if pk not in fresh]
    stored = 0
    for i in range(0, len(ids), BATCH):
        stored += score_partnerships(ids[i : i + BATCH], today=today)
    return f"scored {len(ids)} partnership(s), {stored} weekly row(s)"
