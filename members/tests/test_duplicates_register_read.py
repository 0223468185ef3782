"""The import's duplicate check reads only the part of the register where a match is possible
(members.duplicates._register_by_key): it must find exactly what comparing each new row with
every member of the importer's scope finds."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from lib.importer import ROW_KEY
from members import duplicates
from members.models import Member
from members.testing import add_member

BORN = dt.date(1980, 2, 1)
ADMITTED = dt.date(2005, 3, 1)
NUMBERS = {"id": "001080000111", "card": "TH-0111"}  # the numbers some members and rows share


def _ctx(user):
    return SimpleNamespace(user=user, decisions=None, questions=[], keeps_register_at=lambda path: True)


def _expected(rows, user):
    """Member ids each row is compared to by brute force: the whole scope, same key."""
    people = [duplicates._person(values) for values in Member.objects.for_user(user).values_list(*duplicates._PERSON_FIELDS)]
    out = {}
    for row in rows:
        person = duplicates._row_person(row)
        if not person.key:
            continue
        hits = sorted(p.member_id for p in people if p.key == person.key and duplicates.compare(person, p) is not None)
        if hits:
            out[row[ROW_KEY]] = hits
    return out


def test_the_filtered_read_finds_what_comparing_with_the_whole_scope_finds(cast):
    # Members of one name and date of birth: without numbers, with numbers of their own, with
    # the CCCD or the card number some rows have (each number is held by one member only).
    held = [
        (None, None),
        (None, "TH-0991"),
        ("001080000991", None),
        ("001080000992", "TH-0992"),
        (NUMBERS["id"], None),
        (None, NUMBERS["card"]),
    ]
    for national_id, card in held:
        add_member(
            cast.tree.office_cell,
            family_name="Nguyễn",
            middle_name="Văn",
            given_name="Đức",
            birth_date=BORN,
            admitted_on=ADMITTED,
            national_id=national_id,
            card_number=card,
        )
    # Rows with no, other or the same numbers, written without diacritics, and one of another date.
    rows = []
    row_ids = [None, NUMBERS["id"], "001080000555"]
    row_cards = [None, NUMBERS["card"], "TH-0555"]
    for n, (national_id, card) in enumerate(itertools.product(row_ids, row_cards), start=2):
        rows.append(
            {
                ROW_KEY: n,
                "family_name": "NGUYEN",
                "middle_name": "VAN",
                "given_name": "DUC",
                "birth_date": BORN,
                "national_id": national_id,
                "card_number": card,
            }
        )
    rows.append(
        {ROW_KEY: 20, "family_name": "Nguyễn", "middle_name": "Văn", "given_name": "Đức", "birth_date": BORN.replace(day=2)}
    )
    expected = _expected(rows, cast.cell)
    assert expected  # the check has something to find

    ctx = _ctx(cast.cell)
    list(duplicates.check_import_rows(rows, ctx))
    asked = {}
    for question in ctx.questions:
        (number,) = question.rows
        asked[number] = sorted(int(m[1:]) for m in question.key.split(":", 2)[2].split(",") if m.startswith("m"))
    assert {n: ids for n, ids in asked.items() if ids} == expected
