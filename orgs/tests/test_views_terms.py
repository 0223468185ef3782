"""Terms and committee seats: add a term, record who holds a seat, end a seat."""

import datetime as dt

import pytest
from django.urls import reverse

from orgs.models import CommitteeSeat, SeatRole, Term
from orgs.services import seat_assign, term_create


@pytest.fixture
def term(cast):
    return term_create(
        organization=cast.tree.finance, name="2020–2025", starts_on=dt.date(2020, 7, 1), ends_on=dt.date(2025, 7, 1)
    )


@pytest.fixture
def seat(term):
    return seat_assign(term=term, role=SeatRole.SECRETARY, holder_name="Trần Văn Bình", started_on=dt.date(2020, 7, 1))


def term_url(org):
    return reverse("orgs:term_create", args=[org.code])


def seat_url(term):
    return reverse("orgs:seat_assign", args=[term.organization.code, term.pk])


def end_url(seat):
    return reverse("orgs:seat_end", args=[seat.term.organization.code, seat.pk])


TERM_DATA = {"name": "2025–2030", "starts_on": "01/07/2025", "ends_on": "", "congress_number": "IX"}


def test_an_upper_official_adds_a_term(client, cast, term):
    client.force_login(cast.upper)
    assert client.get(term_url(cast.tree.finance)).status_code == 200
    response = client.post(term_url(cast.tree.finance), TERM_DATA)
    assert response.status_code == 302
    new = Term.objects.get(organization=cast.tree.finance, name="2025–2030")
    assert new.starts_on == dt.date(2025, 7, 1)
    assert new.congress_number == "IX"
    assert new.history.get().history_user == cast.upper


def test_an_overlapping_term_is_refused_with_the_input_kept(client, cast, term):
    client.force_login(cast.upper)
    response = client.post(term_url(cast.tree.finance), {**TERM_DATA, "starts_on": "01/01/2024"})
    assert response.status_code == 200
    assert "trùng thời gian" in response.context["form"].errors["starts_on"][0]
    assert 'value="2025–2030"' in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "member", "cell", "base"])
def test_users_who_may_not_restructure_cannot_edit_the_committee(client, cast, term, seat, who):
    org = cast.tree.office_cell if who in ("member", "cell") else cast.tree.finance
    client.force_login(getattr(cast, who))
    assert client.get(term_url(org)).status_code == 403
    assert client.post(term_url(org), TERM_DATA).status_code == 403
    if org == cast.tree.finance:
        assert client.post(seat_url(term), {}).status_code == 403
        assert client.post(end_url(seat), {"ended_on": "01/01/2023"}).status_code == 403
    assert not Term.objects.filter(name="2025–2030").exists()


def test_an_outsider_gets_not_found(client, cast, term, seat):
    client.force_login(cast.outsider)
    assert client.get(term_url(cast.tree.finance)).status_code == 404
    assert client.get(seat_url(term)).status_code == 404
    assert client.post(end_url(seat), {"ended_on": "01/01/2023"}).status_code == 404


def test_a_term_of_another_organization_is_not_found_under_this_one(client, cast, term):
    client.force_login(cast.upper)
    wrong = reverse("orgs:seat_assign", args=[cast.tree.newspaper.code, term.pk])
    assert client.get(wrong).status_code == 404


def test_recording_a_seat_and_showing_it_on_the_page(client, cast, term):
    client.force_login(cast.upper)
    data = {"role": "deputy", "holder_name": "Lý Thị Hoa", "started_on": "15/09/2020", "decision_no": "QĐ-21"}
    response = client.post(seat_url(term), data)
    assert response.status_code == 302
    seat = CommitteeSeat.objects.get(holder_name="Lý Thị Hoa")
    assert seat.role == SeatRole.DEPUTY
    assert seat.history.get().history_user == cast.upper
    page = client.get(response["Location"]).content.decode()
    assert "Phó Bí thư" in page
    assert "15/09/2020 – …" in page


def test_a_second_secretary_at_the_same_time_is_refused(client, cast, term, seat):
    client.force_login(cast.upper)
    data = {"role": "secretary", "holder_name": "Ngô Văn Hải", "started_on": "01/01/2022"}
    response = client.post(seat_url(term), data)
    assert response.status_code == 200
    assert response.context["form"].errors["role"] == ["Trong thời gian này đã có Bí thư: Trần Văn Bình."]
    assert not CommitteeSeat.objects.filter(holder_name="Ngô Văn Hải").exists()


def test_ending_a_seat(client, cast, seat):
    client.force_login(cast.upper)
    assert client.get(end_url(seat)).status_code == 200
    response = client.post(end_url(seat), {"ended_on": "28/02/2023"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == dt.date(2023, 2, 28)
    assert seat.history.latest("history_date").history_user == cast.upper


def test_a_seat_cannot_end_before_it_started(client, cast, seat):
    client.force_login(cast.upper)
    response = client.post(end_url(seat), {"ended_on": "01/01/2019"})
    assert response.status_code == 200
    assert response.context["form"].errors["ended_on"] == ["Ngày kết thúc phải từ ngày bắt đầu trở đi."]
