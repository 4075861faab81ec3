"""Dates shown by the common list and form code go through Django's formats, not a hard-coded %d/%m/%Y."""

import datetime as dt
import io

import openpyxl
import pytest
from django import forms
from django.utils import translation

from common.forms import DateField
from common.spreadsheets import xlsx_bytes
from common.tables import DateColumn


@pytest.fixture
def iso_formats(settings):
    """No language active: Django's formats come from the settings, here ISO, so a hard-coded one shows."""
    settings.SHORT_DATE_FORMAT = "Y-m-d"
    with translation.override(None):
        yield


def _written(value) -> openpyxl.cell.Cell:
    content = xlsx_bytes("Danh sách", ["Ngày"], [[DateColumn().value(value)]])
    return openpyxl.load_workbook(io.BytesIO(content)).active["A2"]


def test_a_date_column_exports_a_date_shown_through_the_date_format(iso_formats):
    written = _written(dt.date(2026, 3, 2))
    assert written.is_date and written.value == dt.datetime(2026, 3, 2)  # a date, which a spreadsheet sorts
    assert written.number_format == "yyyy-mm-dd"


def test_the_date_range_of_a_form_reads_through_the_date_format(iso_formats):
    with pytest.raises(forms.ValidationError) as refused:
        DateField(input_formats=["%Y-%m-%d"]).clean("1800-01-01")
    assert "1900-01-01" in refused.value.messages[0] and "2199-12-31" in refused.value.messages[0]


def test_the_portal_exports_dates_dd_mm_yyyy_in_both_languages():
    for language in ("vi", "en"):
        with translation.override(language):
            written = _written(dt.date(2026, 3, 2))
            assert written.is_date and written.value == dt.datetime(2026, 3, 2)
            assert written.number_format == "dd/mm/yyyy"


def test_a_moment_exports_as_the_day_it_was_in_the_portal_s_time_zone(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    late_evening_utc = dt.datetime(2026, 3, 1, 20, 0, tzinfo=dt.UTC)  # 03:00 on 2 March in Hà Nội
    with translation.override("vi"):
        assert DateColumn().value(late_evening_utc) == dt.date(2026, 3, 2)
        assert DateColumn().value(None) == ""


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
