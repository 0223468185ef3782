"""An organization's page counts its members (in the party, by status, over its subtree)
and links to the member list filtered by it (members.org_panel through orgs.panels)."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from members.models import Status
from members.services import member_change_status
from members.testing import add_member


def detail(org) -> str:
    return reverse("orgs:organization_detail", args=[org.code])


@pytest.fixture
def register(cast):
    tree = cast.tree
    add_member(tree.office_cell, given_name="An")
    add_member(tree.office_cell, given_name="Bình", admitted_on=dt.date(2025, 9, 1), full_member_on=None)
    add_member(tree.budget_cell, given_name="Cúc")
    gone = add_member(tree.budget_cell, given_name="Dũng")
    member_change_status(member=gone, status=Status.DECEASED, effective_on=dt.date(2024, 2, 1))
    add_member(tree.newspaper, given_name="Em")  # another base organization: not counted


def panel(response) -> dict:
    assert response.status_code == 200
    panels = [p for p in response.context["panels"] if p.template == "members/_org_panel.html"]
    assert len(panels) == 1
    return panels[0].context


def test_a_committee_page_counts_the_members_of_its_cells_by_status(client, cast, register):
    client.force_login(cast.upper)
    counts = panel(client.get(detail(cast.tree.finance)))
    assert counts["in_party_total"] == 3
    assert {row.label: row.count for row in counts["in_party"]} == {
        "Dự bị": 1,
        "Chính thức": 2,
        "Miễn sinh hoạt": 0,
        "Đình chỉ sinh hoạt": 0,
    }
    assert [(row.label, row.count) for row in counts["others"]] == [("Từ trần", 1)]


def test_the_counts_link_to_the_member_list_filtered_by_the_organization(client, cast, register):
    client.force_login(cast.upper)
    response = client.get(detail(cast.tree.finance))
    counts = panel(response)
    query = parse_qs(urlsplit(counts["in_party_url"]).query)
    assert query == {"organization": ["so-tai-chinh"], "status": ["in_party"]}
    assert f'href="{counts["in_party_url"].replace("&", "&amp;")}"' in response.content.decode()
    listed = client.get(counts["in_party_url"])
    assert listed.context["total"] == 3
    probationary = next(row for row in counts["in_party"] if row.label == "Dự bị")
    assert client.get(probationary.url).context["total"] == 1


def test_a_cell_page_counts_only_that_cell(client, cast, register):
    client.force_login(cast.cell)
    response = client.get(detail(cast.tree.office_cell))
    assert panel(response)["in_party_total"] == 2
    assert re.search(r'data-testid="in-party-total">2<', response.content.decode())


def test_a_member_sees_no_counts_on_their_cell_page(client, cast, register):
    client.force_login(cast.member)
    response = client.get(detail(cast.tree.office_cell))
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert 'data-testid="member-counts"' not in response.content.decode()
