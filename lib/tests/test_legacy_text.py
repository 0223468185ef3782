"""Legacy Vietnamese font encodings (TCVN3 ".VnTime", VNI "VNI-Times") read into Unicode."""

from __future__ import annotations

import unicodedata

import pytest

from lib.legacy_text import TCVN3, TCVN3_TABLE, VNI, VNI_TABLE, convert_column, detect, to_unicode
from lib.text import fold

LOWER_LETTERS = [
    unicodedata.normalize("NFC", vowel + mark)
    for vowel in "aăâeêioôơuưy"
    for mark in ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
] + ["đ"]
ALL_LETTERS = LOWER_LETTERS + [letter.upper() for letter in LOWER_LETTERS]


def test_there_are_134_vietnamese_letters_beyond_ascii_to_read():
    assert len(set(ALL_LETTERS)) == 146  # 12 vowels x 6 tones + đ, both cases
    assert sum(1 for letter in ALL_LETTERS if not letter.isascii()) == 134


# --- every letter through both tables (legacy strings built by inverting the tables) ----

TCVN3_OF = {letter: legacy for legacy, letter in TCVN3_TABLE.items()}
VNI_OF = {letter: legacy for legacy, letter in VNI_TABLE.items() if legacy in (legacy.lower(), legacy.upper())}


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_letter_round_trips_through_tcvn3(letter):
    if letter.isascii():
        assert to_unicode("x" + letter + "x", TCVN3) == "x" + letter + "x"
    elif letter in TCVN3_OF:
        assert to_unicode(TCVN3_OF[letter], TCVN3) == letter
        assert to_unicode("x" + TCVN3_OF[letter] + "x", TCVN3) == "x" + letter + "x"
    else:
        # A toned capital: VN3 has the lower-case byte only, drawn as a capital by the
        # ".VnTimeH" fonts inside a word typed in capitals.
        assert letter.isupper()
        legacy = TCVN3_OF[letter.lower()]
        assert to_unicode("X" + legacy + "Y", TCVN3) == "X" + letter + "Y"
        assert to_unicode("x" + legacy + "y", TCVN3) == "x" + letter.lower() + "y"


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_letter_round_trips_through_vni(letter):
    legacy = VNI_OF.get(letter, letter)
    if letter.isascii():
        assert letter not in VNI_OF
    elif letter in "ìíÌÍ":
        assert legacy == letter  # VNI puts ì and í where Latin-1 has them
    else:
        assert legacy != letter
    assert to_unicode(legacy, VNI) == letter
    assert to_unicode("T" + legacy + "n", VNI) == "T" + letter + "n"


def test_the_tcvn3_table_holds_the_74_non_ascii_letters_of_vn3_and_nothing_else():
    assert len(TCVN3_TABLE) == 74
    assert all("\xa1" <= legacy <= "\xfe" for legacy in TCVN3_TABLE)
    assert {TCVN3_TABLE[ch] for ch in "\xa1\xa2\xa3\xa4\xa5\xa6\xa7"} == set("ĂÂÊÔƠƯĐ")


# --- real text, written by hand --------------------------------------------------------

TCVN3_EXAMPLES = [
    ("NguyÔn V¨n §øc", "Nguyễn Văn Đức"),
    ("Chi bé Phßng NghiÖp vô", "Chi bộ Phòng Nghiệp vụ"),
    ("§¶ng ñy Khèi", "Đảng ủy Khối"),
    ("Qu¶ng Ng·i", "Quảng Ngãi"),
    ("TrÇn ThÞ Thu Hµ", "Trần Thị Thu Hà"),
    ("Lª Hoµng Long", "Lê Hoàng Long"),
    ("Ph¹m Minh ChÝnh", "Phạm Minh Chính"),
    ("Hµ Néi", "Hà Nội"),
    ("Thµnh phè Hå ChÝ Minh", "Thành phố Hồ Chí Minh"),
    ("Vò ThÞ Thñy", "Vũ Thị Thủy"),
    ("§oµn Thanh niªn Céng s¶n Hå ChÝ Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("Tr\u00adêng §¹i häc Kinh tÕ Quèc d©n", "Trường Đại học Kinh tế Quốc dân"),
    ("Bïi ThÞ Xu©n", "Bùi Thị Xuân"),
    ("§Æng V¨n L©m", "Đặng Văn Lâm"),
    ("Cö nh©n Kinh tÕ", "Cử nhân Kinh tế"),
    ("Trung cÊp lý luËn chÝnh trÞ", "Trung cấp lý luận chính trị"),
    # Capitals, typed in ".VnTimeH": the toned letters are the lower-case bytes.
    ("DANH S¸CH §¶NG VI£N", "DANH SÁCH ĐẢNG VIÊN"),
    ("NGUYÔN V¡N §øC", "NGUYỄN VĂN ĐỨC"),
    ("CHI Bé PHßNG NGHIÖP Vô", "CHI BỘ PHÒNG NGHIỆP VỤ"),
    ("§¶NG ñY KHèI", "ĐẢNG ỦY KHỐI"),
    ("QU¶NG NG·I", "QUẢNG NGÃI"),
    ("TRÇN THÞ THU Hµ", "TRẦN THỊ THU HÀ"),
    ("C¤NG AN TØNH", "CÔNG AN TỈNH"),
    ("Chñ tÞch H§ND x·", "Chủ tịch HĐND xã"),
]

VNI_EXAMPLES = [
    ("Nguyeãn Vaên Ñöùc", "Nguyễn Văn Đức"),
    ("Chi boä Phoøng Nghieäp vuï", "Chi bộ Phòng Nghiệp vụ"),
    ("Ñaûng uûy Khoái", "Đảng ủy Khối"),
    ("Quaûng Ngaõi", "Quảng Ngãi"),
    ("Traàn Thò Thu Haø", "Trần Thị Thu Hà"),
    ("Leâ Hoaøng Long", "Lê Hoàng Long"),
    ("Phaïm Minh Chính", "Phạm Minh Chính"),
    ("Haø Noäi", "Hà Nội"),
    ("Thaønh phoá Hoà Chí Minh", "Thành phố Hồ Chí Minh"),
    ("Vuõ Thò Thuûy", "Vũ Thị Thủy"),
    ("Ñoaøn Thanh nieân Coäng saûn Hoà Chí Minh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
    ("Tröôøng Ñaïi hoïc Kinh teá Quoác daân", "Trường Đại học Kinh tế Quốc dân"),
    ("Buøi Thò Xuaân", "Bùi Thị Xuân"),
    ("Ñaëng Vaên Laâm", "Đặng Văn Lâm"),
    ("Cöû nhaân Kinh teá", "Cử nhân Kinh tế"),
    ("Trung caáp lyù luaän chính trò", "Trung cấp lý luận chính trị"),
    ("NGUYEÃN VAÊN ÑÖÙC", "NGUYỄN VĂN ĐỨC"),
    ("DANH SAÙCH ÑAÛNG VIEÂN", "DANH SÁCH ĐẢNG VIÊN"),
    ("CHI BOÄ PHOØNG NGHIEÄP VUÏ", "CHI BỘ PHÒNG NGHIỆP VỤ"),
    ("ÑAÛNG UÛY KHOÁI", "ĐẢNG ỦY KHỐI"),
    ("QUAÛNG NGAÕI", "QUẢNG NGÃI"),
    ("TRÖÔØNG ÑAÏI HOÏC", "TRƯỜNG ĐẠI HỌC"),
    ("COÂNG AN TÆNH", "CÔNG AN TỈNH"),
    ("Chuû tòch HÑND xaõ", "Chủ tịch HĐND xã"),
]


@pytest.mark.parametrize(("legacy", "unicode"), TCVN3_EXAMPLES)
def test_real_tcvn3_text_is_detected_and_converted(legacy, unicode):
    assert detect(legacy) == TCVN3
    assert to_unicode(legacy, TCVN3) == unicode
    assert convert_column([legacy]).values == [unicode]


@pytest.mark.parametrize(("legacy", "unicode"), VNI_EXAMPLES)
def test_real_vni_text_is_detected_and_converted(legacy, unicode):
    assert detect(legacy) == VNI
    assert to_unicode(legacy, VNI) == unicode
    assert convert_column([legacy]).values == [unicode]


@pytest.mark.parametrize(("examples", "encoding"), [(TCVN3_EXAMPLES, TCVN3), (VNI_EXAMPLES, VNI)])
def test_search_without_diacritics_finds_a_converted_name(examples, encoding):
    converted = convert_column([legacy for legacy, _ in examples])

    assert converted.encoding == encoding
    assert converted.problems == []
    assert [fold(value) for value in converted.values] == [fold(unicode) for _, unicode in examples]
    assert fold(converted.values[0]) == "nguyen van duc"


# --- columns ---------------------------------------------------------------------------


def test_a_tcvn3_column_is_converted_whole_with_ascii_and_empty_cells_left_alone():
    column = ["NguyÔn V¨n §øc", "Lª ThÞ Hoa", "Lan", "", None, 12, "Tó", "CCCD 001"]

    conversion = convert_column(column)

    assert conversion.encoding == TCVN3
    # "Tó" is Vietnamese as it stands too ("tó"); in a TCVN3 column it is "Tú".
    assert conversion.values == ["Nguyễn Văn Đức", "Lê Thị Hoa", "Lan", "", None, 12, "Tú", "CCCD 001"]
    assert conversion.problems == []


def test_a_cell_that_is_the_same_in_tcvn3_and_unicode_does_not_make_a_column_mixed():
    # "ý" is 0xFD in TCVN3 as in Latin-1; VNI writes "í" as Latin-1 does.
    tcvn3 = convert_column(["NguyÔn V¨n §øc", "Lý Thanh Chi"])
    vni = convert_column(["Nguyeãn Vaên Ñöùc", "Phaïm Minh Chính", "Chính"])

    assert (tcvn3.encoding, tcvn3.values, tcvn3.problems) == (TCVN3, ["Nguyễn Văn Đức", "Lý Thanh Chi"], [])
    assert (vni.encoding, vni.values, vni.problems) == (VNI, ["Nguyễn Văn Đức", "Phạm Minh Chính", "Chính"], [])


def test_a_short_tcvn3_word_is_not_taken_for_vni_that_converts_nothing():
    assert detect("V¨n") == TCVN3
    assert detect("Hµ") == TCVN3


def test_a_vni_column_is_converted_whole():
    conversion = convert_column(["Nguyeãn Vaên Ñöùc", "Traàn Thò Hoa", "An", "Tô"])

    assert conversion.encoding == VNI
    assert conversion.values == ["Nguyễn Văn Đức", "Trần Thị Hoa", "An", "Tơ"]
    assert conversion.problems == []


def test_a_column_mixing_unicode_and_tcvn3_gets_a_message_per_legacy_cell():
    column = ["NguyÔn V¨n §øc", "Trần Thị Hoa", "Lª V¨n T¸m", "Phạm Hùng"]

    conversion = convert_column(column)

    assert conversion.encoding == TCVN3
    assert [index for index, _ in conversion.problems] == [0, 2]
    message = conversion.problems[0][1]
    assert "TCVN3" in message
    assert "«NguyÔn V¨n §øc»" in message
    assert "«Nguyễn Văn Đức»" in message
    assert "«Trần Thị Hoa»" in message
    assert "Unicode" in message
    # Unicode cells stay as they are; nothing is garbled either way.
    assert conversion.values == ["Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Tám", "Phạm Hùng"]


def test_a_mostly_unicode_column_keeps_cells_that_read_both_ways_as_unicode():
    column = ["Trần Thị Hoa", "Phạm Hùng", "Tâm", "Lª V¨n T¸m"]

    conversion = convert_column(column)

    assert [index for index, _ in conversion.problems] == [3]
    assert conversion.values[:3] == ["Trần Thị Hoa", "Phạm Hùng", "Tâm"]


def test_a_vni_cell_in_a_tcvn3_column_is_named():
    column = ["NguyÔn V¨n §øc", "Lª ThÞ Hoa", "Traàn Thò Thu Haø"]

    conversion = convert_column(column)

    assert conversion.encoding == TCVN3
    assert conversion.values[:2] == ["Nguyễn Văn Đức", "Lê Thị Hoa"]
    assert conversion.values[2] == "Traàn Thò Thu Haø"
    [(index, message)] = conversion.problems
    assert index == 2
    assert "VNI" in message
    assert "«Trần Thị Thu Hà»" in message


def test_a_cell_no_table_reads_is_refused_not_garbled():
    column = ["NguyÔn V¨n §øc", "Ng¸yÔÔn Vxq"]

    conversion = convert_column(column)

    assert conversion.encoding == TCVN3
    assert conversion.values[1] == "Ng¸yÔÔn Vxq"
    [(index, message)] = conversion.problems
    assert index == 1
    assert message.startswith("không chuyển được «Ng¸yÔÔn Vxq» từ bảng mã TCVN3")


def test_legacy_symbols_inside_words_of_an_otherwise_unicode_column_are_named():
    conversion = convert_column(["Trần Thị Hoa", "Nguyễn V¨n"])

    assert conversion.encoding is None
    assert conversion.values == ["Trần Thị Hoa", "Nguyễn V¨n"]
    [(index, message)] = conversion.problems
    assert index == 1
    assert "«¨»" in message


def test_decomposed_unicode_is_unicode():
    text = unicodedata.normalize("NFD", "Nguyễn Văn Đức")

    assert detect(text) is None
    assert convert_column([text]).values == [text]


def test_to_unicode_leaves_text_alone_without_an_encoding_and_refuses_an_unknown_one():
    assert to_unicode("NguyÔn", None) == "NguyÔn"
    with pytest.raises(ValueError, match="VISCII"):
        to_unicode("NguyÔn", "VISCII")


# --- no false positives ------------------------------------------------------------------

UNICODE_TEXT = [
    # Names, many of them Latin-1 letters only (the hardest case: they are valid TCVN3 bytes).
    "Nguyễn Văn Đức",
    "Trần Thị Hoa",
    "Lê Văn Tám",
    "Phạm Minh Chính",
    "Võ Văn Thưởng",
    "Tô Lâm",
    "Lê",
    "Tâm",
    "Tú",
    "Hà",
    "Hòa",
    "Tô",
    "Châu",
    "Lý",
    "Vân",
    "Tài",
    "Trí",
    "Toàn",
    "Hùng",
    "Hồ Thị Kim Thoa",
    "Đỗ Mười",
    "Ngô Thị Tuyết Mai",
    "Bùi Quang Vinh",
    "Đặng Thị Ngọc Thịnh",
    "Huỳnh Tấn Phát",
    "Dương Văn Minh",
    "Lương Cường",
    "Vương Đình Huệ",
    "Ông Ích Khiêm",
    "Ơn",
    "Ưng",
    "H'Hen Niê",
    "Y Moan Ê Ban",
    "Ksor Phước Hà",
    "Thuý",
    "Hoà",
    # Places.
    "Hà Nội",
    "Quảng Ngãi",
    "Hà Tây",
    "Cà Mau",
    "Tây Ninh",
    "Yên Bái",
    "Lào Cai",
    "Hòa Bình",
    "Bà Rịa - Vũng Tàu",
    "Khánh Hòa",
    "Gò Công",
    "Bình Dương",
    "Thừa Thiên Huế",
    "Đà Nẵng",
    "Cần Thơ",
    "Sóc Trăng",
    "Bắc Kạn",
    "Buôn Ma Thuột",
    "Ô Môn",
    "Phú Yên",
    "Tân An",
    "Vĩnh Phúc",
    "Chi bộ Phòng Nghiệp vụ",
    "Đảng ủy Khối",
    "Cử nhân Kinh tế",
    "Trung cấp LLCT",
    "12/12",
    "«Chi bộ 2»",
    "Ghi chú: «đã chuyển»",
    # Other languages and plain ASCII.
    "Party member",
    "Ho Chi Minh City",
    "café",
    "naïve",
    "Müller",
    "José",
    "François",
    "Zoë",
    "São Paulo",
    "résumé",
    "Curaçao",
    "Señor",
    "Noël",
    "Björk",
    "Ångström",
    "Straße",
    "façade",
    "Düsseldorf",
    "25°C",
    "Nguyen Van Duc",
]


@pytest.mark.parametrize("text", UNICODE_TEXT)
def test_unicode_and_other_text_is_never_taken_for_legacy(text):
    assert detect(text) is None
    conversion = convert_column([text])
    assert conversion.values == [text]
    assert conversion.problems == []


def test_a_whole_column_of_unicode_and_other_text_is_left_alone():
    assert len(UNICODE_TEXT) > 50
    conversion = convert_column(UNICODE_TEXT)

    assert conversion == convert_column(list(UNICODE_TEXT))
    assert conversion.encoding is None
    assert conversion.values == UNICODE_TEXT
    assert conversion.problems == []
