"""What the benchmarks share: a fresh PostgreSQL database, timing a page, writing results."""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def fresh_database(url: str) -> None:
    """Drop and recreate the database named at the end of ``url``."""
    name, admin_url = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True)


def time_page(client, path: str, repeat: int) -> dict:
    """Server time of ``path`` over ``repeat`` runs after a warm-up, and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    samples = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
            "queries": len(ctx), "samples": samples}


def time_wsgi(client, path: str, repeat: int) -> dict:
    """Server time of ``path`` as a WSGI server asks for it (Django's ``WSGIHandler``, with ``client``'s
    session cookie): over ``repeat`` runs after a warm-up, the part of it spent in the database (the queries'
    own times, as Django reads them), its query count and size.

    The test client's own timing (``time_page``) runs the same code but reads slower on this machine for a
    large page, by as much as the page's rendering itself; what a deployment serves is this.
    """
    import io
    from urllib.parse import urlsplit

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    handler = WSGIHandler()
    url = urlsplit(path)
    cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in client.cookies.items())

    def get() -> tuple[str, int]:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url.path, "QUERY_STRING": url.query,
                   "SERVER_NAME": "testserver", "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1",
                   "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http"}
        status = []
        body = b"".join(handler(environ, lambda s, headers, *rest: status.append(s)))
        return status[0], len(body)

    for _ in range(3):
        get()
    samples, in_database = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            status, size = get()
            samples.append((time.perf_counter() - started) * 1000)
        in_database.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        assert status.startswith("200"), (path, status)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
            "database_median_ms": round(statistics.median(in_database), 1),
            "queries": len(ctx), "bytes": size}


def write(name: str, results: dict) -> None:
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(text)
