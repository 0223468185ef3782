"""Every way of recording a member starts its record with the same rows (``members.initial_history``):
the form, the import, the backfill, the demonstration data and the benchmark generator."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from bench.generator import _history_rows
from dangbo.demo.members import CellQuota, create_members
from members.importing import members_import, members_parse
from members.models import CellMembership, Member, Status, StatusChange
from members.services import member_create, members_backfill_history
from members.tests.import_files import person, xlsx

D = dt.date
ADMITTED, FULL = D(2005, 3, 1), D(2006, 3, 1)


def rows_of(member: Member) -> dict[str, Any]:
    """A member's status and cell rows, and what their change history says of each."""
    statuses = list(StatusChange.objects.filter(member=member).order_by("effective_on", "id"))
    cells = list(CellMembership.objects.filter(member=member).order_by("started_on", "id"))
    return {
        "statuses": [(s.status, s.effective_on, s.decision_no, s.recorded_by_id) for s in statuses],
        "cells": [(c.organization_id, c.kind, c.started_on, c.ended_on) for c in cells],
        "history": sorted(
            [(h.id, h.history_type, h.history_user_id) for h in StatusChange.history.filter(member_id=member.pk)]
            + [(h.id, h.history_type, h.history_user_id) for h in CellMembership.history.filter(member_id=member.pk)]
        ),
    }


def by_form(cell: Any, user: Any, given: str, **facts: Any) -> Member:
    result = member_create(
        family_name="Trần",
        middle_name="Thị",
        given_name=given,
        sex="F",
        birth_date=D(1975, 1, 2),
        organization=cell,
        admitted_on=facts.get("admitted_on", ADMITTED),
        full_member_on=facts.get("full_member_on", FULL),
        user=user,
    )
    assert result.member is not None
    return result.member


def bare(cell: Any, given: str, **facts: Any) -> Member:
    """A record inserted without any row of history (as a bulk load leaves it)."""
    values = {"admitted_on": ADMITTED, "full_member_on": FULL, "status": Status.FULL, "status_since": FULL, **facts}
    return Member.objects.create(
        family_name="Trần", given_name=given, sex="F", birth_date=D(1975, 1, 2), organization=cell, **values
    )


def test_the_form_the_import_the_backfill_and_the_benchmark_write_the_same_first_rows(cast):
    cell, user = cast.tree.office_cell, cast.upper
    # The benchmark generator writes the rows of every member in the database: it goes first.
    benched = bare(cell, "Bench")
    _history_rows({cell.pk: cell.founded_on})
    formed = by_form(cell, user, "Form")
    parsed = members_parse(xlsx([person(1, cell=cell.code)]), "ds.xlsx", user=user)
    assert parsed.ok, parsed.messages()
    assert members_import(parsed=parsed, user=user).created == 1
    imported = Member.objects.get(given_name="Hoab")
    backfilled = bare(cell, "Backfill")
    assert members_backfill_history(members=Member.objects.filter(pk=backfilled.pk)) == 1

    expected = rows_of(formed)
    started = max(ADMITTED, cell.founded_on)
    assert expected["statuses"] == [("probationary", ADMITTED, "", user.pk), ("full", FULL, "", user.pk)]
    assert expected["cells"] == [(cell.pk, "permanent", started, None)]
    assert [(kind, who) for _id, kind, who in expected["history"]] == [("+", user.pk)] * 3
    assert rows_of(imported) == rows_of(formed) | {"history": rows_of(imported)["history"]}
    assert [(kind, who) for _id, kind, who in rows_of(imported)["history"]] == [("+", user.pk)] * 3
    # No user recorded the backfill or the benchmark's rows; the benchmark writes no change history.
    nobody = [(status, on, number, None) for status, on, number, _by in expected["statuses"]]
    assert rows_of(backfilled) | {"history": []} == {"statuses": nobody, "cells": expected["cells"], "history": []}
    assert [(kind, who) for _id, kind, who in rows_of(backfilled)["history"]] == [("+", None)] * 3
    assert rows_of(benched) == {"statuses": nobody, "cells": expected["cells"], "history": []}


def test_a_member_recorded_after_leaving_the_party_starts_with_the_leaving(cast):
    cell = cast.tree.office_cell
    gone = bare(cell, "Gone", status=Status.DECEASED, status_since=D(2020, 5, 5))
    benched = bare(cell, "Bench", status=Status.DECEASED, status_since=D(2020, 5, 5))
    _history_rows({cell.pk: cell.founded_on})
    StatusChange.objects.filter(member=gone).delete()
    CellMembership.objects.filter(member=gone).delete()
    members_backfill_history(members=Member.objects.filter(pk=gone.pk))
    rows = rows_of(gone)
    assert [(status, on) for status, on, _n, _by in rows["statuses"]] == [
        ("probationary", ADMITTED),
        ("full", FULL),
        ("deceased", D(2020, 5, 5)),
    ]
    assert rows["cells"] == [(cell.pk, "permanent", max(ADMITTED, cell.founded_on), D(2020, 5, 5))]
    assert rows_of(benched) | {"history": rows["history"]} == rows


def test_demonstration_members_start_as_the_form_would_start_them(cast):
    cell, user = cast.tree.office_cell, cast.upper
    (demo,) = create_members(rng=random.Random(3), quotas=[CellQuota(cell, 1)], today=D(2026, 1, 1))
    demo.refresh_from_db()
    formed = by_form(cell, user, "Form", admitted_on=demo.admitted_on, full_member_on=demo.full_member_on)
    nobody = [(status, on, number, None) for status, on, number, _by in rows_of(formed)["statuses"]]
    assert rows_of(demo)["statuses"] == nobody
    assert rows_of(demo)["cells"] == rows_of(formed)["cells"]
    assert [kind for _id, kind, _who in rows_of(demo)["history"]] == ["+"] * len(rows_of(formed)["history"])
