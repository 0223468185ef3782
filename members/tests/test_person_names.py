"""Names are validated as names by the member forms, the services (behind the API) and the import."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.importing import members_parse
from members.models import Member
from members.services import member_create, member_update
from members.tests._people import add_people
from members.tests.import_files import person, xlsx

BAD_NAMES = ["<script>alert(1)</script>", "123 Thị !!!"]


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_the_add_form_refuses_a_name_that_is_not_a_name(client, cast, bad):
    client.force_login(cast.cell)
    data = {
        "family_name": "Hoàng",
        "given_name": bad,
        "sex": "F",
        "birth_date": "12/06/1995",
        "admitted_on": "20/01/2021",
        "organization": cast.tree.office_cell.pk,
    }
    response = client.post(reverse("members:member_create_save"), data)
    assert "chữ cái" in " ".join(response.context["form"].errors["given_name"])
    assert not Member.objects.exists()


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_the_services_refuse_a_name_that_is_not_a_name(tree, bad):
    with pytest.raises(ValidationError) as exc_info:
        member_create(
            family_name=bad,
            given_name="Lan",
            sex="F",
            birth_date=dt.date(1990, 1, 1),
            organization=tree.office_cell,
            admitted_on=dt.date(2015, 1, 1),
        )
    assert "family_name" in exc_info.value.message_dict
    people = add_people(tree)
    with pytest.raises(ValidationError) as exc_info:
        member_update(member=people.duc, middle_name=bad)
    assert "middle_name" in exc_info.value.message_dict
    assert Member.objects.get(pk=people.duc.pk).middle_name == "Văn"


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_the_import_refuses_a_name_that_is_not_a_name(cast, bad):
    result = members_parse(xlsx([person(1), person(2, **{"Tên": bad})]), "ds.xlsx", user=cast.upper)
    assert not result.ok
    assert any(m.startswith("Dòng 3, cột Tên:") and "chữ cái" in m for m in result.messages())
