"""The measure of issue 10: reconciling a province's 7-HSĐV list of 150,000 rows with the register.

- app: ``members.services_reconcile.reconciliation_run`` on the stored list, as the page runs it
  (read the .xlsx with the import's engine, the register as of the date in one query,
  match by CCCD, card number, then name and date of birth, compare every field, store the
  differences), in a transaction rolled back so each run starts from the same database;
- limit: a hand-written comparison of the two lists sorted by CCCD: the register as of the
  date in one SQL query ordered by CCCD, the file's rows read with ``lib.tabular`` and sorted
  in Python, then one merge of the two sorted lists.

The answer is the number of members matched, in the list only, in the register only, and of
each field that differs. The list (``var/``, not committed) is the register of the first
province as of ``ON``, exported in the 7-HSĐV layout and changed at random: some members
dropped, some names, dates of birth, card numbers, cells and statuses changed, and new
members (CCCDs of province code 998, born in the 1940s, so nothing in the register can
answer to them) added up to 150,000 rows.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count
from django.utils import translation

from bench.measures import Context
from bench.registry import Sides, measure
from lib.names import random_name
from lib.tabular import read_rows, write_xlsx
from members.columns import EXPORT_COLUMNS
from members.models import IN_PARTY_STATUSES, Reconciliation, Status
from orgs.scope import PATH_END

ROWS = {"bloc": 5_000, "province": 150_000, "nation": 150_000}
ON = dt.date(2025, 12, 31)  # the end of a quarter: the lists are reconciled every 3 months
COMPARED = ("name", "birth_date", "admitted_on", "full_member_on", "card_number", "organization", "status")


class _Rollback(Exception):
    pass


# The register as of ON, by hand: the permanent memberships open on the date in the
# subtree as the tree then was, the status of the day, ordered by CCCD.
REGISTER_SQL = """
SELECT m.national_id, m.family_name, m.middle_name, m.given_name, m.birth_date, m.admitted_on, m.full_member_on,
       m.card_number, o.code, (
         SELECT s.status FROM members_statuschange s
         WHERE s.member_id = m.id AND s.effective_on <= %(on)s
         ORDER BY s.effective_on DESC, s.id DESC LIMIT 1
       ) AS status_on
FROM members_cellmembership cm
JOIN members_member m ON m.id = cm.member_id
JOIN orgs_organization o ON o.id = cm.organization_id
WHERE cm.kind = 'permanent' AND cm.started_on <= %(on)s AND (cm.ended_on IS NULL OR cm.ended_on > %(on)s)
  AND cm.organization_id IN (
    SELECT v.organization_id FROM orgs_orgversion v
    WHERE v.valid_from <= %(on)s AND (v.valid_to IS NULL OR v.valid_to > %(on)s)
      AND v.path >= %(root)s AND v.path < %(end)s
  )
ORDER BY m.national_id
"""


def _root_path(ctx: Context) -> str:
    from orgs.models import OrgVersion

    path = OrgVersion.objects.as_of(ON).filter(organization=ctx.province).values_list("path", flat=True).first()
    return path or ctx.province.path


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def register_rows(ctx: Context) -> list[tuple]:
    """The register as of ON, in the party that day, sorted by CCCD (one query)."""
    root = _root_path(ctx)
    with connection.cursor() as cursor:
        cursor.execute(REGISTER_SQL, {"on": ON, "root": root, "end": root + PATH_END})
        rows = cursor.fetchall()
    in_party = set(IN_PARTY_STATUSES)
    return [r for r in rows if r[9] in in_party]


def _labels() -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in Status.choices}


def bench_file(ctx: Context, *, seed: int = 10) -> Path:
    """The province's list as of ON with its differences (made once, reused)."""
    count = ROWS[ctx.size]
    path = Path(settings.BASE_DIR) / "var" / f"bench-reconcile-{ctx.size}-{count}.xlsx"
    if path.exists():
        return path
    rng = random.Random(seed)
    labels = _labels()
    register = register_rows(ctx)
    cells = sorted({r[8] for r in register})
    keys = [c.key for c in EXPORT_COLUMNS]

    def rows_out():
        written = 0
        for national_id, family, middle, given, birth, admitted, full_on, card, cell, status in register:
            if written >= count:
                return
            draw = rng.random()
            if draw < 0.01:
                continue  # dropped from the list: in the register only
            birth, full_on = _date(birth), _date(full_on)
            full_on = full_on if full_on and full_on <= ON else None
            if 0.01 <= draw < 0.02:
                given = random_name(rng).given  # may draw the same name: the merge counts what differs
            elif 0.02 <= draw < 0.025:
                birth = birth + dt.timedelta(days=1)
            elif 0.025 <= draw < 0.03:
                card = f"C{rng.randrange(10**8):08d}"
            elif 0.03 <= draw < 0.035:
                cell = rng.choice(cells)
            elif 0.035 <= draw < 0.037:
                status = Status.SUSPENDED if status != Status.SUSPENDED else Status.FULL
            record = {
                "family_name": family,
                "middle_name": middle,
                "given_name": given,
                "birth_date": birth,
                "sex": "Nam",
                "national_id": national_id,
                "full_member_on": full_on,
                "admitted_on": _date(admitted),
                "card_number": card,
                "organization": cell,
                "status": labels[status],
            }
            written += 1
            record["stt"] = written
            yield [record.get(k) for k in keys]
        n = 0
        while written < count:
            n += 1
            name = random_name(rng)
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(3650))
            written += 1
            record = {
                "stt": written,
                "family_name": name.family,
                "middle_name": name.middle,
                "given_name": name.given,
                "birth_date": birth,
                "sex": "Nữ" if name.sex == "F" else "Nam",
                "national_id": f"998{n:09d}",
                "admitted_on": dt.date(birth.year + 25, 5, 19),
                "full_member_on": dt.date(birth.year + 26, 5, 19),
                "card_number": f"N{n:08d}",
                "organization": rng.choice(cells),
                "status": labels[Status.FULL],
            }
            yield [record.get(k) for k in keys]

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(write_xlsx(EXPORT_COLUMNS, rows_out()))
    return path


# --- the two sides --------------------------------------------------------------------------


def _name(*parts: Any) -> str:
    text = " ".join(str(p) for p in parts if p)
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def merge_by_cccd(ctx: Context, path: Path) -> dict[str, int]:
    """The hand-written comparison: both lists sorted by CCCD, one merge."""
    labels = {label: value for value, label in _labels().items()}
    reader = read_rows(str(path), path.name)
    header = next(h for _n, h in reader if "Số CCCD" in h)
    at = {label: header.index(label) for label in header if label}

    def raw(values: list[Any], label: str) -> Any:
        return values[at[label]] if at[label] < len(values) else None

    def text(values: list[Any], label: str) -> str:
        value = raw(values, label)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    listed = []
    for _n, values in reader:
        listed.append(
            (
                text(values, "Số CCCD"),
                _name(text(values, "Họ"), text(values, "Tên đệm"), text(values, "Tên")),
                _date(raw(values, "Ngày sinh")),
                _date(raw(values, "Ngày vào Đảng")),
                _date(raw(values, "Ngày chính thức")),
                text(values, "Số thẻ đảng viên"),
                text(values, "Mã chi bộ"),
                labels.get(text(values, "Trạng thái")),
            )
        )
    listed.sort(key=lambda r: r[0])
    register = register_rows(ctx)  # sorted by CCCD in SQL
    answer: Counter[str] = Counter()
    i = j = 0
    while i < len(listed) or j < len(register):
        a = listed[i] if i < len(listed) else None
        b = register[j] if j < len(register) else None
        if b is None or (a is not None and a[0] < b[0]):
            answer["list_only"] += 1
            i += 1
            continue
        if a is None or b[0] < a[0]:
            answer["register_only"] += 1
            j += 1
            continue
        answer["matched"] += 1
        full_on = _date(b[6])
        held = (
            _name(b[1], b[2], b[3]),
            _date(b[4]),
            _date(b[5]),
            full_on if full_on and full_on <= ON else None,
            b[7] or "",
            b[8],
            b[9],
        )
        for key, mine, theirs in zip(COMPARED, a[1:], held, strict=True):
            if mine != theirs:
                answer[key] += 1
        i += 1
        j += 1
    return dict(sorted(answer.items()))


def _stored(path: Path, ctx: Context) -> Reconciliation:
    """A reconciliation of the bench list, its file stored as an upload is (made once)."""
    rec = Reconciliation.objects.filter(created_by=ctx.admin, filename=path.name).first()
    if rec is None:
        rec = Reconciliation(created_by=ctx.admin, organization=ctx.province, on=ON, filename=path.name)
        with path.open("rb") as handle:
            rec.file.save(path.name, File(handle), save=False)
        rec.total = ROWS[ctx.size]
        rec.save()
    return rec


def app_reconcile(rec: Reconciliation) -> dict[str, int]:
    """The application's reconciliation of the stored list, stored, read back, then rolled back."""
    from members.models import DifferenceKind
    from members.services_reconcile import reconciliation_run

    answer: dict[str, int] = {}
    try:
        with transaction.atomic():
            done = reconciliation_run(rec)
            if done.status != "done":
                raise RuntimeError(f"the reconciliation ended {done.status}: {done.errors[:5]}")
            answer["matched"] = done.matched_count
            answer["list_only"] = done.counts[DifferenceKind.LIST_ONLY]
            answer["register_only"] = done.counts[DifferenceKind.REGISTER_ONLY]
            fields = done.differences.filter(kind=DifferenceKind.FIELD).values("field").annotate(n=Count("pk")).order_by()
            answer.update({row["field"]: row["n"] for row in fields})
            unexpected = {
                k: v for k, v in done.counts.items() if v and k in (DifferenceKind.UNREADABLE, DifferenceKind.DUPLICATE)
            }
            if unexpected:
                raise RuntimeError(f"the bench list has unreadable or repeated rows: {unexpected}")
            raise _Rollback
    except _Rollback:
        pass
    return dict(sorted((k, v) for k, v in answer.items() if v))


@measure("member_reconcile_xlsx", runs=1)
def member_reconcile_xlsx(ctx: Context) -> Sides:
    """Reconciliation of a province's 7-HSĐV list with the register, beside a merge of the two sorted by CCCD."""
    path = bench_file(ctx)
    rec = _stored(path, ctx)

    def app() -> dict[str, int]:
        return app_reconcile(rec)

    def limit() -> dict[str, int]:
        return merge_by_cccd(ctx, path)

    def report(timings: dict[str, Any]) -> dict[str, Any]:
        return {"rows": ROWS[ctx.size], "on": ON.isoformat(), "goal_s": 60, "within_goal": timings["app_s"] < 60}

    return Sides(app=app, limit=limit, report=report)
