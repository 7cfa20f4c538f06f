from django.urls import path

from accord.incentives import views

app_name = "incentives"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.model_create, name="model_create"),
    path("<int:model_id>/", views.analysis, name="analysis"),
    path("<int:model_id>/edit/", views.model_edit, name="model_edit"),
    path("<int:model_id>/delete/", views.model_delete, name="model_delete"),
]
