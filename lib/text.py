"""Vietnamese text helpers: folding for search without diacritics, and sort keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case ``text`` without diacritics: "Nguyễn Văn Đức" -> "nguyen van duc".

    NFD splits a letter from its marks, which are dropped; đ/Đ has no decomposition and
    is mapped by hand. Runs of white space become one space.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", bare).strip().lower()


# The Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
# and within a letter the tones: level, grave, hook, tilde, acute, dot below.
_BASE_ORDER = "aăâbcdđeêghiklmnoôơpqrstuưvxyfjwz"
_BASE_RANK = {ch: i for i, ch in enumerate(_BASE_ORDER)}
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


def _letter_key(ch: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    base = decomposed[0]
    tone = 0
    letter = base
    for mark in decomposed[1:]:
        if mark in _TONE_MARKS:
            tone = _TONE_MARKS[mark]
        elif mark in _LETTER_MARKS:
            letter = unicodedata.normalize("NFC", letter + mark)
    if ch.lower() == "đ":
        letter = "đ"
    rank = _BASE_RANK.get(letter)
    if rank is None:
        return (f"{ord(letter[0]):05x}", tone)
    return (f"{rank:02d}", tone)


def word_sort_key(word: str) -> str:
    """A string that sorts Vietnamese words in dictionary order by plain comparison.

    Letters first (tones ignored), then tones as a tie-break, so "an" < "àn" < "ăn".
    """
    keys = [_letter_key(ch) for ch in word if not ch.isspace()]
    letters = "".join(k[0] for k in keys)
    tones = "".join(str(k[1]) for k in keys)
    return f"{letters}.{tones}"


def name_sort_key(family: str, middle: str, given: str) -> str:
    """Sort key for a Vietnamese name: by given name, then family name, then middle name."""
    return "|".join(word_sort_key(part or "") for part in (given, family, middle))


def full_name(family: str, middle: str, given: str) -> str:
    return " ".join(part for part in (family, middle, given) if part)
