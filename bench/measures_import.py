"""The measure of issue 3: importing a 7-HSĐV member list of 150,000 rows (.xlsx).

- app: the application's import (``members_parse`` + ``members_import``: read, check every
  row, write members with their history, status rows and cell memberships), in a
  transaction that is rolled back so each run starts from the same database;
- limit: openpyxl's own read-only parse of the same file (reading it, nothing more);
- ``import_export_s``: django-import-export (what a Django developer would reach for)
  importing the same file through a ``ModelResource``, once, also rolled back;
- ``peak_rss_mb``: the peak memory of the application's import as the operating system sees
  it (maximum resident set size, the .xlsx reader's own allocations included), measured in a
  process of its own (``bench.import_probe``), beside that process's size before the import;
- ``import_export_rows``: django-import-export is slow enough (about a minute per 10,000
  rows on a small machine) that ``DANGBO_BENCH_IMPORT_EXPORT_ROWS`` can run it on the first
  N rows of the file instead; unset, it imports the same file as the application.

The file is generated into ``var/`` (not committed): new members (CCCD and card numbers
that the generated data set does not use) spread over the data set's cells.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
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


def probe_import(path: Path) -> dict[str, Any]:
    """The application's import of ``path`` in a fresh process: its time and peak resident memory."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.import_probe", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.import_probe failed: {completed.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def baseline_rss_mb() -> float:
    """The peak resident memory of a process that starts Django and does nothing else."""
    code = "import django; django.setup(); from bench.import_probe import peak_rss_mb; print(peak_rss_mb())"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)
    return round(float(completed.stdout.strip()), 1)


def first_rows(path: Path, rows: int) -> Path:
    """A copy of the benchmark file cut to its first ``rows`` data rows (made once, reused)."""
    from lib.tabular import read_rows

    part = path.with_name(f"{path.stem}-first-{rows}.xlsx")
    if not part.exists():
        reader = read_rows(str(path), path.name)
        next(reader)  # the header
        values = (v for _, (_, v) in zip(range(rows), reader, strict=False))
        part.write_bytes(write_xlsx(EXPORT_COLUMNS, values))
    return part


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
        probe = probe_import(path)
        out["peak_rss_mb"] = probe["max_rss_mb"]
        out["django_process_rss_mb"] = baseline_rss_mb()
        rows = int(os.environ.get("DANGBO_BENCH_IMPORT_EXPORT_ROWS") or ROWS[ctx.size])
        source = path if rows >= ROWS[ctx.size] else first_rows(path, rows)
        started = time.perf_counter()
        import_export_import(source)
        seconds = time.perf_counter() - started
        out["import_export_rows"] = rows
        out["import_export_s"] = round(seconds, 3)
        per_row_app = timings["app_s"] / ROWS[ctx.size]
        out["import_export_ratio"] = round(seconds / rows / per_row_app, 2) if per_row_app else None
        return out

    return Sides(app=app, limit=limit, report=report)
