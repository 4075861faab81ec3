"""The forms that ask for a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportFormat


class BatchForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Định dạng"), choices=ReportFormat.choices, initial=ReportFormat.PDF)
