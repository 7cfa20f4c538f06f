"""The API's plumbing: one NinjaAPI under /api/v1/ that includes each capability's router."""

from ninja import NinjaAPI

from accord.api.auth import api_auth
from accord.api.errors import install_error_handlers
from accord.api.routes import router as me_router
from accord.partnerships.api import router as partnerships_router

api = NinjaAPI(
    title="Accord API",
    version="1",
    description=(
        "JSON API for Accord. Authenticate with a personal access token "
        "(`Authorization: Bearer acc_…`, created under Settings → API tokens) "
        "or a browser session. "
        'Errors always look like `{"detail": "…", "code": "…"}`.'
    ),
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", me_router)
api.add_router("/", partnerships_router)
