"""Province-scale benchmark on PostgreSQL.

Seeds ``seed_demo --scale province`` into a fresh database, then measures the
server time (Django test client, in-process, no network) and query count of:
the organization page of the province root, the subtree member list of the
root (first and a far page), a person search, and a person page.

    make bench                       # or:
    DEBUG=1 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/province.py [--repeat 15] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin_url, "-qc", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    os.environ.update(DATABASE_URL=url, DEBUG="1", ALLOWED_HOSTS="testserver", HTTPS="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if not args.keep:
        _fresh_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from governance.models import Membership, Organization, Person

    results: dict[str, object] = {"database": connection.vendor}
    if not args.keep:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale="province")
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results["organizations"] = Organization.objects.count()
    results["people"] = Person.objects.count()
    results["memberships"] = Membership.objects.count()

    client = Client()
    client.force_login(get_user_model().objects.get(username="bantochuc"))
    root = Organization.objects.get(depth=1)
    cell = Organization.objects.filter(kind="cell").order_by("-path").first()
    person = Person.objects.order_by("-pk").first()
    pages = {
        "organization page (province root)": f"/org/{root.pk}/",
        "organization page (deepest cell)": f"/org/{cell.pk}/",
        "subtree member list (root, page 1)": f"/org/{root.pk}/members/",
        "subtree member list (root, page 1000)": f"/org/{root.pk}/members/?page=1000",
        "subtree member list (root, search)": f"/org/{root.pk}/members/?q=nguyen+thi+lan",
        "tree children (root)": f"/org/{root.pk}/children/",
        "person search 'nguyen van an'": "/people/?q=nguyen+van+an",
        "person page": f"/people/{person.pk}/",
    }
    timings = {}
    for label, path in pages.items():
        client.get(path)  # warm up
        samples, queries = [], 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries = len(ctx)
        samples.sort()
        timings[label] = {"median_ms": round(statistics.median(samples), 1),
                          "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
                          "queries": queries}
    results["pages"] = timings

    print(json.dumps(results, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "province.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
