"""Per-person communication routes (not under a partnership)."""

from django.urls import path

from accord.communication.views import digest

urlpatterns = [
    path("settings/digest/", digest.digest_settings, name="digest_settings"),
    path("digest/unsubscribe/<str:token>/", digest.digest_unsubscribe, name="digest_unsubscribe"),
]
