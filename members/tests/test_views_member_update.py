"""The form that corrects a member's personal details: per role, preview, save, history."""

import pytest
from django.urls import reverse

from members.models import Member
from members.services import member_update
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


# --- the professional education as written («Cử nhân Kinh tế») -------------------------------

AS_WRITTEN = "professional_education_text"


def history_changes(client, member):
    response = client.get(reverse("members:member_detail", args=[member.pk]))
    return [(c.label, c.old, c.new) for h in response.context["history"] for c in h.changes]


def test_the_form_offers_the_professional_education_as_written_right_after_its_level(client, cast, people):
    member_update(member=people.duc, professional_education_text="Kỹ sư Xây dựng", user=cast.base)
    client.force_login(cast.cell)
    response = client.get(url(people.duc))
    form = response.context["form"]
    names = list(form.fields)
    assert names[names.index("professional_education") + 1] == AS_WRITTEN
    assert form[AS_WRITTEN].value() == "Kỹ sư Xây dựng"
    assert not form.fields[AS_WRITTEN].required
    assert "Ghi đầy đủ như trong hồ sơ, ví dụ «Cử nhân Kinh tế»." in response.content.decode()


def test_a_keeper_corrects_the_professional_education_as_written_and_its_history_shows_before_and_after(client, cast, people):
    member_update(member=people.duc, professional_education_text="Kỹ sư Xây dựng", user=cast.base)
    client.force_login(cast.cell)
    preview = client.post(url(people.duc, "preview"), details(people.duc, **{AS_WRITTEN: "Cử nhân Kinh tế"}))
    assert "chuyên môn, nghiệp vụ (ghi đầy đủ)" in " ".join(preview.context["result"].effects)
    assert Member.objects.get(pk=people.duc.pk).professional_education_text == "Kỹ sư Xây dựng"

    response = client.post(url(people.duc, "save"), details(people.duc, **{AS_WRITTEN: " Cử nhân Kinh tế "}))
    assert response.status_code == 302
    member = Member.objects.get(pk=people.duc.pk)
    assert member.professional_education_text == "Cử nhân Kinh tế"
    latest = member.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("Cập nhật hồ sơ", cast.cell)
    assert ("Chuyên môn, nghiệp vụ (ghi đầy đủ)", "Kỹ sư Xây dựng", "Cử nhân Kinh tế") in history_changes(client, member)


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_read_only_users_may_not_change_the_professional_education_as_written(client, cast, people, who):
    user = getattr(cast, who)
    Member.objects.filter(pk=people.duc.pk).update(user=cast.member)  # the member: even their own record
    client.force_login(user)
    for step in ("preview", "save"):
        response = client.post(url(people.duc, step), details(people.duc, **{AS_WRITTEN: "Cử nhân Kinh tế"}))
        assert response.status_code == 403
    assert Member.objects.get(pk=people.duc.pk).professional_education_text == ""


def test_a_cell_secretary_may_not_change_it_for_a_member_of_another_cell(client, cast, people):
    client.force_login(cast.cell)
    response = client.post(url(people.binh, "save"), details(people.binh, **{AS_WRITTEN: "Cử nhân Kinh tế"}))
    assert response.status_code == 404
    assert Member.objects.get(pk=people.binh.pk).professional_education_text == ""


def test_a_professional_education_longer_than_255_characters_is_refused_in_vietnamese_and_kept_on_the_form(client, cast, people):
    too_long = "Cử nhân Kinh tế " + "x" * 240
    assert len(too_long) == 256
    client.force_login(cast.cell)
    before = people.duc.history.count()
    response = client.post(url(people.duc, "save"), details(people.duc, **{AS_WRITTEN: too_long}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[AS_WRITTEN] == ["Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)"]
    assert form[AS_WRITTEN].value() == too_long
    assert Member.objects.get(pk=people.duc.pk).professional_education_text == ""
    assert people.duc.history.count() == before


def test_a_form_with_another_error_keeps_the_professional_education_typed(client, cast, people):
    client.force_login(cast.cell)
    response = client.post(
        url(people.duc, "save"), details(people.duc, birth_date="31/02/1980", **{AS_WRITTEN: "Cử nhân Kinh tế"})
    )
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
    assert 'name="professional_education_text" value="Cử nhân Kinh tế"' in response.content.decode()
    assert Member.objects.get(pk=people.duc.pk).professional_education_text == ""
