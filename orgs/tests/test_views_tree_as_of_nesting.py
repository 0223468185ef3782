"""The tree as of a past date nests every cell under the committee it had that day, also the
cells a base committee received later by a merge (orgs.views.with_former_parents)."""

import datetime as dt

import pytest
from django.urls import reverse

from orgs.services import NewOrgSpec, organization_found, organization_merge
from orgs.testing import FOUNDED

AS_OF = reverse("orgs:organization_tree_as_of")


@pytest.fixture
def planning(cast):
    """«Đảng bộ Sở Kế hoạch» with its «Chi bộ Kế hoạch», merged into the finance committee in 2025."""
    kinds = cast.tree.kinds
    spec = NewOrgSpec(code="so-ke-hoach", name="Đảng bộ Sở Kế hoạch", kind=kinds["dang-bo-co-so"])
    committee = organization_found(parent=cast.tree.bloc, spec=spec, effective_on=FOUNDED).organization
    spec = NewOrgSpec(code="cb-ke-hoach", name="Chi bộ Kế hoạch", kind=kinds["chi-bo"])
    cell = organization_found(parent=committee, spec=spec, effective_on=FOUNDED).organization
    organization_merge(sources=[committee], target=cast.tree.finance, effective_on=dt.date(2025, 3, 1))
    return committee, cell


def rows_of(client, date: str):
    response = client.get(AS_OF, {"ngay": date})
    assert response.status_code == 200
    return response.context["rows"], response.content.decode()


def assert_nested(rows) -> None:
    """Each indented row follows, somewhere above it, the row of the parent it had that day."""
    for i, (version, indent, _visible) in enumerate(rows):
        if indent == 0:
            continue
        above = next(v for v, level, _vis in reversed(rows[:i]) if level == indent - 1)
        assert above.organization_id == version.parent_id, f"{version.name} is not under its parent of that day"


def test_a_base_secretary_sees_the_cells_received_later_under_the_committee_they_had(client, cast, planning):
    committee, cell = planning
    client.force_login(cast.base)
    rows, body = rows_of(client, "01/01/2020")
    by_org = {v.organization_id: (v, indent, visible) for v, indent, visible in rows}
    assert_nested(rows)
    former, indent, linked = by_org[committee.pk]
    assert (indent, linked, getattr(former, "former_parent", False)) == (0, False, True)
    assert by_org[cell.pk][1:] == (1, True)
    assert by_org[cast.tree.finance.pk][1] == 0
    assert by_org[cast.tree.office_cell.pk][1] == 1
    assert 'data-testid="former-parent"' in body
    assert "hợp nhất vào Đảng bộ Sở Tài chính" in body
    assert reverse("orgs:organization_detail", args=[committee.code]) not in body


def test_after_the_merge_the_cells_are_under_the_committee_and_no_former_parent_is_added(client, cast, planning):
    _committee, cell = planning
    client.force_login(cast.base)
    rows, body = rows_of(client, "01/06/2025")
    assert_nested(rows)
    assert {v.organization_id: indent for v, indent, _vis in rows}[cell.pk] == 1
    assert 'data-testid="former-parent"' not in body


def test_a_cell_secretary_gets_no_parent_added_above_their_cell(client, cast, planning):
    client.force_login(cast.cell)
    rows, body = rows_of(client, "01/01/2020")
    assert [(v.organization_id, indent) for v, indent, _vis in rows] == [(cast.tree.office_cell.pk, 0)]
    assert "Sở Tài chính" not in body.split('data-testid="as-of-tree"', 1)[1].split("</ul>", 1)[0]
