"""Imported survey answers obey the same k-anonymity as native ones, through every route."""

from datetime import date

from accord.backup.scope import organization_scope
from accord.history.models import HistoryEntry
from accord.history.sources import history_evidence
from accord.history.tests.helpers import HEADER, run_history
from accord.partnerships.audit import AuditEvent

# Three of Alder's people on Birch's goodwill (published: k is 3), two on its competence
# (withheld), one delivery of Alder's.
ANSWERS = (
    "2026-11,alder,birch,trust_goodwill,7\n"
    "2026-11,alder,birch,trust_goodwill,5\n"
    "2026-11,alder,birch,trust_goodwill,6\n"
    "2026-10,alder,birch,trust_competence,1\n"
    "2026-10,alder,birch,trust_competence,7\n"
    "2026-10,alder,,on_time,1\n"
)


def test_a_cell_below_k_gives_no_evidence_and_a_published_one_only_its_mean(cast):
    assert run_history(cast, cast.alice, HEADER + ANSWERS).ok

    found = {
        (r.signal, r.value, r.weight)
        for r in history_evidence(
            [cast.partnership.pk], start=date(2020, 1, 1), end=date(2027, 1, 1)
        )
    }
    assert found == {("trust_goodwill", 6.0, 3.0), ("on_time", 1.0, 1.0)}


def test_the_other_party_sees_the_published_mean_and_never_an_answer_or_a_count(cast, client):
    assert run_history(cast, cast.alice, HEADER + ANSWERS).ok
    client.force_login(cast.bob)

    evidence = client.get(f"/api/v1/partnerships/{cast.partnership.pk}/health/evidence").json()
    history = [
        (e["signal"], e["value"], e["observations"]) for e in evidence if e["source"] == "history"
    ]
    assert sorted(history) == [("on_time", 1.0, 1.0), ("trust_goodwill", 6.0, 3.0)]

    seen_by_bob = AuditEvent.objects.filter(partnership=cast.partnership, visibility="joint")
    summaries = [e.summary for e in seen_by_bob if e.action == "import.history"]
    assert summaries == ["Imported 1 joint rows of Partnership history"]
    page = client.get(f"/partnerships/{cast.partnership.pk}/health/evidence/").content.decode()
    assert "trust_competence" not in page
    assert "competence trust" not in page


def test_the_other_organizations_backup_holds_no_imported_answer(cast):
    assert run_history(cast, cast.alice, HEADER + ANSWERS).ok

    scope = organization_scope("birch")
    scope.prepare()
    kept = list(scope.rows(HistoryEntry).values_list("signal", flat=True))
    assert kept == ["on_time"]
