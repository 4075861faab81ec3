"""How a job's failure reads: codes stored on the job, rendered in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MESSAGES = {
    # The messages of a refusal are the service's own, recorded in the source language.
    "job_refused": lambda p: " ".join(_(m) for m in p.get("messages") or []) or _("Yêu cầu không hợp lệ."),
    "job_system_error": lambda p: _("Lỗi hệ thống; lỗi đã được ghi lại để bộ phận kỹ thuật xử lý."),
    "job_worker_lost": lambda p: ngettext(
        "Tiến trình chạy công việc bị dừng đột ngột %(attempts)s lần; công việc đã dừng, hãy yêu cầu lại.",
        "Tiến trình chạy công việc bị dừng đột ngột %(attempts)s lần; công việc đã dừng, hãy yêu cầu lại.",
        p["attempts"]) % p,
    "job_time_limit": lambda p: _("Công việc chạy quá %(seconds)s giây nên đã dừng; hãy chia nhỏ phạm vi rồi "
                                  "yêu cầu lại.") % p,
}
