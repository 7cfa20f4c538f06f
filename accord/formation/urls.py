from django.urls import path

from accord.formation import views

app_name = "formation"
urlpatterns = [
    path("", views.overview, name="overview"),
]
