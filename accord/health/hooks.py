"""New evidence asks for a debounced re-score of its partnership."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

WATCHED = (
    ("accountability", "Commitment", "partnership_id"),
    ("accountability", "MonitoringRequest", "partnership_id"),
    ("trust", "SurveyRound", "partnership_id"),
    ("conflicts", "Issue", "partnership_id"),
    ("governance", "Proposal", "partnership_id"),
    ("accountability", "ReviewAction", "partnership_id"),
    ("economics", "InvestmentEntry", "partnership_id"),
    ("economics", "ValueEntry", "partnership_id"),
    ("partnerships", "Participant", "partnership_id"),
)


def _rescore(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from accord.health.services import request_rescore

    pid = getattr(instance, "partnership_id", None)
    if pid:
        transaction.on_commit(lambda: request_rescore(pid))


def connect() -> None:
    from django.apps import apps

    for app_label, model, _field in WATCHED:
        post_save.connect(
            _rescore, sender=apps.get_model(app_label, model), dispatch_uid=f"health.{model}"
        )
