"""The measure of issue 3: importing a 7-HSĐV member list of 150,000 rows (.xlsx).

- app: the application's import (``members_parse`` + ``members_import``: read, check every
  row, write members with their history, status rows and cell memberships), in a
  transaction that is rolled back so each run starts from the same database;
- limit: openpyxl's own read-only parse of the same file (reading it, nothing more);
- ``import_export_s``: django-import-export (what a Django developer would reach for)
  importing the same file through a ``ModelResource``, once, also rolled back;
- ``peak_mb``: the peak of memory the application's import allocated (tracemalloc).

The file is generated into ``var/`` (not committed): new members (CCCD and card numbers
that the generated data set does not use) spread over the data set's cells.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from bench.registry import Sides, measure
from lib.names import random_name
from lib.tabular import write_xlsx
from members.columns import EXPORT_COLUMNS
from members.models import Member
from orgs.models import Organization

ROWS = {"bloc": 5_000, "province": 150_000, "nation": 150_000}
BENCH_IMPORTER = "bench-admin"


class _Rollback(Exception):
    pass


def bench_file(size: str, rows: int | None = None, *, seed: int = 3) -> Path:
    """The .xlsx of ``rows`` new members for the data set in the database (made once, reused)."""
    count = rows or ROWS[size]
    path = Path(settings.BASE_DIR) / "var" / f"bench-import-{size}-{count}.xlsx"
    if path.exists():
        return path
    cells = list(
        Organization.objects.filter(kind__level__in=("cell", "base_cell"), dissolved_on__isnull=True)
        .order_by("path")
        .values_list("code", flat=True)
    )
    if not cells:
        raise RuntimeError("The benchmark database has no cell: generate it first.")
    rng = random.Random(seed)
    today = dt.date.today()
    ethnicities = ["Kinh"] * 8 + ["Tày", "Nùng"]
    theory = ["", "Sơ cấp", "Trung cấp", "Cao cấp"]

    def rows_out():
        for n in range(1, count + 1):
            name = random_name(rng)
            age = rng.randint(22, 70)
            birth = dt.date(today.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
            admitted = dt.date(birth.year + rng.randint(19, max(age - 2, 20)), 1, 1) + dt.timedelta(days=rng.randrange(300))
            admitted = min(admitted, today - dt.timedelta(days=500))
            record = {
                "stt": n,
                "family_name": name.family,
                "middle_name": name.middle,
                "given_name": name.given,
                "birth_date": birth,
                "sex": "Nữ" if name.sex == "F" else "Nam",
                "ethnicity": rng.choice(ethnicities),
                "religion": "Không",
                "hometown": "Xã Tân Dĩnh, huyện Lạng Giang",
                "national_id": f"999{n:09d}",  # province code 999 is not used by the generator
                "phone": f"09{rng.randrange(10**8):08d}",
                "general_education": "12/12",
                "professional_education": "Đại học",
                "political_theory": rng.choice(theory),
                "job": "Công chức",
                "admitted_on": admitted,
                "full_member_on": admitted + dt.timedelta(days=366),
                "card_number": f"N{n:08d}",
                "organization": cells[n % len(cells)],
            }
            yield [record.get(c.key) for c in EXPORT_COLUMNS]

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_xlsx(EXPORT_COLUMNS, rows_out()))
    return path


def _importer() -> Any:
    from accounts.models import User

    user = User.objects.filter(username=BENCH_IMPORTER).first()
    if user is None:
        user = User.objects.create_user(username=BENCH_IMPORTER, password=None, full_name="Benchmark", is_superuser=True)
    return user


def app_import(path: Path, user: Any) -> int:
    """Parse, check and write every row, then roll back; returns how many members were created."""
    from members.importing import members_import, members_parse

    created = 0
    try:
        with transaction.atomic():
            result = members_parse(str(path), path.name, user=user)
            if not result.ok:
                raise RuntimeError("the benchmark file has errors: " + "; ".join(result.messages()[:5]))
            created = members_import(parsed=result, user=user).created
            raise _Rollback
    except _Rollback:
        pass
    return created


def openpyxl_parse(path: Path) -> int:
    """openpyxl's read-only parse of the first sheet: the data rows, with their values."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    rows = 0
    for values in book.worksheets[0].iter_rows(min_row=2, values_only=True):
        if any(v is not None for v in values):
            rows += 1
    book.close()
    return rows


def import_export_import(path: Path) -> int:
    """django-import-export's import of the same file (``ModelResource``, defaults), rolled back."""
    import tablib
    from import_export import fields, resources, widgets

    from members.models import Ethnicity, GeneralEducation, PoliticalTheory, ProfessionalEducation, Religion

    labels = {c.key: c.label for c in EXPORT_COLUMNS}

    class SexWidget(widgets.Widget):
        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
            return "F" if str(value).strip().lower() in ("nữ", "nu", "f") else "M"

    def fk(model: Any, field: str = "name") -> widgets.ForeignKeyWidget:
        return widgets.ForeignKeyWidget(model, field)

    def column(key: str, widget: Any = None) -> fields.Field:
        return fields.Field(attribute=key, column_name=labels[key], widget=widget)

    class MemberResource(resources.ModelResource):
        family_name = column("family_name")
        middle_name = column("middle_name")
        given_name = column("given_name")
        birth_date = column("birth_date", widgets.DateWidget())
        sex = column("sex", SexWidget())
        ethnicity = column("ethnicity", fk(Ethnicity))
        religion = column("religion", fk(Religion))
        hometown = column("hometown")
        national_id = column("national_id")
        phone = column("phone")
        general_education = column("general_education", fk(GeneralEducation))
        professional_education = column("professional_education", fk(ProfessionalEducation))
        political_theory = column("political_theory", fk(PoliticalTheory))
        job = column("job")
        admitted_on = column("admitted_on", widgets.DateWidget())
        full_member_on = column("full_member_on", widgets.DateWidget())
        card_number = column("card_number")
        organization = column("organization", fk(Organization, "code"))

        class Meta:
            model = Member
            import_id_fields = ("national_id",)
            fields = (
                "family_name",
                "middle_name",
                "given_name",
                "birth_date",
                "sex",
                "ethnicity",
                "religion",
                "hometown",
                "national_id",
                "phone",
                "general_education",
                "professional_education",
                "political_theory",
                "job",
                "admitted_on",
                "full_member_on",
                "card_number",
                "organization",
            )

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            for key in ("middle_name", "hometown", "phone", "job"):
                if row.get(labels[key]) is None:
                    row[labels[key]] = ""

    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    result = MemberResource().import_data(dataset, dry_run=True, raise_errors=True)
    return result.totals.get("new", 0)


def _peak_memory(fn: Any) -> float:
    """Peak of Python allocations while ``fn`` runs, in MB (tracemalloc slows it: not timed)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


@measure("member_import_xlsx", runs=1)
def member_import_xlsx(ctx: Any) -> Sides:
    """Import of a 7-HSĐV list: the application beside openpyxl's parse and django-import-export."""
    path = bench_file(ctx.size)
    user = _importer()

    def app() -> int:
        return app_import(path, user)

    def limit() -> int:
        return openpyxl_parse(path)

    def report(timings: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"rows": ROWS[ctx.size]}
        started = time.perf_counter()
        import_export_import(path)
        seconds = time.perf_counter() - started
        out["import_export_s"] = round(seconds, 3)
        out["import_export_ratio"] = round(seconds / timings["app_s"], 2) if timings["app_s"] else None
        out["peak_mb"] = round(_peak_memory(app), 1)
        out["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return out

    return Sides(app=app, limit=limit, report=report)
