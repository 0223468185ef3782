"""Targets measured and stated: the comparison edges, the seeds' arithmetic, the term and
its projection, allocations beside the resolution, hand-entered values and their history,
a definition changed after a measured year, and the drill-down."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from targets.models import Comparison, ManualValue, Period, Unit
from targets.services import allocation_set, manual_value_set, resolution_create, target_create, target_update
from targets.tracking import (
    allocations_summed,
    count_comparison,
    count_sentence,
    decimal_vi,
    definition_for,
    drill_down,
    is_met,
    rate_sentence,
    track,
)

ADMITTED = "kết nạp %(n)s đảng viên"


@pytest.fixture
def resolution(cast):
    return resolution_create(
        organization=cast.tree.bloc,
        term_name="2020–2025",
        start_year=2020,
        end_year=2025,
        congress_name="Đại hội Đảng bộ Khối các cơ quan tỉnh",
        congress_number="XV",
        user=cast.upper,
    )


# ---------------------------------------------------------------------------------------
# Comparison and sentences


@pytest.mark.parametrize(
    ("comparison", "met"),
    [(Comparison.GT, False), (Comparison.GE, True), (Comparison.EQ, True), (Comparison.LE, True), (Comparison.LT, False)],
)
def test_exactly_95_percent_meets_at_least_95_but_not_more_than_95(comparison, met):
    assert is_met(Decimal("95"), comparison, Decimal("95")) is met


def test_a_value_not_measured_is_neither_met_nor_missed():
    assert is_met(None, Comparison.GE, Decimal(95)) is None


def test_929_admitted_against_850_is_9_3_percent_above_and_against_917_allocated_1_3_percent_above():
    sentence = count_sentence(
        ADMITTED, Decimal(929), [(Decimal(850), "Nghị quyết"), (Decimal(917), "Ban Thường vụ Tỉnh ủy phân bổ")]
    )
    assert sentence == (
        "kết nạp 929 đảng viên, vượt 9,3% so với chỉ tiêu Nghị quyết, vượt 1,3% so với chỉ tiêu Ban Thường vụ Tỉnh ủy phân bổ"
    )


def test_1001_admitted_against_800_is_25_1_percent_above_which_seed_004_rounds_to_25():
    assert count_sentence(ADMITTED, Decimal(1001), [(Decimal(800), "")]) == "kết nạp 1.001 đảng viên, vượt 25,1% so với chỉ tiêu"


def test_a_count_below_its_target_reads_as_the_share_of_the_target_reached():
    assert count_sentence(ADMITTED, Decimal(780), [(Decimal(850), "")]) == "kết nạp 780 đảng viên, đạt 91,8% chỉ tiêu"
    assert count_comparison(Decimal(850), Decimal(850), "Nghị quyết") == "đạt chỉ tiêu Nghị quyết"


def test_432_youth_against_383_is_12_8_percent_above():
    assert count_comparison(Decimal(432), Decimal(383)) == "vượt 12,8% so với chỉ tiêu"


def test_a_rate_is_stated_in_percentage_points_of_its_target():
    assert rate_sentence(Decimal("96.2"), Decimal(95)) == "đạt 96,2%, vượt chỉ tiêu 1,2 điểm phần trăm"
    assert rate_sentence(Decimal("90.1"), Decimal(95)) == "đạt 90,1%, thấp hơn chỉ tiêu 4,9 điểm phần trăm"
    assert rate_sentence(Decimal("95"), Decimal(95)) == "đạt 95%, bằng chỉ tiêu"


def test_numbers_use_a_decimal_comma_a_thousands_dot_and_round_half_up():
    assert [decimal_vi(Decimal(x)) for x in ("9.25", "9.249", "25.0", "1001", "0.05")] == ["9,3", "9,2", "25", "1.001", "0,1"]


# ---------------------------------------------------------------------------------------
# Tracking


def test_a_term_admission_target_adds_up_the_years_and_projects_from_the_pace(cast, admissions, resolution):
    target = target_create(
        resolution=resolution,
        wording="Cuối nhiệm kỳ kết nạp hơn 4 đảng viên",
        indicator_code="members.admitted",
        comparison=Comparison.GT,
        threshold=Decimal(4),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    result = track(target, cast.tree.bloc, user=cast.upper, today=dt.date(2023, 12, 31))
    assert [(y.year, y.value) for y in result.years] == [(2020, 0), (2021, 1), (2022, 2), (2023, 3)]
    assert result.met is False
    # 3 admitted in 1461 of the term's 2192 days: 3 × 2192 / 1461 = 4,5 > 4
    assert result.projection.quantize(Decimal("0.01")) == Decimal("4.50")
    assert result.on_track is True
    assert result.to_date.sentence == "kết nạp 3 đảng viên, đạt 75% chỉ tiêu Nghị quyết"


def test_the_allocation_from_the_level_above_is_stated_beside_the_resolutions_target(cast, admissions, resolution):
    own = target_create(
        resolution=resolution,
        wording="Kết nạp ít nhất 2 đảng viên",
        indicator_code="members.admitted",
        threshold=Decimal(2),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    province = resolution_create(
        organization=cast.tree.province, term_name="2020–2025", start_year=2020, end_year=2025, user=cast.admin
    )
    above = target_create(
        resolution=province,
        wording="Kết nạp đảng viên",
        indicator_code="members.admitted",
        threshold=Decimal(10),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.admin,
    )
    allocation_set(
        target=above, organization=cast.tree.bloc, threshold=Decimal(3), allocated_by="Ban Thường vụ Tỉnh ủy", user=cast.admin
    )
    result = track(own, cast.tree.bloc, user=cast.upper, today=dt.date(2026, 3, 1))
    assert result.to_date.sentence == (
        "kết nạp 3 đảng viên, vượt 50% so với chỉ tiêu Nghị quyết, đạt chỉ tiêu Ban Thường vụ Tỉnh ủy phân bổ"
    )
    assert result.met is True


def test_a_yearly_rate_target_is_met_or_missed_by_the_years_rate(cast, decided_2025, resolution):
    target = target_create(
        resolution=resolution,
        wording="Hằng năm có hơn 95% đảng viên hoàn thành tốt nhiệm vụ",
        indicator_code="reviews.members_good",
        comparison=Comparison.GT,
        threshold=Decimal(95),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    result = track(target, cast.tree.bloc, user=cast.upper, today=dt.date(2026, 2, 1))
    year = result.years[-1]
    assert (year.year, year.value, year.met) == (2025, Decimal(60), False)
    assert year.sentence == "đạt 60%, thấp hơn chỉ tiêu 35 điểm phần trăm"
    assert result.met is False


def test_a_definition_changed_after_a_measured_year_still_explains_that_year(cast, decided_2025, resolution):
    target = target_create(
        resolution=resolution,
        wording="Hằng năm ít nhất 50% đảng viên hoàn thành tốt nhiệm vụ",
        indicator_code="reviews.members_good",
        threshold=Decimal(50),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    target.history.update(history_date=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))  # entered in 2024
    target_update(
        target=target, threshold=Decimal(90), wording="Hằng năm ít nhất 90% đảng viên hoàn thành tốt nhiệm vụ", user=cast.upper
    )
    assert target.history.count() == 2
    assert definition_for(target, 2025).threshold == Decimal(50)
    assert definition_for(target, dt.date.today().year).threshold == Decimal(90)
    year_2025 = next(y for y in track(target, cast.tree.bloc, user=cast.upper, today=dt.date(2026, 2, 1)).years if y.year == 2025)
    assert (year_2025.value, year_2025.met) == (Decimal(60), True)


def test_a_target_measured_by_hand_reads_the_entered_value_and_keeps_each_entry(cast, resolution):
    target = target_create(
        resolution=resolution,
        wording="Hằng năm 90% trở lên số cơ quan, đơn vị đạt chuẩn văn hóa",
        indicator_code="",
        threshold=Decimal(90),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    manual_value_set(target=target, organization=cast.tree.bloc, year=2024, value=Decimal("88.5"), user=cast.upper)
    entry = manual_value_set(target=target, organization=cast.tree.bloc, year=2024, value=Decimal("91.5"), user=cast.admin)
    assert ManualValue.objects.count() == 1
    assert [(h.value, h.entered_by) for h in entry.history.order_by("history_date")] == [
        (Decimal("88.50"), cast.upper),
        (Decimal("91.50"), cast.admin),
    ]
    year_2024 = next(
        y for y in track(target, cast.tree.bloc, user=cast.upper, today=dt.date(2024, 12, 31)).years if y.year == 2024
    )
    assert (year_2024.value, year_2024.met) == (Decimal("91.50"), True)
    assert year_2024.sentence == "đạt 91,5%, vượt chỉ tiêu 1,5 điểm phần trăm"


def test_the_drill_down_ranks_the_sub_organizations_by_how_much_they_pull_the_rate_down(cast, decided_2025, resolution):
    target = target_create(
        resolution=resolution,
        wording="Hằng năm có hơn 95% đảng viên hoàn thành tốt nhiệm vụ",
        indicator_code="reviews.members_good",
        comparison=Comparison.GT,
        threshold=Decimal(95),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    effects = drill_down(target, cast.tree.bloc, 2025, user=cast.upper)
    # Finance 2 of 4 (50%), weight 4/5: (50 − 60) × 0,8 = −8; newspaper 1 of 1: (100 − 60) × 0,2 = +8
    assert [(e.organization.name, e.effect) for e in effects] == [
        ("Đảng bộ Sở Tài chính", Decimal(-8)),
        ("Chi bộ Báo Bắc Giang", Decimal(8)),
    ]


# ---------------------------------------------------------------------------------------
# Services


def test_only_the_organization_board_edits_the_resolution(cast):
    with pytest.raises(PermissionDenied):
        resolution_create(organization=cast.tree.bloc, term_name="2020–2025", start_year=2020, end_year=2025, user=cast.viewer)
    with pytest.raises(PermissionDenied):
        resolution_create(organization=cast.tree.bloc, term_name="2020–2025", start_year=2020, end_year=2025, user=cast.outsider)


def test_a_target_refuses_a_unit_its_indicator_does_not_measure_and_a_rate_above_100(cast, resolution):
    with pytest.raises(ValidationError, match="đo bằng"):
        target_create(
            resolution=resolution,
            wording="Kết nạp",
            indicator_code="members.admitted",
            threshold=Decimal(5),
            unit=Unit.PERCENT,
            user=cast.upper,
        )
    with pytest.raises(ValidationError, match="từ 0 đến 100"):
        target_create(
            resolution=resolution, wording="Tỷ lệ", indicator_code="", threshold=Decimal(120), unit=Unit.PERCENT, user=cast.upper
        )
    with pytest.raises(ValidationError, match="Không có chỉ số đo"):
        target_create(
            resolution=resolution,
            wording="Tỷ lệ",
            indicator_code="khong.co",
            threshold=Decimal(5),
            unit=Unit.COUNT,
            user=cast.upper,
        )


def test_an_allocation_goes_only_to_an_organization_below(cast, resolution):
    target = target_create(
        resolution=resolution,
        wording="Kết nạp",
        indicator_code="members.admitted",
        threshold=Decimal(5),
        unit=Unit.COUNT,
        user=cast.upper,
    )
    with pytest.raises(ValidationError, match="cấp dưới"):
        allocation_set(
            target=target,
            organization=cast.tree.power,
            threshold=Decimal(1),
            allocated_by="Ban Thường vụ Đảng ủy Khối",
            user=cast.upper,
        )
    allocation = allocation_set(
        target=target,
        organization=cast.tree.finance,
        threshold=Decimal(2),
        allocated_by="Ban Thường vụ Đảng ủy Khối",
        user=cast.upper,
    )
    assert allocation.history.count() == 1


def test_a_youth_sub_target_is_tracked_and_stated_beside_its_parent(cast, admissions, resolution):
    parent = target_create(
        resolution=resolution,
        wording="Kết nạp hơn 2 đảng viên",
        indicator_code="members.admitted",
        comparison=Comparison.GT,
        threshold=Decimal(2),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    youth = target_create(
        resolution=resolution,
        wording="Trong đó ít nhất 1 đảng viên trong độ tuổi thanh niên",
        indicator_code="members.admitted_youth",
        threshold=Decimal(1),
        unit=Unit.COUNT,
        period=Period.TERM,
        parent=parent,
        user=cast.upper,
    )
    result = track(youth, cast.tree.bloc, user=cast.upper, today=dt.date(2026, 1, 5))
    assert result.to_date.sentence == "trong đó 2 đảng viên trong độ tuổi thanh niên, vượt 100% so với chỉ tiêu Nghị quyết"
    assert list(parent.children.all()) == [youth]


def test_the_allocations_to_the_levels_below_are_summed_against_the_levels_own_target(cast, resolution):
    target = target_create(
        resolution=resolution,
        wording="Kết nạp 10 đảng viên",
        indicator_code="members.admitted",
        threshold=Decimal(10),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    allocation_set(
        target=target,
        organization=cast.tree.finance,
        threshold=Decimal(6),
        allocated_by="Ban Thường vụ Đảng ủy Khối",
        user=cast.upper,
    )
    allocation_set(
        target=target,
        organization=cast.tree.newspaper,
        threshold=Decimal(3),
        allocated_by="Ban Thường vụ Đảng ủy Khối",
        user=cast.upper,
    )
    assert allocations_summed(target) == (Decimal(9), Decimal(10))


def test_admissions_over_the_term_as_a_share_of_the_members_at_its_start_add_up_the_years(cast, admissions, resolution):
    target = target_create(
        resolution=resolution,
        wording="Kết nạp đảng viên mới đạt từ 3% trở lên so với tổng số đảng viên đầu nhiệm kỳ",
        indicator_code="members.admitted_share",
        threshold=Decimal(3),
        unit=Unit.PERCENT,
        period=Period.TERM,
        user=cast.upper,
    )
    result = track(target, cast.tree.bloc, user=cast.upper, today=dt.date(2022, 12, 31))
    # 1 member on 1/1/2020; admitted 2021 and 2022: 2 of 1 = 200%
    assert [(y.year, y.measure.numerator, y.measure.denominator) for y in result.years] == [
        (2020, 0, 1),
        (2021, 1, 1),
        (2022, 2, 1),
    ]
    assert result.met is True
