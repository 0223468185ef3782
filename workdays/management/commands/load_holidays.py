"""Fill the holiday calendar from the Labour Code rules: ``load_holidays --from 2015 --to 2035``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lib import workdays as rules
from workdays.services import holidays_load


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ, Tết, nghỉ bù theo Bộ luật Lao động cho các năm; giữ nguyên các ngày đã có."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="first", type=int, default=2015, help="năm đầu (mặc định 2015)")
        parser.add_argument("--to", dest="last", type=int, default=2035, help="năm cuối (mặc định 2035)")

    def handle(self, *args, first: int, last: int, **options) -> None:
        if not (rules.FIRST_YEAR <= first <= last <= rules.LAST_YEAR):
            raise CommandError(f"Khoảng năm phải nằm trong {rules.FIRST_YEAR}–{rules.LAST_YEAR} và năm đầu không sau năm cuối.")
        days, worked = holidays_load(first_year=first, last_year=last)
        self.stdout.write(f"Đã thêm {days} ngày nghỉ và {worked} ngày làm bù cho các năm {first}–{last}.")
