"""Two imports of the same value ledger at the same moment both succeed, and the second updates
what the first created instead of failing on the unique import key.

Real concurrent imports in threads, each with its own database connection. Row locks need
PostgreSQL (CI runs the suite there); SQLite serializes writers on its own.
"""

from __future__ import annotations

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection

from accord.economics.models import ValueEntry
from accord.economics.tests.helpers import days_ago, rates
from accord.imports import services
from accord.imports.models import ImportJob
from accord.partnerships.audit import verify_chain
from accord.partnerships.models import Visibility
from accord.testing.personas import build_cast

ROUNDS = 4


def ledger(reference: str, rows: int = 50) -> bytes:
    head = "source,beneficiary,amount,currency,status,period_start,period_end,reference\n"
    body = "".join(
        f"scale,Alder Pharma,{1000 + i},EUR,realized,{days_ago(90)},{days_ago(1)},{reference}-{i}\n"
        for i in range(rows)
    )
    return (head + body).encode()


def import_twice_at_once(cast, data: bytes) -> list[object]:
    """Run two imports of `data` released together; return each report (or its error)."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = services.import_file(
                partnership=cast.partnership,
                user=cast.alice,
                kind="value-entries",
                stream=io.BytesIO(data),
                filename="ledger.csv",
            )
        except Exception as error:  # the outcome under test
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are a PostgreSQL feature")
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_ledger_at_once_both_succeed_without_duplicates():
    cast = build_cast()
    rates(cast)
    for round_ in range(ROUNDS):
        outcomes = import_twice_at_once(cast, ledger(f"R{round_}"))
        assert [getattr(o, "ok", o) for o in outcomes] == [True, True], f"round {round_}"
        assert ValueEntry.objects.filter(reference__startswith=f"R{round_}-").count() == 50
    assert verify_chain(partnership_id=cast.partnership.pk) is None


def test_a_unique_key_taken_by_a_concurrent_import_fails_the_job_clearly(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    """Should another writer still take a key first, the job says so instead of hanging."""

    def collide(**kwargs):
        raise IntegrityError(
            'duplicate key value violates unique constraint "value_import_key_once"'
        )

    monkeypatch.setattr(services, "import_file", collide)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(
            partnership=cast.partnership,
            user=cast.alice,
            kind="value-entries",
            upload=SimpleUploadedFile("ledger.csv", ledger("X")),
        )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.report["failure"] == services.CONCURRENT_CHANGE
    assert job.visibility == Visibility.INTERNAL
