"""The action forms: form → preview (nothing saved) → save, for each change of the register."""

import datetime as dt

import pytest
from django.urls import reverse

from lib.dates import format_date
from members.models import BadgeAward, Member, MembershipKind, Status, Transfer, TransferKind, TransferStatus
from members.services import member_attach_temporarily, member_transfer_out, member_transfer_within
from members.testing import add_member
from members.tests._people import add_people

TODAY = dt.date.today()
D = format_date


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def url(action, *args, step=""):
    return reverse(f"members:{action}{'_' + step if step else ''}", args=[a.pk for a in args])


def reload(member):
    return Member.objects.get(pk=member.pk)


def new_member_data(cast, **extra):
    return {
        "family_name": "Hoàng",
        "middle_name": "Thị",
        "given_name": "Mai",
        "sex": "F",
        "birth_date": "12/06/1995",
        "admitted_on": "20/01/2021",
        "full_member_on": "20/01/2022",
        "organization": cast.tree.office_cell.pk,
        **extra,
    }


# --- who may open the forms ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "upper", "base", "cell"])
def test_keepers_of_the_register_open_the_status_form(client, cast, people, who):
    client.force_login(getattr(cast, who))
    response = client.get(url("member_status_change", people.duc))
    assert response.status_code == 200
    assert url("member_status_change", people.duc, step="preview") in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "member"])
@pytest.mark.parametrize(
    "action", ["member_status_change", "member_transfer_within", "member_transfer_out", "member_attach", "member_badge_award"]
)
def test_read_only_users_are_refused(client, cast, people, who, action):
    user = getattr(cast, who)
    if who == "member":
        Member.objects.filter(pk=people.duc.pk).update(user=user)  # even their own record
    client.force_login(user)
    assert client.get(url(action, people.duc)).status_code == 403
    assert client.post(url(action, people.duc, step="preview"), {}).status_code == 403
    assert client.post(url(action, people.duc, step="save"), {}).status_code == 403


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_read_only_users_may_not_add_members(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(url("member_create")).status_code == 403
    assert client.post(url("member_create", step="save"), new_member_data(cast)).status_code == 403


def test_an_outsider_gets_404_on_a_member_outside_their_scope(client, cast, people):
    client.force_login(cast.outsider)
    assert client.get(url("member_status_change", people.duc)).status_code == 404
    assert client.post(url("member_status_change", people.duc, step="save"), {}).status_code == 404


def test_a_cell_secretary_may_not_act_on_another_cell(client, cast, people):
    client.force_login(cast.cell)
    assert client.get(url("member_status_change", people.binh)).status_code == 404


@pytest.mark.parametrize("step", ["preview", "save"])
def test_get_is_refused_on_preview_and_save(client, cast, people, step):
    client.force_login(cast.base)
    assert client.get(url("member_status_change", people.duc, step=step)).status_code == 405
    assert client.get(url("member_create", step=step)).status_code == 405


# --- add a member --------------------------------------------------------------------------


def test_the_cell_choices_are_the_cells_the_user_keeps(client, cast):
    client.force_login(cast.cell)
    form = client.get(url("member_create")).context["form"]
    assert list(form.fields["organization"].queryset) == [cast.tree.office_cell]
    client.force_login(cast.base)
    form = client.get(url("member_create")).context["form"]
    assert set(form.fields["organization"].queryset) == {cast.tree.office_cell, cast.tree.budget_cell}


def test_the_preview_shows_the_effects_and_saves_nothing(client, cast):
    client.force_login(cast.cell)
    response = client.post(url("member_create", step="preview"), new_member_data(cast))
    assert response.status_code == 200
    effects = response.context["result"].effects
    assert any("Hoàng Thị Mai" in e and "Chi bộ Văn phòng" in e for e in effects)
    assert not Member.objects.filter(given_name="Mai").exists()
    page = response.content.decode()
    assert url("member_create", step="save") in page
    assert 'name="given_name" value="Mai"' in page  # hidden fields carry the input to the save


def test_saving_a_new_member_writes_the_record_and_its_history(client, cast):
    client.force_login(cast.cell)
    response = client.post(url("member_create", step="save"), new_member_data(cast))
    member = Member.objects.get(given_name="Mai")
    assert response.status_code == 302
    assert response["Location"] == url("member_detail", member)
    assert member.status == Status.FULL
    assert member.organization == cast.tree.office_cell
    record = member.history.latest()
    assert record.history_user == cast.cell


def test_a_cell_outside_the_write_scope_is_refused_by_the_form(client, cast):
    client.force_login(cast.cell)
    response = client.post(url("member_create", step="save"), new_member_data(cast, organization=cast.tree.budget_cell.pk))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Member.objects.filter(given_name="Mai").exists()


def test_a_service_error_appears_on_the_form_with_the_input_kept(client, cast):
    client.force_login(cast.cell)
    # Admitted at 15: Điều lệ Đảng, Điều 4 needs 18 years.
    data = new_member_data(cast, admitted_on="20/01/2010", full_member_on="")
    response = client.post(url("member_create", step="preview"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "admitted_on" in form.errors
    assert response.context["result"] is None
    assert 'value="20/01/2010"' in response.content.decode()


def test_a_new_member_is_saved_with_the_professional_education_as_written(client, cast):
    client.force_login(cast.cell)
    form = client.get(url("member_create")).context["form"]
    names = list(form.fields)
    assert names[names.index("professional_education") + 1] == "professional_education_text"
    data = new_member_data(cast, professional_education_text="Cử nhân Kinh tế")
    preview = client.post(url("member_create", step="preview"), data)
    assert 'name="professional_education_text" value="Cử nhân Kinh tế"' in preview.content.decode()  # carried to the save
    response = client.post(url("member_create", step="save"), data)
    assert response.status_code == 302
    member = Member.objects.get(given_name="Mai")
    assert member.professional_education_text == "Cử nhân Kinh tế"
    assert member.history.earliest().professional_education_text == "Cử nhân Kinh tế"


def test_a_new_member_with_a_professional_education_longer_than_255_characters_is_refused(client, cast):
    client.force_login(cast.cell)
    too_long = "x" * 256
    response = client.post(url("member_create", step="save"), new_member_data(cast, professional_education_text=too_long))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["professional_education_text"] == ["Giá trị này chỉ có tối đa 255 kí tự (hiện có 256)"]
    assert form["professional_education_text"].value() == too_long
    assert not Member.objects.filter(given_name="Mai").exists()


# --- status --------------------------------------------------------------------------------


def test_changing_the_status_previews_then_saves(client, cast, people):
    client.force_login(cast.base)
    data = {"status": Status.EXEMPT, "effective_on": D(TODAY), "decision_no": "QĐ-15"}
    preview = client.post(url("member_status_change", people.duc, step="preview"), data)
    assert "Miễn sinh hoạt" in " ".join(preview.context["result"].effects)
    assert reload(people.duc).status == Status.FULL
    response = client.post(url("member_status_change", people.duc, step="save"), data)
    assert response.status_code == 302
    duc = reload(people.duc)
    assert duc.status == Status.EXEMPT
    assert duc.status_changes.last().decision_no == "QĐ-15"
    assert duc.history.latest().history_user == cast.base


def test_a_refused_transition_stays_on_the_form_with_the_input_kept(client, cast):
    newcomer = add_member(cast.tree.office_cell, given_name="Tâm", admitted_on=TODAY - dt.timedelta(days=60), full_member_on=None)
    client.force_login(cast.base)
    # Twelve months of probation first (Điều lệ Đảng, Điều 5).
    data = {"status": Status.FULL, "effective_on": D(TODAY), "decision_no": "QĐ-77"}
    response = client.post(url("member_status_change", newcomer, step="save"), data)
    assert response.status_code == 200
    assert "effective_on" in response.context["form"].errors
    assert 'value="QĐ-77"' in response.content.decode()
    assert reload(newcomer).status == Status.PROBATIONARY


# --- movements -----------------------------------------------------------------------------


def test_a_transfer_within_the_system_moves_the_member(client, cast, people):
    client.force_login(cast.base)
    day = D(TODAY)
    data = {
        "to_organization": cast.tree.budget_cell.pk,
        "cause_on": day,
        "letter_on": day,
        "presented_on": day,
        "letter_no": "GGT-1",
    }
    preview = client.post(url("member_transfer_within", people.duc, step="preview"), data)
    assert "Chi bộ Ngân sách" in " ".join(preview.context["result"].effects)
    assert reload(people.duc).organization == cast.tree.office_cell
    client.post(url("member_transfer_within", people.duc, step="save"), data)
    duc = reload(people.duc)
    assert duc.organization == cast.tree.budget_cell
    assert duc.history.latest().history_user == cast.base


def test_an_open_transfer_gets_its_letter_then_completes(client, cast, people):
    result = member_transfer_within(member=people.duc, to_organization=cast.tree.budget_cell, cause_on=TODAY)
    transfer = result.transfer
    client.force_login(cast.base)
    client.post(url("transfer_issue_letter", people.duc, transfer, step="save"), {"letter_no": "GGT-2", "letter_on": D(TODAY)})
    transfer.refresh_from_db()
    assert transfer.letter_no == "GGT-2"
    assert transfer.present_deadline is not None
    response = client.post(url("transfer_complete", people.duc, transfer, step="save"), {"presented_on": D(TODAY)})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.COMPLETED
    assert reload(people.duc).organization == cast.tree.budget_cell


def test_an_open_transfer_can_be_cancelled(client, cast, people):
    transfer = member_transfer_within(member=people.duc, to_organization=cast.tree.budget_cell, cause_on=TODAY).transfer
    client.force_login(cast.base)
    client.post(url("transfer_cancel", people.duc, transfer, step="save"), {"note": "Không chuyển nữa"})
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED


def test_a_transfer_of_another_member_is_not_found(client, cast, people):
    transfer = member_transfer_within(member=people.duc, to_organization=cast.tree.budget_cell, cause_on=TODAY).transfer
    client.force_login(cast.base)
    assert client.get(url("transfer_complete", people.an, transfer)).status_code == 404


def test_a_transfer_out_ends_the_membership(client, cast, people):
    client.force_login(cast.cell)
    data = {"destination": "Đảng bộ tỉnh Bắc Ninh", "letter_no": "GGT-9", "letter_on": D(TODAY)}
    response = client.post(url("member_transfer_out", people.duc, step="save"), data)
    assert response.status_code == 302
    duc = reload(people.duc)
    assert duc.status == Status.TRANSFERRED_OUT
    assert Transfer.objects.get(member=duc, kind=TransferKind.OUT).outside_unit == "Đảng bộ tỉnh Bắc Ninh"


def test_a_member_transferred_out_can_be_received_back(client, cast, people):
    letter = TODAY - dt.timedelta(days=10)
    member_transfer_out(member=people.duc, destination="Đảng bộ tỉnh Bắc Ninh", letter_no="GGT-9", letter_on=letter)
    client.force_login(cast.cell)
    page = client.get(url("member_detail", people.duc)).content.decode()
    assert url("member_return", people.duc) in page
    data = {
        "to_organization": cast.tree.office_cell.pk,
        "origin": "Đảng bộ tỉnh Bắc Ninh",
        "letter_on": D(TODAY),
        "presented_on": D(TODAY),
    }
    response = client.post(url("member_return", people.duc, step="save"), data)
    assert response.status_code == 302
    assert reload(people.duc).status == Status.FULL


def test_a_member_from_outside_is_received_with_a_new_record(client, cast):
    client.force_login(cast.cell)
    data = new_member_data(
        cast, origin="Đảng bộ tỉnh Lạng Sơn", letter_on=D(TODAY), presented_on=D(TODAY), to_organization=cast.tree.office_cell.pk
    )
    response = client.post(url("member_transfer_in", step="save"), data)
    member = Member.objects.get(given_name="Mai")
    assert response["Location"] == url("member_detail", member)
    assert member.transfers.get().kind == TransferKind.IN


def test_a_temporary_attachment_and_its_end(client, cast, people):
    client.force_login(cast.base)
    start = TODAY - dt.timedelta(days=10)
    data = {
        "organization": cast.tree.budget_cell.pk,
        "reason": "work",
        "started_on": D(start),
        "ends_on": D(start + dt.timedelta(days=200)),
    }
    preview = client.post(url("member_attach", people.duc, step="preview"), data)
    assert preview.context["result"] is not None, preview.context["form"].errors
    client.post(url("member_attach", people.duc, step="save"), data)
    duc = reload(people.duc)
    assert duc.temporary_organization == cast.tree.budget_cell
    assert duc.memberships.filter(kind=MembershipKind.TEMPORARY, ended_on__isnull=True).exists()
    client.post(url("member_end_temporary", people.duc, step="save"), {"ended_on": D(TODAY)})
    assert reload(people.duc).temporary_organization is None


def test_the_end_of_an_attachment_is_offered_only_when_attached(client, cast, people):
    client.force_login(cast.base)
    assert url("member_end_temporary", people.duc) not in client.get(url("member_detail", people.duc)).content.decode()
    start = TODAY - dt.timedelta(days=5)
    member_attach_temporarily(
        member=people.duc, organization=cast.tree.budget_cell, started_on=start, ends_on=start + dt.timedelta(days=150)
    )
    assert url("member_end_temporary", people.duc) in client.get(url("member_detail", people.duc)).content.decode()


# --- badges --------------------------------------------------------------------------------


def test_a_badge_is_awarded_when_due(client, cast):
    veteran = add_member(
        cast.tree.office_cell, given_name="Thọ", birth_date=dt.date(1950, 1, 1), admitted_on=dt.date(1980, 1, 10)
    )
    client.force_login(cast.cell)
    form = client.get(url("member_badge_award", veteran)).context["form"]
    assert form.initial["years"] == 30
    response = client.post(url("member_badge_award", veteran, step="save"), {"years": 30, "awarded_on": D(TODAY)})
    assert response.status_code == 302
    assert BadgeAward.objects.get(member=veteran).years == 30


def test_a_badge_not_yet_due_is_refused_on_the_form(client, cast, people):
    client.force_login(cast.cell)
    response = client.post(url("member_badge_award", people.duc, step="preview"), {"years": 30, "awarded_on": D(TODAY)})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not BadgeAward.objects.exists()
