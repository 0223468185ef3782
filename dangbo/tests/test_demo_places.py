"""Demo members' places read as Vietnamese addresses: "Xã Nham Sơn, huyện Yên Dũng, tỉnh Bắc Giang"."""

from dangbo.demo.members import PLACES, _sentence_case


def test_a_place_keeps_the_capitals_of_its_proper_name():
    assert _sentence_case("xã Nham Sơn") == "Xã Nham Sơn"
    assert _sentence_case("thị trấn Đồi Ngô") == "Thị trấn Đồi Ngô"


def test_every_demo_place_starts_with_a_capital_and_keeps_the_rest():
    for places in PLACES.values():
        for place in places:
            shown = _sentence_case(place)
            assert shown[0].isupper() and shown[1:] == place[1:]
