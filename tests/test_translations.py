"""English is complete: every interface string has a translation with the same placeholders."""

import re
from pathlib import Path

import polib

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
