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
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_database, time_page, write  # noqa: E402
from common.actors import SYSTEM  # noqa: E402


def _record_decisions() -> int:
    """Through the real services: for every grassroots committee, a meeting of its executive
    committee with one decision (every tenth irregular: too few votes) and one decision of its head."""
    import datetime as dt

    from governance import services as svc
    from governance.models import Decision, Matter
    from organizations.models import Body

    bodies = Body.objects.filter(kind="executive", organization__kind="grassroots_committee").select_related(
        "organization")
    for i, body in enumerate(bodies):
        org = body.organization
        collective = Matter.objects.get(regulation__organization=org, code="CT-01")
        individual = Matter.objects.get(regulation__organization=org, code="TC-01")
        meeting = svc.meeting_open(body=body, date=dt.date(2026, 3, 2), title="Hội nghị quý I", actor=SYSTEM)
        members = list(meeting.attendance.values_list("person_id", flat=True))
        if i % 10 == 0:  # every tenth: half the committee absent, no quorum, recorded as irregular
            svc.attendance_save(meeting=meeting, actor=SYSTEM, rows=[
                svc.AttendanceRow(pk, False, "Đi công tác") for pk in members[: (len(members) + 1) // 2]])
        present = meeting.attendance.filter(present=True).count()
        # every seventh: voted down (not passed), a valid outcome
        svc.decision_record_collective(meeting=meeting, matter=collective, title="Nghị quyết quý I",
                                       votes_for=0 if i % 7 == 3 else present, record_as_irregular=True,
                                       actor=SYSTEM)
        head = org.head_on(dt.date(2026, 3, 3))
        svc.decision_record_individual(organization=org, matter=individual, date=dt.date(2026, 3, 3),
                                       title="Chi hội nghị", signatory=head, actor=SYSTEM)
    return Decision.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="reuse an already seeded database")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
    os.environ.update(DATABASE_URL=url, DEBUG="1", ALLOWED_HOSTS="testserver", HTTPS="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    if not args.keep:
        fresh_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from organizations.models import Membership, Organization, Person
    from regulations.models import Citation

    results: dict[str, object] = {"database": connection.vendor}
    if not args.keep:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", scale="province")
        results["seed_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        results["decisions_recorded"] = _record_decisions()
        results["decisions_seconds"] = round(time.perf_counter() - started, 1)
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
    # The provision cited by the most acts (a Charter article every committee's catalog cites).
    top = (Citation.objects.exclude(anchor="").values("document__slug", "anchor")
           .annotate(n=Count("pk")).order_by("-n").first())
    results["most_cited_provision"] = top
    sub = Organization.objects.filter(depth=2).first()
    pages = {
        "decisions dashboard (province root, this year)": f"/org/{root.pk}/decisions-dashboard/?from=01/01/2026",
        "decisions dashboard (one subordinate committee)": f"/org/{sub.pk}/decisions-dashboard/?from=01/01/2026",
        "inspection queue (province root)": f"/org/{root.pk}/irregular/",
        "organization page (province root)": f"/org/{root.pk}/",
        "organization page (deepest cell)": f"/org/{cell.pk}/",
        "subtree member list (root, page 1)": f"/org/{root.pk}/members/",
        "subtree member list (root, page 1000)": f"/org/{root.pk}/members/?page=1000",
        "subtree member list (root, search)": f"/org/{root.pk}/members/?q=nguyen+thi+lan",
        "tree children (root)": f"/org/{root.pk}/children/",
        "person search 'nguyen van an'": "/people/?q=nguyen+van+an",
        "person page": f"/people/{person.pk}/",
    }
    if top:
        pages[f"provision cited by {top['n']} acts (page 1)"] = f"/regulations/{top['document__slug']}/{top['anchor']}/"
    timings = {}
    for label, path in pages.items():
        timing = time_page(client, path, args.repeat)
        timing.pop("samples")
        timings[label] = timing
    results["pages"] = timings
    write("province", results)


if __name__ == "__main__":
    main()
