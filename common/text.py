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


# --- the Vietnamese order of names ------------------------------------------------------

# The Vietnamese alphabet, then the letters only foreign names use, in their Latin places.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
             "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_LETTER = {ch: f"{i + 10:02d}" for i, ch in enumerate(_ALPHABET)}  # two digits each, 10..42
_DIGIT = {str(d): f"{d + 50:02d}" for d in range(10)}  # after the letters
# Tone marks (combining), in dictionary order after the level tone: huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_WORD_END = "00"  # below every letter: "An" before "Anh"


def _letter_and_tone(ch: str) -> tuple[str, str]:
    """(the letter with its vowel marks, the tone digit) of one character."""
    decomposed = unicodedata.normalize("NFD", ch.lower())
    tone = next((_TONES[c] for c in decomposed if c in _TONES), "0")
    letter = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return letter, tone


def name_sort_key(full_name: str) -> str:
    """A key whose plain (byte or digit) order is the Vietnamese order of people's names.

    By given name, then middle names, then family name ("Nguyễn Văn An" is filed under
    "An Văn Nguyễn"); letters in the Vietnamese alphabet (a ă â b c d đ e ê ...: "Dương"
    before "Đặng"), tones only to part names equal in their letters (ngang, huyền, hỏi,
    ngã, sắc, nặng: "Hoàng" before "Hồ" because o comes before ô). The key is made of
    digits only, so SQLite and PostgreSQL (whatever its collation) sort it alike.
    """
    words = unicodedata.normalize("NFC", full_name).split()
    words = words[-1:] + words[1:-1] + words[:1] if len(words) > 1 else words
    letters, tones = [], []
    for word in words:
        for ch in word:
            letter, tone = _letter_and_tone(ch)
            code = _LETTER.get(letter) or _DIGIT.get(letter)
            if code is None:
                continue  # a hyphen, an apostrophe: not part of the order
            letters.append(code)
            tones.append(tone)
        letters.append(_WORD_END)
    return "".join(letters) + "0" + "".join(tones)
