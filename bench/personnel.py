"""The responsibility ledger at scale on PostgreSQL: appends under the head's lock, and verifying it whole.

Creates its own database (``portal_bench_personnel``, dropped and recreated), seeds the small demo tree,
20,000 closed nominations (each with its nominator, the head's tenure that gave the power, and a nominee) and
200,000 ledger entries through a bulk path (``ledger_bulk_append`` below: the chain computed entry by entry
with ``HashChained.compute_hash``, ``bulk_create`` in batches, the head row written once), signs a
checkpoint, then measures in one run:

- appends per second through ``personnel.ledger.ledger_append``, one transaction each under the head's lock;
- ``verify_ledger`` at about 200,000 entries and at 1,000,000 (the chain grown by the bulk path): entries per
  second, and memory, each in a fresh child process: resident memory before and after the walk (timed), and
  in a second child the peak of what Python allocated during it (tracemalloc, which slows Python, not timed).
  The target: a million entries verified in under 60 s, the memory the same at both sizes;
- the nominator's record page (``measure_record_page``) of the busiest nominator, at 200,000 entries and
  again at 1,000,000: its median server time, the part in its queries, and its query count, against the
  raw SQL that reads the same rows (target: at most 1.5 times).

    make bench-personnel
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_personnel \\
        .venv/bin/python bench/personnel.py [--appends 2000] [--large 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_database, time_page, time_wsgi, write  # noqa: E402

NOMINATIONS = 20_000
ENTRIES = 200_000
BATCH = 5_000
SEED = 142


# --- the bulk path ------------------------------------------------------------------------------------


def ledger_bulk_append(rows: Iterable[dict], batch: int = BATCH) -> int:
    """Append ``rows`` (the fields of ``ResponsibilityEntry``) at the end of the chain, as ``append()`` would link
    them, in batches: under the head's lock, the head row written once at the end. The bench's shortcut for
    seeding; the portal appends one entry at a time, in the transaction of the act it records."""
    from django.db import transaction

    from audit.appendonly import GENESIS, ChainHead
    from personnel.models import ResponsibilityEntry

    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(name=ResponsibilityEntry.chain_name())
        seq, prev, pending, written = head.size, head.head_hash or GENESIS, [], 0
        for values in rows:
            seq += 1
            entry = ResponsibilityEntry(seq=seq, prev_hash=prev, **values)
            entry.hash = prev = entry.compute_hash()
            pending.append(entry)
            if len(pending) == batch:
                ResponsibilityEntry.objects.bulk_create(pending)
                written += len(pending)
                pending = []
        ResponsibilityEntry.objects.bulk_create(pending)
        written += len(pending)
        head.size, head.head_hash = seq, prev
        head.save(update_fields=["size", "head_hash"])
    return written


# --- the seed -----------------------------------------------------------------------------------------

# A closed nomination's entries, by how it ended (the steps of the standard five, then the outcome).
STORIES = {
    "appointed": ["introduced", "step", "step", "step", "step", "selected", "appointed"],
    "rejected": ["introduced", "step", "step", "rejected"],
    "withdrawn": ["introduced", "step", "withdrawn"],
}
LATER = ["discipline", "not_completed", "low_confidence", "dismissal"]


def seed_nominations(count: int, rng: random.Random) -> list[int]:
    """``count`` closed nominations of the demo tree's heads, each for a deputy post of their organization."""
    from organizations.models import Person, Position, Tenure
    from personnel.models import Nomination, NominationKind, NominationState, Source

    heads = list(Tenure.objects.heads().select_related("organization").order_by("pk"))
    people = list(Person.objects.values_list("pk", flat=True))
    deputy = Position.objects.get(code="deputy-secretary")  # the posts of the data migration
    states = [NominationState.APPOINTED] * 6 + [NominationState.REJECTED] * 3 + [NominationState.WITHDRAWN]
    start = dt.date(2024, 5, 1)
    rows = []
    for i in range(count):
        tenure = heads[i % len(heads)]
        introduced = start + dt.timedelta(days=rng.randrange(900))
        state = rng.choice(states)
        rows.append(Nomination(
            organization=tenure.organization, target=tenure.organization, kind=NominationKind.DEPUTY,
            position=deputy, nominee_id=rng.choice(people), nominator_id=tenure.person_id, nominator_tenure=tenure,
            source=Source.INTERNAL, rationale="Có năng lực", state=state, introduced_on=introduced,
            closed_on=introduced + dt.timedelta(days=60), current_step=5))
    Nomination.objects.bulk_create(rows, batch_size=BATCH)
    return list(Nomination.objects.order_by("pk").values_list("pk", flat=True))


def ledger_rows(total: int, rng: random.Random) -> Iterator[dict]:
    """``total`` entries: first each nomination's story, then later events of the appointees, round after round."""
    from personnel.models import Nomination, ResponsibilityEntry

    nominations = list(Nomination.objects.order_by("pk").values_list(
        "pk", "organization_id", "nominator_id", "nominee_id", "introduced_on", "state"))
    last = ResponsibilityEntry.objects.order_by("-seq").values_list("recorded_at", flat=True).first()
    recorded = last or dt.datetime(2024, 5, 1, 1, 0, tzinfo=dt.UTC)
    made, first_round = 0, last is None
    while True:
        for pk, org, nominator, nominee, introduced, state in nominations:
            story = STORIES[state] if first_round else [rng.choice(LATER)]
            for n, kind in enumerate(story):
                if made == total:
                    return
                recorded += dt.timedelta(seconds=7, microseconds=rng.randrange(10**6))
                data = {"step": n + 1, "valid": 9, "votes": rng.randrange(5, 10)} if kind == "step" else {}
                yield {"kind": kind, "nomination_id": pk, "organization_id": org, "nominator_id": nominator,
                       "nominee_id": nominee, "occurred_on": introduced + dt.timedelta(days=7 * n),
                       "recorded_at": recorded, "data": data}
                made += 1
        first_round = False


# --- the measures ------------------------------------------------------------------------------------


def measure_appends(count: int) -> dict:
    """``count`` appends through ``ledger_append``, each its own transaction under the head's lock."""
    from personnel.ledger import ledger_append
    from personnel.models import Nomination

    nominations = list(Nomination.objects.order_by("?")[:count])
    samples = []
    started = time.perf_counter()
    for i, nomination in enumerate(nominations * (count // len(nominations) + 1)):
        if i == count:
            break
        one = time.perf_counter()
        ledger_append(nomination=nomination, kind="low_confidence", on=dt.date(2026, 11, 1), data={"bench": i})
        samples.append((time.perf_counter() - one) * 1000)
    seconds = time.perf_counter() - started
    return {"appends": count, "seconds": round(seconds, 2), "appends_per_second": round(count / seconds),
            "median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(sorted(samples)[int(len(samples) * 0.95) - 1], 2)}


def _verify_child(out, traced: bool, chunk_size: int) -> None:
    import django

    django.setup()
    import tracemalloc

    from django.db import connection

    from personnel.checkpoints import verify_ledger

    connection.ensure_connection()
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    report = verify_ledger(chunk_size=chunk_size)
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send({"entries": report.entries, "seconds": round(report.seconds, 2),
              "entries_per_second": round(report.entries_per_second), "holds": report.holds,
              "checkpoints": report.checkpoints, "signatures_verified": report.signatures_checked,
              "problems": [str(p) for p in report.problems[:3]],
              "rss_before_mib": round(before_kib / 1024, 1), "rss_after_mib": round(after_kib / 1024, 1),
              "rss_growth_mib": round((after_kib - before_kib) / 1024, 1),
              "traced_peak_mib": round(peak / 2**20, 2)})


def measure_verify(chunk_size: int = 2000) -> dict:
    """``verify_ledger`` in a fresh process (timed, resident memory), then again traced (Python's peak)."""
    context = multiprocessing.get_context("spawn")
    row: dict = {}
    for traced in (False, True):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_verify_child, args=(send, traced, chunk_size))
        child.start()
        got = receive.recv()
        child.join()
        if traced:
            row["traced_peak_mib"] = got["traced_peak_mib"]
            row["traced_seconds"] = got["seconds"]
        else:
            row = got
    print(f"  verified {row['entries']:,} entries in {row['seconds']} s ({row['entries_per_second']:,}/s), "
          f"RSS {row['rss_before_mib']} → {row['rss_after_mib']} MiB, Python peak {row['traced_peak_mib']} MiB, "
          f"holds: {row['holds']}", flush=True)
    return row


RECORD_SQL = [
    # Whether the reader may open the record (one introduced nomination of theirs under the reader).
    """SELECT 1 FROM personnel_nomination n JOIN organizations_organization o ON o.id = n.organization_id
       WHERE n.nominator_id = %(person)s AND n.introduced_on IS NOT NULL AND o.path LIKE %(path)s LIMIT 1""",
    # What they introduced: the count for the pager, then the first page, with the tenure of the day and the
    # number of later events of each nominee.
    """SELECT count(*) FROM personnel_nomination n JOIN organizations_organization o ON o.id = n.organization_id
       WHERE n.nominator_id = %(person)s AND n.introduced_on IS NOT NULL AND o.path LIKE %(path)s""",
    """SELECT n.*, o.name, t.name, po.title, pe.full_name, tp.title, tor.name,
              (SELECT count(*) FROM personnel_responsibilityentry e
                WHERE e.nomination_id = n.id AND e.kind IN ('discipline', 'not_completed', 'low_confidence',
                                                            'dismissal')) AS later
       FROM personnel_nomination n
       JOIN organizations_organization o ON o.id = n.organization_id
       JOIN organizations_organization t ON t.id = n.target_id
       JOIN organizations_position po ON po.id = n.position_id
       JOIN organizations_person pe ON pe.id = n.nominee_id
       LEFT JOIN organizations_tenure te ON te.id = n.nominator_tenure_id
       LEFT JOIN organizations_position tp ON tp.id = te.position_id
       LEFT JOIN organizations_organization tor ON tor.id = te.organization_id
       WHERE n.nominator_id = %(person)s AND n.introduced_on IS NOT NULL AND o.path LIKE %(path)s
       ORDER BY n.introduced_on DESC, n.id DESC LIMIT %(size)s""",
    # The ledger's entries attached to them: the count for the pager, then the first page with what it shows.
    """SELECT count(*) FROM personnel_responsibilityentry e
       JOIN organizations_organization o ON o.id = e.organization_id
       WHERE e.nominator_id = %(person)s AND o.path LIKE %(path)s""",
    """SELECT e.*, o.name, pe.full_name, n.kind, n.state, po.title, t.name, tp.title, tor.name
       FROM personnel_responsibilityentry e
       JOIN organizations_organization o ON o.id = e.organization_id
       JOIN organizations_person pe ON pe.id = e.nominee_id
       JOIN personnel_nomination n ON n.id = e.nomination_id
       JOIN organizations_position po ON po.id = n.position_id
       JOIN organizations_organization t ON t.id = n.target_id
       LEFT JOIN organizations_tenure te ON te.id = n.nominator_tenure_id
       LEFT JOIN organizations_position tp ON tp.id = te.position_id
       LEFT JOIN organizations_organization tor ON tor.id = te.organization_id
       WHERE e.nominator_id = %(person)s AND o.path LIKE %(path)s
       ORDER BY e.occurred_on DESC, e.seq DESC LIMIT %(size)s""",
]


def _record_raw_ms(person: int, path: str, repeat: int) -> dict:
    """The raw SQL that reads the rows the record page shows, each row fetched: its median time."""
    from django.conf import settings
    from django.db import connection

    params = {"person": person, "path": f"{path}%", "size": settings.PAGE_SIZE}
    samples, rows = [], 0
    with connection.cursor() as cursor:
        for _ in range(repeat + 3):
            started = time.perf_counter()
            rows = 0
            for sql in RECORD_SQL:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
            samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples[3:]), 2), "rows": rows}


def measure_record_page(repeat: int = 15) -> dict:
    """The nominator's record page (``personnel:nominator_record``) of the busiest nominator, as the province
    board reads it: its median server time and query count, against the raw SQL reading the same rows
    (target: at most 1.5 times)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from organizations.models import Organization
    from personnel.models import Nomination, ResponsibilityEntry

    busiest = (Nomination.objects.values("nominator_id").annotate(n=Count("pk")).order_by("-n").first())
    person = busiest["nominator_id"]
    url = reverse("personnel:nominator_record", args=[person])
    client = Client()
    client.force_login(get_user_model().objects.get(username="bantochuc"))  # the province board (demo seed)
    for _ in range(3):  # warm the database's buffers and the process's caches, as a running server has them
        client.get(url)
    served = time_wsgi(client, url, repeat)
    through_client = time_page(client, url, repeat)
    raw = _record_raw_ms(person, Organization.objects.get(depth=1).path, repeat)
    row = {"url": url, "nominations": busiest["n"],
           "entries": ResponsibilityEntry.objects.filter(nominator_id=person).count(), **served,
           "test_client_median_ms": through_client["median_ms"],
           "raw_sql_median_ms": raw["median_ms"], "raw_rows": raw["rows"],
           "ratio_to_raw": round(served["median_ms"] / raw["median_ms"], 2) if raw["median_ms"] else None}
    print(f"  record page: {row['nominations']:,} nominations, {row['entries']:,} entries, "
          f"{row['median_ms']} ms served ({row['database_median_ms']} ms in its {row['queries']} queries; "
          f"test client {row['test_client_median_ms']} ms); raw SQL {row['raw_sql_median_ms']} ms "
          f"({row['ratio_to_raw']}×)", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nominations", type=int, default=NOMINATIONS)
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--large", type=int, default=1_000_000, help="the chain's length for the second verify")
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_personnel")
    # The bench's own signing key, kept for --keep runs (var/ is not committed).
    os.environ.update(DATABASE_URL=url, DEBUG="0", ALLOWED_HOSTS="testserver", HTTPS="0",
                      LEDGER_SIGNING_KEY_FILE=str(ROOT / "var" / "bench-ledger-signing.pem"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if not args.keep:
        fresh_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from common.actors import SYSTEM
    from organizations.demo import seed
    from personnel.checkpoints import checkpoint_sign, key_generate, private_key
    from personnel.models import Nomination, ResponsibilityEntry

    if private_key() is None or not args.keep:
        key_generate(force=True)
    rng = random.Random(SEED)
    results: dict[str, object] = {"database": connection.vendor}
    if not args.keep:
        call_command("migrate", verbosity=0)
        seed("small", log=lambda _m: None, steps=False)
        started = time.perf_counter()
        seed_nominations(args.nominations, rng)
        nominated = time.perf_counter() - started
        started = time.perf_counter()
        written = ledger_bulk_append(ledger_rows(args.entries, rng))
        seconds = time.perf_counter() - started
        results["seed"] = {"nominations": args.nominations, "nominations_seconds": round(nominated, 1),
                           "entries": written, "entries_seconds": round(seconds, 1),
                           "entries_per_second": round(written / seconds)}
        print("seed", results["seed"], flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    results["nominations"] = Nomination.objects.count()
    checkpoint_sign(actor=SYSTEM)
    results["appends"] = measure_appends(args.appends)
    print("appends", results["appends"], flush=True)
    checkpoint_sign(actor=SYSTEM)
    results["record_page"] = measure_record_page()
    verified = {}
    size = ResponsibilityEntry.objects.count()
    verified[str(size)] = measure_verify()
    if args.large > size:
        started = time.perf_counter()
        ledger_bulk_append(ledger_rows(args.large - size, rng))
        print(f"  grown to {args.large:,} entries in {time.perf_counter() - started:.0f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE personnel_responsibilityentry")
        checkpoint_sign(actor=SYSTEM)
        verified[str(args.large)] = measure_verify()
        results["record_page_large"] = measure_record_page()
    results["verify"] = verified
    small, large = verified[str(size)], verified.get(str(args.large))
    if large:
        results["verify_memory_ratio_large_to_small"] = round(
            large["traced_peak_mib"] / small["traced_peak_mib"], 2) if small["traced_peak_mib"] else None
        results["million_under_60_s"] = args.large >= 1_000_000 and large["seconds"] < 60
    write("personnel", results)


if __name__ == "__main__":
    main()
