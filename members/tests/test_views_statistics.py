"""The statistics page: its numbers are the selector's, for the scope and date asked."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from lib.dates import format_date
from members import selectors
from members.models import Member
from members.services import member_change_status
from members.tests._people import add_people

URL = reverse("members:member_statistics")


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def test_the_default_scope_is_the_users_primary_organization(client, cast, people):
    client.force_login(cast.base)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["organization"] == cast.tree.finance
    assert response.context["on"] == dt.date.today()
    assert response.context["stats"].total == 4


def test_the_numbers_equal_the_selectors(client, cast, people):
    member_change_status(member=people.binh, status="deceased", effective_on=dt.date.today())
    client.force_login(cast.upper)
    on = dt.date.today()
    start = dt.date(on.year, 1, 1)
    response = client.get(URL, {"organization": cast.tree.bloc.code, "on": format_date(on), "start": format_date(start)})
    members = Member.objects.for_user(cast.upper)
    expected = selectors.member_statistics(members, on=on, organization=cast.tree.bloc)
    changes = selectors.changes_in_period(members, start=start, end=on, organization=cast.tree.bloc)
    stats = response.context["stats"]
    assert stats == expected
    assert response.context["changes"] == changes
    tables = {t.key: t for t in response.context["tables"]}
    for key, rows in expected.dimensions().items():
        assert [(label, count) for label, count, _pct in tables[key].rows] == [(r.label, r.count) for r in rows]
    assert tables["youth"].rows[0][1] == expected.youth
    page = response.content.decode()
    assert f'data-testid="stat-total">{expected.total}<' in page
    assert f'data-testid="change-deceased">{changes.deceased}<' in page
    assert changes.deceased == 1


def test_percentages_add_up(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"organization": cast.tree.bloc.code})
    sex = next(t for t in response.context["tables"] if t.key == "sex")
    assert sum(pct for _label, _count, pct in sex.rows) == pytest.approx(100, abs=0.2)


def test_the_chart_data_is_a_json_block_for_the_script(client, cast, people):
    client.force_login(cast.upper)
    page = client.get(URL, {"organization": cast.tree.bloc.code}).content.decode()
    assert '<script id="member-statistics-data" type="application/json">' in page
    raw = page.split('<script id="member-statistics-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(raw)
    status = next(d for d in data["dimensions"] if d["key"] == "status")
    assert sum(status["counts"]) == 5
    assert "js/member_statistics.js" in page
    assert "<script>" not in page  # no inline script: the CSP forbids it


def test_a_past_date_counts_the_members_then(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"organization": cast.tree.bloc.code, "on": "01/06/2016"})
    # Only the members admitted before mid-2016 were in the party then (everyone but An and Hoa).
    assert response.context["stats"].total == 3


def test_an_organization_outside_the_scope_is_refused(client, cast, people):
    client.force_login(cast.cell)
    response = client.get(URL, {"organization": cast.tree.bloc.code})
    assert response.status_code == 400
    assert "stats" not in response.context


def test_a_bad_date_is_refused(client, cast):
    client.force_login(cast.upper)
    assert client.get(URL, {"on": "32/13/2020"}).status_code == 400


def test_an_outsider_counts_nobody_of_another_bloc(client, cast, people):
    client.force_login(cast.outsider)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["stats"].total == 0
