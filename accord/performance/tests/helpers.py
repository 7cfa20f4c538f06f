"""Small builders shared by the performance tests."""

from __future__ import annotations

import io
from datetime import date

from accord.imports.engine import read_table
from accord.imports.services import import_file
from accord.partnerships.models import Visibility
from accord.performance.models import Metric, Observation


def make_metric(cast, *, code="otif", internal=False, org="a", **fields):
    owner_org, party, user = (
        (cast.org_a, cast.party_a, cast.alice)
        if org == "a"
        else (cast.org_b, cast.party_b, cast.bob)
    )
    values = dict(
        name=code.replace("-", " ").title(),
        category="operational",
        unit="%",
        direction="higher",
        target=95.0,
        amber_threshold=90.0,
        red_threshold=80.0,
    )
    values.update(fields)
    return Metric.objects.create(
        partnership=cast.partnership,
        owner_org=owner_org,
        visibility=Visibility.INTERNAL if internal else Visibility.JOINT,
        created_by=user,
        code=code,
        owner_party=party,
        **values,
    )


def observe(metric, *pairs):
    for period, value in pairs:
        Observation.objects.create(metric=metric, period=date.fromisoformat(period), value=value)


def import_csv(cast, text, *, user=None, name="values.csv"):
    data = text.encode() if isinstance(text, str) else text
    return import_file(
        partnership=cast.partnership,
        user=user or cast.alice,
        kind="observations",
        stream=io.BytesIO(data),
        filename=name,
    )


def rows(stream_bytes, name="x.csv"):
    return list(read_table(io.BytesIO(stream_bytes), name))
