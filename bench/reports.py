"""Printed reports at province scale on PostgreSQL: one form, a batch of about 1,000, workers, the summary.

Seeds the province (``organizations.demo.seed``: 110,300 members), opens the
2025 period and gives every subject a decided level (the shortcut of
``bench/assessments.py``), then measures, in one run:

- one individual form through the whole pipeline (request, job, read, render,
  store, hash), median of ``--repeat``, against WeasyPrint rendering the
  same HTML directly with its defaults (the pipeline's overhead ratio), and
  against WeasyPrint given the font configuration and parsed stylesheet the
  renderer keeps (what is left is the pipeline's bookkeeping);
- a batch of 1,000 forms (the first, in print order, of the smallest
  subordinate committee), in this process: chunks of 50 forms (the
  default) against one document per form (chunks of one); and the same
  pipeline against WeasyPrint laying out the same HTML documents and
  writing them 50 at a time, directly, and against WeasyPrint writing one
  file per form (with its defaults);
- the same batch through real Celery workers on Redis: one worker process
  against two (prefork), with the peak resident memory of each worker
  process;
- the provincial summary, with its table of every organization.

    make bench-reports
    .venv/bin/python bench/reports.py [--keep] [--repeat 9] [--forms 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_database, write  # noqa: E402

BROKER = "redis://127.0.0.1:6379/8"


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def _request(kind, org, params, title, actor, fmt="pdf"):
    from django.db import transaction

    from reports import services

    with transaction.atomic():
        return services.report_request(kind=kind, organization=org, params=params, title=title, actor=actor,
                                       fmt=fmt)


def _wait(report, timeout: float = 3600) -> None:
    from jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=report.job_id)
        if job.finished:
            assert job.status == "succeeded", job.error
            return
        time.sleep(0.05)
    raise TimeoutError(f"report {report.pk} not finished in {timeout} s")


def _eager_run(kind, org, params, actor, fmt="pdf"):
    """Request and run a report in this process (no broker: the job and its chunks run on commit)."""
    started = time.perf_counter()
    report = _request(kind, org, params, "bench", actor, fmt)
    _wait(report, timeout=1)
    seconds = time.perf_counter() - started
    report.refresh_from_db()
    return report, seconds


def _raw_weasyprint(htmls: list[str], chunk: int = 1, kept: bool = False) -> float:
    """WeasyPrint on the same HTML directly: each document laid out, ``chunk`` documents written together.

    With its defaults (``kept=False``), as a plain call would: the print stylesheet parsed once per
    ``chunk`` documents, a new font configuration for each document. With ``kept=True``, the font
    configuration and parsed stylesheet the portal's renderer keeps: rendering alone, without the
    pipeline's bookkeeping.
    """
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    from reports.render import BASE_URL, PRINT_STYLESHEET, print_stylesheet, thread_fonts

    path = finders.find(PRINT_STYLESHEET)
    started = time.perf_counter()
    for start in range(0, len(htmls), chunk):
        stylesheet = print_stylesheet() if kept else CSS(filename=path)
        options = {"stylesheets": [stylesheet], **({"font_config": thread_fonts()} if kept else {})}
        documents = [HTML(string=html, base_url=BASE_URL).render(**options) for html in htmls[start:start + chunk]]
        documents[0].copy([page for document in documents for page in document.pages]).write_pdf()
    return time.perf_counter() - started


def _batch_of(period, size: int):
    """The first ``size`` individual forms, in print order, of the smallest subordinate committee that has them."""
    from django.db.models import Sum

    from assessments.models import Assessment, Rollup
    from organizations.models import Organization

    counts = (Rollup.objects.filter(period=period, organization__depth=2).exclude(kind="collective")
              .values("organization_id").annotate(n=Sum("count")).filter(n__gte=size).order_by("n"))
    org = Organization.objects.get(pk=counts[0]["organization_id"])
    ids = list(Assessment.objects.filter(period=period, organization__path__startswith=org.path)
               .exclude(kind="collective").order_by("organization__path", "person__sort_name", "pk")
               .values_list("pk", flat=True)[:size])
    return org, ids


def _worker(concurrency: int, env: dict) -> subprocess.Popen:
    log = open(ROOT / "var" / f"bench-worker-{concurrency}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "portal", "worker", "--pool", "prefork", "--concurrency",
         str(concurrency), "--loglevel", "WARNING", "--hostname", f"bench-{concurrency}-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(60):
        ping = subprocess.run([str(ROOT / ".venv/bin/celery"), "-A", "portal", "inspect", "ping", "--timeout", "2"],
                              cwd=ROOT, env=env, capture_output=True)
        if ping.returncode == 0:
            return process
        time.sleep(1)
    process.kill()
    raise RuntimeError("the bench worker did not start")


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _through_workers(concurrency: int, org, params: dict, actor, url: str, media: str) -> dict:
    """The batch through real workers: seconds from the request to the stored file, and peak memory."""
    from celery import Celery
    from django.db import transaction

    import jobs.services

    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": BROKER, "MEDIA_ROOT": media, "DEBUG": "1"}
    subprocess.run([str(ROOT / ".venv/bin/celery"), "-A", "portal", "purge", "-f"], cwd=ROOT, env=env,
                   capture_output=True)
    worker = _worker(concurrency, env)
    # This process runs its jobs in itself (no broker); this one job goes to the workers through Redis.
    sender, queue = Celery("bench", broker=BROKER, backend=BROKER, set_as_current=False), jobs.services._queue
    jobs.services._queue = lambda job_id: transaction.on_commit(lambda: sender.send_task("jobs.run", args=[job_id]))
    try:
        from reports.models import ReportKind

        started = time.perf_counter()
        report = _request(ReportKind.FORMS, org, params, "bench", actor)
        _wait(report)
        seconds = time.perf_counter() - started
        children = _children(worker.pid)
        peaks = sorted((_peak_kib(pid) for pid in children), reverse=True)
    finally:
        jobs.services._queue = queue
        worker.terminate()
        worker.wait(timeout=60)
    report.refresh_from_db()
    return {"workers": concurrency, "seconds": round(seconds, 1), "pages": report.pages,
            "peak_rss_mib_per_worker": [round(kib / 1024) for kib in peaks]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--forms", type=int, default=1000, help="size of the batch")
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_reports")
    media = tempfile.mkdtemp(prefix="bench-reports-")
    # No broker in this process: jobs and chunks run in it (the workers' run sets its own below).
    os.environ.update(DATABASE_URL=url, DEBUG="1", ALLOWED_HOSTS="testserver", HTTPS="0", MEDIA_ROOT=media,
                      CELERY_BROKER_URL="")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if not args.keep:
        fresh_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from assessments import services as svc
    from assessments.models import Assessment, Period
    from bench.assessments import _decide_everyone, _open
    from organizations.demo import seed
    from organizations.models import Organization
    from reports.documents import forms_html
    from reports.models import ReportKind

    results: dict[str, object] = {"database": connection.vendor, "scale": "province"}
    if not args.keep:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed("province", log=lambda _m: None, steps=False)
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
        board = get_user_model().objects.get(username="bantochuc")
        board.is_superuser = True
        board.save(update_fields=["is_superuser"])
        period = svc.period_create(organization=Organization.objects.get(depth=1), year=2025, actor=board)
        subjects, seconds = _open(period, board)
        results["period_opened"] = {"subjects": subjects, "seconds": round(seconds, 1)}
        _decide_everyone(period)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    board = get_user_model().objects.get(username="bantochuc")
    root = Organization.objects.get(depth=1)
    period = Period.objects.get(year=2025, quarter__isnull=True)
    results["members"] = period.subjects

    # 1. One form, through the whole pipeline, against WeasyPrint on the same HTML.
    members = list(Assessment.objects.filter(period=period, kind="member").order_by("pk")
                   .values_list("pk", "organization_id")[:: max(1, period.subjects // (args.repeat + 2))]
                   [: args.repeat + 1])
    pipeline, raw, kept = [], [], []
    for pk, org_id in members:
        report, seconds = _eager_run(ReportKind.FORM, Organization.objects.get(pk=org_id), {"assessments": [pk]},
                                     board)
        pipeline.append(seconds)
        html = forms_html("bench", [pk], report.data_as_of)[0][1]
        raw.append(_raw_weasyprint([html]))
        kept.append(_raw_weasyprint([html], kept=True))
    pipeline, raw, kept = pipeline[1:], raw[1:], kept[1:]  # the first warms the fonts and the templates
    results["one_form"] = {"runs": len(pipeline), "pipeline_median_ms": _median_ms(pipeline),
                           "weasyprint_same_html_median_ms": _median_ms(raw),
                           "overhead_ratio": round(statistics.median(pipeline) / statistics.median(raw), 2),
                           "weasyprint_kept_fonts_and_stylesheet_median_ms": _median_ms(kept),
                           "bookkeeping_ms": round(_median_ms(pipeline) - _median_ms(kept), 1)}
    print("one form", results["one_form"], flush=True)

    # 2. A batch of 1,000 forms in this process: chunks of 50 against one document per form.
    org, ids = _batch_of(period, args.forms)
    params = {"period": period.pk, "assessments": ids}
    batch: dict[str, object] = {"organization": org.name, "forms": len(ids)}
    for chunk in (50, 1):
        settings.REPORT_BATCH_CHUNK = chunk
        report, seconds = _eager_run(ReportKind.FORMS, org, params, board)
        batch[f"chunks_of_{chunk}"] = {"seconds": round(seconds, 1), "forms_per_second": round(len(ids) / seconds, 2),
                                       "pages": report.pages, "size_mib": round(report.size / 2**20, 1)}
        print("batch", chunk, batch[f"chunks_of_{chunk}"], flush=True)
    settings.REPORT_BATCH_CHUNK = 50
    batched, single = batch["chunks_of_50"]["seconds"], batch["chunks_of_1"]["seconds"]
    batch["one_document_per_form_to_batched"] = round(single / batched, 2)
    htmls = [html for _org, html in forms_html("bench", ids, timezone.now())]
    raw_batch = _raw_weasyprint(htmls, chunk=50)
    batch["weasyprint_same_html_seconds"] = round(raw_batch, 1)
    batch["pipeline_to_weasyprint"] = round(batched / raw_batch, 2)
    # WeasyPrint with its defaults, one document (and one file) per form, against the batched pipeline: what
    # the portal saves on a plain rendering, by batching and by keeping its fonts and stylesheet together.
    raw_single = _raw_weasyprint(htmls, chunk=1)
    batch["weasyprint_one_document_per_form_seconds"] = round(raw_single, 1)
    batch["weasyprint_one_document_per_form_to_batched"] = round(raw_single / batched, 2)
    results["batch"] = batch
    print("batch", batch, flush=True)

    # 3. The same batch through real workers: one process, then two.
    workers = [_through_workers(n, org, params, board, url, media) for n in (1, 2)]
    results["workers"] = {"runs": workers, "two_to_one": round(workers[0]["seconds"] / workers[1]["seconds"], 2)}
    print("workers", results["workers"], flush=True)

    # 4. The provincial summary, with its table of every organization.
    report, seconds = _eager_run(ReportKind.SUMMARY, root, {"period": period.pk}, board)
    results["provincial_summary"] = {"organizations": Organization.objects.count() - 1, "seconds": round(seconds, 1),
                                     "pages": report.pages, "size_kib": round(report.size / 1024)}
    print("summary", results["provincial_summary"], flush=True)
    write("reports-province", results)


if __name__ == "__main__":
    main()
