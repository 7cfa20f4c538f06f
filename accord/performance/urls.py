from django.urls import path

from accord.performance import exports, views

app_name = "performance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("metrics/", views.metric_list, name="metrics"),
    path("values/export/", exports.observations_export, name="observations_export"),
    path("scorecard/export/", exports.scorecard_export, name="scorecard_export"),
    path("metrics/new/", views.metric_create, name="metric_create"),
    path("metrics/adopt/<slug:key>/", views.catalog_adopt, name="catalog_adopt"),
    path("metrics/<int:metric_id>/", views.metric_detail, name="metric_detail"),
    path("metrics/<int:metric_id>/edit/", views.metric_edit, name="metric_edit"),
    path("metrics/<int:metric_id>/delete/", views.metric_delete, name="metric_delete"),
    path("metrics/<int:metric_id>/action/", views.action_create, name="action_create"),
    path(
        "metrics/<int:metric_id>/values/<str:period>/delete/",
        views.observation_delete,
        name="observation_delete",
    ),
]
