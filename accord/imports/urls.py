from django.urls import path

from accord.imports import views

urlpatterns = [
    path("partnerships/<int:pk>/imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path(
        "partnerships/<int:pk>/imports/new/<slug:kind>/", views.import_upload, name="import_upload"
    ),
]
