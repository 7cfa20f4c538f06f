from django.urls import path

from accord.health import views

app_name = "health"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("history/", views.history_partial, name="history"),
    path("evidence/", views.evidence, name="evidence"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve, name="alert_resolve"),
]
