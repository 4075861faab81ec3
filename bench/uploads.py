"""Upload bombs against the three imports: time, CPU and peak memory of refusing each, and of a legitimate file.

Each file is read by the import's own parsing function (the member list, the review results, a regulation's
text) in a fresh child process: its resident memory before and after the read (Django and the apps loaded),
and, in a second child, the peak of what Python allocated while reading (tracemalloc, not timed). The bombs
are the ones the tests refuse (``tests/common/test_uploads.py``); beside them, a member list of 5,000 rows
(IMPORT_MAX_ROWS), which must still be read whole.

    .venv/bin/python bench/uploads.py      # or: make bench-uploads
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def _member_list(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên", "Ngày vào Đảng"])
    for i in range(rows):
        sheet.append([f"Nguyễn Văn Thử {i}", "01/01/1980", "Nam", f"9{i:08d}", "19/05/2010"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _read(kind: str, name: str, content: bytes, out, traced: bool) -> None:
    import django

    django.setup()
    import tracemalloc

    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = "read"
    try:
        if kind == "members":
            from organizations.imports import parse_member_table

            parsed = parse_member_table(name, content)
            outcome = f"{len(parsed.rows)} rows, {len(parsed.errors)} errors"
        elif kind == "review":
            from assessments import imports

            class _Period:
                rules = None

            parsed = imports.parse(_Period(), [], name, content)
            outcome = f"{len(parsed.rows)} rows, {len(parsed.errors)} errors"
        else:
            from regulations.parser import read_lines

            outcome = f"{len(read_lines(name, content))} lines"
    except Exception as error:  # a refusal is the expected outcome of a bomb
        outcome = f"refused: {getattr(error, 'codes', None) or type(error).__name__}"
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    allocated = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send({"seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
              "peak_allocated_mib": round(allocated / 2**20, 1),
              "peak_rss_mib": round(peak_kib / 1024, 1), "rss_before_mib": round(before_kib / 1024, 1),
              "outcome": outcome})


def main() -> None:
    import django

    django.setup()
    from tests.common import test_uploads as bombs

    cases: list[tuple[str, str, str, bytes]] = []
    for label, (make, _code) in bombs.XLSX_BOMBS.items():
        content = make()
        cases.append(("members", f"member list: {label}", "danh_sach.xlsx", content))
        cases.append(("review", f"review results: {label}", "ket_qua.xlsx", content))
    for label, (make, _code) in bombs.DOCX_BOMBS.items():
        cases.append(("regulation", f"regulation .docx: {label}", "quy_dinh.docx", make()))
    cases.append(("members", "member list: 5,000 real rows (legitimate)", "danh_sach.xlsx", _member_list(5000)))

    context = multiprocessing.get_context("spawn")
    results = []
    print(f"{'case':52} {'size':>9} {'wall s':>7} {'cpu s':>7} {'alloc MiB':>9} {'RSS MiB':>15}  outcome")
    for kind, label, name, content in cases:
        row: dict = {}
        for traced in (False, True):  # timed without tracemalloc (it slows Python down several times)
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_read, args=(kind, name, content, send, traced))
            child.start()
            got = receive.recv()
            child.join()
            if traced:
                row["peak_allocated_mib"] = got["peak_allocated_mib"]
            else:
                row = got
        row.update({"case": label, "bytes": len(content)})
        results.append(row)
        rss = f"{row['rss_before_mib']:.0f} → {row['peak_rss_mib']:.0f}"
        print(f"{label:52} {len(content) / 1024:>7.0f}KB {row['seconds']:>7.2f} {row['cpu_seconds']:>7.2f} "
              f"{row['peak_allocated_mib']:>9.1f} {rss:>15}  {row['outcome']}")
    out = ROOT / "bench" / "results" / "uploads.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
