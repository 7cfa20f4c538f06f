"""Import fuzzing: whatever the file, the import either stores every row or none, and never
fails with anything but a clear file error or a row-level report."""

import io
import json
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from accord.imports.engine import ImportFileError
from accord.imports.models import ImportJob
from accord.imports.services import import_file
from accord.performance.models import Observation
from accord.performance.parsing import parse_period

from .helpers import make_metric

FUZZ = settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
GOOD_METRIC = st.sampled_from(["otif", "OTIF", "nps", "Nps"])
BAD_METRIC = st.sampled_from(["", "revenue", "margin", "x" * 300, "ótif"])
GOOD_PERIOD = st.dates(date(2020, 1, 1), date(2030, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), f"{d:%Y-%m}", f"{d.year}-Q{(d.month - 1) // 3 + 1}"])
)
BAD_PERIOD = st.sampled_from(["", "2026-13", "2026-Q5", "yesterday", "1899-12", "2026/01", "1e3"])
GOOD_VALUE = st.floats(-1e12, 1e12, allow_nan=False).map(repr) | st.integers(-(10**9), 10**9).map(
    str
)
BAD_VALUE = st.sampled_from(["", "nan", "inf", "-Infinity", "1,5", "ten", "1e400", "9" * 20])
HUGE = st.just("z" * 10_001)


NOTE = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20).map(str.strip)


def flagged_rows():
    """Rows with a flag saying whether the row itself is bad (duplicates are judged later)."""
    good = st.tuples(GOOD_METRIC, GOOD_PERIOD, GOOD_VALUE, NOTE).map(lambda r: (r, False))
    bad = st.one_of(
        st.tuples(BAD_METRIC, GOOD_PERIOD, GOOD_VALUE, st.just("")),
        st.tuples(GOOD_METRIC, BAD_PERIOD, GOOD_VALUE, st.just("")),
        st.tuples(GOOD_METRIC, GOOD_PERIOD, BAD_VALUE, st.just("")),
        st.tuples(GOOD_METRIC, GOOD_PERIOD, GOOD_VALUE, HUGE),
    ).map(lambda r: (r, True))
    return st.lists(st.one_of(good, good, good, bad), min_size=1, max_size=12)


def row_strategy():
    return flagged_rows().map(lambda rows: [row for row, _ in rows])


def to_csv(rows):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(["metric", "period", "value", "note"])
    writer.writerows(rows)
    return out.getvalue().encode()


def snapshot():
    return sorted(Observation.objects.values_list("metric_id", "period", "value", "note"))


def run(cast, data, name):
    try:
        return import_file(
            partnership=cast.partnership,
            user=cast.alice,
            kind="observations",
            stream=io.BytesIO(data),
            filename=name,
        )
    except ImportFileError:
        return None


@FUZZ
@given(flagged=flagged_rows(), existing=st.booleans())
def test_a_fuzzed_csv_imports_completely_or_not_at_all(cast, flagged, existing):
    if not hasattr(cast, "metrics"):
        cast.metrics = [make_metric(cast), make_metric(cast, code="nps", category="market")]
    Observation.objects.all().delete()
    if existing:
        Observation.objects.create(metric=cast.metrics[0], period=date(2026, 1, 1), value=1.0)
    before = snapshot()
    rows = [row for row, _ in flagged]
    report = run(cast, to_csv(rows), "fuzz.csv")
    assert report is not None
    any_bad = any(bad for _, bad in flagged)
    keys = {(r[0].lower(), parse_period(r[1])) for r, bad in flagged if not bad}
    expected_ok = not any_bad and len(keys) == len(rows)
    assert report.ok == expected_ok, report.errors
    if report.ok:
        assert report.imported == len(rows)
        stored = {(m, p) for m, p, _, _ in snapshot()}
        assert len(stored) == len(keys | ({("otif", date(2026, 1, 1))} if existing else set()))
    else:
        assert snapshot() == before
        assert report.imported == 0
        columns = {"metric", "period", "value", "note"}
        assert all(e.row >= 2 and e.column in columns for e in report.errors)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes_give_a_file_error_or_a_report_never_a_crash(cast, data, suffix):
    if not hasattr(cast, "metrics"):
        cast.metrics = [make_metric(cast)]
    Observation.objects.all().delete()
    report = run(cast, data, "random" + suffix)
    if report is not None and not report.ok:
        assert Observation.objects.count() == 0


@FUZZ
@given(
    note=st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0x2FF), min_size=1),
    encoding=st.sampled_from(["latin-1", "utf-16", "cp1252"]),
)
def test_a_file_in_another_encoding_is_refused_whole(cast, note, encoding):
    if not hasattr(cast, "metrics"):
        cast.metrics = [make_metric(cast)]
    Observation.objects.all().delete()
    text = f"metric,period,value,note\notif,2026-01,91,{note}\n"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    report = run(cast, data, "enc.csv")
    if report is None or not report.ok:
        assert Observation.objects.count() == 0
    else:  # only bytes that also happen to be valid UTF-8 get here
        assert Observation.objects.count() == 1


CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(date(1800, 1, 1), date(2300, 1, 1)),
    st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=30),
    GOOD_METRIC,
    GOOD_PERIOD,
)


@FUZZ
@given(cells=st.lists(st.tuples(CELL, CELL, CELL, CELL), min_size=1, max_size=8))
def test_a_fuzzed_workbook_with_any_cell_types_is_all_or_nothing(cast, cells):
    if not hasattr(cast, "metrics"):
        cast.metrics = [make_metric(cast), make_metric(cast, code="nps")]
    Observation.objects.all().delete()
    book = Workbook()
    sheet = book.active
    sheet.append(["metric", "period", "value", "note"])
    for row in cells:
        sheet.append([c if not isinstance(c, float) or c == c else None for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    report = run(cast, buffer.getvalue(), "fuzz.xlsx")
    assert report is not None
    assert Observation.objects.count() == (report.imported if report.ok else 0)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=row_strategy())
def test_the_upload_page_and_bulk_api_never_answer_500(
    cast, client, django_capture_on_commit_callbacks, rows
):
    if not hasattr(cast, "metrics"):
        cast.metrics = [make_metric(cast), make_metric(cast, code="nps")]
        client.force_login(cast.alice)
    Observation.objects.all().delete()
    url = f"/partnerships/{cast.partnership.pk}/imports/new/observations/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("f.csv", to_csv(rows))})
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert client.get(response.url).status_code == 200
    assert Observation.objects.count() == (job.report["imported"] if job.report["ok"] else 0)
    Observation.objects.all().delete()
    payload = [{"metric": m, "period": p, "value": v, "note": n[:500]} for m, p, v, n in rows]
    api = client.post(
        f"/api/v1/partnerships/{cast.partnership.pk}/observations/bulk",
        data=json.dumps(payload),
        content_type="application/json",
    )
    assert api.status_code in (200, 400, 422)
    assert Observation.objects.count() == (
        api.json().get("imported", 0) if api.status_code == 200 else 0
    )
