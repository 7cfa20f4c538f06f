from django.urls import path

from accord.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("export/", views.export, name="export"),
]
