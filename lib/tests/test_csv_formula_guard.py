"""CSV export guards every cell a spreadsheet would run as a formula; the import undoes it."""

from __future__ import annotations

import csv
import io

import pytest

from lib.tabular import csv_unguard, read_rows, write_csv

DANGEROUS = [
    '=1+HYPERLINK("http://example.com","x")',
    "+84+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=cmd",
    "\t=1+1",
    "\r=1+1",
    "-5",
    "+84912345678",
]


def written_cells(data: bytes) -> list[str]:
    """The cells exactly as a spreadsheet reads them from the file (no unguarding)."""
    text = data.decode("utf-8-sig")
    return [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]


@pytest.mark.parametrize("value", DANGEROUS)
def test_every_cell_that_starts_like_a_formula_is_written_behind_a_quote(value):
    assert written_cells(write_csv(["Giá trị"], [[value]])) == ["'" + value]


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "5", "84+1", "a=b", "'trích dẫn", ""])
def test_other_cells_are_written_as_they_are(value):
    assert written_cells(write_csv(["Giá trị"], [[value]])) == [value]


def test_a_negative_number_stored_as_a_number_is_written_as_a_number():
    assert written_cells(write_csv(["Số"], [[-5], [-2.5]])) == ["-5", "-2.5"]


ROUND_TRIP = [
    *DANGEROUS,
    "'=already quoted",
    "''+84",
    "'plain quote",
    "''",
    "Nguyễn Văn An",
    "Số 5, ngõ 12",
]


def test_a_csv_round_trip_gives_back_exactly_what_was_written():
    data = write_csv(["Giá trị", "Ghi chú"], [[value, "x"] for value in ROUND_TRIP])
    rows = list(read_rows(data, "ds.csv"))
    assert [values[0] for _, values in rows[1:]] == ROUND_TRIP


def test_the_import_takes_off_one_quote_only_before_a_formula_character():
    assert csv_unguard("'-5") == "-5"
    assert csv_unguard("''=x") == "'=x"
    assert csv_unguard("'Nguyễn") == "'Nguyễn"
    assert csv_unguard("'") == "'"
    assert csv_unguard("-5") == "-5"
