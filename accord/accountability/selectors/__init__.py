"""Reads for accountability, scoped by the viewer. Measures are computed by
accord.domain.performance over plain arrays; these functions only turn rows into those arrays and
the results back into rows a page can show."""

from __future__ import annotations

from accord.accountability.selectors._common import parties, settings_for, viewer_org_id
from accord.accountability.selectors.commitments import (
    commitment_get,
    commitment_list,
    status_counts,
)
from accord.accountability.selectors.escalation import (
    action_escalable,
    action_overdue_days,
    escalation_bases,
    escalation_basis,
)
from accord.accountability.selectors.loop_closure import (
    loop_closure,
    loop_closure_signal_for,
    signals_for,
)
from accord.accountability.selectors.on_time import (
    ON_TIME_QUARTERS,
    OnTime,
    PartyRate,
    on_time,
    on_time_rates_for,
)
from accord.accountability.selectors.oversight import (
    OVERSIGHT_THRESHOLD,
    OVERSIGHT_WINDOW_DAYS,
    Oversight,
    monitoring_requests,
    oversight,
    oversight_balance_for,
)
from accord.accountability.selectors.reviews import (
    Agenda,
    AgendaMetric,
    action_list,
    cadence_list,
    review_agenda,
    review_get,
    review_list,
)

__all__ = [
    "ON_TIME_QUARTERS",
    "OVERSIGHT_THRESHOLD",
    "OVERSIGHT_WINDOW_DAYS",
    "Agenda",
    "AgendaMetric",
    "OnTime",
    "Oversight",
    "PartyRate",
    "action_escalable",
    "action_list",
    "action_overdue_days",
    "cadence_list",
    "commitment_get",
    "commitment_list",
    "escalation_bases",
    "escalation_basis",
    "loop_closure",
    "loop_closure_signal_for",
    "monitoring_requests",
    "on_time",
    "on_time_rates_for",
    "oversight",
    "oversight_balance_for",
    "parties",
    "review_agenda",
    "review_get",
    "review_list",
    "settings_for",
    "signals_for",
    "status_counts",
    "viewer_org_id",
]
