"""Two namespaces under one include: `objectives:` and `interventions:`, so each has its own tab
(the tabs mark a namespace's pages as theirs)."""

from django.urls import include, path

from accord.interventions.views import interventions as iv
from accord.interventions.views import links, objectives

P = "interventions/<int:intervention_id>/"
objective_patterns = [
    path("objectives/", objectives.objective_list, name="list"),
    path("objectives/<int:objective_id>/", objectives.objective_edit, name="edit"),
    path("objectives/<int:objective_id>/delete/", objectives.objective_delete, name="delete"),
]
intervention_patterns = [
    path("interventions/", iv.overview, name="overview"),
    path(P, iv.detail, name="detail"),
    path(P + "logic/", iv.logic, name="logic"),
    path(P + "items/", iv.item_add, name="item_add"),
    path(P + "items/<int:item_id>/remove/", iv.item_remove, name="item_remove"),
    path(P + "items/<int:item_id>/acknowledge/", iv.acknowledge, name="acknowledge"),
    path(P + "submit/", iv.submit, name="submit"),
    path(P + "reveal/", iv.reveal, name="reveal"),
    path(P + "contribution/", iv.contribution, name="contribution"),
    path(P + "plan/", iv.plan, name="plan"),
    path(P + "plan/commitments/", iv.plan_commitment, name="plan_commitment"),
    path(P + "plan/round/", iv.plan_round, name="plan_round"),
    path(P + "plan/agree/", iv.plan_agree, name="plan_agree"),
    path(P + "close/", iv.close, name="close"),
    path("interventions/lists/<str:token>/", links.link_lists, name="link_lists"),
]
urlpatterns = [
    path("", include((objective_patterns, "objectives"))),
    path("", include((intervention_patterns, "interventions"))),
]
