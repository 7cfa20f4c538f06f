"""Shared steps for intervention tests: open, fill both parties' lists, reveal, plan."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django.utils import timezone

from accord.interventions import services

A_PRIVATE = "Alder-only: our CFO froze the budget in March"
B_PRIVATE = "Birch-only: we lost two chemists to a competitor"


def open_intervention(cast):
    return services.intervention_open(
        partnership=cast.partnership, user=cast.alice, reason="Deliveries slip and trust falls."
    )


def fill(cast, intervention, *, submit=True):
    """Both parties answer and list privately; each list carries a marker only it contains."""
    today = timezone.localdate()
    for user, private, effect in ((cast.alice, A_PRIVATE, -1), (cast.bob, B_PRIVATE, 1)):
        services.submission_set_logic(intervention=intervention, user=user, strategic_logic="yes")
        services.item_add(intervention=intervention, user=user, kind="pressure", text=private)
        services.item_add(
            intervention=intervention,
            user=user,
            kind="pivotal_event",
            text=f"Steering meeting ({private[:5]})",
            occurred_on=today - timedelta(days=20),
            trust_effect=effect,
        )
        if submit:
            services.submission_submit(intervention=intervention, user=user)
    return intervention


def revealed(cast):
    intervention = fill(cast, open_intervention(cast))
    services.intervention_reveal(intervention=intervention, user=cast.fiona)
    intervention.refresh_from_db()
    return intervention


def complete_plan(cast, intervention):
    today = timezone.localdate()
    services.plan_update(
        intervention=intervention,
        user=cast.alice,
        cadence="Weekly call of both alliance managers",
        issue_rule="Any slip over a week goes to the feedback forum within two days",
    )
    services.plan_commitment_add(
        intervention=intervention,
        user=cast.alice,
        title="Ship the re-validated assay",
        owner_party_id=cast.party_a.pk,
        due_on=today + timedelta(days=30),
    )
    opens = datetime.combine(today + timedelta(days=60), time(8), tzinfo=UTC)
    services.plan_followup_round(
        intervention=intervention,
        user=cast.alice,
        opens_at=opens,
        closes_at=opens + timedelta(days=14),
    )
    intervention.refresh_from_db()
    return intervention
