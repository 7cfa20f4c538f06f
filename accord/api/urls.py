from django.urls import path

from accord.api import views
from accord.api.errors import api_urls
from accord.api.router import api

urlpatterns = [
    path("api/v1/", api_urls(api)),
    path("settings/tokens/", views.token_list, name="token_list"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
