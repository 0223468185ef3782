"""``manage.py rebuild_member_counts``: recompute the kept member counts from the raw rows.

For a register written outside the services (a restore, a bulk load), after moving an
organization to another province, and once a year to move the kept range's horizon
(``members.counts``). Runs in one transaction; the counts stay readable meanwhile.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from members import counts


class Command(BaseCommand):
    help = "Tính lại số liệu đảng viên lưu sẵn (members.counts) từ dữ liệu gốc."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", default=counts.DEFAULT_START.isoformat(), help="first day kept (YYYY-MM-DD)")
        parser.add_argument(
            "--depths",
            help="the tree depths whose organizations' counts are kept, e.g. 1,2 for a national deployment"
            " (default: the depths kept so far)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start = dt.date.fromisoformat(options["start"])
        depths = None
        if options["depths"]:
            try:
                depths = tuple(int(d) for d in options["depths"].split(","))
            except ValueError:
                raise CommandError("--depths: số nguyên cách nhau bằng dấu phẩy, ví dụ 1,2") from None
        if depths is not None and min(depths, default=0) < 1:
            raise CommandError("--depths: độ sâu bắt đầu từ 1 (1 là các tổ chức ở gốc cây)")
        kept = counts.rebuild(start=start, depths=depths, log=lambda message: self.stdout.write(message))
        self.stdout.write(f"kept from {kept.start:%d/%m/%Y} to {kept.horizon:%d/%m/%Y}, depths {kept.depths}")
