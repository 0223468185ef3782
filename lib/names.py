"""Vietnamese personal names: what a name may hold (``person_name_error``), and names for
demonstration and benchmark data.

A person's name (họ, tên đệm, tên) is letters of any script, Vietnamese included, in words
separated by spaces; inside a word an apostrophe, a hyphen or a dot may join letters
("H'Hen Niê", "Ksor-Y", "Th. Hà"), and every word holds at least one letter. Digits,
brackets and other signs are refused. The member forms, the member services (so the API
and any other writer) and the member import all use ``person_name_error``.

A name is built in Vietnamese order, family + middle + given ("Nguyễn Thị Thu Hà"), from
lists weighted by how common each part is. Faker's ``name()`` gives Western order and
``first_name()`` gives "John", so it is not used. Everything is drawn from the
``random.Random`` the caller passes, so a seed gives the same names every time.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Family names with their approximate share of the population (the usual published
# estimates: Nguyễn about 38%, Trần 11%, Lê 9.5%, Phạm 7%, Hoàng/Huỳnh 5%...).
FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 38.4),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 4.0),
    ("Huỳnh", 1.1),
    ("Phan", 4.5),
    ("Vũ", 3.0),
    ("Võ", 0.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đào", 0.6),
    ("Đoàn", 0.5),
    ("Vương", 0.3),
    ("Trịnh", 0.4),
    ("Trương", 0.4),
    ("Lâm", 0.3),
    ("Mai", 0.3),
    ("Hà", 0.4),
    ("Lưu", 0.2),
    ("Tạ", 0.2),
    ("Thân", 0.2),
    ("Chu", 0.2),
    ("Nông", 0.2),
    ("Giáp", 0.15),
    ("Cao", 0.2),
    ("Lương", 0.2),
    ("Tô", 0.15),
    ("Kiều", 0.1),
]

MALE_MIDDLE_NAMES: list[tuple[str, float]] = [
    ("Văn", 35.0),
    ("Đức", 9.0),
    ("Minh", 9.0),
    ("Quang", 6.0),
    ("Hữu", 5.0),
    ("Thanh", 4.0),
    ("Xuân", 3.0),
    ("Công", 3.0),
    ("Tiến", 2.5),
    ("Mạnh", 2.0),
    ("Ngọc", 2.0),
    ("Trọng", 2.0),
    ("Đình", 3.0),
    ("Anh", 1.5),
    ("Thế", 2.0),
    ("Hoàng", 1.5),
    ("Duy", 1.5),
    ("Việt", 1.0),
    ("Quốc", 2.0),
    ("Bá", 1.0),
    ("Văn Minh", 0.5),
    ("Đức Anh", 0.3),
]

FEMALE_MIDDLE_NAMES: list[tuple[str, float]] = [
    ("Thị", 45.0),
    ("Ngọc", 6.0),
    ("Thu", 5.0),
    ("Thanh", 5.0),
    ("Minh", 3.0),
    ("Thùy", 2.5),
    ("Hồng", 2.5),
    ("Phương", 2.0),
    ("Kim", 2.0),
    ("Mai", 1.5),
    ("Bích", 1.5),
    ("Hải", 1.0),
    ("Diệu", 1.0),
    ("Khánh", 1.0),
    ("Thị Thu", 2.0),
    ("Thị Thanh", 1.5),
    ("Thị Minh", 1.0),
    ("Thị Hồng", 1.0),
]

MALE_GIVEN_NAMES: list[tuple[str, float]] = [
    (name, 1.0)
    for name in [
        "An",
        "Anh",
        "Bảo",
        "Bình",
        "Cường",
        "Chiến",
        "Công",
        "Dũng",
        "Duy",
        "Dương",
        "Đạt",
        "Định",
        "Đông",
        "Đức",
        "Giang",
        "Hải",
        "Hào",
        "Hiếu",
        "Hiệp",
        "Hòa",
        "Hoàng",
        "Huy",
        "Hùng",
        "Hưng",
        "Khang",
        "Khánh",
        "Khoa",
        "Kiên",
        "Lâm",
        "Linh",
        "Long",
        "Lộc",
        "Lợi",
        "Luân",
        "Mạnh",
        "Minh",
        "Nam",
        "Nghĩa",
        "Nguyên",
        "Nhân",
        "Phong",
        "Phú",
        "Phúc",
        "Phương",
        "Quân",
        "Quang",
        "Quý",
        "Sơn",
        "Tài",
        "Tâm",
        "Tân",
        "Thái",
        "Thành",
        "Thắng",
        "Thanh",
        "Thịnh",
        "Thông",
        "Thuận",
        "Tiến",
        "Toàn",
        "Trung",
        "Trường",
        "Tuấn",
        "Tùng",
        "Tú",
        "Văn",
        "Việt",
        "Vinh",
        "Vũ",
        "Xuân",
    ]
] + [("Hùng", 1.5), ("Tuấn", 1.5), ("Dũng", 1.5), ("Hải", 1.0), ("Thắng", 1.0)]

FEMALE_GIVEN_NAMES: list[tuple[str, float]] = [
    (name, 1.0)
    for name in [
        "An",
        "Anh",
        "Ánh",
        "Bích",
        "Châu",
        "Chi",
        "Cúc",
        "Dung",
        "Duyên",
        "Giang",
        "Hà",
        "Hạnh",
        "Hằng",
        "Hiền",
        "Hoa",
        "Hòa",
        "Huệ",
        "Hương",
        "Hường",
        "Huyền",
        "Lan",
        "Liên",
        "Liễu",
        "Linh",
        "Loan",
        "Ly",
        "Mai",
        "Minh",
        "My",
        "Nga",
        "Ngân",
        "Ngọc",
        "Nguyệt",
        "Nhung",
        "Oanh",
        "Phương",
        "Phượng",
        "Quyên",
        "Quỳnh",
        "Sen",
        "Tâm",
        "Thảo",
        "Thanh",
        "Thắm",
        "Thoa",
        "Thơm",
        "Thu",
        "Thúy",
        "Thủy",
        "Trang",
        "Trâm",
        "Trinh",
        "Tú",
        "Uyên",
        "Vân",
        "Xuân",
        "Yến",
    ]
] + [("Hương", 1.5), ("Hằng", 1.0), ("Lan", 1.0), ("Trang", 1.5), ("Hà", 1.0)]


@dataclass(frozen=True)
class PersonName:
    family: str
    middle: str
    given: str
    sex: str  # "M" or "F", as members.models.Sex

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.family, self.middle, self.given) if part)

    def __str__(self) -> str:
        return self.full


class _Weighted:
    """Draws from a weighted list with one bisect per draw (cumulative weights precomputed)."""

    def __init__(self, items: list[tuple[str, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative, k=1)[0]


_FAMILY = _Weighted(FAMILY_NAMES)
_MIDDLE = {"M": _Weighted(MALE_MIDDLE_NAMES), "F": _Weighted(FEMALE_MIDDLE_NAMES)}
_GIVEN = {"M": _Weighted(MALE_GIVEN_NAMES), "F": _Weighted(FEMALE_GIVEN_NAMES)}


def random_name(rng: random.Random, sex: str | None = None, *, female_share: float = 0.45) -> PersonName:
    """A Vietnamese name; ``sex`` "M" or "F", or drawn with ``female_share`` when None."""
    if sex is None:
        sex = "F" if rng.random() < female_share else "M"
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    family = _FAMILY.draw(rng)
    middle = _MIDDLE[sex].draw(rng)
    given = _GIVEN[sex].draw(rng)
    # A given name that repeats the middle name ("Văn Văn") does not occur: draw again.
    while given == middle.split()[-1]:
        given = _GIVEN[sex].draw(rng)
    return PersonName(family=family, middle=middle, given=given, sex=sex)


def random_full_name(rng: random.Random, sex: str | None = None) -> str:
    return random_name(rng, sex).full


# ---------------------------------------------------------------------------------------
# What a name may hold

NAME_JOINERS = frozenset("'’-.")


def person_name_error(value: str) -> str | None:
    """Why ``value`` is not a person's name (a Vietnamese sentence), or None when it is one.

    An empty value is left to the caller (a middle name may be empty, a given name may not).
    """
    text = unicodedata.normalize("NFC", value or "").strip()
    if not text:
        return None
    bad = sorted(
        {ch for ch in text if not (ch.isalpha() or ch.isspace() or ch in NAME_JOINERS or unicodedata.category(ch) == "Mn")}
    )
    if bad:
        shown = " ".join(f"«{ch}»" for ch in bad[:5])
        return _(
            "Tên người chỉ gồm chữ cái (có dấu tiếng Việt), dấu cách và các dấu ' - . trong một từ; không được có %(chars)s."
        ) % {"chars": shown}
    for word in text.split():
        if not any(ch.isalpha() for ch in word):
            return _("Mỗi từ trong tên người phải có ít nhất một chữ cái; «%(word)s» không có.") % {"word": word}
    return None


def validate_person_name(value: str) -> None:
    """``person_name_error`` as a Django validator (form fields)."""
    error = person_name_error(value)
    if error:
        raise ValidationError(error, code="person_name")
