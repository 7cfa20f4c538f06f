"""Writes for objectives and interventions; every name importable from here."""

from accord.interventions.services.after_reveal import contribution_save, item_acknowledge
from accord.interventions.services.interventions import (
    intervention_close,
    intervention_open,
    intervention_reveal,
    item_add,
    item_remove,
    lists_link_path,
    lists_submit,
    submission_set_logic,
    submission_submit,
)
from accord.interventions.services.objectives import (
    objective_create,
    objective_delete,
    objective_update,
)
from accord.interventions.services.plan import (
    plan_agree,
    plan_commitment_add,
    plan_complete,
    plan_followup_round,
    plan_update,
)

__all__ = [
    "contribution_save",
    "intervention_close",
    "intervention_open",
    "intervention_reveal",
    "item_acknowledge",
    "item_add",
    "item_remove",
    "lists_link_path",
    "lists_submit",
    "objective_create",
    "objective_delete",
    "objective_update",
    "plan_agree",
    "plan_commitment_add",
    "plan_complete",
    "plan_followup_round",
    "plan_update",
    "submission_set_logic",
    "submission_submit",
]
