"""Import 1,000,000 metric observations from CSV through the real import path, on SQLite and
PostgreSQL, against each database's own bulk loader on the same file in the same run.

Goal (issue 6): within 2.5× of the bulk loader on both databases, peak memory under 150 MB.

- Ours: `accord.imports.services.import_file` — the code path of the upload page, the API and
  `manage.py accord_import` — parsing and validating every row (metric code lookup, period,
  value, duplicate (metric, period) check) and writing batches with executemany (SQLite) or COPY
  (PostgreSQL) inside one transaction. It runs in a fresh subprocess; "peak RSS" is that
  process's high-water mark (VmHWM: interpreter, Django and all), "import growth" is what the
  import added on top of the process after Django's setup.
- SQLite loader: the `sqlite3` CLI `.import` into a staging table, then INSERT … SELECT joining
  the metric code to its id, with the same pragmas Django uses (WAL, synchronous=NORMAL,
  foreign keys on).
- PostgreSQL loaders: COPY of the same rows straight into the observation table (metric ids
  substituted beforehand, outside the timing — the loader's best case, and the ratio the goal is
  judged by) and, for comparison, COPY of the very same file into a staging table then
  INSERT … SELECT (the same shape as the SQLite loader).

Every load goes into the same, empty observation table (composite primary key (metric, period),
FK to the metric). Scratch databases are created and dropped by this script:
/tmp/accord-bench-import-<pid>.sqlite3 and PostgreSQL database accord_bench_import_<pid> on
BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test; set it empty to skip).

Usage: python benchmarks/bench_import.py [--rows N]
"""

# ruff: noqa: S603, S607, S608  (a benchmark: its own commands and SQL, no outside input)
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
METRICS = 100
GOAL_RATIO = 2.5
GOAL_MB = 150
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/test"


# --- the file ---------------------------------------------------------------------------------


def write_csv(path: Path, rows: int) -> None:
    """`rows` observations over METRICS metrics, one per day, as the importer documents them."""
    rng = random.Random(6)
    per_metric = -(-rows // METRICS)
    start = date(1990, 1, 1).toordinal()
    days = [date.fromordinal(start + i).isoformat() for i in range(per_metric)]
    with path.open("w", newline="") as out:
        out.write("metric,period,value,note\n")
        written = 0
        for m in range(METRICS):
            code = f"metric-{m:03d}"
            lines = []
            for i in range(min(per_metric, rows - written)):
                note = "checked by finance" if i % 50 == 0 else ""
                lines.append(f"{code},{days[i]},{rng.uniform(0, 1000):.2f},{note}\n")
            out.writelines(lines)
            written += len(lines)


def id_csv(source: Path, target: Path, ids: dict[str, int]) -> None:
    """The same rows with the metric code replaced by its id (for COPY straight into the table)."""
    with source.open() as src, target.open("w") as out:
        out.write(next(src))
        for line in src:
            code, rest = line.split(",", 1)
            out.write(f"{ids[code]},{rest}")


# --- the child: Django, one partnership, the real import --------------------------------------


def child(csv_path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from accord.imports.services import import_file
    from accord.partnerships.models import (
        Membership,
        Organization,
        Participant,
        Partnership,
        Party,
    )
    from accord.performance.models import Metric

    org = Organization.objects.create(name="Bench Org", slug=f"bench-{os.getpid()}")
    user = get_user_model().objects.create(username=f"bench-{os.getpid()}@example.com")
    Membership.objects.create(user=user, organization=org, role=Membership.Role.ADMIN)
    partnership = Partnership.objects.create(name="Bench alliance")
    party = Party.objects.create(partnership=partnership, organization=org)
    Participant.objects.create(
        partnership=partnership, user=user, organization=org, role="alliance_manager"
    )
    Metric.objects.bulk_create(
        Metric(
            partnership=partnership,
            owner_org=org,
            code=f"metric-{m:03d}",
            name=f"Metric {m}",
            category="operational",
            direction="higher",
            target=900,
            amber_threshold=800,
            red_threshold=500,
            owner_party=party,
        )
        for m in range(METRICS)
    )
    before = _status_kb("VmRSS")
    with open(csv_path, "rb") as stream:
        cpu = _cpu(resource.RUSAGE_SELF)
        started = time.perf_counter()
        report = import_file(
            partnership=partnership,
            user=user,
            kind="observations",
            stream=stream,
            filename="observations.csv",
        )
        seconds = time.perf_counter() - started
        cpu = _cpu(resource.RUSAGE_SELF) - cpu
    ids = dict(Metric.objects.filter(partnership=partnership).values_list("code", "id"))
    print(
        json.dumps(
            {
                "ok": report.ok,
                "rows": report.imported,
                "errors": report.error_count,
                "seconds": seconds,
                "cpu": cpu,
                "peak_kb": _status_kb("VmHWM"),
                "before_kb": before,
                "partnership": partnership.pk,
                "ids": ids,
            }
        )
    )


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def run_ours(database_url: str, csv_path: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [PYTHON, __file__, "--child", str(csv_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the import subprocess failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"the import reported {result['errors']} errors")
    return result


def migrate(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True
    )


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_loader(db: Path, csv_path: Path, partnership: int) -> tuple[float, float]:
    script = f"""
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA foreign_keys=ON;
.mode csv
BEGIN IMMEDIATE;
CREATE TEMP TABLE stage (metric TEXT, period TEXT, value REAL, note TEXT);
.import --skip 1 --schema temp {csv_path} stage
INSERT INTO performance_observation (metric_id, period, value, note)
  SELECT m.id, s.period, s.value, s.note FROM temp.stage s
  JOIN performance_metric m ON m.code = s.metric AND m.partnership_id = {partnership};
COMMIT;
"""
    cpu = _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=script, text=True, check=True, capture_output=True)
    return time.perf_counter() - started, _cpu(resource.RUSAGE_CHILDREN) - cpu


def sqlite_count_and_clear(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as con:
        count = con.execute("SELECT count(*) FROM performance_observation").fetchone()[0]
        con.execute("DELETE FROM performance_observation")
    con = sqlite3.connect(db)
    con.execute("VACUUM")
    con.close()
    return count


def bench_sqlite(csv_path: Path, rows: int) -> dict:
    db = Path(tempfile.gettempdir()) / f"accord-bench-import-{os.getpid()}.sqlite3"
    url = f"sqlite:///{db}"
    try:
        migrate(url)
        ours = run_ours(url, csv_path)
        assert sqlite_count_and_clear(db) == rows
        loader, loader_cpu = sqlite_loader(db, csv_path, ours["partnership"])
        assert sqlite_count_and_clear(db) == rows
        return {
            "ours": ours,
            "loaders": {"sqlite3 .import + INSERT…SELECT": loader},
            "loader_cpu": loader_cpu,
        }
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def pg_copy(url: str, path: Path, sql: str, after: str | None = None) -> float:
    with _pg_connect(url) as con:
        started = time.perf_counter()
        with con.transaction(), con.cursor() as cur:
            with cur.copy(sql) as copy, path.open("rb") as src:
                while chunk := src.read(1 << 20):
                    copy.write(chunk)
            if after:
                cur.execute(after)
        return time.perf_counter() - started


def pg_count_and_clear(url: str) -> int:
    with _pg_connect(url) as con:
        count = con.execute("SELECT count(*) FROM performance_observation").fetchone()[0]
        con.execute("TRUNCATE performance_observation")
        con.execute("VACUUM ANALYZE performance_observation")
    return count


def bench_postgres(server: str, csv_path: Path, rows: int) -> dict:
    name = f"accord_bench_import_{os.getpid()}"
    base, _, _ = server.rpartition("/")
    url = f"{base}/{name}"
    with _pg_connect(server) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        migrate(url)
        ours = run_ours(url, csv_path)
        assert pg_count_and_clear(url) == rows
        ids_path = csv_path.with_suffix(".ids.csv")
        id_csv(csv_path, ids_path, ours["ids"])
        direct = pg_copy(
            url,
            ids_path,
            "COPY performance_observation (metric_id, period, value, note) "
            "FROM STDIN (FORMAT csv, HEADER true, FORCE_NOT_NULL (note))",
        )
        assert pg_count_and_clear(url) == rows
        staged = (
            pg_copy(
                url,
                csv_path,
                "COPY stage FROM STDIN (FORMAT csv, HEADER true)",
                after=(
                    "INSERT INTO performance_observation (metric_id, period, value, note) "
                    "SELECT m.id, s.period, s.value, coalesce(s.note, '') FROM stage s "
                    "JOIN performance_metric m ON m.code = s.metric "
                    f"AND m.partnership_id = {ours['partnership']}"
                ),
            )
            if _make_stage(url)
            else 0.0
        )
        assert pg_count_and_clear(url) == rows
        ids_path.unlink(missing_ok=True)
        return {
            "ours": ours,
            "loaders": {"COPY into the table": direct, "COPY into staging + INSERT…SELECT": staged},
        }
    finally:
        with _pg_connect(server) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _make_stage(url: str) -> bool:
    with _pg_connect(url) as con:
        con.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS stage "
            "(metric text, period date, value double precision, note text)"
        )
    return True


# --- report -----------------------------------------------------------------------------------


def report(name: str, rows: int, result: dict) -> bool:
    ours = result["ours"]
    peak_mb = ours["peak_kb"] / 1024
    growth_mb = (ours["peak_kb"] - ours["before_kb"]) / 1024
    print(f"\n{name}: {rows:,} observations")
    print(
        f"  {'accord import (import_file)':<36} {ours['seconds']:6.2f} s"
        f" {rows / ours['seconds']:>9,.0f} rows/s   peak RSS {peak_mb:.0f} MB"
        f" (the import itself added {growth_mb:.0f} MB); CPU {ours['cpu']:.2f} s"
    )
    ok = peak_mb < GOAL_MB
    for i, (label, seconds) in enumerate(result["loaders"].items()):
        ratio = ours["seconds"] / seconds
        judged = f"   <- goal: at most {GOAL_RATIO}x" if i == 0 else ""
        print(
            f"  {label:<36} {seconds:6.2f} s {rows / seconds:>9,.0f} rows/s"
            f"   accord/loader {ratio:.2f}x{judged}"
        )
        if i == 0:
            ok = ok and ratio <= GOAL_RATIO
    if "loader_cpu" in result:
        cpu = result["loader_cpu"]
        print(
            f"  CPU time: loader {cpu:.2f} s, accord {ours['cpu']:.2f} s ({ours['cpu'] / cpu:.2f}x)"
        )
    print(f"  goal (<= {GOAL_RATIO}x the loader, peak < {GOAL_MB} MB): {'met' if ok else 'MISSED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "observations.csv"
        started = time.perf_counter()
        write_csv(csv_path, args.rows)
        size = csv_path.stat().st_size / 1e6
        took = time.perf_counter() - started
        print(f"file: {args.rows:,} rows, {size:.0f} MB, written in {took:.1f} s")
        results = []
        if os.environ.get("BENCH_SQLITE", "1"):
            results.append(("SQLite", bench_sqlite(csv_path, args.rows)))
        server = os.environ.get("BENCH_POSTGRES", PG_DEFAULT)
        if server:
            results.append(("PostgreSQL", bench_postgres(server, csv_path, args.rows)))
        all_ok = all([report(name, args.rows, result) for name, result in results])
    print("\nall goals met" if all_ok else "\nsome goals missed")


if __name__ == "__main__":
    main()
