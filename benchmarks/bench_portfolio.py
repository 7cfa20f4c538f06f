"""The portfolio page at 5,000 partnerships: server time (median of repeated requests through
Django's test client, in process — no network) and query count, on SQLite and PostgreSQL.

Goal (issue 14): under 300 ms server time on both databases, and a query count that does not
depend on the portfolio's size.

The data is written with bulk_create (not the demo generator, far too slow at this size): one
organization with 5,000 partnerships (each with one partner organization, out of 500), as many
partnerships between other organizations that it must not see, 52 stored weekly health rows
per partnership of its own (4 for the others), an alert on every seventh (some resolved), a
stored trust stage, ten joint audit events each and an internal one of the partner, and the
viewer as participant in every one.

Each database is a scratch test database made by Django's test machinery (migrated, then
destroyed): SQLite in a temporary file, PostgreSQL as `test_<name>` on the server of
BENCH_POSTGRES (default: DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/accord_bench_portfolio; set BENCH_POSTGRES empty to skip
PostgreSQL).

Usage: python benchmarks/bench_portfolio.py [--partnerships N] [--repeat R]
"""

# ruff: noqa: S603  (runs itself with its own arguments)
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 300.0
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/accord_bench_portfolio"
VARIANTS = [
    ("page 1, by name", "/portfolio/", {}),
    ("sorted by health, worst first", "/portfolio/", {"sort": "health"}),
    ("sorted by last activity", "/portfolio/", {"sort": "-activity"}),
    ("sorted by alerts", "/portfolio/", {"sort": "-alerts"}),
    ("filter: poor health + active alerts", "/portfolio/", {"band": "poor", "alerts": "yes"}),
    ("filter: text search", "/portfolio/", {"q": "alliance 12"}),
    ("last page, by trust stage", "/portfolio/", {"sort": "stage", "page": "200"}),
    ("API, 100 rows by health", "/api/v1/portfolio", {"sort": "-health", "limit": "100"}),
]


def build(n: int) -> object:
    """Write the portfolio; returns the viewer."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accord.health.models import Alert, HealthScore
    from accord.partnerships.audit import AuditEvent
    from accord.partnerships.models import (
        Membership,
        Organization,
        Participant,
        Partnership,
        Party,
    )
    from accord.portfolio.models import TrustStageSnapshot

    rng = np.random.default_rng(14)
    now = timezone.now()
    owner = Organization.objects.create(name="Portfolio Owner", slug="owner")
    partners = Organization.objects.bulk_create(
        Organization(name=f"Partner {i}", slug=f"partner-{i}") for i in range(500)
    )
    user = get_user_model().objects.create_user("viewer@owner.test")
    Membership.objects.create(user=user, organization=owner, role=Membership.Role.ADMIN)
    words = ["Oncology", "Supply", "Data", "Platform", "Device", "Access", "Research"]
    statuses = [s for s, _ in Partnership.Status.choices]
    stages = [s for s, _ in TrustStageSnapshot.Stage.choices]
    mine = Partnership.objects.bulk_create(
        (
            Partnership(
                name=f"{words[i % len(words)]} alliance {i}",
                status=statuses[int(rng.integers(0, len(statuses)))],
            )
            for i in range(n)
        ),
        batch_size=2000,
    )
    others = Partnership.objects.bulk_create(
        (Partnership(name=f"Not mine {i}") for i in range(n)), batch_size=2000
    )
    Party.objects.bulk_create(
        [
            *(Party(partnership=p, organization=owner) for p in mine),
            *(Party(partnership=p, organization=partners[i % 500]) for i, p in enumerate(mine)),
            *(Party(partnership=p, organization=partners[i % 500]) for i, p in enumerate(others)),
            *(
                Party(partnership=p, organization=partners[(i + 1) % 500])
                for i, p in enumerate(others)
            ),
        ],
        batch_size=5000,
    )
    Participant.objects.bulk_create(
        (
            Participant(partnership=p, user=user, organization=owner, role="alliance_manager")
            for p in mine
        ),
        batch_size=5000,
    )
    monday = date(2026, 11, 23)
    weeks = 52
    for chunk in range(0, 2 * n, 1000):
        rows = []
        for p in (mine + others)[chunk : chunk + 1000]:
            level = float(rng.uniform(25, 90))
            for w in range(weeks if chunk < n else weeks - 4, weeks):
                level = float(np.clip(level + rng.normal(0, 1.5), 0, 100))
                rows.append(
                    HealthScore(
                        partnership=p,
                        period_start=monday - timedelta(weeks=weeks - 1 - w),
                        overall=round(level, 2),
                        trust=round(level - 3, 2),
                        behaviour=round(level + 2, 2),
                        economics=None if w % 3 else round(level, 2),
                        governance=round(level, 2),
                        performance=round(level - 1, 2),
                        communication=round(level + 1, 2),
                        trend=float(round(rng.normal(0, 1.5), 2)),
                        state="steady",
                        latest=w == weeks - 1,
                        computed_at=now,
                    )
                )
        HealthScore.objects.bulk_create(rows, batch_size=5000)
    Alert.objects.bulk_create(
        (
            Alert(
                partnership=p,
                kind="circle",
                summary="Worsening on both sides",
                raised_for=monday,
                state="open" if i % 2 else "resolved",
            )
            for i, p in enumerate(mine + others)
            if i % 7 == 0
        ),
        batch_size=5000,
    )
    TrustStageSnapshot.objects.bulk_create(
        (
            TrustStageSnapshot(partnership=p, stage=stages[i % len(stages)])
            for i, p in enumerate(mine)
        ),
        batch_size=5000,
    )
    events = []
    for i, p in enumerate(mine + others):
        for seq in range(1, 11):
            events.append(
                AuditEvent(
                    partnership=p,
                    seq=seq,
                    action="bench.event",
                    summary="Something happened",
                    visibility="joint",
                    created_at=now - timedelta(days=int(rng.integers(0, 400)), minutes=seq),
                    prev_hash="0" * 64,
                    hash="0" * 64,
                )
            )
        events.append(
            AuditEvent(
                partnership=p,
                seq=1,
                action="bench.internal",
                summary="Internal",
                visibility="internal",
                owner_org=partners[i % 500],
                created_at=now,
                prev_hash="0" * 64,
                hash="0" * 64,
            )
        )
        if len(events) >= 20_000:
            AuditEvent.objects.bulk_create(events)
            events = []
    AuditEvent.objects.bulk_create(events)
    return user


def measure(n: int, repeat: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    vendor = connection.vendor
    if vendor == "sqlite":
        scratch = Path(tempfile.gettempdir()) / f"accord-bench-portfolio-{os.getpid()}.sqlite3"
        connection.settings_dict["TEST"]["NAME"] = str(scratch)
    keep = bool(os.environ.get("BENCH_KEEPDB"))  # re-use the scratch database between runs
    started = time.perf_counter()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=keep
    )
    try:
        migrated = time.perf_counter()
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username="viewer@owner.test").first()
        user = user if user is not None and keep else build(n)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        built = time.perf_counter()
        print(
            f"[{vendor}] scratch database migrated in {migrated - started:.1f} s, "
            f"{n:,} + {n:,} partnerships written in {built - migrated:.1f} s"
        )
        client = Client()
        client.force_login(user)
        worst = 0.0
        for label, path, params in VARIANTS:
            for _ in range(3):  # warm caches and connections
                assert client.get(path, params).status_code == 200
            connection.queries_log.clear()  # a full log (its maxlen) would count nothing
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, params)
            assert response.status_code == 200, response.status_code
            queries = len(ctx.captured_queries)  # now: a new connection clears the log
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                client.get(path, params)
                times.append((time.perf_counter() - t) * 1000)
            median = statistics.median(times)
            worst = max(worst, median)
            print(
                f"[{vendor}] {label:<40} median {median:7.1f} ms  "
                f"(min {min(times):6.1f}, max {max(times):6.1f})  "
                f"queries {queries}"
            )
        verdict = "meets" if worst < GOAL_MS else "MISSES"
        print(f"[{vendor}] slowest median {worst:.1f} ms: {verdict} the goal of {GOAL_MS:.0f} ms")
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.get("/portfolio/export/", {"format": "csv"})
            size = len(b"".join(response.streaming_content))
            took = (time.perf_counter() - t) * 1000
        queries = len(ctx.captured_queries)
        print(
            f"[{vendor}] CSV export of all {n:,} rows: {took:.0f} ms, {size / 1e6:.1f} MB, "
            f"queries {queries}"
        )
    finally:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        measure(args.partnerships, args.repeat)
        return
    pg = os.environ.get("BENCH_POSTGRES", os.environ.get("DATABASE_URL", PG_DEFAULT))
    targets = [f"sqlite:///{tempfile.gettempdir()}/accord-bench-portfolio-unused.sqlite3"]
    if pg and pg.startswith("postgres"):
        targets.append(pg)
    for url in targets:
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
        cmd = [sys.executable, __file__, "--worker", f"--partnerships={args.partnerships}"]
        subprocess.run([*cmd, f"--repeat={args.repeat}"], check=True, env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
