"""accounts.services called directly, as the API does: validation and history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Board, Role, User

PASSWORD = "Mot-mat-khau-moi-2026"


def test_user_create_refuses_a_weak_password_with_a_vietnamese_message(db):
    with pytest.raises(ValidationError, match="quá ngắn"):
        services.user_create(username="moi", password="abc", full_name="Người Mới")
    assert not User.objects.filter(username="moi").exists()


def test_user_create_records_the_author_and_folds_the_name(cast):
    user = services.user_create(username="moi", password=PASSWORD, full_name="Đặng Thị Ngọc", by=cast.admin)
    assert user.search_text == "moi dang thi ngoc"
    assert user.history.get().history_user == cast.admin


def test_user_update_without_a_change_writes_no_history(cast):
    before = cast.member.history.count()
    services.user_update(user=cast.member, full_name=" Nguyễn Văn An ", by=cast.admin)
    assert cast.member.history.count() == before


def test_user_update_refuses_unknown_fields(cast):
    with pytest.raises(ValidationError, match="Không thể sửa trực tiếp"):
        services.user_update(user=cast.member, is_superuser=True, by=cast.admin)


def test_the_last_active_administrator_cannot_be_deactivated(cast):
    with pytest.raises(ValidationError, match="quản trị viên cuối cùng"):
        services.user_deactivate(user=cast.admin, by=cast.upper)
    second = services.user_create(username="quantri2", password=PASSWORD, full_name="Quản Trị Hai")
    services.assignment_add(user=second, organization=cast.tree.province, role=Role.ADMIN)
    services.user_deactivate(user=cast.admin, by=second)
    cast.admin.refresh_from_db()
    assert not cast.admin.is_active


def test_the_board_goes_only_with_upper_staff(cast):
    with pytest.raises(ValidationError, match="cơ quan tham mưu"):
        services.assignment_add(user=cast.viewer, organization=cast.tree.bloc, role=Role.VIEWER, board=Board.OFFICE)


@pytest.mark.parametrize(
    ("role", "org_key"),
    [
        (Role.UPPER_STAFF, "finance"),
        (Role.BASE_COMMITTEE, "office_cell"),
        (Role.CELL_SECRETARY, "finance"),
        (Role.MEMBER, "bloc"),
    ],
)
def test_a_role_must_sit_on_an_organization_of_its_level(cast, role, org_key):
    with pytest.raises(ValidationError, match="chỉ gán cho tổ chức thuộc các cấp"):
        services.assignment_add(user=cast.viewer, organization=getattr(cast.tree, org_key), role=role)


def test_upper_staff_may_sit_on_the_central_root(cast):
    from orgs.services import NewOrgSpec, organization_found

    root = organization_found(
        parent=None,
        spec=NewOrgSpec(code="tw", name="Đảng Cộng sản Việt Nam", kind=cast.tree.kinds["trung-uong"]),
        effective_on=dt.date(2020, 1, 1),
    ).organization
    services.assignment_add(user=cast.viewer, organization=root, role=Role.UPPER_STAFF, board=Board.ORGANIZATION)
    assert cast.viewer.assignments.filter(organization=root, role=Role.UPPER_STAFF).exists()


@pytest.mark.parametrize("org_key", ["province", "bloc", "finance", "office_cell"])
def test_viewer_and_admin_roles_sit_on_any_level(cast, org_key):
    services.assignment_add(user=cast.outsider, organization=getattr(cast.tree, org_key), role=Role.VIEWER)


def test_assignment_add_updates_the_scope_of_the_same_instance(cast):
    user = cast.cell
    assert not user.scope.can_read_path(cast.tree.power.path)
    services.assignment_add(user=user, organization=cast.tree.power, role=Role.VIEWER)
    assert user.scope.can_read_path(cast.tree.power.path)


def test_ending_twice_is_refused(cast):
    assignment = cast.cell.assignments.get()
    services.assignment_end(assignment=assignment)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.assignment_end(assignment=assignment)


def test_token_issue_records_the_owner_and_refuses_a_locked_account(cast):
    token, key = services.token_issue(user=cast.cell, name="Mã")
    assert token.history.get().history_user == cast.cell
    assert key.startswith("dbt_")
    services.user_deactivate(user=cast.cell, by=cast.admin)
    with pytest.raises(ValidationError, match="đã bị khóa"):
        services.token_issue(user=cast.cell, name="Mã khác")
