"""Page throughput: requests per second of every partnership tab and of the portfolio, against a
hello-world view on the same server in the same run.

Goal (issue 14): with 2 gunicorn sync workers on PostgreSQL, on the 200-partnership demo, every
tab and the portfolio at least 5% of the hello-world view's rate.

The server is `gunicorn -w 2 -k sync` on 127.0.0.1:PORT serving benchmarks/throughput_wsgi.py
(the app plus one hello view), with DEBUG off and each worker keeping its database connection
(DB_CONN_MAX_AGE=60, production's default). The client is plain Python — several processes,
each with a few threads issuing GET requests back to back through http.client (wrk is not
installed here) — signed in as one of the demo's alliance managers with a session made directly
in the database. Each URL gets a warm-up, then is driven for a fixed time; the figure is
completed 200 responses per second. The hello view is measured first and last, and the ratio
uses their mean. The client shares the machine's two cores with the server, so hello's rate is
partly the client's limit: ratios are conservative for the slow pages.

The database (PostgreSQL: DATABASE_URL, else accord_bench_throughput on the local server) is
prepared on first use — created if missing, then
    manage.py migrate && manage.py accord_demo --partnerships 200 --reset
    manage.py accord_score && manage.py accord_tick --only portfolio.trust_stages
(about a minute) — and reused after; --prepare does it again.
Usage: python benchmarks/bench_throughput.py [--seconds S] [--port P] [--only NAME ...] [--prepare]
"""

# ruff: noqa: S603  (starts gunicorn with its own arguments)
from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.05
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/accord_bench_throughput"
USER = "hannah.keller@helix.example.com"


def prepare(url: str, *, again: bool) -> None:
    """Create the database if missing and load the 200-partnership demo into it, unless it
    already holds the demo's user (and `again` is not asked)."""
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            con.execute(f'CREATE DATABASE "{name}"')
    if exists and not again:
        with psycopg.connect(url) as con:
            has_users = con.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_name = 'auth_user'"
            ).fetchone()
            if (
                has_users
                and con.execute("SELECT 1 FROM auth_user WHERE username = %s", [USER]).fetchone()
            ):
                return
    print(f"Preparing {name}: the 200-partnership demo, scored (about a minute) …", flush=True)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "-v0"],
        ["accord_demo", "--partnerships", "200", "--reset"],
        ["accord_score"],
        ["accord_tick", "--only", "portfolio.trust_stages"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def targets(only: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """A session cookie for the demo user, and (label, path) for each tab of their first
    partnership plus the portfolio."""
    from django.apps import apps
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from accord.partnerships.models import Participant
    from accord.partnerships.templatetags.partnership_tabs import CORE_TABS

    user = get_user_model().objects.filter(username=USER).first()
    if user is None:
        sys.exit(f"No demo user {USER}: load the 200-partnership demo first (see --help).")
    participation = (
        Participant.objects.filter(user=user, role="alliance_manager")
        .order_by("partnership")
        .first()
    )
    if participation is None:
        sys.exit(f"{USER} takes part in no partnership: load the demo first (see --help).")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    entries = list(CORE_TABS)
    for config in apps.get_app_configs():
        entries += getattr(config, "partnership_tabs", [])
    pages = [("hello", "/__hello__/")]
    for _order, label, name, *_need in sorted(entries, key=lambda e: (e[0], e[1])):
        if label != "Activity":
            pages.append(
                (label.lower(), reverse(name, kwargs={"pk": participation.partnership_id}))
            )
    pages.append(("portfolio", reverse("portfolio:portfolio")))
    if only:
        pages = [p for p in pages if p[0] in only or p[0] == "hello"]
    pages.append(("hello (again)", "/__hello__/"))
    return session.session_key, pages


def _client(port: int, path: str, cookie: str, stop_at: float, threads: int, out: mp.Queue) -> None:
    counts = [0] * threads
    errors = [0] * threads

    def run(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}", "Host": "127.0.0.1"}
        while time.monotonic() < stop_at:
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[i] += 1
                else:
                    errors[i] += 1
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put((sum(counts), sum(errors)))


def drive(port: int, path: str, cookie: str, seconds: float, procs: int, threads: int) -> float:
    out: mp.Queue = mp.Queue()
    start = time.monotonic()
    stop_at = start + seconds
    workers = [
        mp.Process(target=_client, args=(port, path, cookie, stop_at, threads, out))
        for _ in range(procs)
    ]
    for w in workers:
        w.start()
    results = [out.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.monotonic() - start
    ok, bad = sum(r[0] for r in results), sum(r[1] for r in results)
    if bad:
        print(f"    ({bad} non-200 or failed responses for {path})")
    return ok / elapsed


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/__hello__/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--port", type=int, default=8115)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per client process")
    parser.add_argument("--only", action="append", default=[], help="a tab (lower case)")
    parser.add_argument("--prepare", action="store_true", help="load the demo again")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL", PG_DEFAULT)
    os.environ["DEBUG"] = "false"
    # Production's default (config/settings.py); the bench cannot run with DJANGO_ENV=production
    # itself, which redirects plain HTTP to HTTPS.
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("Run it on PostgreSQL: set DATABASE_URL.")
    prepare(os.environ["DATABASE_URL"], again=args.prepare)
    setup_django()
    cookie, pages = targets(args.only)
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "2",
            "-k",
            "sync",
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
            "benchmarks.throughput_wsgi:application",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        wait_for(args.port)
        rates: dict[str, float] = {}
        for label, path in pages:
            drive(args.port, path, cookie, args.warmup, args.procs, args.threads)
            rates[label] = drive(args.port, path, cookie, args.seconds, args.procs, args.threads)
            print(f"  {label:<16} {path:<45} {rates[label]:8.1f} rps", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    hello = (rates.pop("hello") + rates.pop("hello (again)")) / 2
    print(f"\nhello-world (mean of first and last): {hello:.1f} rps")
    print(f"{'page':<16} {'rps':>8} {'ratio':>8}  goal ≥ {GOAL:.0%}")
    worst = min(rates.values()) / hello if rates else 1.0
    for label, rate in rates.items():
        ratio = rate / hello
        mark = "ok" if ratio >= GOAL else "BELOW"
        print(f"{label:<16} {rate:8.1f} {ratio:8.1%}  {mark}")
    print(
        f"slowest page at {worst:.1%} of hello: {'meets' if worst >= GOAL else 'misses'} the goal"
    )


if __name__ == "__main__":
    main()
