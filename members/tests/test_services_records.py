import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from members.models import CellMembership, Ethnicity, Member, Religion, Status
from members.services import member_create, member_update
from members.testing import add_member

D = dt.date


def create(tree, **kwargs):
    data = {
        "organization": tree.office_cell,
        "family_name": "Trần",
        "middle_name": "Thị",
        "given_name": "Lan",
        "sex": "F",
        "birth_date": D(1990, 7, 15),
        "admitted_on": D(2015, 6, 1),
    }
    data.update(kwargs)
    return member_create(**data)


def test_creating_a_member_writes_the_record_its_status_history_and_its_cell(tree):
    kinh = Ethnicity.objects.get(name="Kinh")
    result = create(tree, full_member_on=D(2016, 6, 1), ethnicity=kinh, religion=Religion.objects.get(code="khong"))
    member = result.member
    assert member.status == Status.FULL and member.status_since == D(2016, 6, 1)
    assert [(c.status, c.effective_on) for c in member.status_changes.all()] == [
        (Status.PROBATIONARY, D(2015, 6, 1)),
        (Status.FULL, D(2016, 6, 1)),
    ]
    assert list(member.memberships.values_list("organization", "kind", "ended_on")) == [(tree.office_cell.pk, "permanent", None)]
    assert member.history.count() == 1 and member.history.first().history_change_reason == "Tạo hồ sơ"
    assert "Trần Thị Lan" in result.effects[0]


def test_the_lists_are_loaded_with_the_54_ethnic_groups(db):
    assert Ethnicity.objects.count() == 54
    assert list(Ethnicity.objects.values_list("name", flat=True)[:3]) == ["Kinh", "Tày", "Thái"]


def test_a_national_id_must_have_twelve_digits(tree):
    with pytest.raises(ValidationError, match="đúng 12 chữ số"):
        create(tree, national_id="03519000123")
    with pytest.raises(ValidationError, match="đúng 12 chữ số"):
        create(tree, national_id="0351900012X4")


def test_a_national_id_is_unique(tree):
    create(tree, national_id="035190001234")
    with pytest.raises(ValidationError, match="đã có trong hồ sơ đảng viên") as refused:
        create(tree, given_name="Mai", national_id="035190001234")
    # Without a reader whose scope holds the record, the holder is not named (no oracle).
    assert "Trần Thị Lan" not in str(refused.value)


def test_national_id_digits_that_do_not_match_sex_or_year_only_warn(tree):
    result = create(tree, national_id="035085001234")  # male, 1985: the member is a woman born in 1990
    assert len(result.warnings) == 2 and result.member.pk


def test_admission_at_17_years_11_months_is_refused(tree):
    with pytest.raises(ValidationError, match=r"phải đủ 18 tuổi.*17 tuổi 11 tháng"):
        create(tree, birth_date=D(1997, 7, 15), admitted_on=D(2015, 6, 15))


def test_admission_on_the_18th_birthday_is_accepted(tree):
    assert create(tree, birth_date=D(1997, 6, 15), admitted_on=D(2015, 6, 15)).member.pk


def test_full_membership_11_months_after_admission_is_refused(tree):
    with pytest.raises(ValidationError, match=r"đủ 12 tháng dự bị.*mới được 11 tháng"):
        create(tree, full_member_on=D(2016, 5, 31))


def test_full_membership_12_months_after_admission_is_accepted(tree):
    assert create(tree, full_member_on=D(2016, 6, 1)).member.full_member_on == D(2016, 6, 1)


@pytest.mark.parametrize("field", ["birth_date", "admitted_on", "full_member_on"])
def test_dates_in_the_future_are_refused(tree, field):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="không được sau ngày hôm nay"):
        create(tree, **{field: tomorrow})


def test_a_member_belongs_to_a_cell_not_to_a_committee(tree):
    with pytest.raises(ValidationError, match="không phải chi bộ"):
        create(tree, organization=tree.finance)


def test_a_base_cell_takes_members(tree):
    assert create(tree, organization=tree.newspaper).member.organization == tree.newspaper


def test_the_database_refuses_a_second_open_permanent_cell(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(IntegrityError):
        CellMembership.objects.create(member=member, organization=tree.budget_cell, started_on=D(2020, 1, 1))


def test_update_corrects_the_record_and_moves_the_admission_in_the_history(tree):
    member = add_member(tree.office_cell, admitted_on=D(2012, 3, 15), full_member_on=D(2013, 3, 15))
    result = member_update(member=member, admitted_on=D(2012, 3, 10), phone="0912345678")
    member.refresh_from_db()
    assert member.admitted_on == D(2012, 3, 10) and member.phone == "0912345678"
    assert member.status_changes.order_by("effective_on").first().effective_on == D(2012, 3, 10)
    assert member.history.first().history_change_reason == "Cập nhật hồ sơ"
    assert "ngày vào Đảng" in result.effects[0]


def test_update_refuses_a_full_membership_date_too_early(tree):
    member = add_member(tree.office_cell, admitted_on=D(2012, 3, 15), full_member_on=D(2013, 3, 15))
    with pytest.raises(ValidationError, match="đủ 12 tháng dự bị"):
        member_update(member=member, full_member_on=D(2013, 3, 14))


def test_update_refuses_fields_that_have_their_own_service(tree):
    member = add_member(tree.office_cell)
    with pytest.raises(ValidationError, match="Không thể sửa trực tiếp: organization, status"):
        member_update(member=member, status=Status.DECEASED, organization=tree.budget_cell)


def test_create_takes_the_professional_education_as_written(tree):
    member = create(tree, professional_education_text="Cử nhân Kinh tế").member
    assert Member.objects.get(pk=member.pk).professional_education_text == "Cử nhân Kinh tế"


def test_update_corrects_the_professional_education_as_written_with_its_history(cast):
    from members.pages_support import history_entries

    member = add_member(cast.tree.office_cell, professional_education_text="Kỹ sư Xây dựng")
    result = member_update(member=member, professional_education_text="Cử nhân Kinh tế", user=cast.base)
    assert result.effects == ["Cập nhật chuyên môn, nghiệp vụ (ghi đầy đủ) của Nguyễn Văn An."]
    assert Member.objects.get(pk=member.pk).professional_education_text == "Cử nhân Kinh tế"
    latest = history_entries(member, cast.base)[0]
    assert latest.reason == "Cập nhật hồ sơ"
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("professional_education_text", "Kỹ sư Xây dựng", "Cử nhân Kinh tế")
    ]


def test_derived_values_are_computed_from_the_record(tree):
    member = add_member(tree.office_cell, birth_date=D(1994, 12, 31), admitted_on=D(2015, 6, 1))
    assert member.age(D(2025, 12, 30)) == 30 and member.is_youth(D(2025, 12, 30))
    assert member.party_age(D(2025, 6, 1)) == 10
    assert member.next_badge().due_on == D(2045, 6, 1)
    assert Member.objects.youth(D(2025, 12, 30)).filter(pk=member.pk).exists()
    assert not Member.objects.youth(D(2025, 12, 31)).filter(pk=member.pk).exists()
    assert Member.objects.party_age_at_least(10, D(2025, 6, 1)).filter(pk=member.pk).exists()
    assert not Member.objects.party_age_at_least(10, D(2025, 5, 31)).filter(pk=member.pk).exists()


def test_history_rows_are_read_through_the_member_scope(cast):
    from members.models import StatusChange, Transfer
    from members.services import member_transfer_within

    tree = cast.tree
    inside = add_member(tree.office_cell, given_name="Trong")
    outside = add_member(tree.newspaper, given_name="Ngoai")
    member_transfer_within(member=outside, to_organization=tree.budget_cell, cause_on=D(2025, 1, 10))
    visible = set(StatusChange.objects.for_user(cast.base).values_list("member", flat=True))
    assert inside.pk in visible and outside.pk not in visible
    # The receiving committee sees the transfer coming into its cell; an outsider sees nothing.
    assert Transfer.objects.for_user(cast.base).count() == 1
    assert Transfer.objects.for_user(cast.outsider).count() == 0
