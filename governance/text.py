"""Vietnamese text folding for search: "Nguyễn Văn Đức" -> "nguyen van duc"."""

import unicodedata

# đ/Đ are letters of their own, not a d with a combining mark.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
