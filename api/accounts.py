"""The caller: who they are, their assignments and the roots of their scope."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema

from accounts.models import Board, Role
from api.common import current_user
from api.errors import ERROR_RESPONSES
from lib.i18n import lazy_text
from orgs.models import Organization

router = Router(tags=[lazy_text(gettext_lazy("Tài khoản"))])


class AssignmentOut(Schema):
    organization: str = Field(description=lazy_text(gettext_lazy("Mã tổ chức.")))
    organization_name: str
    role: str
    role_name: str
    board: str
    board_name: str


class ScopeOut(Schema):
    everything: bool = Field(description=lazy_text(gettext_lazy("Đọc được mọi tổ chức (quản trị hệ thống).")))
    roots: list[str] = Field(description=lazy_text(gettext_lazy("Mã các tổ chức gốc: đọc được cả cây con của chúng.")))
    exact: list[str] = Field(description=lazy_text(gettext_lazy("Mã các tổ chức chỉ đọc được chính nó (chi bộ của đảng viên).")))


class MeOut(Schema):
    username: str
    full_name: str
    email: str
    is_admin: bool
    assignments: list[AssignmentOut]
    scope: ScopeOut


@router.get(
    "/me", response={200: MeOut, **ERROR_RESPONSES}, operation_id="me", summary=lazy_text(gettext_lazy("Người dùng hiện tại"))
)
def me(request: HttpRequest):
    user = current_user(request)
    scope = user.scope
    roots = Organization.objects.filter(path__in=scope.read_paths).order_by("path").values_list("code", flat=True)
    exact = Organization.objects.filter(pk__in=scope.exact_org_ids).order_by("path").values_list("code", flat=True)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "is_admin": user.is_admin,
        "assignments": [
            {
                "organization": a.organization.code,
                "organization_name": a.organization.name,
                "role": a.role,
                "role_name": str(Role(a.role).label),
                "board": a.board,
                "board_name": str(Board(a.board).label) if a.board else "",
            }
            for a in user.active_assignments
        ],
        "scope": {
            "everything": scope.everything,
            "roots": list(roots) if scope.read_paths else [],
            "exact": list(exact) if scope.exact_org_ids else [],
        },
    }
