"""The fixed cast of users, one per role, on the small test tree."""

from __future__ import annotations

from types import SimpleNamespace

from accounts.models import Assignment, Board, Role, User

PASSWORD = "Mat-khau-thu-2026"


def make_user(username: str, full_name: str, *assignments: tuple, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, full_name=full_name, is_superuser=superuser)
    for org, role, *board in assignments:
        Assignment.objects.create(user=user, organization=org, role=role, board=board[0] if board else "")
    return user


def build_cast(tree: SimpleNamespace) -> SimpleNamespace:
    return SimpleNamespace(
        tree=tree,
        admin=make_user("quantri", "Quản Trị Viên", (tree.province, Role.ADMIN)),
        upper=make_user("bantochuc", "Lê Thị Thu Hà", (tree.bloc, Role.UPPER_STAFF, Board.ORGANIZATION)),
        base=make_user("bithu.taichinh", "Trần Văn Bình", (tree.finance, Role.BASE_COMMITTEE)),
        cell=make_user("bithu.vanphong", "Phạm Thị Cúc", (tree.office_cell, Role.CELL_SECRETARY)),
        member=make_user("dangvien.an", "Nguyễn Văn An", (tree.office_cell, Role.MEMBER)),
        viewer=make_user("lanhdao", "Hoàng Văn Dũng", (tree.bloc, Role.VIEWER)),
        outsider=make_user("bithu.dienluc", "Đỗ Minh Đức", (tree.power, Role.BASE_COMMITTEE)),
        password=PASSWORD,
    )
