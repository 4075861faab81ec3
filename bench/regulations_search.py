"""Provision search over 20,000 provisions on PostgreSQL.

Imports 20 synthetic documents of 1,000 provisions each (articles, clauses,
points of Vietnamese text made from a fixed vocabulary) through the real
import service, then measures the search page (Django test client,
in-process): median and p95 server time and query count per query.

    make bench-search          # or:
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_search \
        .venv/bin/python bench/regulations_search.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.common import fresh_database, time_page, write  # noqa: E402
from common.actors import SYSTEM  # noqa: E402

WORDS = ("tổ chức đảng cơ sở chi bộ đảng viên cán bộ lãnh đạo quản lý kiểm điểm đánh giá xếp loại chất lượng "
         "hằng năm nhiệm vụ chỉ tiêu kết quả thực hiện tập thể cá nhân người đứng đầu cấp ủy ban thường vụ "
         "quyết định nghị quyết hội nghị biểu quyết quá nửa số thành viên có mặt kỷ luật khiển trách cảnh cáo "
         "trách nhiệm nêu gương đạo đức lối sống tư tưởng chính trị phân công phụ trách thẩm quyền giới thiệu "
         "nhân sự bổ nhiệm miễn nhiệm quy hoạch tín nhiệm phiếu kín công khai minh bạch báo cáo định kỳ").split()
QUERIES = ["xep loai chat luong", "nguoi dung dau", "qua nua so thanh vien", "ky luat canh cao",
           "bo nhiem can bo", "tin nhiem phieu kin", "bao cao dinh ky", "nghi quyet hoi nghi",
           "trach nhiem neu guong dao duc", "thanh"]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _document_lines(rng: random.Random, provisions: int) -> list[str]:
    lines, count, article = [], 0, 0
    while count < provisions:
        article += 1
        lines.append(f"Điều {article}. {_sentence(rng, 6)[:-1]}")
        count += 1
        for clause in range(1, rng.randint(2, 5)):
            if count >= provisions:
                break
            lines.append(f"{clause}. {_sentence(rng, rng.randint(12, 40))}")
            count += 1
            for letter in "abcd"[: rng.randint(0, 4)]:
                if count >= provisions:
                    break
                lines.append(f"{letter}) {_sentence(rng, rng.randint(8, 25))}")
                count += 1
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--per-document", type=int, default=1000)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_search")
    os.environ.update(DATABASE_URL=url, DEBUG="1", ALLOWED_HOSTS="testserver", HTTPS="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    fresh_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from regulations.models import Document, Provision
    from regulations.selectors import search_ids
    from regulations.services import document_import_lines

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    started = time.perf_counter()
    for i in range(args.documents):
        document = Document.objects.create(code=f"{900 + i}-QĐ/TU", kind="regulation",
                                           title=f"Quy định thử nghiệm số {i + 1}",
                                           issue_date="2026-01-01", effective_from="2026-01-01")
        document_import_lines(document=document, lines=_document_lines(rng, args.per_document),
                              source_name="bench", actor=SYSTEM)
    import_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(get_user_model().objects.create_user("bench", password="Bench-password-2026"))
    results = {"provisions": Provision.objects.filter(version__is_current=True).count(),
               "import_seconds": round(import_seconds, 1), "queries": {}}
    all_samples = []
    for query in QUERIES:
        timing = time_page(client, "/regulations/search/?q=" + query.replace(" ", "+"), args.repeat)
        all_samples += timing.pop("samples")
        results["queries"][query] = {**timing, "hits": len(search_ids(query))}
    results["median_ms_all"] = round(statistics.median(all_samples), 1)
    write("regulations_search", results)


if __name__ == "__main__":
    main()
