"""Text typed in the legacy Vietnamese font encodings, turned into Unicode.

Before Unicode, Vietnamese offices typed with fonts that draw Vietnamese letters in place
of Latin-1 characters, and many member lists still hold that text. What Excel stores is
the Latin-1 character; only the font made it look Vietnamese:

- TCVN3 ("ABC", the ".VnTime" fonts): one character per letter, "NguyÔn V¨n §øc";
- VNI ("VNI-Times"): an ASCII base letter followed by a mark character,
  "Nguyeãn Vaên Ñöùc".

Both read "Nguyễn Văn Đức". ``convert_column`` decides the encoding of a whole column from
the evidence of all its cells: a cell counts for an encoding when read through that
encoding's table it is Vietnamese (letters of the Vietnamese alphabet, every syllable
spelled as Vietnamese spells syllables, with one tone mark at most) while read as it is
it is not. Plain ASCII cells are neutral, and a cell holding Vietnamese letters outside
Latin-1 ("ễ", "ơ", "đ"...) is Unicode, as is everything that reads as Vietnamese already:
"Hà Nội", "Tâm" or "Müller" are never converted. A column that mixes Unicode and legacy
cells, or a cell that no table turns into Vietnamese, gets a Vietnamese message for each
cell concerned instead of a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext

TCVN3 = "TCVN3"
VNI = "VNI"
ENCODINGS = (TCVN3, VNI)
ENCODING_LABELS = {
    TCVN3: "TCVN3 (ABC, phông .VnTime)",
    VNI: "VNI (phông VNI-Times)",
}

# --- the letters -----------------------------------------------------------------------

# The twelve vowels and the five tone marks, in the order the tables below list them:
# grave (huyền), hook above (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
_VOWELS = "aăâeêioôơuưy"
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = 1, 2, 3, 4, 5


def _toned(vowel: str, tone: int) -> str:
    """The precomposed letter: ``_toned("ê", _TILDE)`` is "ễ"; tone 0 is the bare vowel."""
    return unicodedata.normalize("NFC", vowel + _TONE_MARKS[tone - 1]) if tone else vowel


# --- TCVN3 ---------------------------------------------------------------------------------

# TCVN 5712:1993 (Vietnamese standard code for information interchange), table VN3, the
# one the ".VnTime" fonts use: every lower-case letter, and the capitals Ă Â Ê Ô Ơ Ư Đ,
# each at one byte; ASCII letters are themselves. VN3 has no capital letter with a tone:
# capitals were typed in the ".VnTimeH" fonts, which draw these same bytes as capitals.
# (Tables VN1 and VN2 of the standard put the toned capitals in the control range and in
# the gaps of this table; no ".VnTime" text uses them, so they are not read here.)
_TCVN3_BARE = {
    0xA1: "Ă",
    0xA2: "Â",
    0xA3: "Ê",
    0xA4: "Ô",
    0xA5: "Ơ",
    0xA6: "Ư",
    0xA7: "Đ",
    0xA8: "ă",
    0xA9: "â",
    0xAA: "ê",
    0xAB: "ô",
    0xAC: "ơ",
    0xAD: "ư",
    0xAE: "đ",
}
# Per vowel, the bytes of its grave, hook above, tilde, acute and dot below forms.
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}

# The character a cell holds (the byte read as Latin-1, as Excel stores it) -> the letter.
TCVN3_TABLE: dict[str, str] = {chr(code): letter for code, letter in _TCVN3_BARE.items()}
TCVN3_TABLE.update(
    {chr(code): _toned(vowel, tone) for vowel, codes in _TCVN3_TONED.items() for tone, code in enumerate(codes, start=1)}
)
_TCVN3_TRANSLATE = str.maketrans(TCVN3_TABLE)
_TCVN3_CAPITALS = {chr(code) for code in range(0xA1, 0xA8)}  # Ă Â Ê Ô Ơ Ư Đ
_TCVN3_SMALL = {chr(code) for code in range(0xA8, 0xAF)}  # ă â ê ô ơ ư đ
_TCVN3_TONED_CHARS = frozenset(TCVN3_TABLE) - _TCVN3_CAPITALS - _TCVN3_SMALL  # drawn in either case

# --- VNI -----------------------------------------------------------------------------------

# VNI for Windows (VNI Software's encoding of the "VNI-Times" fonts): a toned vowel is its
# base letter followed by one mark character, and ơ, ư, đ and the forms of i are single
# characters. The marks, in the order grave, hook above, tilde, acute, dot below:
_VNI_TONE = ("ø", "û", "õ", "ù", "ï")  # after a e o u y, ô (= ơ), ö (= ư)
_VNI_CIRCUMFLEX = "â"  # after a e o: â ê ô
_VNI_CIRCUMFLEX_TONE = ("à", "å", "ã", "á", "ä")  # â ê ô with a tone, in one mark
_VNI_BREVE = "ê"  # after a: ă
_VNI_BREVE_TONE = ("è", "ú", "ü", "é", "ë")  # ă with a tone, in one mark
_VNI_I = ("ì", "æ", "ó", "í", "ò")  # ì ỉ ĩ í ị
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "î": "ỵ"}


def _vni_spellings() -> dict[str, str]:
    """Lower-case VNI spelling -> letter, for every letter that is not plain ASCII."""
    spell: dict[str, str] = {}
    for vowel in "aeouy":
        for tone, mark in enumerate(_VNI_TONE, start=1):
            spell[vowel + mark] = _toned(vowel, tone)
    for legacy, letter in (("ô", "ơ"), ("ö", "ư")):
        for tone, mark in enumerate(_VNI_TONE, start=1):
            spell[legacy + mark] = _toned(letter, tone)
    for base, letter in (("a", "â"), ("e", "ê"), ("o", "ô")):
        spell[base + _VNI_CIRCUMFLEX] = letter
        for tone, mark in enumerate(_VNI_CIRCUMFLEX_TONE, start=1):
            spell[base + mark] = _toned(letter, tone)
    spell["a" + _VNI_BREVE] = "ă"
    for tone, mark in enumerate(_VNI_BREVE_TONE, start=1):
        spell["a" + mark] = _toned("ă", tone)
    for tone, char in enumerate(_VNI_I, start=1):
        spell[char] = _toned("i", tone)
    del spell["y" + _VNI_TONE[_DOT - 1]]  # ỵ is the single character î
    spell.update(_VNI_SINGLE)
    return spell


# VNI spelling as it stands in a cell -> the letter; capitals are the upper case of both
# characters ("AÙ" is Á). A base and a mark typed in different cases ("Aù") still read,
# in the case of the base letter.
VNI_TABLE: dict[str, str] = {}
for _spelling, _letter in _vni_spellings().items():
    VNI_TABLE[_spelling] = _letter
    VNI_TABLE[_spelling.upper()] = _letter.upper()
    if len(_spelling) == 2:
        VNI_TABLE[_spelling[0].upper() + _spelling[1]] = _letter.upper()
        VNI_TABLE[_spelling[0] + _spelling[1].upper()] = _letter
del _spelling, _letter

# A Latin-1 letter that a table leaves as it is cannot be part of text in that encoding.
_LATIN1_LETTER = "\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff"

# --- what Vietnamese looks like ------------------------------------------------------------

# Lower-case letter -> (letter without tone, tone): the Vietnamese alphabet.
_LETTERS: dict[str, tuple[str, int]] = {ch: (ch, 0) for ch in "bcdđghklmnpqrstvx"}
for _vowel in _VOWELS:
    for _tone in range(6):
        _LETTERS[_toned(_vowel, _tone)] = (_vowel, _tone)
del _vowel, _tone
_VIETNAMESE_LATIN1 = {ch: ch for letter in _LETTERS for ch in (letter, letter.upper()) if "\x80" <= ch <= "\xff"}

_INITIALS = "ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_NUCLEI = (
    "uyê|uya|uyu|oai|oay|oeo|uây|uôi|ươi|ươu|iêu|yêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|oo|ôi|ơi|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(f"(?:{_INITIALS})?(?P<nucleus>{_NUCLEI})(?P<final>ch|nh|ng|c|m|n|p|t)?")
_CLOSED_ONLY = frozenset({"ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê", "oo"})  # need a final consonant
_OPEN_ONLY = frozenset(
    {"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu", "ua", "ưa"}
    | {"oai", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uyu", "iêu", "yêu", "uya"}
)
_STOPS = frozenset({"c", "ch", "p", "t"})  # after them only the acute or the dot below


@lru_cache(maxsize=65536)
def _is_syllable(word: str, strict: bool) -> bool:
    """Whether ``word`` (lower case) is one Vietnamese syllable, or an abbreviation.

    A syllable is an initial consonant, a vowel group and a final consonant, with at most
    one tone, and after a final c, ch, p or t only the acute or the dot below ("các",
    "học", never "càc"). ``strict`` also asks that a vowel group that needs a final
    consonant has one ("tiên", not "tiê") and one that takes none has none ("tai", not
    "tain"): legacy readings must pass it, text read as it is need not, so that names
    like "H'Hen Niê" stay Unicode. A word of consonants only ("hđnd") is an abbreviation.
    """
    bare = []
    tone = 0
    for ch in word:
        letter = _LETTERS.get(ch)
        if letter is None:
            return False
        bare.append(letter[0])
        if letter[1]:
            if tone:
                return False
            tone = letter[1]
    text = "".join(bare)
    if not any(ch in _VOWELS for ch in text):
        return True
    match = _SYLLABLE.fullmatch(text)
    if match is None:
        return False
    nucleus, final = match["nucleus"], match["final"]
    if final in _STOPS and tone not in (_ACUTE, _DOT):
        return False
    closed_only, open_only = nucleus in _CLOSED_ONLY, nucleus in _OPEN_ONLY
    return not (strict and ((closed_only and not final) or (open_only and final)))


_WORD = re.compile(r"[^\W\d_]+")
# A symbol of Latin-1 standing between two letters ("V¨n", "Tr\u00adêng") is a letter of a
# legacy font, never Unicode text.
_LETTER_CLASS = rf"A-Za-z{_LATIN1_LETTER}"
_SYMBOL_INSIDE = re.compile(
    rf"(?<=[{_LETTER_CLASS}])[\u00a1-\u00a9\u00ab-\u00b4\u00b6-\u00b9\u00bb-\u00bf\u00d7\u00f7]+(?=[{_LETTER_CLASS}])"
)
# Vietnamese beyond Latin-1: ă đ ĩ ũ ơ ư, the letters of Latin Extended Additional, the
# combining tone marks of decomposed text.
_UNICODE_VIETNAMESE = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u0300-\u0323\u1ea0-\u1ef9]"
)


def _is_vietnamese(text: str, *, strict: bool) -> bool:
    """Every word of ``text`` that is not plain ASCII is a Vietnamese syllable."""
    return all(word.isascii() or _is_syllable(word.lower(), strict) for word in _WORD.findall(text))


# --- conversion ----------------------------------------------------------------------------


# A letter beyond Latin-1, or a combining mark: never in legacy font text.
_BEYOND_LATIN1 = "(?=[^\\W\\d_])[^\\x00-\\xff]|[\\u0300-\\u036f]"


def _letters_outside(table: dict[str, str]) -> re.Pattern[str]:
    """Latin-1 letters a table does not read, letters beyond Latin-1 and combining marks."""
    latin1 = "".join(chr(c) for c in range(0x80, 0x100) if chr(c).isalpha() and chr(c) not in table)
    return re.compile(f"[{re.escape(latin1)}]|{_BEYOND_LATIN1}")


def _count_letters(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


_NOT_VIETNAMESE = _letters_outside(_VIETNAMESE_LATIN1)  # as it is, with the symbols checked apart
_TCVN3_UNREAD = _letters_outside(TCVN3_TABLE)
_TCVN3_TONED_RE = re.compile("[" + "".join(sorted(_TCVN3_TONED_CHARS)) + "]")
_TCVN3_SMALL_RE = re.compile("[a-z\u00a8-\u00ae]")
_TCVN3_CAPITAL_RE = re.compile("[A-Z\u00a1-\u00a7]")
# A word with no small letter: its toned letters may be capitals (see ``_tcvn3``).
_TCVN3_CAPS_WORD = re.compile("(?<![A-Za-z\u00a1-\u00ff])[A-Z\u00a1-\u00a7\u00af-\u00ff]+(?![A-Za-z\u00a1-\u00ff])")


def _tcvn3(text: str) -> tuple[str, int]:
    """``text`` read as TCVN3, and how many of its letters the table cannot read.

    VN3 has toned letters in lower case only; a title in the ".VnTimeH" font shows them as
    capitals, and its other letters are typed as capitals: "§¶NG" is "ĐẢNG". So the toned
    letters of a word with two capitals or more and no small letter are capitals, and so
    are those of a cell with no small letter at all ("Hµ" in "NGUYÔN THÞ Hµ"); a word
    with one capital ("Hµ", "§øc") is a name, in lower case after its first letter.
    """
    bad = _count_letters(_TCVN3_UNREAD, text)
    converted = text.translate(_TCVN3_TRANSLATE)
    if not _TCVN3_TONED_RE.search(text):
        return converted, bad
    if not _TCVN3_SMALL_RE.search(text) and len(_TCVN3_CAPITAL_RE.findall(text)) >= 2:
        return converted.upper(), bad
    for word in _TCVN3_CAPS_WORD.finditer(text):
        if len(_TCVN3_CAPITAL_RE.findall(word[0])) >= 2 and _TCVN3_TONED_RE.search(word[0]):
            start, end = word.span()
            converted = converted[:start] + converted[start:end].upper() + converted[end:]
    return converted, bad


_VNI_MARKS = "".join(dict.fromkeys(s[1] for s in VNI_TABLE if len(s) == 2))
_VNI_BASES = "".join(dict.fromkeys(s[0] for s in VNI_TABLE if len(s) == 2))
_VNI_SINGLES = "".join(s for s in VNI_TABLE if len(s) == 1)
_VNI_UNREAD_LATIN1 = "".join(chr(c) for c in range(0x80, 0x100) if chr(c).isalpha() and chr(c) not in _VNI_MARKS + _VNI_SINGLES)
# A base and its mark, a single-character letter, or a Latin-1 letter VNI text never holds.
_VNI_RE = re.compile(f"([{_VNI_BASES}])([{_VNI_MARKS}])|([{_VNI_SINGLES}])|([{_VNI_MARKS}{_VNI_UNREAD_LATIN1}])")
_BEYOND_LATIN1_RE = re.compile(_BEYOND_LATIN1)


def _vni(text: str) -> tuple[str, int]:
    """``text`` read as VNI, and how many of its letters the table cannot read."""
    bad = 0

    def letter(match: re.Match[str]) -> str:
        nonlocal bad
        if match[1] is not None:
            found = VNI_TABLE.get(match[0])
            if found is not None:
                return found
            bad += 1  # a mark after a letter that does not take it ("yâ")
            return VNI_TABLE.get(match[1], match[1]) + match[2]
        if match[3] is not None:
            return VNI_TABLE[match[3]]
        bad += 1
        return match[0]

    converted = _VNI_RE.sub(letter, text)
    return converted, bad + _count_letters(_BEYOND_LATIN1_RE, text)


_CONVERTERS = {TCVN3: _tcvn3, VNI: _vni}
_UNREAD = {TCVN3: _TCVN3_UNREAD, VNI: re.compile(f"[{_VNI_UNREAD_LATIN1}]|{_BEYOND_LATIN1}")}


def to_unicode(text: str, encoding: str | None) -> str:
    """``text`` typed in ``encoding`` ("TCVN3" or "VNI"), in Unicode (NFC); None leaves it."""
    if encoding is None or not text or text.isascii():
        return text
    try:
        converter = _CONVERTERS[encoding]
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r}") from None
    return unicodedata.normalize("NFC", converter(text)[0])


# --- reading a column ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conversion:
    """A column read through ``convert_column``.

    ``encoding`` is None, "TCVN3" or "VNI"; ``values`` has one value per cell, converted
    where the column is in a legacy encoding (the same values when ``encoding`` is None);
    ``problems`` lists ``(index, message)`` for cells that cannot be taken as they are:
    the message is Vietnamese and completes "Dòng N, cột X: …".
    """

    encoding: str | None
    values: list[Any]
    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Reading:
    """What one non-ASCII cell is under each reading; a reading is None where it fails."""

    unicode: bool  # read as it is, it is Vietnamese
    sure_unicode: bool  # it holds Vietnamese letters beyond Latin-1: it is Unicode
    legacy: dict[str, str | None]
    odd: str  # legacy symbols standing inside words ("¨" in "V¨n"), for messages


def _read(text: str) -> _Reading:
    odd = "".join(dict.fromkeys("".join(_SYMBOL_INSIDE.findall(text))))
    if _UNICODE_VIETNAMESE.search(text):
        return _Reading(unicode=not odd, sure_unicode=not odd, legacy={TCVN3: None, VNI: None}, odd=odd)
    as_is = not odd and not _count_letters(_NOT_VIETNAMESE, text)
    as_is = as_is and _is_vietnamese(text, strict=False)
    legacy: dict[str, str | None] = {}
    for encoding, converter in _CONVERTERS.items():
        if _UNREAD[encoding].search(text):  # a letter the table cannot read: no need to convert
            legacy[encoding] = None
            continue
        converted, bad = converter(text)  # precomposed letters: NFC already
        ok = not bad and not _SYMBOL_INSIDE.search(converted) and _is_vietnamese(converted, strict=True)
        legacy[encoding] = converted if ok else None
    return _Reading(unicode=as_is, sure_unicode=False, legacy=legacy, odd=odd)


_SHOWN = 60


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def convert_column(values: Sequence[Any]) -> Conversion:
    """The column's encoding from all its cells, its values in Unicode, and its problems.

    A cell counts for a legacy encoding when its reading through that table is Vietnamese
    and the cell as it is is not. The encoding with most such cells is the column's; with
    none the column is left as it is. Cells that are not text, or plain ASCII, are neutral.
    With a legacy encoding, cells that read both ways ("Tâm" is also TCVN3 "Tõm") follow
    the column. Problems: a legacy cell in a column that also holds Unicode Vietnamese (its
    converted text is given, and in the message), a cell in the other legacy encoding, a
    cell that no table turns into Vietnamese, and a cell with a legacy font's symbol inside
    a word ("V¨n") in a column that is otherwise not legacy.
    """
    cache: dict[str, _Reading] = {}
    readings: list[_Reading | None] = []
    for value in values:
        if not isinstance(value, str) or value.isascii():
            readings.append(None)
            continue
        reading = cache.get(value)
        if reading is None:
            reading = cache[value] = _read(value)
        readings.append(reading)

    votes = dict.fromkeys(ENCODINGS, 0)
    for reading in cache.values():
        if not reading.unicode:
            for name, converted in reading.legacy.items():
                if converted is not None:
                    votes[name] += 1
    encoding = max(ENCODINGS, key=lambda e: votes[e]) if any(votes.values()) else None

    out = list(values)
    problems: list[tuple[int, str]] = []
    if encoding is None:
        for index, reading in enumerate(readings):
            if reading is not None and reading.odd:
                problems.append((index, _unreadable(out[index], reading)))
        return Conversion(None, out, problems)

    legacy_cells = [i for i, r in enumerate(readings) if r is not None and not r.unicode and r.legacy[encoding] is not None]
    unicode_cells = [i for i, r in enumerate(readings) if r is not None and r.unicode and r.legacy[encoding] is None]
    legacy_majority = len(legacy_cells) >= len(unicode_cells)
    example = out[unicode_cells[0]] if unicode_cells else None
    other = VNI if encoding == TCVN3 else TCVN3
    for index, reading in enumerate(readings):
        if reading is None:
            continue
        raw = out[index]
        converted = reading.legacy[encoding]
        if converted is not None and (not reading.unicode or legacy_majority):
            out[index] = converted
            if example is not None:
                problems.append((index, _mixed(raw, converted, encoding, example)))
        elif reading.unicode:
            continue
        elif reading.legacy[other] is not None:
            problems.append((index, _other_encoding(raw, reading.legacy[other] or "", other, encoding)))
        else:
            problems.append((index, _not_convertible(raw, encoding)))
    return Conversion(encoding, out, problems)


def is_unicode_vietnamese(text: str) -> bool:
    """Whether ``text`` holds Vietnamese letters beyond Latin-1 ("ễ", "đ") and reads as Vietnamese."""
    return bool(_UNICODE_VIETNAMESE.search(text)) and _is_vietnamese(unicodedata.normalize("NFC", text), strict=False)


def detect(text: str) -> str | None:
    """The legacy encoding ``text`` is in ("TCVN3" or "VNI"), or None for Unicode, ASCII or doubt."""
    return convert_column([text]).encoding


# --- messages ------------------------------------------------------------------------------


def _advice() -> str:
    return gettext("hãy chuyển cả cột sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi tải tệp lên lại")


def _mixed(raw: str, converted: str, encoding: str, example: str) -> str:
    return gettext(
        "cột lẫn hai kiểu chữ: ô này gõ bằng bảng mã %(encoding)s («%(raw)s», đọc ra «%(converted)s») "
        "còn ô khác đã là chữ Unicode (như «%(example)s»); %(advice)s"
    ) % {
        "encoding": ENCODING_LABELS[encoding],
        "raw": _shown(raw),
        "converted": _shown(converted),
        "example": _shown(example),
        "advice": _advice(),
    }


def _other_encoding(raw: str, converted: str, found: str, column: str) -> str:
    return gettext(
        "ô này gõ bằng bảng mã %(found)s («%(raw)s», đọc ra «%(converted)s») trong khi cột gõ bằng bảng mã %(column)s; %(advice)s"
    ) % {
        "found": ENCODING_LABELS[found],
        "raw": _shown(raw),
        "converted": _shown(converted),
        "column": ENCODING_LABELS[column],
        "advice": _advice(),
    }


def _not_convertible(raw: str, encoding: str) -> str:
    converted = to_unicode(raw, encoding)
    return gettext(
        "không chuyển được «%(raw)s» từ bảng mã %(encoding)s (cột gõ bằng bảng mã này) sang Unicode: "
        "đọc ra «%(converted)s», không phải chữ tiếng Việt; hãy sửa ô này trong tệp"
    ) % {"raw": _shown(raw), "encoding": ENCODING_LABELS[encoding], "converted": _shown(converted)}


def _unreadable(raw: str, reading: _Reading) -> str:
    return gettext(
        "«%(raw)s» có ký tự lạ (%(chars)s) nằm giữa chữ: có thể gõ bằng một bảng mã cũ không đọc được "
        "hoặc lẫn với chữ Unicode; %(advice)s"
    ) % {"raw": _shown(raw), "chars": ", ".join(f"«{ch}»" for ch in reading.odd), "advice": _advice()}
