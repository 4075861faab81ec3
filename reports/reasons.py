"""How the reports' refusals read: codes kept on the job, rendered in the reader's language."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _n(value) -> str:
    return number_format(value, force_grouping=True)


MESSAGES = {
    "report_nothing_to_print": lambda p: _("Không có bản kiểm điểm nào để in trong phạm vi này."),
    "report_pdf_too_many": lambda p: _("Có %(n)s bản kiểm điểm, quá %(max)s bản cho một tệp PDF: hãy chọn tệp ZIP, "
                                       "mỗi tổ chức một PDF.") % {"n": _n(p["n"]), "max": _n(p["max"])},
    "report_kind_unknown": lambda p: _("Loại báo cáo không hợp lệ."),
    "report_kind_not_printable": lambda p: _("Loại báo cáo này chưa in được."),
    "report_not_finished": lambda p: _("Báo cáo chưa được tạo xong."),
    "report_meeting_gone": lambda p: _("Hội nghị không còn trong hệ thống."),
    "report_register_dates": lambda p: _("Khoảng thời gian của sổ không hợp lệ."),
    "report_outside_scope": lambda p: _("Báo cáo chỉ in được những gì thuộc %(org)s.") % p,
    "report_period_gone": lambda p: _("Kỳ đánh giá không còn hoặc không bao gồm tổ chức này."),
    # the nomination's record
    "report_nomination_gone": lambda p: _("Hồ sơ giới thiệu nhân sự không còn trong hệ thống."),
}
