"""The administrators' user pages: list, create, edit, deactivate, reset password, assignments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.models import Assignment, Board, Role, User
from accounts.rights import can_write
from orgs.models import Organization
from orgs.services import organization_dissolve

NEW_PASSWORD = "Mot-mat-khau-moi-2026"


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def url(name: str, *args) -> str:
    return reverse(f"accounts:{name}", args=args)


# ---------------------------------------------------------------------------------------
# Who may come in


@pytest.mark.parametrize("who", ["upper", "base", "cell", "member", "viewer", "outsider"])
def test_it_refuses_every_user_page_to_non_administrators(client, cast, who):
    client.force_login(getattr(cast, who))
    target = cast.member.pk
    assert client.get(url("user_list")).status_code == 403
    assert client.get(url("user_create")).status_code == 403
    assert client.get(url("user_detail", target)).status_code == 403
    assert client.get(url("user_update", target)).status_code == 403
    assert client.get(url("user_password_reset", target)).status_code == 403
    assert client.post(url("user_deactivate", target)).status_code == 403
    assert client.post(url("assignment_end", cast.member.assignments.get().pk)).status_code == 403
    cast.member.refresh_from_db()
    assert cast.member.is_active


def test_an_unknown_user_is_not_found(admin_client):
    assert admin_client.get(url("user_detail", 999_999)).status_code == 404
    assert admin_client.post(url("user_deactivate", 999_999)).status_code == 404
    assert admin_client.post(url("assignment_end", 999_999)).status_code == 404


def test_a_superuser_without_assignments_is_an_administrator(client, db):
    root = User.objects.create_superuser(username="root", password=NEW_PASSWORD)
    client.force_login(root)
    assert client.get(url("user_list")).status_code == 200


# ---------------------------------------------------------------------------------------
# List


def names_listed(response) -> set[str]:
    return {u.username for u in response.context["page"]}


def test_the_list_shows_every_user_to_the_administrator(admin_client, cast):
    response = admin_client.get(url("user_list"))
    assert response.status_code == 200
    assert names_listed(response) == set(User.objects.values_list("username", flat=True))
    assert "Nguyễn Văn An" in response.content.decode()


def test_search_ignores_diacritics_and_case(admin_client, cast):
    response = admin_client.get(url("user_list"), {"q": "nguyen van AN"})
    assert names_listed(response) == {cast.member.username}
    response = admin_client.get(url("user_list"), {"q": "Đức"})
    assert names_listed(response) == {cast.outsider.username}
    response = admin_client.get(url("user_list"), {"q": "duc"})
    assert names_listed(response) == {cast.outsider.username}


def test_search_finds_a_username(admin_client, cast):
    assert names_listed(admin_client.get(url("user_list"), {"q": "bithu"})) == {
        cast.base.username,
        cast.cell.username,
        cast.outsider.username,
    }


def test_filter_by_role(admin_client, cast):
    response = admin_client.get(url("user_list"), {"role": Role.BASE_COMMITTEE})
    assert names_listed(response) == {cast.base.username, cast.outsider.username}


def test_filter_by_organization_includes_its_subtree(admin_client, cast):
    response = admin_client.get(url("user_list"), {"organization": cast.tree.finance.pk})
    assert names_listed(response) == {cast.base.username, cast.cell.username, cast.member.username}


def test_role_and_organization_must_match_the_same_assignment(admin_client, cast):
    response = admin_client.get(url("user_list"), {"organization": cast.tree.finance.pk, "role": Role.MEMBER})
    assert names_listed(response) == {cast.member.username}
    response = admin_client.get(url("user_list"), {"organization": cast.tree.power.pk, "role": Role.MEMBER})
    assert names_listed(response) == set()


def test_ended_assignments_do_not_count_in_the_filters(admin_client, cast):
    services.assignment_end(assignment=cast.base.assignments.get(), by=cast.admin)
    response = admin_client.get(url("user_list"), {"role": Role.BASE_COMMITTEE})
    assert names_listed(response) == {cast.outsider.username}


def test_filter_by_status(admin_client, cast):
    services.user_deactivate(user=cast.viewer, by=cast.admin)
    assert names_listed(admin_client.get(url("user_list"), {"status": "inactive"})) == {cast.viewer.username}
    assert cast.viewer.username not in names_listed(admin_client.get(url("user_list"), {"status": "active"}))


def test_the_list_does_not_run_more_queries_for_more_users(admin_client, cast):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url("user_list")).status_code == 200
        return len(queries)

    before = count()
    for n in range(10):
        user = services.user_create(username=f"them{n}", full_name=f"Người Thêm {n}", password=NEW_PASSWORD)
        services.assignment_add(user=user, organization=cast.tree.budget_cell, role=Role.MEMBER)
    assert count() == before


# ---------------------------------------------------------------------------------------
# Create


def create_data(**overrides) -> dict:
    data = {
        "username": "bithu.ngansach",
        "full_name": "Vũ Thị Hạnh",
        "email": "hanh@example.vn",
        "phone": "0912345678",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_it_creates_a_user_with_an_argon2_password(admin_client, cast):
    response = admin_client.post(url("user_create"), create_data())
    user = User.objects.get(username="bithu.ngansach")
    assert response.status_code == 302
    assert response.url == url("user_detail", user.pk)
    assert user.full_name == "Vũ Thị Hạnh"
    assert user.is_active
    assert user.password.startswith("argon2")
    assert user.check_password(NEW_PASSWORD)
    record = user.history.get()
    assert record.history_type == "+"
    assert record.history_user == cast.admin


def test_it_can_create_an_inactive_user(admin_client, cast):
    data = create_data()
    del data["is_active"]
    admin_client.post(url("user_create"), data)
    assert not User.objects.get(username="bithu.ngansach").is_active


def test_it_refuses_two_passwords_that_differ(admin_client, cast):
    response = admin_client.post(url("user_create"), create_data(password2="khac-han-2026-xyz"))
    assert response.status_code == 200
    assert "Hai mật khẩu không khớp nhau." in response.content.decode()
    assert not User.objects.filter(username="bithu.ngansach").exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12", "Mật khẩu quá ngắn"),
        ("12345678901", "Mật khẩu không được chỉ gồm chữ số."),
        ("password123", "Mật khẩu này quá phổ biến"),
    ],
)
def test_it_checks_passwords_with_django_validators_in_vietnamese(admin_client, cast, password, message):
    response = admin_client.post(url("user_create"), create_data(password1=password, password2=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="bithu.ngansach").exists()


def test_a_password_like_the_username_is_refused(admin_client, cast):
    response = admin_client.post(url("user_create"), create_data(password1="bithu.ngansach", password2="bithu.ngansach"))
    assert "Mật khẩu quá giống" in response.content.decode()


def test_it_refuses_a_username_already_taken_whatever_the_case(admin_client, cast):
    response = admin_client.post(url("user_create"), create_data(username="QuanTri"))
    assert response.status_code == 200
    assert "đã có người dùng" in response.content.decode()
    assert User.objects.filter(username__iexact="quantri").count() == 1


# ---------------------------------------------------------------------------------------
# Edit, deactivate, reset password


def test_it_edits_a_user_and_records_who_did_it(admin_client, cast):
    data = {"username": cast.member.username, "full_name": "Nguyễn Văn Ân", "email": "an@example.vn", "phone": ""}
    response = admin_client.post(url("user_update", cast.member.pk), data)
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.full_name == "Nguyễn Văn Ân"
    latest = cast.member.history.latest()
    assert latest.history_user == cast.admin
    assert latest.full_name == "Nguyễn Văn Ân"
    assert latest.prev_record.full_name == "Nguyễn Văn An"


def test_the_search_text_follows_an_edit(admin_client, cast):
    data = {"username": cast.member.username, "full_name": "Lý Thường Kiệt", "email": "", "phone": ""}
    admin_client.post(url("user_update", cast.member.pk), data)
    assert names_listed(admin_client.get(url("user_list"), {"q": "thuong kiet"})) == {cast.member.username}


def test_it_deactivates_a_user_and_never_deletes_it(admin_client, cast):
    response = admin_client.post(url("user_deactivate", cast.member.pk))
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert not cast.member.is_active
    assert User.objects.filter(pk=cast.member.pk).exists()
    latest = cast.member.history.latest()
    assert latest.history_change_reason == "Khóa tài khoản"
    assert latest.history_user == cast.admin


def log_in(client, user, password):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


def test_a_deactivated_user_can_no_longer_log_in(admin_client, client, cast):
    admin_client.post(url("user_deactivate", cast.member.pk))
    admin_client.post(reverse("accounts:logout"))
    response = log_in(client, cast.member, cast.password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deactivate_refuses_get(admin_client, cast):
    assert admin_client.get(url("user_deactivate", cast.member.pk)).status_code == 405
    assert admin_client.get(url("user_activate", cast.member.pk)).status_code == 405


def test_an_administrator_cannot_deactivate_themselves(admin_client, cast):
    response = admin_client.post(url("user_deactivate", cast.admin.pk), follow=True)
    cast.admin.refresh_from_db()
    assert cast.admin.is_active
    assert "không thể tự khóa" in response.content.decode()


def test_it_reactivates_a_user(admin_client, cast):
    services.user_deactivate(user=cast.member, by=cast.admin)
    admin_client.post(url("user_activate", cast.member.pk))
    cast.member.refresh_from_db()
    assert cast.member.is_active


def test_it_resets_a_password(admin_client, client, cast):
    data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    response = admin_client.post(url("user_password_reset", cast.member.pk), data)
    assert response.status_code == 302
    cast.member.refresh_from_db()
    assert cast.member.check_password(NEW_PASSWORD)
    assert cast.member.history.latest().history_change_reason == "Đặt lại mật khẩu"


def test_a_reset_password_goes_through_the_validators(admin_client, cast):
    response = admin_client.post(url("user_password_reset", cast.member.pk), {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "không được chỉ gồm chữ số" in response.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.check_password(cast.password)


def test_a_login_writes_no_history_row(client, cast):
    before = cast.base.history.count()
    assert log_in(client, cast.base, cast.password).status_code == 302
    client.get(reverse("home"))
    assert cast.base.history.count() == before


# ---------------------------------------------------------------------------------------
# Assignments


def test_it_adds_an_assignment_and_the_scope_follows(admin_client, cast):
    response = admin_client.post(
        url("assignment_create", cast.member.pk), {"organization": cast.tree.budget_cell.pk, "role": Role.CELL_SECRETARY}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(user=cast.member, organization=cast.tree.budget_cell)
    assert assignment.role == Role.CELL_SECRETARY
    assert assignment.history.get().history_user == cast.admin
    fresh = User.objects.get(pk=cast.member.pk)
    assert can_write(fresh, cast.tree.budget_cell)


def test_an_upper_staff_assignment_may_carry_a_board(admin_client, cast):
    admin_client.post(
        url("assignment_create", cast.viewer.pk),
        {"organization": cast.tree.bloc.pk, "role": Role.UPPER_STAFF, "board": Board.INSPECTION},
    )
    assert Assignment.objects.get(user=cast.viewer, role=Role.UPPER_STAFF).board == Board.INSPECTION


def test_a_board_for_another_role_is_a_form_error_not_a_crash(admin_client, cast):
    response = admin_client.post(
        url("assignment_create", cast.member.pk),
        {"organization": cast.tree.budget_cell.pk, "role": Role.CELL_SECRETARY, "board": Board.OFFICE},
    )
    assert response.status_code == 400
    assert "Chỉ cán bộ cơ quan cấp trên mới thuộc một cơ quan tham mưu" in response.content.decode()
    assert not Assignment.objects.filter(user=cast.member, organization=cast.tree.budget_cell).exists()


def test_a_role_on_the_wrong_level_is_refused(admin_client, cast):
    data = {"organization": cast.tree.bloc.pk, "role": Role.MEMBER}
    response = admin_client.post(url("assignment_create", cast.member.pk), data)
    assert response.status_code == 400
    assert "chỉ gán cho tổ chức thuộc các cấp" in response.content.decode()


def test_the_same_role_twice_on_one_organization_is_refused(admin_client, cast):
    response = admin_client.post(
        url("assignment_create", cast.base.pk), {"organization": cast.tree.finance.pk, "role": Role.BASE_COMMITTEE}
    )
    assert response.status_code == 400
    assert "đã có vai trò" in response.content.decode()
    assert cast.base.assignments.count() == 1


def test_a_dissolved_organization_is_not_offered(admin_client, cast):
    organization_dissolve(organization=cast.tree.newspaper, effective_on=dt.date(2020, 1, 1))
    response = admin_client.get(url("user_detail", cast.member.pk))
    offered = set(response.context["assignment_form"].fields["organization"].queryset)
    assert cast.tree.newspaper not in offered
    assert cast.tree.budget_cell in offered


def test_assignment_create_refuses_get(admin_client, cast):
    assert admin_client.get(url("assignment_create", cast.member.pk)).status_code == 405


def test_it_ends_an_assignment_without_deleting_it(admin_client, cast):
    assignment = cast.cell.assignments.get()
    response = admin_client.post(url("assignment_end", assignment.pk))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert not assignment.active
    assert not Organization.objects.for_user(User.objects.get(pk=cast.cell.pk)).exists()
    latest = assignment.history.latest()
    assert latest.history_change_reason == "Kết thúc phân công"
    assert latest.history_user == cast.admin


def test_assignment_end_refuses_get(admin_client, cast):
    assert admin_client.get(url("assignment_end", cast.cell.assignments.get().pk)).status_code == 405


def test_an_ended_assignment_can_be_taken_up_again(admin_client, cast):
    assignment = cast.cell.assignments.get()
    services.assignment_end(assignment=assignment, by=cast.admin)
    data = {"organization": cast.tree.office_cell.pk, "role": Role.CELL_SECRETARY}
    admin_client.post(url("assignment_create", cast.cell.pk), data)
    assignment.refresh_from_db()
    assert assignment.active
    assert assignment.history.count() == 3


def test_the_last_administrator_keeps_their_role(admin_client, cast):
    response = admin_client.post(url("assignment_end", cast.admin.assignments.get().pk), follow=True)
    assert cast.admin.assignments.get().active
    assert "quản trị cuối cùng" in response.content.decode()


def test_the_user_page_shows_the_change_history(admin_client, cast):
    admin_client.post(url("user_deactivate", cast.member.pk))
    admin_client.post(url("user_activate", cast.member.pk))
    services.assignment_end(assignment=cast.member.assignments.get(), by=cast.admin)
    response = admin_client.get(url("user_detail", cast.member.pk))
    assert response.status_code == 200
    history = response.context["history"]
    reasons = [entry.reason for entry in history]
    assert reasons[:3] == ["Kết thúc phân công", "Mở khóa tài khoản", "Khóa tài khoản"]
    assert ("Đang hiệu lực", "Có", "Không") in [(c.label, c.old, c.new) for c in history[0].changes]
    text = response.content.decode()
    assert "Lịch sử thay đổi" in text
    assert "Quản Trị Viên" in text
