"""The organization's and the province's summary of a review period."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def summary_context(organization, params: dict) -> dict:
    raise ValidationError(_("Loại báo cáo này chưa in được."))
