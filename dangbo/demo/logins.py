"""One demonstration login per role, with a password easy to remember."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from accounts.models import Assignment, Board, Role, User
from lib.names import random_full_name
from members.models import Member, Status
from orgs.models import Organization

DEMO_PASSWORD = "dangbo2026"  # noqa: S105 - a published demonstration password, never a real one


@dataclass(frozen=True)
class DemoLogin:
    """``where`` is an organization code, or a rule the builder resolves."""

    username: str
    role: str
    where: str
    board: str = ""
    title: str = ""

    @property
    def password(self) -> str:
        return DEMO_PASSWORD

    @property
    def role_label(self) -> str:
        return str(self.title or Role(self.role).label)


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("quantri", Role.ADMIN, "tinh-bac-giang", title="Quản trị hệ thống"),
    DemoLogin("bantochuc", Role.UPPER_STAFF, "dang-bo-ubnd-tinh", Board.ORGANIZATION, "Cán bộ Ban Tổ chức"),
    DemoLogin("kiemtra", Role.UPPER_STAFF, "dang-bo-ubnd-tinh", Board.INSPECTION, "Cán bộ Ủy ban Kiểm tra"),
    DemoLogin("bithu.cs", Role.BASE_COMMITTEE, "so-tai-chinh", title="Bí thư đảng bộ cơ sở (Sở Tài chính)"),
    DemoLogin("bithu.cb", Role.CELL_SECRETARY, "cell-of:so-tai-chinh", title="Bí thư chi bộ (Chi bộ Văn phòng)"),
    DemoLogin("dangvien", Role.MEMBER, "cell-of:so-tai-chinh", title="Đảng viên"),
    DemoLogin("lanhdao", Role.VIEWER, "tinh-bac-giang", title="Lãnh đạo (chỉ xem)"),
]


def _organization(where: str) -> Organization:
    if where.startswith("cell-of:"):
        parent = Organization.objects.get(code=where.removeprefix("cell-of:"))
        children = Organization.objects.get_children(parent).filter(dissolved_on__isnull=True).order_by("path")
        return children.filter(name="Chi bộ Văn phòng").first() or children.first() or parent
    return Organization.objects.get(code=where)


def create_logins(*, rng: random.Random) -> list[DemoLogin]:
    """Create the users of ``DEMO_LOGINS``; the member login is tied to a Member row."""
    made = []
    hashed = make_password(DEMO_PASSWORD)  # one slow Argon2 hash, shared by every demo login
    for login in DEMO_LOGINS:
        org = _organization(login.where)
        member = None
        if login.role == Role.MEMBER:
            member = (
                Member.objects.filter(organization=org, status=Status.FULL, user__isnull=True).order_by("sort_key", "pk").first()
            )
        name = member.full_name if member else random_full_name(rng)
        user = User(
            username=login.username,
            password=hashed,
            full_name=name,
            is_superuser=login.role == Role.ADMIN,
            is_staff=login.role == Role.ADMIN,
        )
        user.save()
        Assignment.objects.create(user=user, organization=org, role=login.role, board=login.board)
        if member is not None:
            member.user = user
            member.save()
        made.append(login)
    return made
