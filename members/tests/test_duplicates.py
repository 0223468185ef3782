"""Likely duplicates: identity by folded name and date of birth, the hometown's weight, the
pairs of a scope, and the merge of two records (members.duplicates, members.services_merge)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from discipline.models import Discipline
from members import duplicates
from members.duplicates import Person, Strength, compare, identity_key, same_hometown
from members.models import BadgeAward, CellMembership, DuplicateDismissal, Member, MemberMerge, Status, StatusChange
from members.pages_support import history_entries
from members.selectors import member_statistics
from members.services import badge_award, member_change_status
from members.services_merge import duplicate_dismiss, member_merge
from members.testing import add_member
from reviews.models import MemberReview
from reviews.testing import open_round

BORN = dt.date(1980, 2, 1)


def duc(org, **kwargs):
    return add_member(org, family_name="Nguyễn", middle_name="Văn", given_name="Đức", birth_date=BORN, **kwargs)


def duc_upper(org, **kwargs):
    return add_member(org, family_name="NGUYEN", middle_name="VAN", given_name="DUC", birth_date=BORN, **kwargs)


# --- identity -----------------------------------------------------------------------------


def test_the_identity_key_is_the_folded_name_and_the_iso_date():
    assert identity_key("Nguyễn", "Văn", "Đức", BORN) == "nguyen van duc|1980-02-01"
    assert identity_key("NGUYEN", "VAN", "DUC", BORN) == identity_key("Nguyễn", "Văn", "Đức", BORN)
    assert identity_key("Nguyễn", "Văn", "Đức", None) == ""


def test_a_name_with_and_without_diacritics_and_the_same_birth_date_is_likely_the_same_person():
    match = compare(Person("Nguyễn", "Văn", "Đức", BORN), Person("NGUYEN", "VAN", "DUC", BORN))
    assert match is not None
    assert match.strength == Strength.LIKELY
    assert match.label == "rất có thể"


def test_another_birth_date_is_another_person():
    assert compare(Person("Nguyễn", "Văn", "Đức", BORN), Person("Nguyễn", "Văn", "Đức", dt.date(1980, 2, 2))) is None


def test_the_same_hometown_makes_it_almost_certain_and_another_makes_it_only_possible():
    a = Person("Nguyễn", "Văn", "Đức", BORN, hometown="Xã Yên Phong, huyện Yên Phong, tỉnh Bắc Ninh")
    same = Person("NGUYEN", "VAN", "DUC", BORN, hometown="Yên Phong, Bắc Ninh")
    other = Person("NGUYEN", "VAN", "DUC", BORN, hometown="Thanh Hóa")
    assert compare(a, same).strength == Strength.ALMOST_CERTAIN  # type: ignore[union-attr]
    assert compare(a, same).label == "gần như chắc chắn"  # type: ignore[union-attr]
    assert compare(a, other).strength == Strength.POSSIBLE  # type: ignore[union-attr]
    assert compare(a, other).label == "có thể"  # type: ignore[union-attr]
    assert same_hometown("TP. Bắc Giang", "thành phố Bắc Giang") is True
    assert same_hometown("Hà Nội", "Hà Nam") is False
    assert same_hometown("", "Hà Nam") is None


def test_two_different_cccds_are_two_people_whatever_the_names():
    a = Person("Nguyễn", "Văn", "Đức", BORN, national_id="024180000001")
    b = Person("NGUYEN", "VAN", "DUC", BORN, national_id="024180000002")
    assert compare(a, b) is None
    assert compare(a, Person("Lê", "", "Hà", BORN, national_id="024180000001")).strength == Strength.ALMOST_CERTAIN  # type: ignore[union-attr]


# --- the pairs of a scope -----------------------------------------------------------------


def test_the_page_pairs_the_two_records_of_nguyen_van_duc_once(cast):
    first, second = duc(cast.tree.office_cell), duc_upper(cast.tree.office_cell)
    add_member(cast.tree.office_cell, family_name="Nguyễn", middle_name="Văn", given_name="Đức", birth_date=dt.date(1990, 1, 1))
    pairs = duplicates.likely_duplicates_in_scope(cast.cell)
    assert [(p.first.pk, p.second.pk) for p in pairs] == [(first.pk, second.pk)]
    assert pairs[0].can_merge is True
    assert pairs[0].match.strength == Strength.LIKELY


def test_a_dismissed_pair_leaves_the_page(cast):
    first, second = duc(cast.tree.office_cell), duc_upper(cast.tree.office_cell)
    duplicate_dismiss(first=second, second=first, user=cast.cell, reason="Hai người trùng tên, khác quê")
    assert DuplicateDismissal.objects.get().first_id == first.pk
    assert duplicates.likely_duplicates_in_scope(cast.cell) == []


def test_a_reader_who_keeps_no_register_cannot_dismiss(cast):
    first, second = duc(cast.tree.office_cell), duc_upper(cast.tree.office_cell)
    with pytest.raises(PermissionDenied):
        duplicate_dismiss(first=first, second=second, user=cast.viewer)


def test_the_form_finds_the_member_on_record_typed_without_diacritics(cast):
    on_record = duc(cast.tree.office_cell, hometown="Bắc Ninh")
    found = duplicates.candidates_for("NGUYEN", "VAN", "DUC", BORN, "bac ninh", cast.cell)
    assert [c.member.pk for c in found] == [on_record.pk]
    assert found[0].match.strength == Strength.ALMOST_CERTAIN
    assert duplicates.candidates_for("NGUYEN", "VAN", "DUC", BORN, "", cast.outsider) == []  # outside their scope


# --- the merge ----------------------------------------------------------------------------


ELDER = dt.date(1955, 2, 1)


@pytest.fixture
def pair(cast):
    """Two records of one person in the office cell: the first kept, the second with details
    the first lacks, a party badge and a discipline decision."""
    common = {"family_name": "Nguyễn", "middle_name": "Văn", "given_name": "Đức", "birth_date": ELDER}
    keep = add_member(cast.tree.office_cell, **common, admitted_on=dt.date(1985, 3, 1), hometown="")
    upper = {**common, "family_name": "NGUYEN", "middle_name": "VAN", "given_name": "DUC"}
    drop = add_member(
        cast.tree.office_cell,
        **upper,
        admitted_on=dt.date(1985, 3, 1),
        hometown="Yên Phong, Bắc Ninh",
        job="Kế toán",
        card_number="TH-0009",
    )
    badge_award(member=drop, years=30, awarded_on=dt.date(2015, 9, 2), decision_no="QĐ-HH30")
    Discipline.objects.create(member=drop, form="reprimand", decided_on=dt.date(2023, 5, 4), decision_number="QĐ-KL-1")
    return keep, drop


def test_the_merge_moves_the_rows_fills_the_blanks_and_deletes_the_dropped_record(cast, pair):
    keep, drop = pair
    in_party_before = Member.objects.in_party().count()
    keep_status_rows = StatusChange.objects.filter(member=keep).count()
    result = member_merge(keep=keep, drop=drop, user=cast.cell, reason="Nhập trùng từ tệp danh sách năm 2024")
    keep.refresh_from_db()
    assert not Member.objects.filter(pk=drop.pk).exists()
    assert Member.objects.in_party().count() == in_party_before - 1
    # Filled from the dropped record; the kept record's own values stay.
    assert (keep.hometown, keep.job, keep.card_number) == ("Yên Phong, Bắc Ninh", "Kế toán", "TH-0009")
    assert keep.family_name == "Nguyễn"
    # Dated rows moved, the repeated ones (same status on the same date, same cell from the same day) not.
    assert list(BadgeAward.objects.filter(member=keep).values_list("years", flat=True)) == [30]
    assert Discipline.objects.filter(member=keep).count() == 1
    assert StatusChange.objects.filter(member=keep).count() == keep_status_rows
    assert CellMembership.objects.filter(member=keep).count() == 1
    assert any("huy hiệu Đảng" in effect for effect in result.effects)
    merge = MemberMerge.objects.get()
    assert (merge.kept_id, merge.dropped_id, merge.merged_by_id) == (keep.pk, drop.pk, cast.cell.pk)
    assert merge.reason == "Nhập trùng từ tệp danh sách năm 2024"
    assert merge.dropped_data["họ"] == "NGUYEN"


def test_the_merge_fills_the_professional_education_as_written_only_where_the_kept_record_has_none(cast):
    keep = duc(cast.tree.office_cell)
    drop = duc_upper(cast.tree.office_cell, professional_education_text="Cử nhân Kinh tế")
    member_merge(keep=keep, drop=drop, user=cast.cell, reason="Trùng")
    assert Member.objects.get(pk=keep.pk).professional_education_text == "Cử nhân Kinh tế"

    own = duc(cast.tree.budget_cell, professional_education_text="Kỹ sư Xây dựng")
    other = duc_upper(cast.tree.budget_cell, professional_education_text="Cử nhân Luật")
    member_merge(keep=own, drop=other, user=cast.base, reason="Trùng")
    assert Member.objects.get(pk=own.pk).professional_education_text == "Kỹ sư Xây dựng"


def test_the_kept_members_page_reads_the_history_of_both_records_with_who_merged_and_why(cast, pair):
    keep, drop = pair
    member_merge(keep=keep, drop=drop, user=cast.cell, reason="Nhập trùng")
    entries = history_entries(Member.objects.get(pk=keep.pk), cast.cell)
    merged = [e for e in entries if "Gộp hồ sơ trùng" in e.reason and not e.subject]
    assert merged and merged[0].user == str(cast.cell)
    assert "Lý do: Nhập trùng" in merged[0].reason
    dropped = [e for e in entries if e.subject]
    assert {e.type for e in dropped} == {"created", "deleted"}
    assert all(f"mã {drop.pk}" in e.subject for e in dropped)
    assert dropped[0].user == str(cast.cell)  # the deletion: by whom it was merged


def test_statistics_count_the_merged_person_once(cast, pair):
    keep, drop = pair
    before = member_statistics(Member.objects.all(), on=dt.date.today(), organization=cast.tree.office_cell).total
    member_merge(keep=keep, drop=drop, user=cast.cell, reason="Nhập trùng")
    after = member_statistics(Member.objects.all(), on=dt.date.today(), organization=cast.tree.office_cell).total
    assert (before, after) == (2, 1)


def test_a_later_status_of_the_dropped_record_is_left_and_said(cast):
    keep = duc(cast.tree.office_cell)
    drop = duc_upper(cast.tree.office_cell)
    member_change_status(member=drop, status=Status.EXEMPT, effective_on=dt.date(2024, 1, 2))
    result = member_merge(keep=keep, drop=drop, user=cast.base, reason="Trùng")
    keep.refresh_from_db()
    assert keep.status == Status.FULL
    assert not StatusChange.objects.filter(member=keep, status=Status.EXEMPT).exists()
    assert any("sau trạng thái hiện tại" in effect for effect in result.effects)


def test_a_review_of_both_records_in_one_round_stops_the_merge_and_writes_nothing(cast, pair):
    keep, drop = pair
    open_round(cast.tree.bloc, 2025)
    assert MemberReview.objects.filter(member__in=[keep, drop]).count() == 2
    with pytest.raises(ValidationError) as caught:
        member_merge(keep=keep, drop=drop, user=cast.upper, reason="Trùng")
    assert "kiểm điểm đảng viên" in " ".join(caught.value.messages)
    assert Member.objects.filter(pk=drop.pk).exists()
    assert Discipline.objects.get().member_id == drop.pk
    assert not MemberMerge.objects.exists()


def test_a_review_of_the_dropped_record_alone_moves(cast):
    drop = duc_upper(cast.tree.office_cell)
    open_round(cast.tree.bloc, 2025)
    keep = duc(cast.tree.office_cell)
    member_merge(keep=keep, drop=drop, user=cast.upper, reason="Trùng")
    assert MemberReview.objects.get(member=keep).round.year == 2025


def test_merging_needs_the_register_of_both_cells(cast):
    keep = duc(cast.tree.office_cell)
    drop = duc_upper(cast.tree.budget_cell)
    with pytest.raises(PermissionDenied):
        member_merge(keep=keep, drop=drop, user=cast.cell, reason="Trùng")
    member_merge(keep=keep, drop=drop, user=cast.base, reason="Trùng")
    assert not Member.objects.filter(pk=drop.pk).exists()


def test_a_merge_needs_a_reason_and_refuses_two_cccds(cast):
    keep = duc(cast.tree.office_cell, national_id="024080000011")
    drop = duc_upper(cast.tree.office_cell, national_id="024080000012")
    with pytest.raises(ValidationError) as caught:
        member_merge(keep=keep, drop=drop, user=cast.cell, reason="  ")
    assert "lý do" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        member_merge(keep=keep, drop=drop, user=cast.cell, reason="Trùng")
    assert "số CCCD khác nhau" in " ".join(caught.value.messages)
    assert Member.objects.count() == 2
