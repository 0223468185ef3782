"""``manage.py demo_data``: load the demonstration committee (see dangbo/demo/build.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangbo.demo.build import build_demo, demo_is_loaded


class Command(BaseCommand):
    help = "Tạo bộ dữ liệu minh họa: một đảng bộ khối cấp tỉnh với các tổ chức cơ sở đảng, nhiệm kỳ, đảng viên và tài khoản."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Tỷ lệ quy mô: 1.0 ≈ 77 tổ chức cơ sở đảng, 4.500 đảng viên."
        )
        parser.add_argument("--members", type=int, default=None, help="Số đảng viên (mặc định theo tỷ lệ quy mô).")
        parser.add_argument("--if-empty", action="store_true", help="Không làm gì nếu cơ sở dữ liệu đã có tổ chức đảng.")

    def handle(self, *args, **options) -> None:
        if demo_is_loaded():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: giữ nguyên.")
                return
            raise CommandError("Cơ sở dữ liệu đã có tổ chức đảng. Dùng một cơ sở dữ liệu trống, hoặc thêm --if-empty.")
        if options["scale"] <= 0:
            raise CommandError("--scale phải lớn hơn 0.")
        if options["members"] is not None and options["members"] < 0:
            raise CommandError("--members không được âm.")
        started = time.monotonic()
        summary = build_demo(seed=options["seed"], scale=options["scale"], members=options["members"])
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu minh họa trong {elapsed:.1f} giây: {summary.organizations} tổ chức đảng "
                f"({summary.base_organizations_2020} tổ chức cơ sở đảng năm 2020, {summary.cells} chi bộ hiện có), "
                f"{summary.terms} nhiệm kỳ, {summary.seats} chức danh cấp ủy, {summary.members} đảng viên, "
                f"{len(summary.logins)} tài khoản."
            )
        )
