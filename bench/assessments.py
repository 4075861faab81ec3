"""Review and classification at province scale (and ten times it) on PostgreSQL.

Seeds the tree and the people (``organizations.demo.seed``), opens three
periods through the opening job (2024 under Regulation 124, 2025 and the
quarters I-III of 2026 under Regulation 366), gives every subject of the two
annual periods a decided level (one SQL UPDATE with a realistic spread, then
``rollups_rebuild``: the bench's shortcut, since deciding 115,000 subjects
one cell at a time is what the grid figure below measures), then measures:

- the province dashboard's median server time against the raw ``GROUP BY`` of
  levels over the subtree that it summarizes (and the one of a cell);
- opening a period for the province (subjects per second);
- reviewing and deciding one cell of 30 through the grid's services.

    make bench-assessments                    # province, then --scale province10
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_assess \
        .venv/bin/python bench/assessments.py [--scale province] [--repeat 15] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import RESULTS, fresh_database, time_page, write  # noqa: E402
from common.actors import SYSTEM  # noqa: E402

RAW = """
SELECT a.level, count(*) FROM assessments_assessment a
JOIN organizations_organization o ON o.id = a.organization_id
WHERE a.period_id = %s AND o.path LIKE %s GROUP BY a.level
"""


def _open(period, actor) -> tuple[int, float]:
    from assessments import services as svc
    from jobs.services import job_execute

    started = time.perf_counter()
    # Outside a transaction on_commit fires at once, and without a broker the job runs in this process.
    job = svc.period_open(period=period, actor=actor)
    job_execute(job.pk)  # a no-op if it ran already
    job.refresh_from_db()
    seconds = time.perf_counter() - started
    assert job.status == "succeeded", job.error
    return job.result["subjects"], seconds


def _decide_everyone(period) -> None:
    """A realistic spread of decided levels (about 10% Excellent, 70% Good, 17% Completed, 3% Not completed)."""
    from django.db import connection

    from assessments import services as svc

    with connection.cursor() as cursor:
        cursor.execute("""
            UPDATE assessments_assessment SET state = 'decided', review_level = lvl, level = lvl
            FROM (SELECT id, CASE WHEN id %% 100 < 10 THEN 'excellent' WHEN id %% 100 < 80 THEN 'good'
                                  WHEN id %% 100 < 97 THEN 'completed' ELSE 'not_completed' END AS lvl
                  FROM assessments_assessment WHERE period_id = %s) AS spread
            WHERE assessments_assessment.id = spread.id""", [period.pk])
    svc.rollups_rebuild(period=period, actor=SYSTEM)


def _raw_ms(period, path: str, repeat: int) -> float:
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        cursor.execute(RAW, [period.pk, path + "%"])
        for _ in range(repeat):
            started = time.perf_counter()
            cursor.execute(RAW, [period.pk, path + "%"])
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def _grid_cell(period, actor) -> dict:
    """Review then decide the largest cell (about 30 members) through the services the grid calls."""
    from django.db.models import Count

    from assessments import services as svc
    from assessments.choices import Level, Step
    from assessments.models import Assessment

    cell_id = (Assessment.objects.filter(period=period, kind="member", state=Step.PENDING)
               .values("organization_id").annotate(n=Count("pk")).filter(n__lte=32).order_by("-n")
               .values_list("organization_id", flat=True).first())
    rows = list(Assessment.objects.filter(period=period, organization_id=cell_id,
                                          state=Step.PENDING).exclude(kind="leader"))
    grades = {"politics": 5, "ethics": 4, "lifestyle": 4, "example": 4, "innovation": 4, "self_criticism": 4,
              "tasks": 60}
    collective = {"building": 8, "organization": 8, "inspection": 8, "tasks": 62}
    review = [svc.Row(a.pk, grades=collective if a.kind == "collective" else grades, level=Level.GOOD)
              for a in rows]
    started = time.perf_counter()
    svc.assessments_review(period=period, rows=review, actor=actor)
    reviewed = time.perf_counter() - started
    started = time.perf_counter()
    svc.assessments_decide(period=period, decisions=[svc.Decision(a.pk, Level.GOOD) for a in rows], actor=actor)
    decided = time.perf_counter() - started
    return {"rows": len(rows), "review_ms": round(reviewed * 1000, 1), "decide_ms": round(decided * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="province", help="organizations.demo.SCALES: province, province10")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    default = f"postgres://postgres@127.0.0.1:5432/portal_bench_{args.scale}"
    url = os.environ.get("BENCH_DATABASE_URL", default)
    os.environ.update(DATABASE_URL=url, DEBUG="1", ALLOWED_HOSTS="testserver", HTTPS="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if not args.keep:
        fresh_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from assessments import services as svc
    from assessments.models import Period
    from organizations.demo import seed
    from organizations.models import Organization

    results: dict[str, object] = {"database": connection.vendor, "scale": args.scale}
    if not args.keep:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed(args.scale, log=lambda _m: None, steps=False)
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
        root = Organization.objects.get(depth=1)
        board = get_user_model().objects.get(username="bantochuc")
        board.is_superuser = True  # the bench decides for every level
        board.save(update_fields=["is_superuser"])
        opened = {}
        for year, quarter in [(2024, None), (2025, None), (2026, 1), (2026, 2), (2026, 3)]:
            period = svc.period_create(organization=root, year=year, quarter=quarter, actor=board)
            subjects, seconds = _open(period, board)
            opened[period.title] = {"subjects": subjects, "seconds": round(seconds, 1),
                                    "subjects_per_second": round(subjects / seconds)}
            print(period.title, opened[period.title], flush=True)
        results["periods_opened"] = opened
        results["grid_cell_of_30"] = _grid_cell(Period.objects.get(year=2025, quarter__isnull=True), board)
        for period in Period.objects.filter(quarter__isnull=True):
            _decide_everyone(period)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    root = Organization.objects.get(depth=1)
    board = get_user_model().objects.get(username="bantochuc")
    period = Period.objects.get(year=2025, quarter__isnull=True)
    cell = Organization.objects.filter(kind="cell").order_by("-path").first()
    client = Client()
    client.force_login(board)
    pages = {}
    for label, org in [("province", root), ("cell", cell)]:
        for _ in range(5):  # warm the database's buffers and the process's caches, as a running server has them
            client.get(f"/assessments/periods/{period.pk}/org/{org.pk}/")
        timing = time_page(client, f"/assessments/periods/{period.pk}/org/{org.pk}/", args.repeat)
        timing.pop("samples")
        raw = _raw_ms(period, org.path, args.repeat)
        pages[f"dashboard ({label})"] = {**timing, "raw_group_by_median_ms": raw,
                                         "ratio_to_raw": round(timing["median_ms"] / raw, 2) if raw else None}
    results["dashboard"] = pages
    province_run = RESULTS / "assessments-province.json"
    if args.scale != "province" and province_run.exists():
        base = json.loads(province_run.read_text())["dashboard"]["dashboard (province)"]["median_ms"]
        results["dashboard_to_province_scale"] = round(pages["dashboard (province)"]["median_ms"] / base, 2)
    results["subjects_2025"] = period.subjects
    write(f"assessments-{args.scale}", results)


if __name__ == "__main__":
    main()
