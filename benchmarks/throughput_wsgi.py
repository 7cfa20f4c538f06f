"""The app as gunicorn serves it, plus one hello-world view for bench_throughput.py to compare
with (outside the product's URLconf, so no route is added to Accord itself)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello, world.", content_type="text/plain")


urlpatterns = [path("__hello__/", hello), path("", include("config.urls"))]

from django.conf import settings  # noqa: E402  (after setup, like the WSGI handler)

settings.ROOT_URLCONF = __name__
