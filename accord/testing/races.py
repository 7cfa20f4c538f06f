"""Run requests at the same moment from threads, each with its own database connection, for
race tests (PostgreSQL: SQLite serializes writers by itself)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Call each function in its own thread, released together; return their results (or the
    exception each raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except Exception as error:  # the outcome under test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def post_as(user: Any, url: str, data: dict[str, Any], *, json: bool = False) -> Callable[[], Any]:
    """A call for `at_once`: `user` posts `data` to `url` (a form, or a JSON body for the API).
    The sign-in happens here, before the threads are released, so the requests start together."""
    client = Client()
    client.force_login(user)

    def call() -> Any:
        if json:
            return client.post(url, data, content_type="application/json")
        return client.post(url, data)

    return call
