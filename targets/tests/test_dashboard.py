"""The dashboard as the home page of each role, what its cards say (state with its words, the
chart over the years), the rounds in progress and the alerts that come through ``lib.alerts``;
admissions counted by group; a target's scope applied; the allocation grid."""

from __future__ import annotations

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lib import alerts as lib_alerts
from members.models import Ethnicity, Religion
from members.testing import add_member
from targets.models import Comparison, Period, TargetAllocation, TargetScope, Unit
from targets.services import resolution_create, target_create
from targets.tracking import state, track

TODAY = dt.date.today()


@pytest.fixture
def term(cast):
    """The bloc's resolution for a term that holds today (started last year)."""
    return resolution_create(
        organization=cast.tree.bloc,
        term_name=f"{TODAY.year - 1}–{TODAY.year + 3}",
        start_year=TODAY.year - 1,
        end_year=TODAY.year + 3,
        user=cast.upper,
    )


def admitted_target(cast, resolution, threshold=2, **kwargs):
    values = {
        "wording": f"Cả nhiệm kỳ kết nạp từ {threshold} đảng viên trở lên",
        "indicator_code": "members.admitted",
        "comparison": Comparison.GE,
        "threshold": Decimal(threshold),
        "unit": Unit.COUNT,
        "period": Period.TERM,
    } | kwargs
    return target_create(resolution=resolution, user=cast.upper, **values)


def _body(client, user, url=None):
    client.force_login(user)
    return client.get(url or reverse("home")).content.decode()


# ---------------------------------------------------------------------------------------
# The home page per role


def test_the_home_page_is_the_dashboard_of_each_committee_role_for_its_own_organization(client, cast, term):
    admitted_target(cast, term)
    expected = {
        "upper": cast.tree.bloc,
        "viewer": cast.tree.bloc,
        "base": cast.tree.finance,
        "cell": cast.tree.office_cell,
        "outsider": cast.tree.power,
    }
    for role, organization in expected.items():
        body = _body(client, getattr(cast, role))
        assert 'data-testid="dashboard"' in body, role
        assert f"Chỉ tiêu Nghị quyết Đại hội – {organization.name}" in body, role
        assert 'data-testid="working-lists"' in body, role  # the working lists stay above it


def test_a_member_and_the_administrator_keep_the_plain_home_page(client, cast, term):
    admitted_target(cast, term)
    for user in (cast.member, cast.admin):
        body = _body(client, user)
        assert 'data-testid="dashboard"' not in body
        assert "Xin chào" in body


def test_a_cell_secretarys_home_counts_only_their_cell(client, cast, term):
    year = TODAY.year - 1
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(year, 3, 1), birth_date=dt.date(1995, 1, 1))
    add_member(cast.tree.budget_cell, given_name="Tân", admitted_on=dt.date(year, 4, 1), birth_date=dt.date(1996, 1, 1))
    add_member(cast.tree.newspaper, given_name="Hạ", admitted_on=dt.date(year, 5, 1), birth_date=dt.date(1996, 1, 1))
    admitted_target(cast, term, threshold=2)
    assert "kết nạp 1 đảng viên, đạt 50% chỉ tiêu Nghị quyết" in _body(client, cast.cell)
    assert "kết nạp 2 đảng viên, đạt chỉ tiêu Nghị quyết" in _body(client, cast.base)
    assert "kết nạp 3 đảng viên, vượt 50% so với chỉ tiêu Nghị quyết" in _body(client, cast.upper)


def test_a_cell_secretary_opens_the_report_of_their_own_cell_from_the_home_page(client, cast, term):
    year = TODAY.year - 1
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(year, 3, 1), birth_date=dt.date(1995, 1, 1))
    add_member(cast.tree.budget_cell, given_name="Tân", admitted_on=dt.date(year, 4, 1), birth_date=dt.date(1996, 1, 1))
    admitted_target(cast, term, threshold=2)
    report = reverse("targets:report", args=[term.pk]) + f"?to_chuc={cast.tree.office_cell.pk}"
    assert f'href="{report}"' in _body(client, cast.cell)
    body = client.get(report).content.decode()
    assert "kết nạp 1 đảng viên, đạt 50% chỉ tiêu Nghị quyết" in body
    assert client.get(reverse("targets:report", args=[term.pk]) + f"?to_chuc={cast.tree.budget_cell.pk}").status_code == 404


# ---------------------------------------------------------------------------------------
# Cards: state with its words, and the chart


def test_a_card_says_its_state_in_words_beside_its_colour(client, cast, term):
    admitted_target(cast, term, threshold=1)
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(TODAY.year - 1, 3, 1))
    body = _body(client, cast.upper)
    assert 'data-state="met"' in body and 'data-status="green"' in body
    assert '<span class="badge bg-green-lt ms-auto" data-testid="state">Đạt</span>' in body


@pytest.mark.parametrize(
    ("today", "threshold", "key", "label"),
    [
        # 2 admitted by 31/12/2021, the first two of a five-year term: 2 × 5 / 2 = 5 projected
        (dt.date(2021, 12, 31), 4, "on_track", "Đúng tiến độ"),
        (dt.date(2021, 12, 31), 6, "at_risk", "Có nguy cơ không đạt"),
        (dt.date(2021, 12, 31), 2, "met", "Đạt"),
        (dt.date(2025, 6, 1), 6, "missed", "Không đạt"),
    ],
)
def test_a_term_target_is_met_on_track_at_risk_or_missed(cast, today, threshold, key, label):
    resolution = resolution_create(
        organization=cast.tree.bloc, term_name="2020–2024", start_year=2020, end_year=2024, user=cast.upper
    )
    add_member(cast.tree.office_cell, given_name="Một", admitted_on=dt.date(2020, 6, 1))
    add_member(cast.tree.newspaper, given_name="Hai", admitted_on=dt.date(2021, 6, 1))
    target = admitted_target(cast, resolution, threshold=threshold)
    found = state(track(target, cast.tree.bloc, user=cast.upper, today=today), today=today)
    assert (found.key, found.label) == (key, label)


def test_a_target_nothing_measured_is_grey_and_says_so(cast, term):
    target = target_create(
        resolution=term,
        wording="90% trở lên cơ quan, đơn vị đạt chuẩn văn hóa",
        indicator_code="",
        threshold=Decimal(90),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    found = state(track(target, cast.tree.bloc, user=cast.upper))
    assert (found.key, found.colour, found.label) == ("not_measured", "secondary", "Chưa có số liệu")


def test_each_card_draws_its_years_as_bars_with_the_threshold_line(client, cast, term):
    admitted_target(cast, term, threshold=1)
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(TODAY.year - 1, 3, 1))
    body = _body(client, cast.upper)
    assert body.count('data-testid="chart-bar"') == 2  # last year and this year
    assert f'data-year="{TODAY.year - 1}"' in body and f'data-year="{TODAY.year}"' in body
    assert 'data-testid="chart-threshold"' in body
    # SVG coordinates keep a decimal point whatever the page's language (vi writes "45,3").
    assert re.search(r'<rect x="\d+(\.\d+)?" y="\d+(\.\d+)?" width="\d+(\.\d+)?" height="[1-9]\d*(\.\d+)?"', body)
    assert f"Chỉ tiêu ≥ 1; {TODAY.year - 1}: 1; {TODAY.year}: 1" in body  # the chart's words for screen readers


# ---------------------------------------------------------------------------------------
# Rounds in progress and alerts


def test_the_round_in_progress_shows_how_far_the_scopes_reviews_have_gone(client, cast, term):
    from members.tests._people import add_people
    from reviews.regimes.base import Rating
    from reviews.tests.test_report import open_round, rate_member

    people = add_people(cast.tree)
    round = open_round(cast, 2025)
    rate_member(cast, round, people.an, Rating.GOOD)
    # The bloc: 5 reviews, 1 decided. The office cell: Đức and An, 1 decided.
    body = _body(client, cast.upper)
    assert "1/5 đảng viên đã có quyết định (20%)" in body
    body = _body(client, cast.cell)
    assert "1/2 đảng viên đã có quyết định (50%)" in body
    assert reverse("reviews:round_detail", args=[round.pk]) in body


def test_a_late_round_says_which_step_is_late(cast):
    from members.tests._people import add_people
    from reviews.alerts import review_alerts
    from reviews.tests.test_report import open_round

    add_people(cast.tree)
    open_round(cast, 2025)  # self-assessment due 10/12/2025, decision 31/01/2026
    (alert,) = review_alerts(cast.upper, cast.tree.bloc, dt.date(2026, 2, 2))
    assert alert.level == lib_alerts.Level.LATE
    assert alert.late_text == "5 chưa tự đánh giá, quá hạn 10/12/2025; 5 chưa quyết định, quá hạn 31/01/2026"


def test_overdue_probation_comes_through_the_members_alert_provider(client, cast, term):
    # Admitted two years ago and never made full: the deadline (12 months + 30 working days) is past.
    add_member(cast.tree.office_cell, given_name="Dự", admitted_on=TODAY - dt.timedelta(days=730), full_member_on=None)
    body = _body(client, cast.cell)
    assert 'data-key="members.probation_overdue"' in body
    assert "1 đảng viên dự bị quá hạn xét chuyển chính thức" in body
    assert 'data-key="members.probation_overdue"' not in _body(client, cast.outsider)


def test_an_app_adds_its_alerts_by_registering_a_provider(client, cast, term):
    def provider(user, organization, today):
        return [lib_alerts.Alert("test.meeting", f"Chi bộ chưa họp: {organization.name}", "/", lib_alerts.Level.LATE, 1)]

    lib_alerts.register("zz-test", provider)
    try:
        assert f"Chi bộ chưa họp: {cast.tree.office_cell.name}" in _body(client, cast.cell)
    finally:
        lib_alerts._PROVIDERS.pop("zz-test")


def test_the_targets_app_names_no_other_app_it_reads_from():
    """architecture.md, layer 6: the targets app reads lib's registries, not the apps by name."""
    folder = Path(__file__).resolve().parent.parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                assert name.split(".")[0] not in {"members", "reviews", "discipline"}, f"{path.name} imports {name}"


# ---------------------------------------------------------------------------------------
# "Of them" a group


@pytest.fixture
def admitted_in_2021(cast):
    """Five admitted in 2021 in the bloc: two women (one of them Tày and Buddhist), one man
    Catholic, two men Kinh without religion; youth on the day: Lan (25) and Minh (30)."""
    kinh, tay = Ethnicity.objects.get(code="01"), Ethnicity.objects.get(name="Tày")
    none, buddhist, catholic = (Religion.objects.get(code=c) for c in ("khong", "phat-giao", "cong-giao"))
    day = dt.date(2021, 6, 1)
    people = [
        ("Lan", "F", dt.date(1996, 1, 1), tay, buddhist, cast.tree.office_cell),
        ("Hoa", "F", dt.date(1980, 1, 1), kinh, none, cast.tree.budget_cell),
        ("Minh", "M", dt.date(1990, 7, 1), kinh, catholic, cast.tree.newspaper),
        ("Nam", "M", dt.date(1975, 1, 1), kinh, none, cast.tree.office_cell),
        ("Tùng", "M", dt.date(1970, 1, 1), kinh, none, cast.tree.newspaper),
    ]
    for given, sex, born, ethnicity, religion, cell in people:
        add_member(cell, given_name=given, sex=sex, birth_date=born, admitted_on=day, ethnicity=ethnicity, religion=religion)
    # Admitted before the term: counted in no group below.
    add_member(cast.tree.office_cell, given_name="Sớm", sex="F", admitted_on=dt.date(2019, 1, 1), ethnicity=tay)


@pytest.mark.parametrize(
    ("group", "count", "phrase"),
    [
        ("youth", 2, "2 đảng viên trong độ tuổi thanh niên"),
        ("women", 2, "2 đảng viên nữ"),
        ("ethnic_minority", 1, "1 đảng viên là người dân tộc thiểu số"),
        ("religious", 2, "2 đảng viên là người có đạo"),
    ],
)
def test_a_sub_target_counts_its_group_among_the_admitted_as_counted_by_hand(cast, admitted_in_2021, group, count, phrase):
    resolution = resolution_create(
        organization=cast.tree.bloc, term_name="2020–2025", start_year=2020, end_year=2025, user=cast.upper
    )
    whole = admitted_target(cast, resolution, threshold=4, comparison=Comparison.GT)
    part = admitted_target(cast, resolution, threshold=1, parent=whole, group=group, wording=f"Trong đó {group}")
    result = track(part, cast.tree.bloc, user=cast.upper, today=dt.date(2021, 12, 31))
    assert result.to_date.value == count
    above = (Decimal(count) - 1) * 100
    comparison = "đạt chỉ tiêu Nghị quyết" if count == 1 else f"vượt {above:.0f}% so với chỉ tiêu Nghị quyết"
    assert result.to_date.sentence == f"trong đó {phrase}, {comparison}"
    assert track(whole, cast.tree.bloc, user=cast.upper, today=dt.date(2021, 12, 31)).to_date.value == 5


def test_432_youth_of_the_admitted_against_383_is_stated_as_seed_000_states_it(cast, term):
    from targets.tracking import _sentence

    whole = admitted_target(cast, term, threshold=850)
    part = admitted_target(cast, term, threshold=383, parent=whole, group="youth", wording="Trong đó thanh niên")
    assert (
        _sentence(part, Decimal(432), [])
        == "trong đó 432 đảng viên trong độ tuổi thanh niên, vượt 12,8% so với chỉ tiêu Nghị quyết"
    )


def test_a_group_the_indicator_does_not_count_is_refused(cast, term):
    with pytest.raises(ValidationError, match="không đếm riêng nhóm này"):
        admitted_target(cast, term, group="students")
    with pytest.raises(ValidationError, match="không đếm riêng nhóm này"):
        target_create(
            resolution=term,
            wording="95% đảng viên hoàn thành tốt",
            indicator_code="reviews.members_good",
            threshold=Decimal(95),
            unit=Unit.PERCENT,
            group="women",
            user=cast.upper,
        )


# ---------------------------------------------------------------------------------------
# Scope


def _rating_target(cast, resolution, code, scope):
    return target_create(
        resolution=resolution,
        wording=f"{code} {scope}",
        indicator_code=code,
        threshold=Decimal(75),
        unit=Unit.PERCENT,
        scope=scope,
        user=cast.upper,
    )


@pytest.mark.parametrize(
    ("scope", "numerator", "denominator"),
    [
        # Decided 2025: bases finance good, newspaper excellent; cells office good, budget complete.
        (TargetScope.BASE_ONLY, 2, 2),
        (TargetScope.CELLS_ONLY, 1, 2),
        (TargetScope.SUBTREE, 3, 4),
    ],
)
def test_the_organizations_rated_good_count_only_the_targets_scope(cast, decided_2025, scope, numerator, denominator):
    resolution = resolution_create(
        organization=cast.tree.bloc, term_name="2025–2030", start_year=2025, end_year=2030, user=cast.upper
    )
    target = _rating_target(cast, resolution, "reviews.organizations_good", scope)
    year = track(target, cast.tree.bloc, user=cast.upper, today=dt.date(2026, 1, 15)).years[0]
    assert (year.measure.numerator, year.measure.denominator) == (numerator, denominator)
    rows = {review.organization.name for review in year.measure.row_list()}
    named = {
        TargetScope.BASE_ONLY: {cast.tree.finance.name, cast.tree.newspaper.name},
        TargetScope.CELLS_ONLY: {cast.tree.office_cell.name},
        TargetScope.SUBTREE: {cast.tree.finance.name, cast.tree.newspaper.name, cast.tree.office_cell.name},
    }
    assert rows == named[scope]


def test_a_scope_an_indicator_cannot_apply_is_refused_rather_than_ignored(cast, term):
    with pytest.raises(ValidationError, match="chỉ tính được trên"):
        _rating_target(cast, term, "reviews.members_good", TargetScope.BASE_ONLY)
    with pytest.raises(ValidationError, match="chỉ tính được trên"):
        _rating_target(cast, term, "reviews.bases_good", TargetScope.CELLS_ONLY)
    assert _rating_target(cast, term, "reviews.bases_good", TargetScope.BASE_ONLY).scope == TargetScope.BASE_ONLY


# ---------------------------------------------------------------------------------------
# Allocation grid


@pytest.fixture
def to_allocate(cast, term):
    return admitted_target(cast, term, threshold=10)


def _grid(target):
    return reverse("targets:allocation_grid", args=[target.pk])


def test_the_board_allocates_a_target_to_each_organization_below_and_sees_the_sum(client, cast, to_allocate):
    client.force_login(cast.upper)
    page = client.get(_grid(to_allocate)).content.decode()
    assert f'name="threshold-{cast.tree.finance.pk}"' in page and f'name="threshold-{cast.tree.newspaper.pk}"' in page
    answer = client.post(
        _grid(to_allocate),
        {
            "allocated_by": "Ban Thường vụ Đảng ủy Khối",
            f"threshold-{cast.tree.finance.pk}": "6",
            f"threshold-{cast.tree.newspaper.pk}": "5",
        },
    )
    assert answer.status_code == 302
    assert {a.organization_id: a.threshold for a in TargetAllocation.objects.filter(target=to_allocate)} == {
        cast.tree.finance.pk: Decimal(6),
        cast.tree.newspaper.pk: Decimal(5),
    }
    page = client.get(_grid(to_allocate)).content.decode()
    assert "Tổng phân bổ: <span data-allocation-total>11</span> / chỉ tiêu 10" in page
    history = page[page.index('data-testid="history"') :]
    assert history.count("Tạo mới") == 2  # one entry per allocation
    # The allocation is stated beside the resolution's own target on the finance card.
    add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(TODAY.year - 1, 3, 1))
    body = _body(client, cast.base)
    assert "kết nạp 1 đảng viên, đạt 10% chỉ tiêu Nghị quyết, đạt 16,7% chỉ tiêu Ban Thường vụ Đảng ủy Khối phân bổ" in body


def test_a_cleared_row_removes_its_allocation_and_the_history_keeps_it(client, cast, to_allocate):
    client.force_login(cast.upper)
    client.post(_grid(to_allocate), {"allocated_by": "Ban Thường vụ", f"threshold-{cast.tree.finance.pk}": "6"})
    client.post(_grid(to_allocate), {"allocated_by": "Ban Thường vụ", f"threshold-{cast.tree.finance.pk}": ""})
    assert not TargetAllocation.objects.filter(target=to_allocate).exists()
    assert [h.history_type for h in TargetAllocation.history.filter(target_id=to_allocate.pk).order_by("history_id")] == [
        "+",
        "-",
    ]


def test_one_bad_row_saves_none_and_says_which_row(client, cast, to_allocate):
    client.force_login(cast.upper)
    answer = client.post(
        _grid(to_allocate),
        {
            "allocated_by": "Ban Thường vụ",
            f"threshold-{cast.tree.finance.pk}": "6",
            f"threshold-{cast.tree.newspaper.pk}": "năm",
        },
    )
    assert answer.status_code == 400
    assert f"Dòng 2 ({cast.tree.newspaper.name}): “năm” không phải là số." in answer.content.decode()
    assert not TargetAllocation.objects.filter(target=to_allocate).exists()


@pytest.mark.parametrize(
    ("role", "get", "post"), [("viewer", 200, 403), ("base", 404, 404), ("cell", 404, 404), ("outsider", 404, 404)]
)
def test_only_the_allocating_organizations_board_may_save(client, cast, to_allocate, role, get, post):
    client.force_login(getattr(cast, role))
    assert client.get(_grid(to_allocate)).status_code == get
    answer = client.post(_grid(to_allocate), {"allocated_by": "X", f"threshold-{cast.tree.finance.pk}": "6"})
    assert answer.status_code == post
    assert not TargetAllocation.objects.exists()
    if get == 200:
        assert "disabled" in client.get(_grid(to_allocate)).content.decode()


def test_a_bars_value_is_written_as_the_cards_write_it_with_one_decimal():
    from targets.charts import year_chart
    from targets.models import Target
    from targets.tracking import Tracking, YearValue

    target = Target(unit=Unit.PERCENT, threshold=Decimal(90), comparison=Comparison.GE)
    rate = Decimal(25) / Decimal(29) * 100  # 86,2068…%
    chart = year_chart(Tracking(target, None, years=[YearValue(2025, target, None, rate, False)]))  # type: ignore[arg-type]
    assert chart.bars[0].value_text == "86,2%"
    assert chart.summary.endswith("2025: 86,2%")
