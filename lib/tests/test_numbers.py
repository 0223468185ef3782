from decimal import Decimal

from lib.numbers import format_number, format_percent


def test_numbers_use_the_vietnamese_separators_and_drop_trailing_zeros():
    assert format_number(53056) == "53.056"
    assert format_number(Decimal("62.50")) == "62,5"
    assert format_number(Decimal("90.00")) == "90"
    assert format_number(Decimal("1234567.25")) == "1.234.567,25"
    assert format_number(Decimal("-0.5")) == "-0,5"


def test_numbers_round_half_up_to_the_places_asked():
    assert format_number(Decimal("9.294"), places=Decimal("0.1")) == "9,3"
    assert format_number(Decimal("1.25"), places=Decimal("0.1")) == "1,3"
    assert format_number(Decimal("25.04"), places=Decimal("0.1")) == "25"


def test_a_share_reads_as_a_percentage():
    assert format_percent(Decimal("0.125")) == "12,5%"
    assert format_percent(Decimal("0.2")) == "20%"
