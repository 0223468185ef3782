"""``manage.py serve_demo``: print the address and the demo logins, then serve dangbo."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dangbo.demo.logins import DEMO_LOGINS


class Command(BaseCommand):
    help = "Chạy dangbo với dữ liệu minh họa và in các tài khoản đăng nhập."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, **options) -> None:
        host, port = options["host"], options["port"]
        self.stdout.write(self.style.SUCCESS(f"dangbo đang chạy tại http://{host}:{port}/"))
        self.stdout.write(login_table())
        self.stdout.write("Nhấn Ctrl+C để dừng.\n")
        call_command("runserver", f"{host}:{port}", use_reloader=False)


def login_table() -> str:
    rows = [("Vai trò", "Tên đăng nhập", "Mật khẩu")] + [(d.role_label, d.username, d.password) for d in DEMO_LOGINS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
