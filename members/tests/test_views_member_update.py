"""The form that corrects a member's personal details: per role, preview, save, history."""

import pytest
from django.urls import reverse

from members.models import Member
from members.tests._people import add_people


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def url(member, step=""):
    return reverse(f"members:member_update{'_' + step if step else ''}", args=[member.pk])


def details(member, **changes):
    data = {
        "family_name": member.family_name,
        "middle_name": member.middle_name,
        "given_name": member.given_name,
        "sex": member.sex,
        "birth_date": member.birth_date.strftime("%d/%m/%Y"),
        "card_number": member.card_number or "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("who", ["admin", "upper", "base", "cell"])
def test_keepers_of_the_register_open_the_form_filled_with_the_record(client, cast, people, who):
    client.force_login(getattr(cast, who))
    response = client.get(url(people.duc))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["given_name"].value() == "Đức"
    assert form["card_number"].value() == "TH-0001"
    assert "national_id" in form.fields and "phone" in form.fields


def test_the_member_page_offers_the_form_to_keepers_only(client, cast, people):
    client.force_login(cast.cell)
    assert url(people.duc) in client.get(reverse("members:member_detail", args=[people.duc.pk])).content.decode()
    client.force_login(cast.viewer)
    assert url(people.duc) not in client.get(reverse("members:member_detail", args=[people.duc.pk])).content.decode()


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_read_only_users_are_refused(client, cast, people, who):
    user = getattr(cast, who)
    Member.objects.filter(pk=people.duc.pk).update(user=cast.member)  # the member: even their own record
    client.force_login(user)
    assert client.get(url(people.duc)).status_code == 403
    assert client.post(url(people.duc, "save"), details(people.duc, given_name="Đạt")).status_code == 403
    assert Member.objects.get(pk=people.duc.pk).given_name == "Đức"


def test_an_outsider_gets_404(client, cast, people):
    client.force_login(cast.outsider)
    assert client.get(url(people.duc)).status_code == 404
    assert client.post(url(people.duc, "save"), details(people.duc, given_name="Đạt")).status_code == 404


def test_the_preview_names_the_changed_fields_and_saves_nothing(client, cast, people):
    client.force_login(cast.cell)
    response = client.post(url(people.duc, "preview"), details(people.duc, given_name="Đạt", hometown="Bắc Giang"))
    effects = " ".join(response.context["result"].effects)
    assert "tên" in effects and "quê quán" in effects
    assert Member.objects.get(pk=people.duc.pk).given_name == "Đức"


def test_saving_corrects_the_record_and_writes_its_history(client, cast, people):
    client.force_login(cast.cell)
    response = client.post(url(people.duc, "save"), details(people.duc, given_name="Đạt", national_id="024080000123"))
    assert response.status_code == 302
    member = Member.objects.get(pk=people.duc.pk)
    assert (member.given_name, member.national_id) == ("Đạt", "024080000123")
    latest = member.history.latest()
    assert latest.history_change_reason == "Cập nhật hồ sơ"
    assert latest.history_user == cast.cell


def test_an_unchanged_form_changes_nothing(client, cast, people):
    client.force_login(cast.cell)
    before = people.duc.history.count()
    client.post(url(people.duc, "save"), details(people.duc))
    assert people.duc.history.count() == before


def test_a_cccd_held_by_another_member_is_refused_on_the_form(client, cast, people):
    Member.objects.filter(pk=people.an.pk).update(national_id="024080000123")
    client.force_login(cast.cell)
    response = client.post(url(people.duc, "save"), details(people.duc, national_id="024080000123"))
    assert response.context["form"].errors["national_id"]
    assert Member.objects.get(pk=people.duc.pk).national_id is None
