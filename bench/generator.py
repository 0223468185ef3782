"""Benchmark data sets at three sizes, written in bulk.

The organization tree is written row by row with treebeard's materialized paths computed
here (alphabet 0-9A-Z, four characters a level), together with its ``OrgVersion`` rows:
every base organization and cell belonged to an old bloc committee until the 2025
restructuring and to one of the new committees since, so "the tree as of 2020" and "the
tree today" differ everywhere. Members go in with ``executemany`` on SQLite and ``COPY``
on PostgreSQL; their status and cell rows are the ones every new record starts with
(``members.initial_history``, the rule the form and the import follow), written the same
way. No django-simple-history rows are written (no measure reads them).

Columns the generator does not know (added to the models later) get their field's
default, so a new field with a default needs no change here.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from lib.names import random_name
from lib.text import fold, full_name, name_sort_key
from members.initial_history import InitialHistory, initial_history
from members.models import (
    CellMembership,
    Ethnicity,
    GeneralEducation,
    Member,
    PoliticalTheory,
    ProfessionalEducation,
    Religion,
    Status,
    StatusChange,
)
from orgs.models import Organization, OrgVersion
from orgs.testing import ensure_kinds, ensure_sectors

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4
PARTY_FOUNDED = dt.date(1930, 2, 3)
PROVINCE_FOUNDED = dt.date(1997, 1, 1)
RESTRUCTURED_ON = dt.date(2025, 2, 1)
PAST_DATE = dt.date(2020, 6, 30)
TODAY = dt.date(2026, 1, 1)  # fixed, so a seed gives the same rows whatever the day


@dataclass(frozen=True)
class SizeSpec:
    name: str
    provinces: int
    uppers: int  # current upper committees per province (the 2025 ones)
    old_uppers: int  # upper committees per province dissolved in 2025
    base_per_upper: int
    committee_share: float  # share of base organizations that are committees with cells
    cells: tuple[int, int]  # attached cells per base committee
    members: int
    postgres_only: bool = False
    national_root: bool = False  # the provinces under one central organization

    @property
    def kept_depths(self) -> tuple[int, ...]:
        """The depths whose member counts are kept (``members.counts``): the provinces', and
        the central root above them at the nation size."""
        return (1, 2) if self.national_root else (1,)


SIZES: dict[str, SizeSpec] = {
    # Seed 004: a bloc of 77 base organizations, about 4,500 members.
    "bloc": SizeSpec("bloc", 1, 2, 2, 40, 0.45, (4, 12), 5_000),
    # Seed 002 has 840 base organizations; members rounded up to a large province.
    "province": SizeSpec("province", 1, 10, 6, 84, 0.35, (2, 10), 150_000),
    # 34 provinces from 01/07/2025 under the central root, about 60,000 organizations and
    # 5.6 million members.
    "nation": SizeSpec("nation", 34, 12, 8, 105, 0.25, (1, 3), 5_600_000, postgres_only=True, national_root=True),
}


def step(n: int) -> str:
    """The ``n``-th (1-based) path step: 1 -> "0001", 36 -> "0010"."""
    digits = ""
    while n:
        n, r = divmod(n, len(ALPHABET))
        digits = ALPHABET[r] + digits
    return digits.rjust(STEPLEN, "0")


@dataclass
class GenerationStats:
    size: str
    organizations: int = 0
    versions: int = 0
    members: int = 0
    status_changes: int = 0
    memberships: int = 0
    seconds: float = 0.0


# ---------------------------------------------------------------------------------------
# Writing rows


class _Table:
    """Insert rows of ``model`` given as dicts of attnames; other columns get their default."""

    def __init__(self, model: type[models.Model], given: list[str], *, with_pk: bool) -> None:
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.table = model._meta.db_table
        self.columns: list[str] = [f.column for f in fields if f.column]
        self.order = [f.attname for f in fields]
        self.defaults = {
            f.attname: f.get_db_prep_save(f.get_default(), connection)
            for f in fields
            if f.attname not in given and not f.primary_key
        }
        unknown = set(given) - set(self.order)
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        self.sqlite = connection.vendor == "sqlite"

    def _value(self, value: Any) -> Any:
        if self.sqlite and isinstance(value, dt.date):
            return value.isoformat()
        return value

    def tuples(self, rows: Iterable[dict[str, Any]]) -> Iterator[tuple]:
        defaults, order = self.defaults, self.order
        for row in rows:
            yield tuple(self._value(row[name]) if name in row else defaults.get(name) for name in order)

    def insert(self, rows: Iterable[dict[str, Any]], chunk: int = 5000) -> int:
        if connection.vendor == "postgresql":
            return self._copy(rows)
        count = 0
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        sql = f"INSERT INTO {self.table} ({cols}) VALUES ({marks})"
        with connection.cursor() as cursor:
            batch: list[tuple] = []
            for values in self.tuples(rows):
                batch.append(values)
                if len(batch) >= chunk:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
        return count

    def _copy(self, rows: Iterable[dict[str, Any]], buffer_bytes: int = 4 << 20) -> int:
        """COPY only the given columns, as text lines written in buffers of a few MB.

        The other columns get their default from the database for the load (``ALTER
        COLUMN … SET DEFAULT``, dropped again afterwards): the rows carry only what
        varies.
        """
        given = [name for name in self.order if name not in self.defaults]
        columns = [self.columns[self.order.index(name)] for name in given]
        cols = ", ".join(connection.ops.quote_name(c) for c in columns)
        count = 0
        with connection.cursor() as cursor, _column_defaults(cursor, self.table, self._column_defaults()):
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {self.table} ({cols}) FROM STDIN") as copy:
                parts: list[str] = []
                size = 0
                for row in rows:
                    line = "\t".join([_copy_text(row.get(name)) for name in given]) + "\n"
                    parts.append(line)
                    size += len(line)
                    count += 1
                    if size >= buffer_bytes:
                        copy.write("".join(parts).encode())
                        parts, size = [], 0
                if parts:
                    copy.write("".join(parts).encode())
        return count

    def _column_defaults(self) -> dict[str, Any]:
        columns = dict(zip(self.order, self.columns, strict=True))
        return {columns[name]: value for name, value in self.defaults.items()}


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _check_deferred_now(cursor: Any) -> None:
    """Run pending deferred foreign-key checks, which would forbid an ALTER TABLE in the
    same transaction (as inside a test), and go back to deferring them."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def _column_defaults(cursor: Any, table: str, defaults: dict[str, Any]) -> Iterator[None]:
    """Give ``table``'s columns these defaults in the database for a load, and take them back."""
    quote = connection.ops.quote_name
    _check_deferred_now(cursor)
    for column, value in defaults.items():
        if value is not None:
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {quote(column)} SET DEFAULT %s", [value])
    try:
        yield
    finally:
        _check_deferred_now(cursor)
        for column, value in defaults.items():
            if value is not None:
                cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {quote(column)} DROP DEFAULT")


@contextmanager
def _without_indexes(tables: list[str], log: Any = None) -> Iterator[None]:
    """On PostgreSQL, drop ``tables``' secondary indexes, unique and foreign-key constraints
    for a bulk load and build them again once the rows are in (one sort per index instead
    of millions of index insertions; the trigram index is the costliest). Elsewhere: nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    indexes: list[tuple[str, str]] = []
    constraints: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for table in tables:
            cursor.execute(
                "SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f') ORDER BY c.contype DESC, c.conname",
                [table],
            )
            constraints += [(table, name, definition) for name, definition in cursor.fetchall()]
            cursor.execute(
                "SELECT ci.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class ci ON ci.oid = i.indexrelid "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)",
                [table],
            )
            indexes += cursor.fetchall()
        _check_deferred_now(cursor)
        for table, name, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        _check_deferred_now(cursor)
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    if log:
        log(f"{len(indexes)} indexes and {len(constraints)} constraints rebuilt in {time.monotonic() - started:.1f} s")


HISTORY_BATCH = 100_000
_MEMBER_FACTS = ("pk", "organization_id", "admitted_on", "full_member_on", "status", "status_since")


def _history_rows(founded: dict[int, dt.date]) -> tuple[int, int]:
    """The status history and the permanent cell of every member, as
    ``members.initial_history`` has every new record start, from the member rows read back
    in batches (``founded``: each cell's founding date by id)."""
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    status_fields = ["member_id", "status", "effective_on", "decision_no", "recorded_by_id", "recorded_at"]
    statuses = _Table(StatusChange, status_fields, with_pk=False)
    memberships = _Table(CellMembership, ["member_id", "organization_id", "kind", "started_on", "ended_on"], with_pk=False)
    status_count = membership_count = 0
    last = 0
    while True:
        batch = list(Member.objects.filter(pk__gt=last).order_by("pk").values_list(*_MEMBER_FACTS)[:HISTORY_BATCH])
        if not batch:
            return status_count, membership_count
        rows = InitialHistory()
        for pk, organization_id, admitted_on, full_member_on, status, status_since in batch:
            rows.extend(
                initial_history(
                    member_id=pk,
                    organization_id=organization_id,
                    cell_founded_on=founded[organization_id],
                    admitted_on=admitted_on,
                    full_member_on=full_member_on,
                    status=status,
                    status_since=status_since,
                    today=TODAY,
                )
            )
        for row in rows.status_changes:
            row["recorded_at"] = stamp
        status_count += statuses.insert(rows.status_changes)
        membership_count += memberships.insert(rows.memberships)
        last = batch[-1][0]


# ---------------------------------------------------------------------------------------
# The tree


@dataclass
class _Node:
    id: int
    path: str
    old_path: str | None
    parent_id: int | None
    old_parent_id: int | None
    kind: str
    sector: str | None
    name: str
    code: str
    founded: dt.date
    dissolved: dt.date | None = None
    numchild: int = 0


def _tree(spec: SizeSpec, rng: random.Random, scale: float) -> list[_Node]:
    nodes: list[_Node] = []
    base_per_upper = max(2, round(spec.base_per_upper * scale))
    sectors = ["co-quan-dang", "co-quan-nha-nuoc", "mat-tran-doan-the", "don-vi-su-nghiep", "doanh-nghiep"]

    def add(**kw: Any) -> _Node:
        node = _Node(id=len(nodes) + 1, **kw)
        nodes.append(node)
        return node

    root = None
    if spec.national_root:
        root = add(
            path=step(1),
            old_path=step(1),
            parent_id=None,
            old_parent_id=None,
            kind="trung-uong",
            sector=None,
            name="Đảng Cộng sản Việt Nam",
            code="tw",
            founded=PARTY_FOUNDED,
            numchild=spec.provinces,
        )
    top = root.path if root else ""
    for p in range(1, spec.provinces + 1):
        province = add(
            path=top + step(p),
            old_path=top + step(p),
            parent_id=root.id if root else None,
            old_parent_id=root.id if root else None,
            kind="tinh",
            sector=None,
            name=f"Tỉnh ủy số {p}",
            code=f"t{p}",
            founded=PROVINCE_FOUNDED,
        )
        uppers = [
            add(
                path=province.path + step(u),
                old_path=None,
                parent_id=province.id,
                old_parent_id=None,
                kind="cap-tren-2025",
                sector=None,
                name=f"Đảng bộ cấp trên số {u} tỉnh {p}",
                code=f"t{p}-u{u}",
                founded=RESTRUCTURED_ON,
            )
            for u in range(1, spec.uppers + 1)
        ]
        olds = [
            add(
                path=province.path + step(spec.uppers + k),
                old_path=province.path + step(spec.uppers + k),
                parent_id=province.id,
                old_parent_id=province.id,
                kind="khoi",
                sector=None,
                name=f"Đảng bộ Khối số {k} tỉnh {p}",
                code=f"t{p}-k{k}",
                founded=dt.date(1997, 3, 1),
                dissolved=RESTRUCTURED_ON,
            )
            for k in range(1, spec.old_uppers + 1)
        ]
        province.numchild = len(uppers) + len(olds)
        old_counts = [0] * len(olds)
        for u, upper in enumerate(uppers, start=1):
            upper.numchild = base_per_upper
            for b in range(1, base_per_upper + 1):
                k = rng.randrange(len(olds))
                old_counts[k] += 1
                committee = rng.random() < spec.committee_share
                founded = dt.date(1998, 1, 1) + dt.timedelta(days=rng.randrange(365 * 21))
                sector = rng.choice(sectors)
                base = add(
                    path=upper.path + step(b),
                    old_path=olds[k].path + step(old_counts[k]),
                    parent_id=upper.id,
                    old_parent_id=olds[k].id,
                    kind="dang-bo-co-so" if committee else "chi-bo-co-so",
                    sector=sector,
                    name=f"{'Đảng bộ' if committee else 'Chi bộ'} cơ quan số {b} (t{p}-u{u})",
                    code=f"t{p}-u{u}-b{b}",
                    founded=founded,
                )
                if committee:
                    base.numchild = rng.randint(*spec.cells)
                    old_base_path = base.old_path or base.path
                    for c in range(1, base.numchild + 1):
                        add(
                            path=base.path + step(c),
                            old_path=old_base_path + step(c),
                            parent_id=base.id,
                            old_parent_id=base.id,
                            kind="chi-bo",
                            sector=sector,
                            name=f"Chi bộ số {c}",
                            code=f"{base.code}-c{c}",
                            founded=founded,
                        )
    return nodes


def _organization_rows(nodes: list[_Node], kinds: dict[str, int], sectors: dict[str, int]) -> Iterator[dict[str, Any]]:
    for n in nodes:
        yield {
            "id": n.id,
            "path": n.path,
            "depth": len(n.path) // STEPLEN,
            "numchild": n.numchild,
            "code": n.code,
            "name": n.name,
            "kind_id": kinds[n.kind],
            "sector_id": sectors[n.sector] if n.sector else None,
            "founded_on": n.founded,
            "dissolved_on": n.dissolved,
            "search_text": fold(f"{n.code} {n.name}"),
        }


def _version_rows(nodes: list[_Node], kinds: dict[str, int], sectors: dict[str, int]) -> Iterator[dict[str, Any]]:
    for n in nodes:
        common = {
            "organization_id": n.id,
            "name": n.name,
            "kind_id": kinds[n.kind],
            "sector_id": sectors[n.sector] if n.sector else None,
        }
        moved = n.old_path is not None and n.old_path != n.path
        if n.kind == "khoi":
            yield {
                **common,
                "valid_from": n.founded,
                "valid_to": n.dissolved,
                "parent_id": n.parent_id,
                "path": n.path,
                "depth": len(n.path) // STEPLEN,
            }
        elif moved:
            assert n.old_path is not None
            old = {"parent_id": n.old_parent_id, "path": n.old_path, "depth": len(n.old_path) // STEPLEN}
            yield {**common, **old, "valid_from": n.founded, "valid_to": RESTRUCTURED_ON}
            yield {
                **common,
                "valid_from": RESTRUCTURED_ON,
                "valid_to": None,
                "parent_id": n.parent_id,
                "path": n.path,
                "depth": len(n.path) // STEPLEN,
            }
        else:
            yield {
                **common,
                "valid_from": n.founded,
                "valid_to": None,
                "parent_id": n.parent_id,
                "path": n.path,
                "depth": len(n.path) // STEPLEN,
            }


# ---------------------------------------------------------------------------------------
# Members


@lru_cache(maxsize=200_000)
def _name_keys(family: str, middle: str, given: str) -> tuple[str, str]:
    return name_sort_key(family, middle, given), fold(full_name(family, middle, given))


# Shares of the reference lists (by code) among members, for statistics worth grouping.
LIST_SHARES: dict[type[models.Model], list[tuple[str, float]]] = {
    Ethnicity: [("01", 88), ("02", 4), ("07", 3), ("06", 2), ("03", 1.5), ("18", 1), ("04", 0.5)],
    Religion: [("khong", 93), ("phat-giao", 4), ("cong-giao", 2), ("tin-lanh", 1)],
    GeneralEducation: [("12-12", 90), ("10-10", 6), ("9-12", 3), ("7-10", 1)],
    ProfessionalEducation: [
        ("dai-hoc", 62),
        ("thac-si", 16),
        ("cao-dang", 8),
        ("trung-cap", 8),
        ("tien-si", 2),
        ("so-cap", 2),
        ("chua-dao-tao", 2),
    ],
    PoliticalTheory: [("trung-cap", 40), ("so-cap", 35), ("cao-cap", 15), ("cu-nhan", 3)],  # the rest: none
}


_LIST_FIELDS = ["ethnicity_id", "religion_id", "general_education_id", "professional_education_id", "political_theory_id"]


def _list_pickers(rng: random.Random) -> dict[str, list[int | None]]:
    """For each list field, a function drawing an id (or None) by ``LIST_SHARES``."""
    fields: dict[type[models.Model], str] = {
        Ethnicity: "ethnicity_id",
        Religion: "religion_id",
        GeneralEducation: "general_education_id",
        ProfessionalEducation: "professional_education_id",
        PoliticalTheory: "political_theory_id",
    }
    pickers: dict[str, list[int | None]] = {}
    for model, shares in LIST_SHARES.items():
        ids = dict(model.objects.values_list("code", "pk"))  # type: ignore[attr-defined]
        choices = [ids.get(code) for code, _ in shares] + [None]
        weights = [w for _, w in shares] + [max(100 - sum(w for _, w in shares), 0)]
        table = rng.choices(choices, weights, k=1000)  # drawn once: a lookup per row is cheap
        pickers[fields[model]] = table
    return pickers


def _member_rows(
    cells: list[_Node], total: int, rng: random.Random, province_of: dict[int, int], pickers: dict[str, list[int | None]]
) -> Iterator[dict[str, Any]]:
    """The member rows (a generator: it runs while the COPY is open, so it must not query)."""
    weights = [rng.uniform(0.5, 1.5) for _ in cells]
    whole = sum(weights)
    counts = [int(total * w / whole) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    serials: dict[tuple[int, int, int], int] = {}
    number = 0
    has_origin = any(f.attname == "party_age_from" for f in Member._meta.concrete_fields)
    statuses = (
        [Status.FULL] * 930
        + [Status.PROBATIONARY] * 35
        + [Status.TRANSFERRED_OUT] * 20
        + [Status.DECEASED] * 10
        + [Status.EXEMPT] * 5
    )
    for cell, count in zip(cells, counts, strict=True):
        province = province_of[cell.id]
        for _ in range(count):
            number += 1
            name = random_name(rng)
            age = rng.randint(22, 75)
            birth = dt.date(TODAY.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))
            status = rng.choice(statuses)
            if status == Status.PROBATIONARY:
                admitted = TODAY - dt.timedelta(days=rng.randint(5, 360))
                full_on = None
            else:
                admitted = dt.date(birth.year + rng.randint(19, min(age - 2, 45)), 1, 1) + dt.timedelta(days=rng.randrange(365))
                admitted = min(admitted, TODAY - dt.timedelta(days=400))
                full_on = admitted + dt.timedelta(days=365)
            century_sex = (0 if birth.year < 2000 else 2) + (1 if name.sex == "F" else 0)
            key = (province, century_sex, birth.year % 100)
            serials[key] = serials.get(key, 0) + 1
            national_id = f"{province:03d}{century_sex}{birth.year % 100:02d}{serials[key]:06d}"
            # A bijection of 0..10^9-1 (7919 is prime to 10): unique, not in insertion order.
            card = f"{(number * 7919 + 12345) % 1_000_000_000:09d}"
            sort_key, folded = _name_keys(name.family, name.middle, name.given)
            row = {
                "family_name": name.family,
                "middle_name": name.middle,
                "given_name": name.given,
                "sex": name.sex,
                "birth_date": birth,
                "national_id": national_id,
                "organization_id": cell.id,
                "status": str(status),
                "admitted_on": admitted,
                "full_member_on": full_on,
                "card_number": card,
                "sort_key": sort_key,
                # As Member.save writes it: the CCCD is matched whole, never searched as text.
                "search_text": f"{folded} {card}",
            }
            if has_origin:  # derived by Member.save, which bulk writes skip
                row["party_age_from"] = admitted
            if status not in (Status.PROBATIONARY, Status.FULL):
                assert full_on is not None
                row["status_since"] = min(full_on + dt.timedelta(days=rng.randrange(3000)), TODAY)
            for attname, table in pickers.items():
                row[attname] = table[int(rng.random() * 1000)]
            yield row


# ---------------------------------------------------------------------------------------


def generate(size: str, *, scale: float = 1.0, seed: int = 2026, log: Any = None) -> GenerationStats:
    """Write the ``size`` data set into an empty database (see ``SIZES``)."""
    spec = SIZES[size]
    rng = random.Random(seed)
    started = time.monotonic()
    stats = GenerationStats(size=size)
    kinds = {code: k.pk for code, k in ensure_kinds().items()}
    sectors = {code: s.pk for code, s in ensure_sectors().items()}
    nodes = _tree(spec, rng, scale)
    province_of: dict[int, int] = {}
    for n in nodes:  # parents come before their children (the central root has no province)
        province_of[n.id] = int(n.code[1:]) if n.kind == "tinh" else province_of.get(n.parent_id or 0, 0)
    cells = [n for n in nodes if n.kind in ("chi-bo", "chi-bo-co-so")]
    member_total = max(len(cells) * 3, round(spec.members * scale))
    with transaction.atomic():
        org_fields = [
            "id",
            "path",
            "depth",
            "numchild",
            "code",
            "name",
            "kind_id",
            "sector_id",
            "founded_on",
            "dissolved_on",
            "search_text",
        ]
        stats.organizations = _Table(Organization, org_fields, with_pk=True).insert(_organization_rows(nodes, kinds, sectors))
        version_fields = [
            "organization_id",
            "name",
            "kind_id",
            "sector_id",
            "valid_from",
            "valid_to",
            "parent_id",
            "path",
            "depth",
        ]
        stats.versions = _Table(OrgVersion, version_fields, with_pk=False).insert(_version_rows(nodes, kinds, sectors))
        if log:
            log(f"{stats.organizations} organizations, {stats.versions} versions in {time.monotonic() - started:.1f} s")
        member_fields = [
            "family_name",
            "middle_name",
            "given_name",
            "sex",
            "birth_date",
            "national_id",
            "organization_id",
            "status",
            "admitted_on",
            "full_member_on",
            "card_number",
            "sort_key",
            "search_text",
            "status_since",
            *_LIST_FIELDS,
        ]
        member_tables = [Member._meta.db_table, StatusChange._meta.db_table, CellMembership._meta.db_table]
        with _without_indexes(member_tables, log):
            loading = time.monotonic()
            member_table = _Table(Member, member_fields, with_pk=False)
            pickers = _list_pickers(rng)
            stats.members = member_table.insert(_member_rows(cells, member_total, rng, province_of, pickers))
            if log:
                log(f"{stats.members} members written in {time.monotonic() - loading:.1f} s")
            loading = time.monotonic()
            stats.status_changes, stats.memberships = _history_rows({n.id: n.founded for n in cells})
            if log:
                log(f"{stats.status_changes} status rows, {stats.memberships} memberships in {time.monotonic() - loading:.1f} s")
        _reset_sequences()
        from bench.generator_reviews import generate_reviews  # review rounds, reviews, tallies (issue 8)

        generate_reviews(nodes, size, seed=seed, log=log)
        # The member counts kept for the statistics and the indicators (members.counts), as
        # of the data set's fixed day.
        from members.counts import rebuild

        rebuild(today=TODAY, depths=spec.kept_depths, log=log)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a database in use: statistics, and the visibility map that lets
        # a count be answered from an index alone (VACUUM cannot run in a transaction: a test's).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    stats.seconds = time.monotonic() - started
    return stats


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    for sql in connection.ops.sequence_reset_sql(no_style(), [Organization, OrgVersion, Member, StatusChange, CellMembership]):
        with connection.cursor() as cursor:
            cursor.execute(sql)
