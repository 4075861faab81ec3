"""How a job's failure reads: codes stored on the job, rendered in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.reasons import from_json, text_of


def _refused(params: dict) -> str:
    """The service's reasons, stored as codes; rows kept from before codes were stored read as they were."""
    shown = [text_of(r) for r in from_json(params.get("reasons"))]
    shown += [_(m) for m in params.get("messages") or []]
    return " ".join(shown) or _("Yêu cầu không hợp lệ.")


MESSAGES = {
    "job_refused": _refused,
    "job_system_error": lambda p: _("Lỗi hệ thống; lỗi đã được ghi lại để bộ phận kỹ thuật xử lý."),
    "job_worker_lost": lambda p: ngettext(
        "Tiến trình chạy công việc bị dừng đột ngột %(attempts)s lần; công việc đã dừng, hãy yêu cầu lại.",
        "Tiến trình chạy công việc bị dừng đột ngột %(attempts)s lần; công việc đã dừng, hãy yêu cầu lại.",
        p["attempts"]) % p,
    "job_time_limit": lambda p: _("Công việc chạy quá %(seconds)s giây nên đã dừng; hãy chia nhỏ phạm vi rồi "
                                  "yêu cầu lại.") % p,
}
