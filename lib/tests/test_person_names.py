"""What a person's name may hold (lib.names.person_name_error)."""

import pytest

from lib.names import person_name_error


@pytest.mark.parametrize("name", ["Nguyễn", "Thị Thu", "H'Hen Niê", "Ksor-Y", "Đặng", "Th. Hà", "Nguyễn"])
def test_it_accepts_names_of_letters_with_their_joiners(name):
    assert person_name_error(name) is None


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "123 Thị !!!", "Hoa1", "An_Bình", "Lan@"])
def test_it_refuses_digits_brackets_and_signs_and_names_them(name):
    error = person_name_error(name)
    assert error is not None
    assert "chữ cái" in error


def test_it_names_the_refused_characters():
    assert "«!» «1» «2» «3»" in person_name_error("123 Thị !!!")


@pytest.mark.parametrize("name", ["- Hà", "Đặng Văn .", "' Lan"])
def test_it_refuses_a_word_without_a_letter(name):
    assert "ít nhất một chữ cái" in person_name_error(name)


def test_it_leaves_an_empty_name_to_the_caller():
    assert person_name_error("") is None
    assert person_name_error("   ") is None
