"""Personal data does not leak sideways: the change history hides the CCCD and phone from
those who see "(ẩn)" in the fields, and the form to add a member does not tell who holds a
CCCD outside the user's scope."""

import pytest
from django.urls import reverse

from accounts.models import Board, Role
from accounts.testing import make_user
from members.models import Member
from members.services import member_update
from members.testing import add_member

OLD_CCCD = "024080001234"
NEW_CCCD = "024080005678"
OLD_PHONE = "0912345678"
NEW_PHONE = "0987654321"


@pytest.fixture
def corrected(cast):
    member = add_member(cast.tree.office_cell, given_name="Đức", national_id=OLD_CCCD, phone=OLD_PHONE)
    member_update(member=member, national_id=NEW_CCCD, phone=NEW_PHONE, user=cast.base)
    return member


def detail(client, user, member):
    client.force_login(user)
    response = client.get(reverse("members:member_detail", args=[member.pk]))
    assert response.status_code == 200
    return response


@pytest.fixture
def inspector(cast):
    """Upper-level staff of the inspection committee: reads the register, does not keep it."""
    return make_user("kiemtra", "Vũ Thị Kiểm", (cast.tree.bloc, Role.UPPER_STAFF, Board.INSPECTION))


@pytest.mark.parametrize("who", ["viewer", "inspector"])
def test_the_history_hides_cccd_and_phone_changes_from_readers_who_may_not_see_them(client, cast, corrected, inspector, who):
    reader = inspector if who == "inspector" else cast.viewer
    response = detail(client, reader, corrected)
    assert "(ẩn)" in response.content.decode()
    page = response.content.decode()
    for value in (OLD_CCCD, NEW_CCCD, OLD_PHONE, NEW_PHONE):
        assert value not in page
    hidden = [c for entry in response.context["history"] for c in entry.changes if c.field in ("national_id", "phone")]
    assert {c.field for c in hidden} == {"national_id", "phone"}
    assert all((c.old, c.new) == ("(ẩn)", "(ẩn)") for c in hidden)


def test_the_history_shows_cccd_and_phone_changes_to_a_keeper_of_the_register(client, cast, corrected):
    response = detail(client, cast.cell, corrected)
    changes = {c.field: (c.old, c.new) for entry in response.context["history"] for c in entry.changes}
    assert changes["national_id"] == (OLD_CCCD, NEW_CCCD)
    assert changes["phone"] == (OLD_PHONE, NEW_PHONE)


def test_a_member_sees_the_cccd_changes_of_their_own_record(client, cast, corrected):
    Member.objects.filter(pk=corrected.pk).update(user=cast.member)
    page = detail(client, cast.member, corrected).content.decode()
    assert NEW_CCCD in page and OLD_CCCD in page


def new_member_data(cast, national_id):
    return {
        "family_name": "Hoàng",
        "middle_name": "Thị",
        "given_name": "Mai",
        "sex": "F",
        "birth_date": "12/06/1995",
        "admitted_on": "20/01/2021",
        "full_member_on": "20/01/2022",
        "organization": cast.tree.office_cell.pk,
        "national_id": national_id,
    }


def add_with_cccd(client, user, cast, national_id):
    client.force_login(user)
    response = client.post(reverse("members:member_create_preview"), new_member_data(cast, national_id))
    assert response.status_code == 200
    return response


def test_adding_a_member_with_a_cccd_held_outside_the_scope_does_not_name_its_holder(client, cast):
    add_member(cast.tree.newspaper, family_name="Bí", middle_name="Mật", given_name="Người", national_id=NEW_CCCD)
    response = add_with_cccd(client, cast.cell, cast, NEW_CCCD)
    errors = response.context["form"].errors["national_id"]
    assert errors == [f"Số CCCD {NEW_CCCD} đã có trong hồ sơ đảng viên."]
    assert "Bí Mật Người" not in response.content.decode()
    assert Member.objects.filter(national_id=NEW_CCCD).count() == 1


def test_adding_a_member_with_a_cccd_held_inside_the_scope_names_its_holder(client, cast):
    add_member(cast.tree.office_cell, family_name="Trần", middle_name="Văn", given_name="Tuấn", national_id=NEW_CCCD)
    response = add_with_cccd(client, cast.cell, cast, NEW_CCCD)
    assert response.context["form"].errors["national_id"] == [f"Số CCCD {NEW_CCCD} đã có trong hồ sơ đảng viên Trần Văn Tuấn."]
