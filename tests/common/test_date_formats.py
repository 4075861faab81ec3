"""Dates shown by the common list and form code go through Django's formats, not a hard-coded %d/%m/%Y."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from common.forms import DateField
from common.tables import DateColumn


@pytest.fixture
def iso_formats(settings):
    """No language active: Django's formats come from the settings, here ISO, so a hard-coded one shows."""
    settings.SHORT_DATE_FORMAT = "Y-m-d"
    with translation.override(None):
        yield


def test_a_date_column_exports_through_the_date_format(iso_formats):
    assert DateColumn().value(dt.date(2026, 3, 2)) == "2026-03-02"


def test_the_date_range_of_a_form_reads_through_the_date_format(iso_formats):
    with pytest.raises(forms.ValidationError) as refused:
        DateField(input_formats=["%Y-%m-%d"]).clean("1800-01-01")
    assert "1900-01-01" in refused.value.messages[0] and "2199-12-31" in refused.value.messages[0]


def test_the_portal_shows_dd_mm_yyyy_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            assert DateColumn().value(dt.date(2026, 3, 2)) == "02/03/2026"


@pytest.mark.parametrize("typed", ["31/02/2026", "00/01/2026", "12/13/2026", " 29/02/2025 "])
def test_a_day_typed_in_the_right_shape_but_not_in_the_calendar_says_so(typed):
    with translation.override("vi"), pytest.raises(forms.ValidationError) as refused:
        DateField().clean(typed)
    assert refused.value.messages == [f"Ngày {typed.strip()} không có trong lịch."]
    with translation.override("en"), pytest.raises(forms.ValidationError) as refused:
        DateField().clean(typed)
    assert refused.value.messages == [f"There is no day {typed.strip()} in the calendar."]


def test_a_date_in_another_shape_is_told_the_shape():
    with translation.override("vi"), pytest.raises(forms.ValidationError) as refused:
        DateField().clean("31-02-2026")
    assert refused.value.messages == ["Nhập ngày theo dạng dd/mm/yyyy."]
    assert DateField().clean("29/02/2028") == dt.date(2028, 2, 29)
