"""The dashboard, a resolution's page and a value opened, per role."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from targets.models import Comparison, Period, Resolution, Unit
from targets.services import resolution_create, target_create


@pytest.fixture
def bloc_targets(cast):
    today = dt.date.today()
    resolution = resolution_create(
        organization=cast.tree.bloc,
        term_name=f"{today.year - 1}–{today.year + 3}",
        start_year=today.year - 1,
        end_year=today.year + 3,
        user=cast.upper,
    )
    admitted = target_create(
        resolution=resolution,
        wording="Cả nhiệm kỳ kết nạp từ 2 đảng viên trở lên",
        indicator_code="members.admitted",
        comparison=Comparison.GE,
        threshold=Decimal(2),
        unit=Unit.COUNT,
        period=Period.TERM,
        user=cast.upper,
    )
    return resolution, admitted


@pytest.fixture
def recent_admissions(cast):
    from members.testing import add_member

    year = dt.date.today().year - 1
    return [
        add_member(cast.tree.office_cell, given_name="Mới", admitted_on=dt.date(year, 3, 1), birth_date=dt.date(1995, 1, 1)),
        add_member(cast.tree.newspaper, given_name="Tân", admitted_on=dt.date(year, 4, 1), birth_date=dt.date(1996, 1, 1)),
    ]


def test_the_upper_official_sees_the_blocs_targets_as_cards_with_their_status(client, cast, bloc_targets, recent_admissions):
    client.force_login(cast.upper)
    page = client.get(reverse("targets:dashboard"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Cả nhiệm kỳ kết nạp từ 2 đảng viên trở lên" in body
    assert 'data-status="green"' in body
    assert "kết nạp 2 đảng viên, đạt chỉ tiêu Nghị quyết" in body


def test_a_cell_secretarys_dashboard_counts_only_their_cell(client, cast, bloc_targets, recent_admissions):
    client.force_login(cast.cell)
    body = client.get(reverse("targets:dashboard")).content.decode()
    assert "kết nạp 1 đảng viên, đạt 50% chỉ tiêu Nghị quyết" in body


def test_an_organization_with_no_resolution_above_it_says_so(client, cast, bloc_targets):
    client.force_login(cast.outsider)
    page = client.get(reverse("targets:dashboard"))
    assert 'data-testid="no-resolution"' in page.content.decode()


def test_a_value_opened_lists_what_it_counts_in_the_users_scope(client, cast, bloc_targets, recent_admissions):
    _resolution, admitted = bloc_targets
    year = dt.date.today().year - 1
    client.force_login(cast.upper)
    body = client.get(reverse("targets:target_values", args=[admitted.pk, cast.tree.bloc.pk, year])).content.decode()
    assert "Mới" in body and "Tân" in body
    client.force_login(cast.cell)
    body = client.get(reverse("targets:target_values", args=[admitted.pk, cast.tree.office_cell.pk, year])).content.decode()
    assert "Mới" in body and "Tân" not in body
    assert client.get(reverse("targets:target_values", args=[admitted.pk, cast.tree.bloc.pk, year])).status_code == 404


def test_the_resolution_page_shows_each_target_and_is_hidden_outside_the_scope(client, cast, bloc_targets):
    resolution, _admitted = bloc_targets
    client.force_login(cast.viewer)
    page = client.get(reverse("targets:resolution_detail", args=[resolution.pk]))
    assert page.status_code == 200
    assert "Cả nhiệm kỳ kết nạp từ 2 đảng viên trở lên" in page.content.decode()
    client.force_login(cast.outsider)
    assert client.get(reverse("targets:resolution_detail", args=[resolution.pk])).status_code == 404


def test_the_organization_board_adds_a_resolution_and_a_target_on_the_pages(client, cast):
    client.force_login(cast.upper)
    answer = client.post(
        reverse("targets:resolution_create"),
        {
            "organization": cast.tree.bloc.pk,
            "term_name": "2025–2030",
            "start_year": 2025,
            "end_year": 2030,
            "adopted_on": "15/07/2025",
        },
    )
    assert answer.status_code == 302
    resolution = Resolution.objects.get(organization=cast.tree.bloc)
    assert resolution.adopted_on == dt.date(2025, 7, 15)
    answer = client.post(
        reverse("targets:target_create", args=[resolution.pk]),
        {
            "wording": "95% trở lên đảng viên hoàn thành tốt nhiệm vụ",
            "indicator_code": "reviews.members_good",
            "comparison": "ge",
            "threshold": "95",
            "unit": "percent",
            "period": "each_year",
            "scope": "subtree",
        },
    )
    assert answer.status_code == 302
    assert resolution.targets.get().threshold == Decimal(95)


def test_a_service_refusal_shows_on_the_form(client, cast, bloc_targets):
    resolution, _admitted = bloc_targets
    client.force_login(cast.upper)
    answer = client.post(
        reverse("targets:target_create", args=[resolution.pk]),
        {
            "wording": "Kết nạp",
            "indicator_code": "members.admitted",
            "comparison": "ge",
            "threshold": "5",
            "unit": "percent",
            "period": "term",
            "scope": "subtree",
        },
    )
    assert answer.status_code == 200
    assert "đo bằng Số lượng" in answer.content.decode()


def test_a_changed_target_and_a_hand_entered_value_appear_in_the_resolutions_history(client, cast, bloc_targets):
    resolution, admitted = bloc_targets
    client.force_login(cast.upper)
    form = {
        "wording": admitted.wording,
        "indicator_code": "members.admitted",
        "comparison": "gt",
        "threshold": "3",
        "unit": "count",
        "period": "term",
        "scope": "subtree",
    }
    assert client.post(reverse("targets:target_update", args=[admitted.pk]), form).status_code == 302
    admitted.refresh_from_db()
    assert (admitted.comparison, admitted.threshold) == ("gt", Decimal(3))
    hand = target_create(
        resolution=resolution,
        wording="90% đơn vị đạt chuẩn văn hóa",
        indicator_code="",
        threshold=Decimal(90),
        unit=Unit.PERCENT,
        user=cast.upper,
    )
    year = dt.date.today().year
    answer = client.post(
        reverse("targets:manual_value_set", args=[hand.pk]), {"organization": cast.tree.bloc.pk, "year": year, "value": "92.5"}
    )
    assert answer.status_code == 302
    body = client.get(reverse("targets:resolution_detail", args=[resolution.pk])).content.decode()
    assert 'data-testid="history"' in body
    assert "Lê Thị Thu Hà" in body  # who changed it
    assert "đạt 92,5%, vượt chỉ tiêu 2,5 điểm phần trăm" in body


def test_read_only_roles_are_refused_the_edit_pages_and_the_outsider_does_not_find_them(client, cast, bloc_targets):
    resolution, admitted = bloc_targets
    client.force_login(cast.viewer)
    assert client.get(reverse("targets:target_update", args=[admitted.pk])).status_code == 403
    assert client.get(reverse("targets:target_create", args=[resolution.pk])).status_code == 403
    assert client.get(reverse("targets:resolution_create")).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(reverse("targets:target_update", args=[admitted.pk])).status_code == 404
    assert client.get(reverse("targets:manual_value_set", args=[admitted.pk])).status_code == 404


def test_the_dashboard_lists_the_review_round_in_progress_among_its_alerts(client, cast, bloc_targets):
    from reviews.tests.test_report import open_round

    round = open_round(cast, 2025)
    client.force_login(cast.cell)
    body = client.get(reverse("targets:dashboard")).content.decode()
    assert reverse("reviews:round_detail", args=[round.pk]) in body
    client.force_login(cast.outsider)
    body = client.get(reverse("targets:dashboard")).content.decode()
    assert reverse("reviews:round_detail", args=[round.pk]) not in body
