"""API: a quarter's review pack as PDF or Markdown (the same file the page offers)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router

from accord.api.errors import ApiError
from accord.partnerships.access import Need, access_partnership
from accord.review_pack.pack import NO_QUARTER, quarter_for
from accord.review_pack.views import download

router = Router(tags=["review pack"])
Id = Path(..., ge=1, le=2**53)


@router.get(
    "/partnerships/{partnership_id}/review-packs/{year}/{quarter}",
    openapi_extra={
        "responses": {
            200: {
                "description": "The pack as a file download.",
                "content": {"application/pdf": {}, "text/markdown": {}},
            }
        }
    },
)
def get_review_pack(
    request: HttpRequest,
    partnership_id: int = Id,
    year: int = Path(..., ge=2000, le=2100),  # type: ignore[type-arg]
    quarter: int = Path(..., ge=1, le=4),  # type: ignore[type-arg]
    format: Literal["pdf", "md"] = Query("pdf"),  # type: ignore[type-arg]
) -> Any:
    """One partnership's review pack for one quarter: joint records only, the same for every
    party. `format` is `pdf` (default) or `md`."""
    partnership = access_partnership(request.user, partnership_id, Need.READ)
    try:
        wanted = quarter_for(partnership, year, quarter)
    except ValueError:
        raise ApiError(404, NO_QUARTER, "no_such_quarter") from None
    return download(partnership, wanted, format)
