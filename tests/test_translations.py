"""English is complete: every interface string has a translation with the same placeholders."""

import re
from pathlib import Path

import polib
import pytest

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def _entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in _entries() if not e.translated()]
    assert untranslated == [], f"add English for: {untranslated[:10]}"


def test_translations_keep_their_placeholders():
    for e in _entries():
        if e.msgid_plural:
            assert sorted(PLACEHOLDER.findall(e.msgstr_plural[1])) == sorted(PLACEHOLDER.findall(e.msgid_plural))
        else:
            assert sorted(PLACEHOLDER.findall(e.msgstr)) == sorted(PLACEHOLDER.findall(e.msgid)), e.msgid


def test_django_messages_a_user_can_see_read_in_vietnamese():
    """Django's Vietnamese catalog leaves some form and page messages in English; locale_django/ fills them."""
    from django.core.paginator import EmptyPage, Paginator
    from django.forms import CharField, ValidationError
    from django.utils import translation

    with translation.override("vi"):
        try:
            CharField().clean("a\x00b")
        except ValidationError as exc:
            assert exc.messages == ["Không được có ký tự rỗng (mã NUL)."]
        with pytest.raises(EmptyPage, match="^Trang này không có kết quả$"):
            Paginator([1], 1).page(5)
        assert translation.gettext("CSRF verification failed. Request aborted.").startswith("Phiên làm việc")


def test_the_supplement_keeps_django_placeholders():
    supplement = Path(__file__).resolve().parent.parent / "locale_django" / "vi" / "LC_MESSAGES" / "django.po"
    for e in polib.pofile(str(supplement)):
        assert e.translated(), e.msgid
        assert sorted(PLACEHOLDER.findall(e.msgstr)) == sorted(PLACEHOLDER.findall(e.msgid)), e.msgid
