"""Member counts kept per organization: what the statistics page and the member indicators read.

Why: at the nation's size (5.6 million members) a recount of the raw rows at the national
root takes 45 s (issue 9, "Scale"). Here the counts are kept, in the same transaction as
every change that moves them, so that a count at a date is a snapshot plus the few changes
since.

What is kept (``members.models.MemberCountDelta`` and ``MemberCountSnapshot``):

- for the whole register (path ``""``) and for every organization at the kept depths of the
  tree (``KeptRange.depths``, keyed by its path as it stood that day): depth 1 by default
  (the provinces of a provincial deployment); a national deployment, whose provinces sit
  under one central root, keeps depths 1 and 2 (``rebuild(depths=(1, 2))``,
  ``manage.py rebuild_member_counts --depths 1,2``);
- by dimension: the in-party status, sex, age band and youth (on that day), the five
  reference lists, plus two running totals by admission date, ``admitted`` and
  ``admitted_youth`` (kept under the path of the cell of admission as the tree stood that
  day, as the admission indicator counts them: ``admission_path``);
- as deltas by day (``MemberCountDelta``: how a count moved that day) and yearly
  snapshots (``MemberCountSnapshot``: the sum of every delta before 1 January; see
  ``SNAPSHOT_MONTHS`` for why yearly). A count on day D is the nearer snapshot plus or minus
  the deltas between it and D: at most half a year of deltas.

Ages: the age bands and youth are relative to the date asked, and a birth year alone cannot
say whether a member born in the boundary year has had their birthday. So the day a member
crosses a band boundary (turns 31, 41, 51, 61) is itself a kept delta: moving from one band
to the next is a change of the count like any other, dated on the birthday. The deltas are
written from ``KeptRange.start`` to ``KeptRange.horizon`` (the end of the year after the
build); a date outside that range is answered by the raw recount, and
``manage.py rebuild_member_counts`` moves the range (run it once a year, or after changing
the tree above the cells by hand). Organizations below the kept depths (in a provincial
deployment, an upper committee and below) are small enough to count from the raw rows: their
readers fall back to the recount. Each kept
depth costs about as much again to write: the import of 150,000 members writes its counts
once per kept path of each member.

How it is kept: every writer of ``Member``, ``StatusChange`` or ``CellMembership`` runs
inside ``following(member_ids)`` (or ``follow``, its decorator form): the members'
contributions (``contributions``: a pure function of their rows) are computed before and
after, and their difference is added to the kept rows by one upsert per table. A change
dated back before a snapshot corrects every later snapshot in the same statement. The
property test ``members/tests/test_counts_property.py`` holds the kept counts equal to the
recount after random changes dated back and forward.

Readers: ``counts_on`` (counts by dimension on a date for an organization or the whole
register) and ``admissions_between``. Both return None when the counts are not kept for
that question; the caller then recounts the raw rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Q

from members import rules
from members.models import (
    IN_PARTY_STATUSES,
    CellMembership,
    KeptRange,
    Member,
    MemberCountDelta,
    MemberCountSnapshot,
    MembershipKind,
    Status,
    StatusChange,
)
from orgs.models import Organization, OrgVersion

KEPT_DEPTHS = (1,)
"""Organizations whose counts are kept by default, by depth as the tree stood on the day (1:
the roots). The depths of a database are those its last rebuild stored in ``KeptRange``."""

STEPLEN = Organization.steplen
DEFAULT_START = dt.date(2010, 1, 1)
"""The first day kept: terms of five years back to 2010–2015."""

LIST_DIMENSIONS = ("ethnicity", "religion", "general_education", "professional_education", "political_theory")
DIMENSIONS = ("status", "sex", "age_band", "youth", *LIST_DIMENSIONS)
ADMITTED, ADMITTED_YOUTH = "admitted", "admitted_youth"
CHANGED = "changed"
"""A running total of status rows by status (``CHANGED_STATUSES``), dated on their day."""
CHANGED_STATUSES = tuple(s.value for s in (Status.FULL, Status.DECEASED, Status.REMOVED, Status.EXPELLED))
"""The statuses the statistics page counts as the period's changes (``selectors.changes_in_period``)."""

Key = tuple[str, dt.date, str, str]  # (path, day, dimension, key)


@functools.cache
def _bands() -> list[tuple[str, int | None]]:
    """(band key, highest age) from the statistics' bands, youngest first."""
    from members.selectors import AGE_BANDS  # the page's bands: one definition

    return [(key, high) for key, _label, _low, high in AGE_BANDS]


def horizon_for(today: dt.date) -> dt.date:
    return dt.date(today.year + 1, 12, 31)


def kept_range() -> KeptRange | None:
    """The days kept, or None before the first build."""
    with connection.cursor() as cursor:  # read on every count: one plain query
        cursor.execute(f"SELECT id, start, horizon, depths FROM {KeptRange._meta.db_table} ORDER BY id LIMIT 1")
        row = cursor.fetchone()
    if row is None:
        return None
    start, horizon = (v if isinstance(v, dt.date) else dt.date.fromisoformat(v) for v in row[1:3])
    return KeptRange(pk=row[0], start=start, horizon=horizon, depths=row[3])


# ---------------------------------------------------------------------------------------
# One member's contribution


@dataclass
class Facts:
    """What a member's contribution depends on, read in bulk by ``load_facts``."""

    pk: int
    birth_date: dt.date
    sex: str
    lists: tuple[str, ...]
    admitted_on: dt.date
    statuses: list[tuple[dt.date, int, str]]
    memberships: list[tuple[int, dt.date, dt.date | None]]  # permanent ones


Versions = dict[int, list[tuple[dt.date, dt.date | None, str]]]
"""Per organization id: (valid_from, valid_to, path); an organization without versions is
keyed by its current path (``load_facts`` stores it as one open version)."""


def _turning_day(birth: dt.date, age: int) -> dt.date:
    """The first day on which ``rules.age_on(birth, day) >= age`` (29/02 births turn on 01/03)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return dt.date(birth.year + age, 3, 1)


@functools.lru_cache(maxsize=100_000)
def _band_intervals(birth: dt.date) -> tuple[tuple[dt.date, dt.date | None, str, bool], ...]:
    """A life cut at the birthdays where the age band or youth changes: (from, to, band, youth)."""
    bands = _bands()
    cuts = sorted(
        {_turning_day(birth, high + 1) for _key, high in bands if high is not None}
        | {_turning_day(birth, rules.YOUTH_MAX_AGE + 1)}
    )
    points = [birth, *cuts]
    out = []
    for i, a in enumerate(points):
        age = rules.age_on(birth, a)
        band = next((key for key, high in bands if high is not None and age <= high), bands[-1][0])
        out.append((a, points[i + 1] if i + 1 < len(points) else None, band, age <= rules.YOUTH_MAX_AGE))
    return tuple(out)


def _status_segments(statuses: list[tuple[dt.date, int, str]]) -> list[tuple[dt.date, dt.date | None, str]]:
    """The status held over [from, to): the latest row by (effective_on, id) rules each day."""
    by_day: dict[dt.date, str] = {}
    for day, _pk, status in sorted(statuses):
        by_day[day] = status
    days = sorted(by_day)
    return [(d, days[i + 1] if i + 1 < len(days) else None, by_day[d]) for i, d in enumerate(days)]


def _kept_prefixes(path: str, depths: tuple[int, ...]) -> Iterator[str]:
    """The kept paths above (or at) ``path``: its prefixes at the kept depths."""
    for depth in depths:
        if len(path) >= STEPLEN * depth:
            yield path[: STEPLEN * depth]


def _path_spans(
    memberships: list[tuple[int, dt.date, dt.date | None]], versions: Versions, depths: tuple[int, ...]
) -> dict[str, list[tuple[dt.date, dt.date | None]]]:
    """Per kept path: the union of the days a permanent cell lay under it (as the tree then stood)."""
    raw: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for org_id, started, ended in memberships:
        for valid_from, valid_to, path in versions.get(org_id, []):
            a = max(started, valid_from)
            b = min((x for x in (ended, valid_to) if x is not None), default=None)
            if b is not None and b <= a:
                continue
            for prefix in _kept_prefixes(path, depths):
                raw[prefix].append((a, b))
    merged: dict[str, list[tuple[dt.date, dt.date | None]]] = {}
    for path, spans in raw.items():
        spans.sort(key=lambda s: s[0])
        out: list[tuple[dt.date, dt.date | None]] = []
        for a, b in spans:
            if out and (out[-1][1] is None or out[-1][1] >= a):
                last_a, last_b = out[-1]
                out[-1] = (last_a, None if last_b is None or b is None else max(last_b, b))
            else:
                out.append((a, b))
        merged[path] = out
    return merged


def contributions(
    facts: Facts,
    versions: Versions,
    start: dt.date,
    horizon: dt.date,
    into: Counter | None = None,
    depths: tuple[int, ...] = KEPT_DEPTHS,
) -> Counter:
    """The deltas ``facts`` put into the kept counts: (path, day, dimension, key) -> change,
    for the whole register and the organizations at ``depths`` above the member's cells.

    A pure function of the member's rows, so that the difference before and after a change
    is what the change moves. Spans before ``start`` begin on ``start``; nothing after
    ``horizon`` is written. The status is counted per status segment; the keys that do not
    depend on the status (sex, the lists, the age band, youth) per run of days in the party,
    so that a member made full on a day moves only the status that day.
    """
    out: Counter = into if into is not None else Counter()
    constant = [("sex", facts.sex), *zip(LIST_DIMENSIONS, facts.lists, strict=True)]
    bands = _band_intervals(facts.birth_date)

    def span(path: str, a: dt.date, b: dt.date | None, keys: list[tuple[str, str]]) -> None:
        lo = a if a > start else start
        if lo > horizon or (b is not None and b <= lo):
            return
        end = b if b is not None and b <= horizon else None
        for dim, key in keys:
            out[(path, lo, dim, key)] += 1
            if end is not None:
                out[(path, end, dim, key)] -= 1

    held = [seg for seg in _status_segments(facts.statuses) if seg[2] in IN_PARTY_STATUSES]
    if held:
        # The whole register: every member in the party, whatever their cell (as the recount).
        per_path: list[tuple[str, list[tuple[dt.date, dt.date | None, str]]]] = [("", held)]
        for path, spans in _path_spans(facts.memberships, versions, depths).items():
            pieces = []
            for s_from, s_to, status in held:
                for a, b in spans:
                    lo = a if a > s_from else s_from
                    hi = b if s_to is None else (s_to if b is None else min(b, s_to))
                    if hi is None or hi > lo:
                        pieces.append((lo, hi, status))
            pieces.sort(key=lambda piece: piece[0])
            per_path.append((path, pieces))
        for path, pieces in per_path:
            for a, b, status in pieces:
                span(path, a, b, [("status", status)])
            for a, b in _runs(pieces):
                span(path, a, b, constant)
                for band_from, band_to, band, young in bands:
                    lo = band_from if band_from > a else a
                    hi = band_to if b is None else (b if band_to is None else min(band_to, b))
                    if hi is None or hi > lo:
                        span(path, lo, hi, [("age_band", band), ("youth", "1")] if young else [("age_band", band)])
    # Running totals by admission date (all statuses since), under the path of the cell of
    # admission as the tree stood then (``admission_path``).
    paths = [""]
    admitted_under = admission_path(facts.memberships, versions)
    if admitted_under is not None:
        paths.extend(_kept_prefixes(admitted_under, depths))
    keys = [(ADMITTED, "")] + ([(ADMITTED_YOUTH, "")] if rules.is_youth(facts.birth_date, facts.admitted_on) else [])
    for path in paths:
        span(path, facts.admitted_on, None, keys)
    # Running totals of the period's changes (made full, deceased, removed, expelled): every
    # status row, under the paths of the permanent cells the member was in that day (a
    # membership ended that day included) as the tree then stood (``changed_paths``).
    for day, _pk, status in facts.statuses:
        if status in CHANGED_STATUSES and day <= horizon:
            lo = day if day > start else start
            for path in ("", *changed_paths(facts.memberships, versions, day, depths)):
                out[(path, lo, CHANGED, status)] += 1
    return out


def changed_paths(
    memberships: list[tuple[int, dt.date, dt.date | None]], versions: Versions, day: dt.date, depths: tuple[int, ...]
) -> set[str]:
    """The kept paths a status change on ``day`` counts under: those above the permanent cells
    the member was in that day (``selectors.changes_in_period`` counts the same)."""
    paths: set[str] = set()
    for org_id, started, ended in memberships:
        path = _path_then(versions, org_id, day) if started <= day and (ended is None or ended >= day) else None
        if path is not None:
            paths.update(_kept_prefixes(path, depths))
    return paths


def admission_path(memberships: list[tuple[int, dt.date, dt.date | None]], versions: Versions) -> str | None:
    """The path of the member's cell of admission as the tree stood on the day its membership
    began: the first permanent cell (the earliest start, then the lowest organization id, as
    ``members.selectors.members_admitted_between`` says). None without one."""
    if not memberships:
        return None
    org_id, started, _ended = min(memberships, key=lambda m: (m[1], m[0]))
    return _path_then(versions, org_id, started)


def _path_then(versions: Versions, org_id: int, day: dt.date) -> str | None:
    """The organization's path as the tree stood on ``day`` (None: it was not there)."""
    return next((path for a, b, path in versions.get(org_id, []) if a <= day and (b is None or day < b)), None)


def _runs(pieces: list[tuple[dt.date, dt.date | None, str]]) -> list[tuple[dt.date, dt.date | None]]:
    """The pieces (in day order, not overlapping) joined where one ends the day the next begins."""
    runs: list[tuple[dt.date, dt.date | None]] = []
    for a, b, _status in pieces:
        if runs and runs[-1][1] == a:
            runs[-1] = (runs[-1][0], b)
        else:
            runs.append((a, b))
    return runs


# ---------------------------------------------------------------------------------------
# Reading facts in bulk


def _key(value: Any) -> str:
    return "" if value is None else str(value)


def load_facts(member_ids: Iterable[int] | None = None, *, chunk: int = 20_000) -> Iterator[tuple[list[Facts], Versions]]:
    """The facts of ``member_ids`` (every member when None), by chunks, with their cells' versions."""
    fields = ("pk", "birth_date", "sex", *(f"{d}_id" for d in LIST_DIMENSIONS), "admitted_on")
    ids = None if member_ids is None else sorted(set(member_ids))
    last = 0
    while True:
        if ids is None:
            rows = list(Member.objects.filter(pk__gt=last).order_by("pk").values_list(*fields)[:chunk])
        else:
            part, ids = ids[:chunk], ids[chunk:]
            rows = list(Member.objects.filter(pk__in=part).order_by("pk").values_list(*fields)) if part else []
        if not rows:
            return
        lo, hi = rows[0][0], rows[-1][0]
        pks = [r[0] for r in rows]
        in_range = Q(member_id__gte=lo, member_id__lte=hi) if ids is None else Q(member_id__in=pks)
        statuses: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
        for member_id, day, pk, status in (
            StatusChange.objects.filter(in_range).values_list("member_id", "effective_on", "pk", "status").order_by()
        ):
            statuses[member_id].append((day, pk, status))
        memberships: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for member_id, org_id, started, ended in (
            CellMembership.objects.filter(in_range, kind=MembershipKind.PERMANENT)
            .values_list("member_id", "organization_id", "started_on", "ended_on")
            .order_by()
        ):
            memberships[member_id].append((org_id, started, ended))
        org_ids = {m[0] for ms in memberships.values() for m in ms}
        versions = _versions(org_ids)
        facts = [
            Facts(
                pk=r[0],
                birth_date=r[1],
                sex=r[2],
                lists=tuple(_key(v) for v in r[3:8]),
                admitted_on=r[8],
                statuses=statuses.get(r[0], []),
                memberships=memberships.get(r[0], []),
            )
            for r in rows
        ]
        yield facts, versions
        last = hi


def _versions(org_ids: set[int]) -> Versions:
    """The dated paths of ``org_ids``; within ``deferred`` (where the tree is taken as fixed)
    each organization is read once for the whole block."""
    cache: Versions | None = getattr(_deferred, "versions", None)
    if cache is None:
        return _read_versions(org_ids)
    missing = org_ids - cache.keys()
    if missing:
        cache.update(_read_versions(missing))
    return cache


def _read_versions(org_ids: set[int]) -> Versions:
    versions: Versions = defaultdict(list)
    ids = list(org_ids)
    for i in range(0, len(ids), 5000):
        part = ids[i : i + 5000]
        for org_id, valid_from, valid_to, path in OrgVersion.objects.filter(organization_id__in=part).values_list(
            "organization_id", "valid_from", "valid_to", "path"
        ):
            versions[org_id].append((valid_from, valid_to, path))
        for org_id, path in Organization.objects.filter(pk__in=[o for o in part if o not in versions]).values_list("pk", "path"):
            versions[org_id].append((dt.date.min, None, path))  # no dated versions: the tree today
    return versions


def member_contributions(member_ids: Iterable[int], kept: KeptRange) -> Counter:
    out: Counter = Counter()
    depths = kept.depth_list
    for facts, versions in load_facts(member_ids):
        for f in facts:
            contributions(f, versions, kept.start, kept.horizon, out, depths)
    return out


def new_member_contributions(
    members: dict[int, dict[str, Any]],
    status_changes: list[dict[str, Any]],
    memberships: list[dict[str, Any]],
    kept: KeptRange,
) -> Counter:
    """``member_contributions`` of members just written, from the rows in hand instead of
    reading them back (a 150,000-row import spent 13 s in ``load_facts``).

    ``members``: by id, the member's values by attname (``birth_date``, ``sex``, the list
    ids, ``admitted_on``, ``organization_id``); ``status_changes`` and ``memberships``: every
    row of these members, by attname, in the order they were inserted (the order of their
    keys, which settles two status rows on one day).
    """
    statuses: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    for order, row in enumerate(status_changes):
        statuses[row["member_id"]].append((row["effective_on"], order, row["status"]))
    held: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    for row in memberships:
        if row["kind"] == MembershipKind.PERMANENT:
            held[row["member_id"]].append((row["organization_id"], row["started_on"], row["ended_on"]))
    versions = _versions({org_id for rows in held.values() for org_id, _a, _b in rows})
    out: Counter = Counter()
    start, horizon, depths = kept.start, kept.horizon, kept.depth_list
    for pk, m in members.items():
        facts = Facts(
            pk=pk,
            birth_date=m["birth_date"],
            sex=m["sex"],
            lists=tuple(_key(m[f"{d}_id"]) for d in LIST_DIMENSIONS),
            admitted_on=m["admitted_on"],
            statuses=statuses.get(pk, []),
            memberships=held.get(pk, []),
        )
        contributions(facts, versions, start, horizon, out, depths)
    return out


# ---------------------------------------------------------------------------------------
# Writing


SNAPSHOT_MONTHS = 12
"""A snapshot each year, on 1 January. Measured: with monthly snapshots a member recorded with
an admission in 2010 wrote 4,700 snapshot rows (11 counts × 2 paths × 216 months), which
made each change cost 0.6 s on a loaded machine; with yearly ones it writes 400, and a read
sums at most half a year of deltas (``state_on`` starts from the nearer snapshot): about
9,000 rows at the national root, a few milliseconds."""


def _period(day: dt.date) -> dt.date:
    """The first day of the snapshot period holding ``day``."""
    index = (day.year * 12 + day.month - 1) // SNAPSHOT_MONTHS * SNAPSHOT_MONTHS
    return dt.date(index // 12, index % 12 + 1, 1)


def _next_period(day: dt.date) -> dt.date:
    index = (day.year * 12 + day.month - 1) // SNAPSHOT_MONTHS * SNAPSHOT_MONTHS + SNAPSHOT_MONTHS
    return dt.date(index // 12, index % 12 + 1, 1)


def _upsert(table: str, columns: list[str], rows: list[tuple], conflict: list[str], add: str, batch: int = 2000) -> None:
    """Add ``rows`` into ``table``: insert, or add the last column to the row already there."""
    if not rows:
        return
    cols = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = (
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {add} = {table}.{add} + excluded.{add}"
    )
    adapt = connection.ops.adapt_datefield_value
    rows = sorted(rows)  # in the order of the unique index: fewer pages touched (15% less on SQLite)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), batch):
            cursor.executemany(sql, [tuple(adapt(v) if isinstance(v, dt.date) else v for v in r) for r in rows[i : i + batch]])


_deferred = threading.local()


@contextmanager
def deferred() -> Iterator[None]:
    """Within the block, every change of the counts is summed and written once, at its end,
    in the same transaction: a writer of many members in batches (the import) then writes
    each kept row once instead of once per batch. The contributions themselves are read
    from the member rows, never from the kept counts, so summing them first changes nothing
    but the number of writes. An exception discards the sum (its transaction rolls back).
    The tree is taken as fixed within the block: each organization's paths are read once.
    A block must not move organizations (the import does not)."""
    if getattr(_deferred, "diff", None) is not None:
        yield
        return
    with transaction.atomic():
        _deferred.diff = Counter()
        _deferred.versions = {}
        try:
            yield
            diff = _deferred.diff
        finally:
            _deferred.diff = _deferred.versions = None
        kept = kept_range()
        if kept is not None:
            apply(diff, kept)


def apply(diff: Counter, kept: KeptRange) -> None:
    """Add ``diff`` (deltas by day) to the kept deltas and to every later monthly snapshot."""
    pending = getattr(_deferred, "diff", None)
    if pending is not None:
        pending.update(diff)
        return
    diff = Counter({k: v for k, v in diff.items() if v})
    if not diff:
        return
    _upsert(
        MemberCountDelta._meta.db_table,
        ["path", "day", "dimension", "key", "change"],
        [(p, d, dim, key, v) for (p, d, dim, key), v in diff.items()],
        ["path", "day", "dimension", "key"],
        "change",
    )
    # Each snapshot P holds the deltas dated before P: a delta on day d moves every snapshot
    # after d's period, up to the one after the horizon.
    steps: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    for (path, day, dim, key), v in diff.items():
        steps[(path, dim, key)][_next_period(day)] += v
    last = _next_period(kept.horizon)
    rows = []
    for (path, dim, key), by_month in steps.items():
        running = 0
        month = min(by_month)
        while month <= last:
            running += by_month.get(month, 0)
            if running:
                rows.append((path, month, dim, key, running))
            month = _next_period(month)
    _upsert(
        MemberCountSnapshot._meta.db_table,
        ["path", "month", "dimension", "key", "count"],
        rows,
        ["path", "month", "dimension", "key"],
        "count",
    )


_following = threading.local()


@contextmanager
def following(member_ids: Iterable[int]) -> Iterator[None]:
    """Keep the counts of ``member_ids`` across the block: their contributions before and
    after, the difference added in the same transaction.

    Nested blocks for members already followed do nothing: the outermost one diffs them.
    """
    kept = kept_range()
    active: set[int] = getattr(_following, "ids", set())
    ids = {pk for pk in member_ids if pk} - active
    if kept is None or not ids:
        yield
        return
    with transaction.atomic():
        before = member_contributions(ids, kept)
        _following.ids = active | ids
        try:
            yield
        finally:
            _following.ids = active
        after = member_contributions(ids, kept)
        after.subtract(before)
        apply(after, kept)


F = TypeVar("F", bound=Callable[..., Any])


def follow(fn: F) -> F:
    """``following`` as a decorator, for a service changing one existing member given as
    ``member=``, as its first argument, or through ``transfer=``."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        first = kwargs.get("member") or (args[0] if args else None)
        transfer = kwargs.get("transfer")
        ids = set()
        if isinstance(first, Member) and first.pk:
            ids.add(first.pk)
        if transfer is not None and getattr(transfer, "member_id", None):
            ids.add(transfer.member_id)
        with following(ids):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------
# Building


def _turning_sql(birth: str, age: int) -> str:
    """SQL for ``_turning_day(birth, age)``: the birthday on which ``age`` is reached (29/02
    births on 01/03 in a common year, as SQLite's date() normalizes and Python's code says)."""
    if connection.vendor == "postgresql":
        moved = f"({birth} + INTERVAL '{age} years')"
        return (
            f"(CAST({moved} AS date) + CASE WHEN EXTRACT(MONTH FROM {birth}) = 2 AND EXTRACT(DAY FROM {birth}) = 29"
            f" AND EXTRACT(DAY FROM {moved}) = 28 THEN 1 ELSE 0 END)"
        )
    return f"date({birth}, '+{age} years')"


def _greatest(a: str, b: str) -> str:
    return f"(CASE WHEN {a} > {b} THEN {a} ELSE {b} END)"


def _least_open(a: str, b: str) -> str:
    """The earlier of two ends where NULL is open (no end)."""
    return f"(CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL THEN {a} WHEN {a} < {b} THEN {a} ELSE {b} END)"


def _date_literal(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'" if connection.vendor == "postgresql" else f"'{value.isoformat()}'"


def _rebuild_sql(start: dt.date, horizon: dt.date, depths: tuple[int, ...]) -> str:
    """One INSERT … SELECT writing every kept delta, the set-based form of ``contributions``
    summed over every member (``rebuild`` runs it; the property test holds its rows equal to
    those ``contributions`` keeps through each change). Runs on SQLite and PostgreSQL."""
    q = connection.ops.quote_name
    member, status, membership = Member._meta.db_table, StatusChange._meta.db_table, CellMembership._meta.db_table
    version, organization = OrgVersion._meta.db_table, Organization._meta.db_table
    delta = MemberCountDelta._meta.db_table
    widths = [STEPLEN * depth for depth in depths]
    in_party = ", ".join(f"'{s}'" for s in IN_PARTY_STATUSES)

    def p(value: dt.date | str) -> str:
        """A literal: dates and fixed names only, never input."""
        return _date_literal(value) if isinstance(value, dt.date) else f"'{value}'"

    # The life cut at the birthdays where the age band or youth changes (``_band_intervals``):
    # interval i runs from the birthday of ages[i] to that of ages[i + 1].
    bounds = sorted({high + 1 for _key, high in _bands() if high is not None} | {rules.YOUTH_MAX_AGE + 1})
    ages = [0, *bounds]
    rows, lows, highs = [], [], []
    for i, age in enumerate(ages):
        band = next((key for key, high in _bands() if high is not None and age <= high), _bands()[-1][0])
        rows.append(f"SELECT {i} AS i, '{band}' AS band, {1 if age <= rules.YOUTH_MAX_AGE else 0} AS young")
        lows.append(f" WHEN {i} THEN " + ("m.birth_date" if age == 0 else f"m.t{age}"))
        if i + 1 < len(ages):
            highs.append(f" WHEN {i} THEN m.t{ages[i + 1]}")
    turnings = ", ".join(f"{_turning_sql('birth_date', age)} AS t{age}" for age in bounds)
    band_table = " UNION ALL ".join(rows)
    band_from = "CASE bl.i" + "".join(lows) + " END"
    band_to = "CASE bl.i" + "".join(highs) + " ELSE NULL END"
    never = p(dt.date(9999, 12, 31))
    lists = ", ".join(f"m.{d}_id AS l_{d}" for d in LIST_DIMENSIONS)

    def list_key(d: str) -> str:
        return f"COALESCE(CAST(e.l_{d} AS VARCHAR(40)), '')"

    def events(source: str, lo: str, hi: str, what: str) -> str:
        """+1 on max(lo, start) and -1 on hi when within the horizon (``contributions.span``)."""
        first, end = _greatest(lo, p(start)), p(horizon)
        return (
            f"SELECT member_id, path, CASE WHEN e.sgn = 1 THEN {first} ELSE {hi} END AS day, e.sgn, {what}"
            f" FROM {source} CROSS JOIN (SELECT 1 AS sgn UNION ALL SELECT -1) e"
            f" WHERE {first} <= {end} AND ({hi} IS NULL OR {hi} > {first})"
            f" AND (e.sgn = 1 OR ({hi} IS NOT NULL AND {hi} <= {end}))"
        )

    # The days a permanent cell lay under each kept path (one branch per kept depth).
    raw = " UNION ALL ".join(
        f"""
  SELECT cm.member_id, SUBSTR(v.path, 1, {width}) AS path,
         {_greatest("cm.started_on", "v.vf")} AS a, {_least_open("cm.ended_on", "v.vt")} AS b
  FROM {membership} cm JOIN ver v ON v.org = cm.organization_id
  WHERE cm.kind = {p(MembershipKind.PERMANENT.value)} AND LENGTH(v.path) >= {width}"""
        for width in widths
    )
    admitted_under = "".join(
        f"""
  UNION ALL
  SELECT SUBSTR(cp, 1, {width}), day, admitted_on, birth_date FROM admitted_in WHERE LENGTH(cp) >= {width}"""
        for width in widths
    )
    # The kept paths of each status change: the cells the member was in that day (one branch per depth).
    changed_in = ", ".join(f"'{s}'" for s in CHANGED_STATUSES)
    changed_under = " UNION ALL ".join(
        f"""
  SELECT c.id, SUBSTR(v.path, 1, {width}) AS path, c.d, c.status
  FROM changed_rows c JOIN {membership} cm ON cm.member_id = c.member_id
    AND cm.kind = {p(MembershipKind.PERMANENT.value)} AND cm.started_on <= c.d AND (cm.ended_on IS NULL OR cm.ended_on >= c.d)
  JOIN ver v ON v.org = cm.organization_id AND v.vf <= c.d AND (v.vt IS NULL OR v.vt > c.d)
  WHERE LENGTH(v.path) >= {width}"""
        for width in widths
    )
    dims = " UNION ALL ".join(f"SELECT '{d}' AS dim" for d in DIMENSIONS)
    key_case = (
        "CASE d.dim WHEN 'status' THEN e.status WHEN 'sex' THEN e.sex"
        + "".join(f" WHEN '{d}' THEN {list_key(d)}" for d in LIST_DIMENSIONS)
        + " WHEN 'age_band' THEN e.band WHEN 'youth' THEN '1' END"
    )
    return f"""
WITH
ranked AS (
  SELECT member_id, effective_on AS a, status,
         ROW_NUMBER() OVER (PARTITION BY member_id, effective_on ORDER BY id DESC) AS rn
  FROM {status}),
seg AS (
  SELECT member_id, a, LEAD(a) OVER (PARTITION BY member_id ORDER BY a) AS b, status
  FROM ranked WHERE rn = 1),
ver AS (
  SELECT organization_id AS org, valid_from AS vf, valid_to AS vt, path FROM {version}
  UNION ALL
  SELECT o.id, {p(dt.date.min)}, NULL, o.path FROM {organization} o
  WHERE NOT EXISTS (SELECT 1 FROM {version} v WHERE v.organization_id = o.id)),
raw AS ({raw}),
raw_kept AS (SELECT * FROM raw WHERE b IS NULL OR b > a),
ordered AS (
  SELECT member_id, path, a, b,
         MAX(COALESCE(b, {never})) OVER (PARTITION BY member_id, path ORDER BY a, COALESCE(b, {never})
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM raw_kept),
islands AS (
  SELECT member_id, path, a, b,
         SUM(CASE WHEN reach IS NULL OR a > reach THEN 1 ELSE 0 END)
           OVER (PARTITION BY member_id, path ORDER BY a, COALESCE(b, {never}) ROWS UNBOUNDED PRECEDING) AS island
  FROM ordered),
spans AS MATERIALIZED (
  SELECT member_id, path, MIN(a) AS a, NULLIF(MAX(COALESCE(b, {never})), {never}) AS b
  FROM islands GROUP BY member_id, path, island),
held AS MATERIALIZED (SELECT * FROM seg WHERE status IN ({in_party})),
cut AS (
  SELECT s.member_id, sp.path, {_greatest("s.a", "sp.a")} AS a, {_least_open("s.b", "sp.b")} AS b, s.status
  FROM held s JOIN spans sp ON sp.member_id = s.member_id),
pieces AS MATERIALIZED (
  SELECT member_id, '' AS path, a, b, status FROM held
  UNION ALL
  SELECT * FROM cut WHERE b IS NULL OR b > a),
births AS MATERIALIZED (
  SELECT id, birth_date, sex, {", ".join(f"{d}_id" for d in LIST_DIMENSIONS)}, {turnings} FROM {member}),
lives AS MATERIALIZED (
  SELECT pc.member_id, pc.path, pc.a, pc.b, bl.band, bl.young, {band_from} AS bf, {band_to} AS bt
  FROM pieces pc JOIN births m ON m.id = pc.member_id CROSS JOIN ({band_table}) bl),
banded_raw AS (
  SELECT member_id, path, {_greatest("a", "bf")} AS a, {_least_open("b", "bt")} AS b, band, young FROM lives),
banded AS MATERIALIZED (SELECT * FROM banded_raw WHERE b IS NULL OR b > a),
moves AS (
  {events("pieces", "a", "b", "status, NULL AS band, 0 AS young")}
  UNION ALL
  {events("banded", "a", "b", "NULL AS status, band, young")}),
tallied AS (
  SELECT mv.path, mv.day, mv.status, mv.band, mv.young, m.sex, {lists}, SUM(mv.sgn) AS n
  FROM moves mv JOIN {member} m ON m.id = mv.member_id
  GROUP BY mv.path, mv.day, mv.status, mv.band, mv.young, m.sex, {", ".join(f"m.{d}_id" for d in LIST_DIMENSIONS)}),
dims AS ({dims}),
spread AS (
  SELECT e.path, e.day, d.dim, {key_case} AS k, e.n
  FROM tallied e JOIN dims d ON
    (e.status IS NOT NULL AND d.dim NOT IN ('age_band', 'youth'))
    OR (e.status IS NULL AND (d.dim = 'age_band' OR (d.dim = 'youth' AND e.young = 1)))),
firsts AS (
  SELECT member_id, organization_id AS org, started_on,
         ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY started_on, organization_id) AS rn
  FROM {membership} WHERE kind = {p(MembershipKind.PERMANENT.value)}),
admitted AS (
  SELECT {_greatest("m.admitted_on", p(start))} AS day, m.admitted_on, m.birth_date, COALESCE(v.path, '') AS cp
  FROM {member} m LEFT JOIN firsts f ON f.member_id = m.id AND f.rn = 1
  LEFT JOIN ver v ON v.org = f.org AND v.vf <= f.started_on AND (v.vt IS NULL OR v.vt > f.started_on)),
admitted_in AS (SELECT * FROM admitted WHERE day <= {p(horizon)}),
admitted_paths AS (
  SELECT '' AS path, day, admitted_on, birth_date FROM admitted_in{admitted_under}),
changed_rows AS (
  SELECT id, member_id, effective_on AS d, status FROM {status}
  WHERE status IN ({changed_in}) AND effective_on <= {p(horizon)}),
changed_under AS (SELECT DISTINCT id, path, d, status FROM ({changed_under}) u),
changes AS (
  SELECT '' AS path, {_greatest("d", p(start))} AS day, {p(CHANGED)} AS dim, status AS k, 1 AS n FROM changed_rows
  UNION ALL
  SELECT path, {_greatest("d", p(start))}, {p(CHANGED)}, status, 1 FROM changed_under),
admissions AS (
  SELECT path, day, {p(ADMITTED)} AS dim, '' AS k, 1 AS n FROM admitted_paths
  UNION ALL
  SELECT path, day, {p(ADMITTED_YOUTH)}, '', 1 FROM admitted_paths
  WHERE admitted_on < {_turning_sql("birth_date", rules.YOUTH_MAX_AGE + 1)}),
every AS (SELECT * FROM spread UNION ALL SELECT * FROM admissions UNION ALL SELECT * FROM changes)
INSERT INTO {delta} (path, day, dimension, {q("key")}, change)
SELECT path, day, dim, k, SUM(n) FROM every GROUP BY path, day, dim, k HAVING SUM(n) <> 0
"""


def _snapshot_sql(kept: KeptRange) -> str:
    """Every yearly snapshot from the kept deltas: the sum of those dated before it."""
    q = connection.ops.quote_name
    months = []
    month = _next_period(kept.start)
    while month <= _next_period(kept.horizon):
        months.append(month)
        month = _next_period(month)
    periods = " UNION ALL ".join(f"SELECT {_date_literal(m)} AS month" for m in months)
    delta, snapshot = MemberCountDelta._meta.db_table, MemberCountSnapshot._meta.db_table
    return (
        f"INSERT INTO {snapshot} (path, month, dimension, {q('key')}, count)"
        f" SELECT d.path, p.month, d.dimension, d.{q('key')}, SUM(d.change)"
        f" FROM {delta} d JOIN ({periods}) p ON d.day < p.month"
        f" GROUP BY d.path, p.month, d.dimension, d.{q('key')} HAVING SUM(d.change) <> 0"
    )


def rebuild(
    *,
    start: dt.date = DEFAULT_START,
    today: dt.date | None = None,
    depths: tuple[int, ...] | None = None,
    log: Callable[[str], None] | None = None,
) -> KeptRange:
    """Recompute every kept count from the raw rows, for ``start`` to the end of next year,
    for the organizations at ``depths`` (None: the depths kept so far, else ``KEPT_DEPTHS``).

    For an existing database (``manage.py rebuild_member_counts``, migration 0014), the
    demonstration data and the benchmark's data sets. Two set-based statements (the deltas,
    then the snapshots from them) in one transaction. Measured on the province set (150,000
    members) on a shared, loaded machine: PostgreSQL 56 s, SQLite 184 s, where the
    member-by-member sum of ``contributions`` took 80–122 s; most of it is the sort of the
    1.8 million day-moves by their keys (``tallied``), the next thing to make faster.
    """
    horizon = horizon_for(today or dt.date.today())
    if depths is None:
        previous = kept_range()
        depths = previous.depth_list if previous is not None else KEPT_DEPTHS
    depths = tuple(sorted(set(depths)))
    if not depths or depths[0] < 1:
        raise ValueError(f"kept depths start at 1: {depths}")
    with transaction.atomic():
        MemberCountDelta.objects.all().delete()
        MemberCountSnapshot.objects.all().delete()
        KeptRange.objects.all().delete()
        kept = KeptRange.objects.create(start=start, horizon=horizon, depths=",".join(map(str, depths)))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # the sums below hash millions of rows
                cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(_rebuild_sql(start, horizon, depths))
            if log:
                log(f"member counts: {MemberCountDelta.objects.count()} delta rows written")
            cursor.execute(_snapshot_sql(kept))
        if log:
            log(f"member counts: {MemberCountSnapshot.objects.count()} snapshot rows written")
    return kept


# ---------------------------------------------------------------------------------------
# Reading


NOT_THERE = "-"  # a path no row has: the organization did not exist on the day (nothing to count)
_PATH, _KEPT = "~path", "~kept"  # marker rows of ``_kept_states``' answer


def _path_sql(organization: Organization | None, on: dt.date) -> tuple[str, list[Any]]:
    """SQL for ``organization``'s path as the tree stood on ``on``: its version then, else
    ``NOT_THERE`` when it has versions but none then, else its path today; '' for the whole
    register. Uncorrelated: the database computes it once per question."""
    if organization is None:
        return "''", []
    version, org = OrgVersion._meta.db_table, Organization._meta.db_table
    day = connection.ops.adapt_datefield_value(on)
    sql = (
        f"COALESCE((SELECT path FROM {version} WHERE organization_id = %s AND valid_from <= %s"
        f" AND (valid_to IS NULL OR valid_to > %s)), CASE WHEN EXISTS (SELECT 1 FROM {version} WHERE organization_id = %s)"
        f" THEN '{NOT_THERE}' ELSE (SELECT path FROM {org} WHERE id = %s) END)"
    )
    if connection.vendor == "postgresql":
        # The tree's paths sort byte-wise (COLLATE "C", lib.collation), the kept rows' paths in
        # the default collation: compared in the latter, the kept rows' index is used.
        sql = f'({sql}) COLLATE "default"'
    return sql, [organization.pk, day, day, organization.pk, organization.pk]


def _question_sql(organization: Organization | None, on: dt.date, dims: list[str], tag: int) -> tuple[str, list[Any]]:
    """The rows of one question: the nearer snapshot plus the deltas since it (or minus the
    deltas until it), and two markers: the path read, and whether ``on`` is kept."""
    before, after = _period(on), _next_period(on)
    forward = (on - before) <= (after - on)
    day = connection.ops.adapt_datefield_value
    marks = ", ".join(["%s"] * len(dims))
    path, path_params = _path_sql(organization, on)
    snapshot, days, sign = (before, "day >= %s AND day <= %s", "") if forward else (after, "day > %s AND day < %s", "-")
    bounds = [day(before), day(on)] if forward else [day(on), day(after)]
    kept = KeptRange._meta.db_table
    sql = (
        f"SELECT {tag} AS tag, dimension, {connection.ops.quote_name('key')} AS k, count AS n"
        f" FROM {MemberCountSnapshot._meta.db_table} WHERE path = {path} AND month = %s AND dimension IN ({marks})"
        f" UNION ALL SELECT {tag}, dimension, {connection.ops.quote_name('key')}, {sign}change"
        f" FROM {MemberCountDelta._meta.db_table} WHERE path = {path} AND dimension IN ({marks}) AND {days}"
        f" UNION ALL SELECT {tag}, '{_PATH}', {path}, 0"
        f" UNION ALL SELECT {tag}, '{_KEPT}', MAX(depths), COUNT(*) FROM {kept} WHERE start <= %s AND horizon >= %s"
    )
    params = [*path_params, day(snapshot), *dims, *path_params, *dims, *bounds, *path_params, day(on), day(on)]
    return sql, params


@dataclass
class KeptAnswer:
    path: str
    counts: dict[str, dict[str, int]] | None  # None: not kept for that question (recount)


def _kept_states(questions: list[tuple[Organization | None, dt.date]], dimensions: Iterable[str]) -> list[KeptAnswer]:
    """The kept counts of each (organization, day) by dimension and key, in one query (the
    kept range, the organization's path on the day and the counts under it)."""
    dims = list(dimensions)
    parts = [_question_sql(org, on, dims, i) for i, (org, on) in enumerate(questions)]
    sql = "SELECT tag, dimension, k, SUM(n) FROM (" + " UNION ALL ".join(p[0] for p in parts) + ") t GROUP BY tag, dimension, k"
    found: list[dict[str, dict[str, int]]] = [{d: {} for d in dims} for _q in questions]
    paths: list[str | None] = [None] * len(questions)
    widths: list[set[int]] = [set() for _q in questions]  # the kept paths' lengths; none: not kept that day
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for p in parts for v in p[1]])
        for tag, dim, key, n in cursor.fetchall():
            if dim == _PATH:
                paths[tag] = key
            elif dim == _KEPT:
                widths[tag] = {STEPLEN * int(d) for d in (key or "").split(",") if d} if n else set()
            elif n:
                found[tag][dim][key] = int(n)
    answers = []
    for i, path in enumerate(paths):
        usable = bool(widths[i]) and path is not None and (path in ("", NOT_THERE) or len(path) in widths[i])
        answers.append(KeptAnswer(path or "", found[i] if usable else None))
    return answers


def counts_on(
    organization: Organization | None, on: dt.date, dimensions: Iterable[str] = DIMENSIONS
) -> dict[str, dict[str, int]] | None:
    """Members in the party on ``on`` by dimension: ``{"status": {"full": n, …}, "sex": …,
    "age_band": {"le30": n, …}, "youth": {"1": n}, "ethnicity": {"<pk>" or "": n}, …}``.

    ``organization`` None is the whole register; otherwise its subtree as the tree stood on
    ``on`` (the permanent cell counts, Quy định 294-QĐ/TW §6.3: a temporary member is not in
    that cell's totals). The total is the sum of ``status``. None when not kept for that
    question (an organization at a depth not kept, a date outside the kept range): recount.
    ``dimensions`` narrows what is read (``("status",)`` is enough for a total). One query.

    For example, a dashboard's "members on 31/12/2025" for a province::

        kept = counts_on(province, dt.date(2025, 12, 31), ("status",))
        total = sum(kept["status"].values()) if kept is not None else <recount>

    (``members.indicators.in_party_count`` does exactly that, with the recount.)
    """
    return _kept_states([(organization, on)], dimensions)[0].counts


def changes_between(organization: Organization | None, start: dt.date, end: dt.date) -> dict[str, int] | None:
    """Status rows by status (``CHANGED_STATUSES``) from ``start`` to ``end`` included, of
    members in a permanent cell of ``organization``'s subtree that day as the tree then stood
    (None: every row of the register), as ``selectors.changes_in_period`` recounts them. None
    when not kept for that question. One query."""
    upto_end, before = _kept_states([(organization, end), (organization, start - dt.timedelta(days=1))], (CHANGED,))
    if upto_end.counts is None or before.counts is None or upto_end.path != before.path or upto_end.path == NOT_THERE:
        return None
    return {s: upto_end.counts[CHANGED].get(s, 0) - before.counts[CHANGED].get(s, 0) for s in CHANGED_STATUSES}


def admissions_between(organization: Organization | None, start: dt.date, end: dt.date) -> tuple[int, int] | None:
    """(admitted, of them youth on the day admitted) from ``start`` to ``end`` included, among
    members admitted into a cell of ``organization``'s subtree as the tree stood on the day
    (None: the whole register; ``members.selectors.members_admitted_between`` recounts).

    The running totals under the organization's path on ``end`` less those the day before
    ``start``. None when not kept for that question (an organization at a depth not kept, not
    there on either day, or on another path on the two days): recount. One query.
    """
    dims = (ADMITTED, ADMITTED_YOUTH)
    upto_end, before = _kept_states([(organization, end), (organization, start - dt.timedelta(days=1))], dims)
    if upto_end.counts is None or before.counts is None or upto_end.path != before.path or upto_end.path == NOT_THERE:
        return None

    def n(state: dict[str, dict[str, int]], dim: str) -> int:
        return state[dim].get("", 0)

    return (
        n(upto_end.counts, ADMITTED) - n(before.counts, ADMITTED),
        n(upto_end.counts, ADMITTED_YOUTH) - n(before.counts, ADMITTED_YOUTH),
    )
