"""Query counts of a page, for the tests that pin them so an N+1 cannot come back."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client: Any, url: str) -> int:
    """How many queries one GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)
