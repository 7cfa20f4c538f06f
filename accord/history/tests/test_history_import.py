import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.health.models import Alert, HealthScore
from accord.health.services import score_partnerships
from accord.history import importer as rules
from accord.history.models import HistoryEntry
from accord.history.tests.helpers import HEADER, circle_csv, run_history
from accord.imports.models import ImportJob

SCORED_ON = date(2026, 11, 30)


def test_imported_history_is_scored_and_its_vicious_circle_raises_an_alert(cast):
    alder = run_history(cast, cast.alice, circle_csv("alder", with_partnership_rows=True))
    birch = run_history(cast, cast.bob, circle_csv("birch", with_partnership_rows=False))
    assert alder.ok
    assert birch.ok
    assert HistoryEntry.objects.count() == alder.imported + birch.imported

    score_partnerships([cast.partnership.pk], today=SCORED_ON)

    weeks = HealthScore.objects.filter(partnership=cast.partnership).order_by("period_start")
    steady = weeks.get(period_start=date(2025, 6, 2))
    latest = weeks.last()
    assert steady.overall > 85
    assert latest.overall < steady.overall - 30
    alert = Alert.objects.get(partnership=cast.partnership)
    assert alert.kind == Alert.Kind.CIRCLE
    assert alert.state == Alert.State.OPEN


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            "2025-01,oak,birch,trust_goodwill,5",
            "from_party",
            rules.UNKNOWN_PARTY.format(value="oak"),
        ),
        (
            "2025-13,alder,birch,trust_goodwill,5",
            "period",
            rules.BAD_PERIOD.format(value="2025-13"),
        ),
        ("2099-01,alder,birch,trust_goodwill,5", "period", rules.FUTURE_PERIOD),
        ("2025-01,alder,birch,trust_gossip,5", "signal", None),
        ("2025-01,alder,birch,trust_goodwill,8", "value", None),
        ("2025-01,alder,birch,trust_goodwill,4.5", "value", None),
        ("2025-01,alder,,on_time,2", "value", None),
        ("2025-01,,,on_time,1", "from_party", rules.PARTY_NEEDED),
        ("2025-01,alder,,metric_attainment,0.9", "from_party", rules.NO_PARTY_HERE),
        ("2025-01,alder,Alder Pharma,messages,3", "to_party", rules.SAME_PARTY),
        ("2025-01,birch,alder,trust_goodwill,5", "from_party", rules.NOT_YOUR_ANSWERS),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_stored(cast, row, column, reason):
    good = "2025-01,alder,birch,trust_competence,6\n2025-01,birch,,on_time,1\n"
    report = run_history(cast, cast.alice, HEADER + good + row + "\n")

    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(4, column)]
    if reason is not None:
        assert report.errors[0].reason == reason
    assert not HistoryEntry.objects.exists()


def test_parties_are_named_by_code_or_organization_name_and_periods_by_month_or_day(cast):
    text = HEADER + "2025-01,ALDER,Birch Bio,notice_lead_days,12\n2025-01-17,birch,,on_time,0\n"
    assert run_history(cast, cast.alice, text).ok

    stored = sorted(HistoryEntry.objects.values_list("period", "from_party", "signal"))
    assert stored == [
        (date(2025, 1, 1), cast.party_a.pk, "notice_lead_days"),
        (date(2025, 1, 17), cast.party_b.pk, "on_time"),
    ]


def test_a_period_is_imported_once_so_no_later_file_can_top_it_up(cast):
    first = HEADER + "2025-01,alder,birch,trust_goodwill,5\n" * 3
    assert run_history(cast, cast.alice, first).ok

    again = run_history(cast, cast.alice, HEADER + "2025-01,alder,birch,trust_goodwill,2\n")

    assert [e.reason for e in again.errors] == [rules.ALREADY_IMPORTED]
    assert HistoryEntry.objects.count() == 3


def test_only_alliance_managers_import_history(cast, client):
    with pytest.raises(ValidationError) as refused:
        run_history(cast, cast.amos, HEADER + "2025-01,alder,,on_time,1\n")
    assert refused.value.messages == [rules.NOT_A_MANAGER]

    client.force_login(cast.amos)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/imports/history"
    upload = SimpleUploadedFile("h.csv", (HEADER + "2025-01,alder,,on_time,1\n").encode())
    assert client.post(url, {"file": upload}).status_code == 404
    page = client.get(f"/partnerships/{cast.partnership.pk}/imports/new/history/")
    assert page.status_code == 404
    assert not HistoryEntry.objects.exists()
    client.force_login(cast.alice)
    upload_page = client.get(f"/partnerships/{cast.partnership.pk}/imports/new/history/")
    assert upload_page.status_code == 200


def test_the_api_imports_history_as_a_background_job(
    cast, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.bob)
    url = f"/api/v1/partnerships/{cast.partnership.pk}/imports/history"
    body = HEADER + "2025-02,birch,alder,monitoring_requests,4\n2025-02,birch,,messages,18\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": SimpleUploadedFile("h.csv", body.encode())})

    assert response.status_code == 202
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == ImportJob.Status.DONE
    assert job.report["imported"] == 2
    assert HistoryEntry.objects.filter(owner_org=cast.org_b).count() == 2


def test_the_cli_imports_history_and_exits_non_zero_on_a_bad_file(cast, tmp_path):
    good = tmp_path / "history.csv"
    good.write_text(HEADER + "2025-03,alder,birch,notice_lead_days,30\n")
    out = io.StringIO()
    call_command(
        "accord_import", str(good), partnership=cast.partnership.pk, kind="history",
        email=cast.alice.username, stdout=out,
    )  # fmt: skip
    assert "Imported 1 rows" in out.getvalue()

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2025-03,alder,birch,notice_lead_days,-4\n")
    with pytest.raises(CommandError):
        call_command(
            "accord_import", str(bad), partnership=cast.partnership.pk, kind="history",
            email=cast.alice.username, stderr=io.StringIO(),
        )  # fmt: skip
    assert HistoryEntry.objects.count() == 1


def test_every_signal_is_documented_and_known_to_the_health_index():
    from pathlib import Path

    from accord.domain.health import SIGNAL_INDEX
    from accord.history.signals import SIGNALS

    docs = (Path(__file__).resolve().parents[3] / "docs" / "history-import.md").read_text()
    documented = {line.split("`")[1] for line in docs.splitlines() if line.startswith("| `")}
    assert {s.name for s in SIGNALS} <= documented
    assert {s.name for s in SIGNALS} <= set(SIGNAL_INDEX)
