"""The bulk transfer of the member list: checked members → one cell, previewed, saved in one transaction."""

import datetime as dt

import pytest
from django.urls import reverse

from lib.dates import format_date
from members.models import CellMembership, Member, Transfer, TransferKind
from members.tests._people import add_people

ON = dt.date.today() - dt.timedelta(days=3)


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def data(cast, *members, **extra):
    return {
        "members": [str(m.pk) for m in members],
        "to_organization": str(cast.tree.budget_cell.pk),
        "transferred_on": format_date(ON),
        "reason": "Sắp xếp lại chi bộ",
        **extra,
    }


def test_the_list_has_a_checkbox_on_each_member_whose_register_the_user_keeps(client, cast, people):
    client.force_login(cast.cell)
    page = client.get(reverse("members:member_list")).content.decode()
    assert f'name="member" value="{people.duc.pk}"' in page
    assert 'data-testid="bulk-transfer"' in page
    client.force_login(cast.viewer)
    page = client.get(reverse("members:member_list")).content.decode()
    assert 'name="member"' not in page
    assert 'data-testid="bulk-transfer"' not in page


def test_the_form_offers_only_the_checked_members_the_user_keeps(client, cast, people):
    client.force_login(cast.cell)
    url = reverse("members:member_bulk_transfer") + f"?member={people.duc.pk}&member={people.binh.pk}"
    form = client.get(url).context["form"]
    assert list(form.fields["members"].queryset) == [people.duc]
    assert list(form.fields["to_organization"].queryset) == [cast.tree.office_cell]


def test_the_preview_lists_each_move_and_saves_nothing(client, cast, people):
    client.force_login(cast.base)
    response = client.post(reverse("members:member_bulk_transfer_preview"), data(cast, people.duc, people.an))
    assert response.status_code == 200
    effects = " ".join(response.context["result"].effects)
    assert people.duc.full_name in effects and people.an.full_name in effects
    assert Member.objects.get(pk=people.duc.pk).organization == cast.tree.office_cell
    assert not Transfer.objects.exists()


def test_saving_moves_every_checked_member_with_a_transfer_and_history_each(client, cast, people):
    client.force_login(cast.base)
    response = client.post(reverse("members:member_bulk_transfer_save"), data(cast, people.duc, people.an))
    assert response.status_code == 302
    for member in (people.duc, people.an):
        member.refresh_from_db()
        assert member.organization == cast.tree.budget_cell
        transfer = Transfer.objects.get(member=member)
        assert (transfer.kind, transfer.presented_on, transfer.note) == (TransferKind.WITHIN, ON, "Sắp xếp lại chi bộ")
        assert CellMembership.objects.get(member=member, organization=cast.tree.budget_cell).started_on == ON
        assert "Chi bộ Ngân sách" in member.history.latest().history_change_reason


def test_one_refused_member_saves_nobody_and_is_named(client, cast, people):
    client.force_login(cast.base)
    # Hoa is already in the budget cell: her move is refused, so Đức's is not saved either.
    response = client.post(reverse("members:member_bulk_transfer_save"), data(cast, people.duc, people.hoa))
    assert response.status_code == 400
    assert people.hoa.full_name in " ".join(response.context["form"].non_field_errors())
    assert Member.objects.get(pk=people.duc.pk).organization == cast.tree.office_cell
    assert not Transfer.objects.exists()


def test_a_destination_outside_the_write_scope_is_refused(client, cast, people):
    client.force_login(cast.cell)
    response = client.post(reverse("members:member_bulk_transfer_save"), data(cast, people.duc))
    assert response.status_code == 400
    assert "to_organization" in response.context["form"].errors
    assert not Transfer.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_read_only_users_are_refused(client, cast, people, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("members:member_bulk_transfer") + f"?member={people.duc.pk}").status_code == 403
    assert client.post(reverse("members:member_bulk_transfer_save"), data(cast, people.duc)).status_code == 403
    assert not Transfer.objects.exists()


def test_get_is_refused_on_preview_and_save(client, cast):
    client.force_login(cast.base)
    assert client.get(reverse("members:member_bulk_transfer_preview")).status_code == 405
    assert client.get(reverse("members:member_bulk_transfer_save")).status_code == 405
