"""Vietnamese text folding for search: "Nguyễn Văn Đức" -> "nguyen van duc".

Shared by every app (it imports nothing of theirs).
"""

import unicodedata

# đ/Đ are letters of their own, not a d with a combining mark.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold_char(ch: str) -> str:
    """One character folded to one character (lower case, no diacritics)."""
    base = unicodedata.normalize("NFD", ch.translate(_EXTRA))[0]
    return base.lower() if len(base.lower()) == 1 else ch


def fold_aligned(text: str) -> str:
    """``text`` folded character by character: position i still matches ``text[i]``."""
    return "".join(fold_char(ch) for ch in text)


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces (decomposed input is composed first)."""
    folded = fold_aligned(unicodedata.normalize("NFC", text))
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())
