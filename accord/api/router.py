"""The API's plumbing: one NinjaAPI under /api/v1/ that includes each capability's router."""

from typing import Any

from ninja import NinjaAPI

from accord.accountability.api import router as accountability_router
from accord.api.auth import api_auth
from accord.api.errors import document_error_responses, install_error_handlers
from accord.api.routes import router as me_router
from accord.backup.api import router as backup_router
from accord.communication.api import router as communication_router
from accord.conflicts.api import router as conflicts_router
from accord.culture.api import router as culture_router
from accord.economics.api import router as economics_router
from accord.formation.api import router as formation_router
from accord.governance.api import router as governance_router
from accord.health.api import router as health_router
from accord.imports.api import router as imports_router
from accord.incentives.api import router as incentives_router
from accord.interventions.api import router as interventions_router
from accord.notifications.api import router as notifications_router
from accord.partnerships.api import router as partnerships_router
from accord.performance.api import router as performance_router
from accord.review_pack.api import router as review_pack_router
from accord.trust.api import router as trust_router


class AccordAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_error_responses(super().get_openapi_schema(**kwargs))


api = AccordAPI(
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
api.add_router("/", notifications_router)
api.add_router("/", imports_router)
api.add_router("/", backup_router)
for capability in (
    trust_router,
    culture_router,
    economics_router,
    incentives_router,
    governance_router,
    conflicts_router,
    accountability_router,
    performance_router,
    communication_router,
    health_router,
    interventions_router,
    formation_router,
    review_pack_router,
):
    api.add_router("/", capability)
api.add_router("/", "accord.portfolio.api.router")
