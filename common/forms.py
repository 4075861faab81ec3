"""Form fields every app uses: dates and counts within what the database and the calendar can hold."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2199, 12, 31)
# The shape dd/mm/yyyy (one or two digits for day and month), whatever the numbers are.
DMY_SHAPE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
MAX_COUNT = 100_000  # more members than any body has; far inside the database's integer range


class DateField(forms.DateField):
    """dd/mm/yyyy, refused outside 1900-2199 (a deadline computed from year 9999 would overflow)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))
        kwargs.setdefault("error_messages", {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # The reader typed the asked-for shape: telling them the shape again would be wrong;
            # the numbers are what is not a day (31/02, 00/13).
            if isinstance(value, str) and DMY_SHAPE.match(value):
                raise forms.ValidationError(_("Ngày %(value)s không có trong lịch.") % {"value": value.strip()},
                                            code="invalid") from None
            raise

    def clean(self, value):
        day = super().clean(value)
        if day is not None and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("Ngày phải trong khoảng %(a)s – %(b)s.")
                                        % {"a": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                                           "b": date_format(LATEST, "SHORT_DATE_FORMAT")})
        return day


class CountField(forms.IntegerField):
    """A number of people or votes: 0 up to ``MAX_COUNT``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        kwargs.setdefault("widget", forms.NumberInput(attrs={"class": "form-control"}))
        super().__init__(**kwargs)


# The widest integer a primary key column holds (bigint; SQLite's INTEGER alike).
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with an id past the database's integer range refused as an unknown choice.

    Django bounds single lookups (``pk=10**20`` finds nothing) but not ``pk__in``,
    where SQLite raises OverflowError: a 500 for a hostile form.
    """

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                try:
                    number = int(str(pk))
                except (ValueError, TypeError):
                    continue  # not an id at all: Django refuses it as such
                if not -MAX_ID - 1 <= number <= MAX_ID:
                    raise forms.ValidationError(self.error_messages["invalid_choice"],
                                                code="invalid_choice", params={"value": pk})
        return super()._check_values(value)
