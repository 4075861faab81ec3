"""Form fields every app uses: dates and counts within what the database and the calendar can hold."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
MAX_COUNT = 100_000  # more members than any body has; far inside the database's integer range


class DateField(forms.DateField):
    """dd/mm/yyyy, refused outside 1900-2199 (a deadline computed from year 9999 would overflow)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))
        kwargs.setdefault("error_messages", {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})
        super().__init__(**kwargs)

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("Ngày phải trong khoảng %(a)s – %(b)s.")
                                        % {"a": EARLIEST.strftime("%d/%m/%Y"), "b": LATEST.strftime("%d/%m/%Y")})
        return day


class CountField(forms.IntegerField):
    """A number of people or votes: 0 up to ``MAX_COUNT``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"class": "form-control"}))
        super().__init__(**kwargs)
