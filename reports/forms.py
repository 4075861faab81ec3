"""The forms that ask for a report."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.forms import DateField

from .models import ReportFormat


class BatchForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Định dạng"), choices=ReportFormat.choices, initial=ReportFormat.PDF)


class RegisterForm(forms.Form):
    """The date range of a printed register of decisions: both days required, in order, not too long.

    The fields are named ``from`` and ``to`` (as in the report's parameters), words Python keeps for itself,
    hence their declaration in ``__init__``.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(label=_("Ngày đầu của sổ"),
                                        error_messages={"required": _("Nhập ngày bắt đầu của sổ."),
                                                        "invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})
        self.fields["to"] = DateField(label=_("Ngày cuối của sổ"),
                                      error_messages={"required": _("Nhập ngày kết thúc của sổ."),
                                                      "invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end:
            longest = settings.REPORT_REGISTER_MAX_DAYS
            if end < start:
                self.add_error("to", _("Ngày kết thúc không được trước ngày bắt đầu."))
            elif (end - start).days + 1 > longest:
                self.add_error("to", _("Sổ in một lần không quá %(days)s ngày; hãy chọn khoảng thời gian ngắn hơn.")
                               % {"days": longest})
        return data
