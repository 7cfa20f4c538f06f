"""The bulk-ingest limit the docs state is the real one: the stated number of minimal rows fits
in the request body limit, a body past it is a 413 `too_large`, and nothing is stored."""

import json
import re
from pathlib import Path

from django.conf import settings

from accord.api.services import token_create
from accord.performance.models import Observation

DOCS = Path(settings.BASE_DIR) / "docs" / "performance.md"
ROW = {"metric": "otd", "period": "2026-01-31", "value": 97.5}


def documented_rows() -> int:
    text = DOCS.read_text()
    line = next(line for line in text.splitlines() if "observations/bulk" in line)
    return int(re.search(r"about ([\d,]+) rows like", line).group(1).replace(",", ""))


def body_of(n: int) -> str:
    return json.dumps([ROW] * n)  # the separators most JSON clients send


def test_the_documented_number_of_rows_fits_and_is_close_to_the_limit():
    n = documented_rows()
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit == 2_621_440  # the "2.5 MB" the docs name
    assert len(body_of(n)) <= limit
    assert len(body_of(round(n * 1.1))) > limit  # "about": within 10 %


def test_a_body_past_the_limit_is_a_413_and_stores_nothing(cast, client):
    _token, raw = token_create(user=cast.alice, name="bulk", days=1)
    rows = round(documented_rows() * 1.1)
    response = client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/observations/bulk",
        body_of(rows),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Observation.objects.exists()
