"""An 8-bit CSV typed in a legacy Vietnamese font is read as its bytes, ready for conversion."""

from __future__ import annotations

import unicodedata

from lib.legacy_text import convert_column
from lib.tabular import read_rows

TCVN3_CSV = "Hä vµ tªn;Quª qu¸n\r\nNguyÔn V¨n §øc;Qu¶ng Ng·i\r\nTrÇn ThÞ Thu Hµ;Hµ Néi\r\nLª V¨n T¸m;Tr¶ng Bµng\r\n"
VNI_CSV = "Hoï vaø teân,Queâ quaùn\nNguyeãn Vaên Ñöùc,Quaûng Ngaõi\nTraàn Thò Thu Haø,Haø Noäi\n"


def _columns(rows):
    return [list(column) for column in zip(*(values for _, values in rows), strict=True)]


def test_a_tcvn3_csv_saved_on_a_western_windows_is_read_as_its_bytes_and_converts():
    rows = list(read_rows(TCVN3_CSV.encode("latin-1"), "ds.csv"))

    assert rows[1] == (2, ["NguyÔn V¨n §øc", "Qu¶ng Ng·i"])
    names, hometowns = (convert_column(column) for column in _columns(rows))
    assert names.values == ["Họ và tên", "Nguyễn Văn Đức", "Trần Thị Thu Hà", "Lê Văn Tám"]
    assert hometowns.values == ["Quê quán", "Quảng Ngãi", "Hà Nội", "Trảng Bàng"]


def test_a_vni_csv_is_read_as_its_bytes_and_converts():
    rows = list(read_rows(VNI_CSV.encode("latin-1"), "ds.csv"))

    names = convert_column(_columns(rows)[0])
    assert names.encoding == "VNI"
    assert names.values == ["Họ và tên", "Nguyễn Văn Đức", "Trần Thị Thu Hà"]


def _cp1258(text: str) -> bytes:
    """Encode as Windows does: letters it has whole, others as a letter plus a tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = "".join(mark for mark in parts if mark in "\u0300\u0301\u0303\u0309\u0323")
            letter = unicodedata.normalize("NFC", "".join(mark for mark in parts if mark not in tone))
            out += (letter + tone).encode("cp1258")
    return out


def test_a_windows_1258_csv_stays_windows_1258():
    text = "Họ và tên;Quê quán\nNguyễn Văn Đức;Quảng Ngãi\nTrần Thị Thu Hà;Hà Nội\nLê Văn Tám;Trảng Bàng\nTô Lâm;Hà Tây\n"

    rows = list(read_rows(_cp1258(text), "ds.csv"))

    assert [values for _, values in rows] == [line.split(";") for line in text.splitlines()]
