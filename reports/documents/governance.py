"""The governance documents: a meeting's minutes, and the register of decisions of a subtree over a date range."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def minutes_context(params: dict) -> dict:
    raise ValidationError(_("Loại báo cáo này chưa in được."))


def register_context(organization, params: dict) -> dict:
    raise ValidationError(_("Loại báo cáo này chưa in được."))
