"""Likely duplicates in the member register: the same person recorded twice.

A person is recognised by their CCCD or card number (``members.importing`` matches those,
and the database keeps them unique), and also by their full name folded (no diacritics,
no case: "NGUYEN VAN DUC" is "Nguyễn Văn Đức") together with their date of birth. The
hometown, when both records have it, weighs in: the same hometown makes the match
"gần như chắc chắn", a different one only "có thể". Two records whose CCCDs (or card
numbers) are both filled and differ are two people, whatever their names.

Used by the import (``check_import_rows``: questions the user answers before the file is
written), the add form (``candidates_for``) and the page of possible duplicates
(``likely_duplicates_in_scope``). Reads go through ``Member.objects.for_user``: a match the
user may not read is never shown. The lookups use the indexed date of birth and fold the
names in Python (folding Vietnamese is not portable SQL), each name part once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import IntEnum
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import get_language, gettext, gettext_lazy

from lib.dates import format_date
from lib.importer import ROW_KEY, SKIP_KEY, Question, RowError
from lib.text import fold, full_name
from members.models import IN_PARTY_STATUSES, DuplicateDismissal, Member, Status
from members.permissions import keeps_register_at


@lru_cache(maxsize=1024)
def _translated(message: str, language: str | None) -> str:
    return gettext(message)


def _(message: str) -> str:
    """``gettext`` remembered per language: a 150,000-row file asks it millions of times."""
    return _translated(message, get_language())


MEMBER_KEY = "_member"  # as members.importing: the id of the member a row updates
QUESTION_KIND = "duplicate"
UPDATE, SKIP, CREATE = "update", "skip", "create"


class Strength(IntEnum):
    POSSIBLE = 1
    LIKELY = 2
    ALMOST_CERTAIN = 3

    @property
    def label(self) -> str:
        return _(str(STRENGTH_SOURCE[self]))


STRENGTH_SOURCE = {
    Strength.POSSIBLE: "có thể",
    Strength.LIKELY: "rất có thể",
    Strength.ALMOST_CERTAIN: "gần như chắc chắn",
}
STRENGTH_LABELS = {
    Strength.POSSIBLE: gettext_lazy("có thể"),
    Strength.LIKELY: gettext_lazy("rất có thể"),
    Strength.ALMOST_CERTAIN: gettext_lazy("gần như chắc chắn"),
}


# ---------------------------------------------------------------------------------------
# Keys


@lru_cache(maxsize=100_000)
def _fold_part(text: str) -> str:
    return fold(text)


def folded_name(family: str | None, middle: str | None, given: str | None) -> str:
    """ "Nguyễn Văn Đức", "NGUYEN VAN  DUC" -> "nguyen van duc" (each part folded once, cached)."""
    return " ".join(p for p in (_fold_part(family or ""), _fold_part(middle or ""), _fold_part(given or "")) if p)


def identity_key(family: str | None, middle: str | None, given: str | None, birth_date: dt.date | None) -> str:
    """The folded full name and the ISO date of birth: "nguyen van duc|1980-02-01" ("" without both)."""
    name = folded_name(family, middle, given)
    if not name or birth_date is None:
        return ""
    return f"{name}|{birth_date.isoformat()}"


# Administrative words a hometown is written with or without ("xã", "huyện", "TP.", …).
_ADMIN_WORDS = re.compile(r"\b(thanh pho|thi xa|thi tran|xa|phuong|huyen|quan|tinh|tp|tx|tt)\b")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=20_000)
def hometown_words(text: str) -> frozenset[str]:
    """The words of a hometown, folded, without punctuation nor administrative words."""
    folded = _NOT_WORD.sub(" ", fold(text))
    return frozenset(_ADMIN_WORDS.sub(" ", folded).split())


def same_hometown(a: str, b: str) -> bool | None:
    """True when one hometown's words hold the other's ("Yên Phong, Bắc Ninh" and "xã Yên
    Phong, tỉnh Bắc Ninh"); False when they differ; None when either is empty."""
    wa, wb = hometown_words(a or ""), hometown_words(b or "")
    if not wa or not wb:
        return None
    return wa <= wb or wb <= wa


# ---------------------------------------------------------------------------------------
# Comparing two records


@dataclass
class Person:
    """What is compared of a member on record or of a row of a file."""

    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date | None
    hometown: str = ""
    national_id: str | None = None
    card_number: str | None = None
    member_id: int | None = None
    row: int | None = None

    @property
    def key(self) -> str:
        return identity_key(self.family_name, self.middle_name, self.given_name, self.birth_date)

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.middle_name, self.given_name)


@dataclass
class Match:
    strength: Strength
    reasons: list[str]

    @property
    def label(self) -> str:
        return self.strength.label


def compare(a: Person, b: Person) -> Match | None:
    """Whether ``a`` and ``b`` are likely the same person, how likely and why; None if not.

    The same CCCD or card number is the same person. Otherwise the same folded full name
    and date of birth, unless both CCCDs (or both card numbers) are filled and differ;
    the hometown, when both have it, raises or lowers the match.
    """
    if a.national_id and a.national_id == b.national_id:
        return Match(Strength.ALMOST_CERTAIN, [_("cùng số CCCD")])
    if a.card_number and a.card_number == b.card_number:
        return Match(Strength.ALMOST_CERTAIN, [_("cùng số thẻ đảng viên")])
    if not a.key or a.key != b.key:
        return None
    if a.national_id and b.national_id:
        return None  # two different CCCDs: two people
    if a.card_number and b.card_number:
        return None
    reasons = [
        _("cùng họ và tên (không kể dấu, chữ hoa) «%(name)s» và ngày sinh %(date)s")
        % {"name": a.full_name, "date": format_date(a.birth_date)}
    ]
    hometown = same_hometown(a.hometown, b.hometown)
    if hometown is True:
        reasons.append(_("cùng quê quán"))
        strength = Strength.ALMOST_CERTAIN
    elif hometown is False:
        reasons.append(_("quê quán khác nhau («%(a)s» và «%(b)s»)") % {"a": a.hometown, "b": b.hometown})
        strength = Strength.POSSIBLE
    else:
        reasons.append(_("một trong hai hồ sơ không ghi quê quán"))
        strength = Strength.LIKELY
    return Match(strength, reasons)


_PERSON_FIELDS = ("id", "family_name", "middle_name", "given_name", "birth_date", "hometown", "national_id", "card_number")


def _person(values: tuple[Any, ...]) -> Person:
    pk, family, middle, given, birth, hometown, national_id, card = values[:8]
    return Person(family, middle, given, birth, hometown or "", national_id, card, member_id=pk)


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    size = 900 if connection.vendor == "sqlite" else 50_000  # SQLite's limit of bound parameters
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------------------------------
# The add form


@dataclass
class Candidate:
    member: Member
    match: Match


def candidates_for(
    family: str,
    middle: str,
    given: str,
    birth_date: dt.date | None,
    hometown: str,
    user: Any,
    exclude: int | None = None,
    *,
    national_id: str | None = None,
    card_number: str | None = None,
) -> list[Candidate]:
    """Members ``user`` may read who are likely the person described, most likely first."""
    if birth_date is None:
        return []
    wanted = Person(family, middle or "", given, birth_date, hometown or "", national_id or None, card_number or None)
    if not wanted.key:
        return []
    qs = Member.objects.for_user(user).filter(birth_date=birth_date)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    found = []
    for values in qs.values_list(*_PERSON_FIELDS):
        match = compare(wanted, _person(values))
        if match is not None:
            found.append((values[0], match))
    members = Member.objects.select_related("organization").in_bulk([pk for pk, _m in found])
    out = [Candidate(members[pk], match) for pk, match in found]
    out.sort(key=lambda c: (-c.match.strength, c.member.sort_key, c.member.pk))
    return out


# ---------------------------------------------------------------------------------------
# The page


@dataclass
class Pair:
    first: Member
    second: Member
    match: Match
    can_merge: bool = False

    @property
    def members(self) -> tuple[Member, Member]:
        return self.first, self.second


def dismissed_pairs(ids: Iterable[int]) -> set[tuple[int, int]]:
    ids = list(ids)
    out: set[tuple[int, int]] = set()
    for chunk in _chunks(ids):
        out.update(DuplicateDismissal.objects.filter(first_id__in=chunk).values_list("first_id", "second_id"))
    return out


def likely_duplicates_in_scope(user: Any, organization: Any = None) -> list[Pair]:
    """Pairs of members ``user`` may read (under ``organization`` when given) that are likely
    the same person, not dismissed as "không trùng", most likely first.

    One query reads the compared fields of the scope; the names are folded and grouped in
    Python; only the members of a group are then loaded.
    """
    qs = Member.objects.for_user(user)
    if organization is not None:
        qs = qs.in_organization(organization)
    groups: dict[str, list[Person]] = defaultdict(list)
    for values in qs.values_list(*_PERSON_FIELDS).iterator(chunk_size=5000):
        person = _person(values)
        key = person.key
        if key:
            groups[key].append(person)
    found: list[tuple[int, int, Match]] = []
    for people in groups.values():
        if len(people) < 2:
            continue
        people.sort(key=lambda p: p.member_id or 0)
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                match = compare(a, b)
                if match is not None:
                    found.append((a.member_id or 0, b.member_id or 0, match))
    if not found:
        return []
    dismissed = dismissed_pairs({first_id for first_id, _b, _m in found})
    found = [f for f in found if (f[0], f[1]) not in dismissed]
    members = Member.objects.select_related("organization").in_bulk({pk for x, y, _m in found for pk in (x, y)})
    pairs = []
    for first_id, second_id, match in found:
        first, second = members[first_id], members[second_id]
        can = keeps_register_at(user, first.organization.path) and keeps_register_at(user, second.organization.path)
        pairs.append(Pair(first, second, match, can))
    pairs.sort(key=lambda p: (-p.match.strength, p.first.sort_key, p.first.pk, p.second.pk))
    return pairs


def pair_match(first: Member, second: Member) -> Match | None:
    return compare(_member_person(first), _member_person(second))


def _member_person(m: Member) -> Person:
    return Person(
        m.family_name, m.middle_name, m.given_name, m.birth_date, m.hometown, m.national_id, m.card_number, member_id=m.pk
    )


# ---------------------------------------------------------------------------------------
# The import (the protocol of issue 10: questions answered before the file is written)


@dataclass(frozen=True, slots=True)
class _Known:
    id: int
    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date
    hometown: str
    national_id: str | None
    card_number: str | None
    path: str
    organization_id: int
    organization_name: str
    status: str
    admitted_on: dt.date
    full_member_on: dt.date | None

    def person(self) -> Person:
        return Person(
            self.family_name,
            self.middle_name,
            self.given_name,
            self.birth_date,
            self.hometown or "",
            self.national_id,
            self.card_number,
            member_id=self.id,
        )


_KNOWN_FIELDS = (
    "id",
    "family_name",
    "middle_name",
    "given_name",
    "birth_date",
    "hometown",
    "national_id",
    "card_number",
    "organization__path",
    "organization_id",
    "organization__name",
    "status",
    "admitted_on",
    "full_member_on",
)


def _row_person(row: dict[str, Any]) -> Person:
    return Person(
        row.get("family_name") or "",
        row.get("middle_name") or "",
        row.get("given_name") or "",
        row.get("birth_date"),
        row.get("hometown") or "",
        row.get("national_id") or None,
        row.get("card_number") or None,
        row=row[ROW_KEY],
    )


def _empty(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{name: ""})


def _holding(base: Any, name: str, numbers: list[str]) -> list[Any]:
    """Queries of the members of ``base`` whose ``name`` is one of ``numbers``.

    The numbers go as one parameter (a JSON array on SQLite, an array on PostgreSQL): the
    ORM's per-value preparation of an ``__in`` of 150,000 numbers took seconds.
    """
    if connection.vendor == "sqlite":
        return [base.filter(**{f"{name}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps(numbers)])})]
    if connection.vendor == "postgresql":
        return [base.filter(**{f"{name}__in": RawSQL("SELECT unnest(%s::text[])", [numbers])})]
    return [base.filter(**{f"{name}__in": chunk}) for chunk in _chunks(numbers)]


def _register_by_key(user: Any, rows: list[dict[str, Any]], keys: dict[int, str]) -> dict[str, list[_Known]]:
    """Members ``user`` may read who may be the same person as one of ``rows``, by identity key.

    Only the members ``compare`` can match are read: two records whose CCCDs (or card numbers)
    are both filled and differ are two people, so a row with a CCCD needs, of the members born
    on its date, only those without a CCCD (and with a card number, those without one either);
    the members holding one of the rows' CCCDs or card numbers are read by those numbers
    (indexed). The database filters; only the names of what it returns are folded.
    """
    by_filter: dict[tuple[bool, bool], set[dt.date]] = defaultdict(set)
    national_ids: set[str] = set()
    cards: set[str] = set()
    for row in rows:
        if not keys.get(row[ROW_KEY]):
            continue
        national_id, card = row.get("national_id") or None, row.get("card_number") or None
        by_filter[(national_id is not None, card is not None)].add(row["birth_date"])
        if national_id:
            national_ids.add(national_id)
        if card:
            cards.add(card)
    base = Member.objects.for_user(user)
    queries = []
    for (has_id, has_card), dates in by_filter.items():
        condition = Q()
        if has_id:
            condition &= _empty("national_id")
        if has_card:
            condition &= _empty("card_number")
        queries += [base.filter(condition, birth_date__in=chunk) for chunk in _chunks(sorted(dates))]
    for name, numbers in (("national_id", national_ids), ("card_number", cards)):
        if numbers:
            queries += _holding(base, name, sorted(numbers))
    seen: set[int] = set()
    out: dict[str, list[_Known]] = defaultdict(list)
    for qs in queries:
        for values in qs.values_list(*_KNOWN_FIELDS).iterator(chunk_size=20000):
            if values[0] in seen:
                continue
            seen.add(values[0])
            known = _Known(*values)
            key = identity_key(known.family_name, known.middle_name, known.given_name, known.birth_date)
            if key:
                out[key].append(known)
    for found in out.values():
        found.sort(key=lambda k: k.id)
    return out


def _answers(ctx: Any) -> dict[str, Any]:
    decisions = getattr(ctx, "decisions", None) or {}
    return decisions.get("answers") or {}


def _ask(ctx: Any, question: Question) -> None:
    ask = getattr(ctx, "ask", None)
    if ask is not None:
        ask(question)
    else:  # a context that cannot ask: the row cannot be written as it is
        questions = getattr(ctx, "questions", None)
        if questions is not None:
            questions.append(question)


def _date(value: dt.date | None) -> str:
    return format_date(value) if value else "—"


def _describe_row(row: dict[str, Any]) -> str:
    org = row.get("organization")
    parts = [
        full_name(row.get("family_name") or "", row.get("middle_name") or "", row.get("given_name") or ""),
        _("sinh %(date)s") % {"date": _date(row.get("birth_date"))},
        _("quê %(place)s") % {"place": row.get("hometown") or "—"},
        getattr(org, "name", "") or "—",
        _("vào Đảng %(date)s") % {"date": _date(row.get("admitted_on"))},
    ]
    if row.get("card_number"):
        parts.append(_("thẻ %(card)s") % {"card": row["card_number"]})
    return ", ".join(parts)


@lru_cache(maxsize=64)
def _status_label_in(status: str, language: str | None) -> str:
    return str(Status(status).label)


def _status_label(status: str) -> str:
    return _status_label_in(status, get_language())


def _describe_known(k: _Known) -> str:
    parts = [
        full_name(k.family_name, k.middle_name, k.given_name),
        _("sinh %(date)s") % {"date": _date(k.birth_date)},
        _("quê %(place)s") % {"place": k.hometown or "—"},
        k.organization_name,
        _("vào Đảng %(date)s") % {"date": _date(k.admitted_on)},
        _status_label(k.status),
    ]
    if k.card_number:
        parts.append(_("thẻ %(card)s") % {"card": k.card_number})
    return ", ".join(parts)


def _side_by_side(row: dict[str, Any], other: dict[str, str], other_title: str) -> list[str]:
    """One line per compared field: the file's value beside the other record's."""
    org = row.get("organization")
    mine = {
        "name": full_name(row.get("family_name") or "", row.get("middle_name") or "", row.get("given_name") or ""),
        "birth": _date(row.get("birth_date")),
        "hometown": row.get("hometown") or "—",
        "cell": getattr(org, "name", "") or "—",
        "admitted": _date(row.get("admitted_on")),
        "card": row.get("card_number") or "—",
    }
    labels = {
        "name": _("Họ và tên"),
        "birth": _("Ngày sinh"),
        "hometown": _("Quê quán"),
        "cell": _("Chi bộ"),
        "admitted": _("Ngày vào Đảng"),
        "card": _("Số thẻ đảng viên"),
    }
    lines = [_("Dòng %(row)s của tệp ↔ %(other)s") % {"row": row[ROW_KEY], "other": other_title}]
    for key, label in labels.items():
        lines.append(f"{label}: {mine[key]} ↔ {other.get(key, '—')}")
    return lines


def _known_fields(k: _Known) -> dict[str, str]:
    return {
        "name": full_name(k.family_name, k.middle_name, k.given_name),
        "birth": _date(k.birth_date),
        "hometown": k.hometown or "—",
        "cell": k.organization_name,
        "admitted": _date(k.admitted_on),
        "card": k.card_number or "—",
    }


def _row_fields(row: dict[str, Any]) -> dict[str, str]:
    org = row.get("organization")
    return {
        "name": full_name(row.get("family_name") or "", row.get("middle_name") or "", row.get("given_name") or ""),
        "birth": _date(row.get("birth_date")),
        "hometown": row.get("hometown") or "—",
        "cell": getattr(org, "name", "") or "—",
        "admitted": _date(row.get("admitted_on")),
        "card": row.get("card_number") or "—",
    }


@dataclass
class _Found:
    row: dict[str, Any]
    match: Match
    known: list[tuple[_Known, Match]] = field(default_factory=list)  # members on record
    earlier: dict[str, Any] | None = None  # an earlier row of the file


def check_import_rows(rows: list[dict[str, Any]], ctx: Any) -> Iterable[RowError]:
    """A ``check_rows`` hook of the member import: likely duplicates become questions.

    A new row (no ``MEMBER_KEY`` set by the CCCD or card number) that is likely a member on
    record the importer may read, or an earlier row of the file, is asked about:
    "Cập nhật đảng viên đã có" (the row updates that member: ``MEMBER_KEY``; only a member
    whose register the importer keeps), "Bỏ qua dòng này" (``SKIP_KEY``) or "Vẫn tạo mới",
    which needs a written reason (the row stays new; the reason goes into the history:
    ``row["_reason"]``). Until every question is answered the file cannot be written; an
    answer that cannot be applied is an error of its row.
    """
    answers = _answers(ctx)
    user = getattr(ctx, "user", None)
    claimed: dict[int, int] = {row[MEMBER_KEY]: row[ROW_KEY] for row in rows if row.get(MEMBER_KEY)}
    new_rows = [row for row in rows if not row.get(MEMBER_KEY) and not row.get(SKIP_KEY)]
    found: dict[int, _Found] = {}

    # Within the file: a row like an earlier new row. Only rows with the same key are compared.
    keys: dict[int, str] = {}
    earlier_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in new_rows:
        key = identity_key(row.get("family_name"), row.get("middle_name"), row.get("given_name"), row.get("birth_date"))
        if not key:
            continue
        keys[row[ROW_KEY]] = key
        earlier_rows = earlier_by_key[key]
        if earlier_rows:
            person = _row_person(row)
            for earlier in earlier_rows:
                match = compare(person, _row_person(earlier))
                if match is not None:
                    found[row[ROW_KEY]] = _Found(row, match, earlier=earlier)
                    break
        earlier_rows.append(row)

    # Against the register, inside what the importer may read.
    if user is not None and keys:
        register = _register_by_key(user, new_rows, keys)
        for row in new_rows if register else ():
            known_ones = register.get(keys.get(row[ROW_KEY], ""))
            if not known_ones:
                continue
            person = _row_person(row)
            hits = []
            for known in known_ones:
                match = compare(person, known.person())
                if match is not None:
                    hits.append((known, match))
            if hits:
                hits.sort(key=lambda h: (-h[1].strength, h[0].id))
                entry = found.get(row[ROW_KEY])
                best = hits[0][1]
                found[row[ROW_KEY]] = _Found(row, best, known=hits, earlier=entry.earlier if entry else None)

    for number in sorted(found):
        yield from _settle(found[number], ctx, answers, claimed)


def _question(entry: _Found, ctx: Any) -> Question:
    row = entry.row
    number = row[ROW_KEY]
    options: list[tuple[str, str]] = []
    details: list[str] = []
    if entry.known:
        key = f"dup:{number}:" + ",".join(f"m{k.id}" for k, _m in entry.known)
        several = len(entry.known) > 1
        for known, match in entry.known:
            if _writable(ctx, known):
                value = f"{UPDATE}:{known.id}" if several else UPDATE
                options.append((value, _("Cập nhật đảng viên đã có: %(who)s") % {"who": _describe_known(known)}))
            title = _("hồ sơ %(name)s (%(strength)s: %(why)s)") % {
                "name": full_name(known.family_name, known.middle_name, known.given_name),
                "strength": match.label,
                "why": "; ".join(match.reasons),
            }
            details += _side_by_side(row, _known_fields(known), title)
        prompt = _("Dòng %(row)s (%(who)s) %(strength)s là đảng viên đã có trong hồ sơ.") % {
            "row": number,
            "who": _describe_row(row),
            "strength": entry.match.label,
        }
    else:
        assert entry.earlier is not None
        other = entry.earlier[ROW_KEY]
        key = f"dup:{number}:r{other}"
        title = _("dòng %(row)s (%(strength)s: %(why)s)") % {
            "row": other,
            "strength": entry.match.label,
            "why": "; ".join(entry.match.reasons),
        }
        details = _side_by_side(row, _row_fields(entry.earlier), title)
        prompt = _("Dòng %(row)s (%(who)s) %(strength)s là cùng một người với dòng %(other)s của tệp.") % {
            "row": number,
            "who": _describe_row(row),
            "strength": entry.match.label,
            "other": other,
        }
    options += [(SKIP, _("Bỏ qua dòng này")), (CREATE, _("Vẫn tạo mới (ghi lý do)"))]
    return Question(
        kind=QUESTION_KIND,
        key=key,
        prompt=prompt,
        options=options,
        rows=[number],
        reason_for=frozenset({CREATE}),
        details=details,
    )


def _writable(ctx: Any, known: _Known) -> bool:
    check = getattr(ctx, "keeps_register_at", None)
    if check is not None:
        return bool(check(known.path))
    return keeps_register_at(getattr(ctx, "user", None), known.path)


REASON_KEY = "_reason"  # a row created despite a likely duplicate: the reason, for its history


def _settle(entry: _Found, ctx: Any, answers: dict[str, Any], claimed: dict[int, int]) -> Iterator[RowError]:
    question = _question(entry, ctx)
    row = entry.row
    number = row[ROW_KEY]
    given = answers.get(question.key) or {}
    value = str(given.get("value") or "")
    reason = str(given.get("reason") or "").strip()
    values = {v for v, _label in question.options}
    if value not in values:
        _ask(ctx, question)
        return
    if value == SKIP:
        row[SKIP_KEY] = _("Bỏ qua theo lựa chọn của người nhập: có thể trùng với %(other)s.") % {"other": _other_name(entry)}
        _ask(ctx, question.answered_from(answers))
        return
    if value == CREATE:
        if not reason:
            _ask(ctx, question.answered_from(answers))
            yield RowError(number, None, _("chọn «Vẫn tạo mới» cho đảng viên có thể trùng thì phải ghi lý do"))
            return
        row[REASON_KEY] = reason
        _ask(ctx, question.answered_from(answers))
        return
    # Update a member on record.
    wanted = int(value.split(":", 1)[1]) if ":" in value else entry.known[0][0].id
    known = next(k for k, _m in entry.known if k.id == wanted)
    _ask(ctx, question.answered_from(answers))
    problem = _update_problem(row, known)
    if problem:
        yield RowError(number, None, problem)
        return
    if known.id in claimed:
        yield RowError(number, None, _("cùng một đảng viên với dòng %(row)s trong tệp") % {"row": claimed[known.id]})
        return
    claimed[known.id] = number
    row[MEMBER_KEY] = known.id


def _other_name(entry: _Found) -> str:
    if entry.known:
        k = entry.known[0][0]
        return _("hồ sơ %(name)s") % {"name": full_name(k.family_name, k.middle_name, k.given_name)}
    assert entry.earlier is not None
    return _("dòng %(row)s") % {"row": entry.earlier[ROW_KEY]}


def _update_problem(row: dict[str, Any], known: _Known) -> str:
    """Why the row cannot update ``known`` (as ``members.importing`` refuses a CCCD match), or ""."""
    if known.status not in IN_PARTY_STATUSES:
        return _("hồ sơ đã có đang ở trạng thái «%(status)s»; không cập nhật qua tệp nhập") % {
            "status": Status(known.status).label
        }
    org = row.get("organization")
    if org is not None and org.pk != known.organization_id:
        return _("đảng viên đã có đang sinh hoạt tại «%(cell)s»; đổi chi bộ bằng chức năng chuyển sinh hoạt đảng") % {
            "cell": known.organization_name
        }
    if row.get("admitted_on") and row["admitted_on"] != known.admitted_on:
        return _("ngày vào Đảng khác với hồ sơ đã có (%(date)s); sửa trong hồ sơ của đảng viên") % {
            "date": format_date(known.admitted_on)
        }
    full_on = row.get("full_member_on")
    if full_on is not None and full_on != known.full_member_on:
        return _("ngày chính thức khác với hồ sơ đã có; sửa trong hồ sơ của đảng viên")
    if row.get("national_id") and known.national_id and row["national_id"] != known.national_id:
        return _("số CCCD khác với hồ sơ đã có")
    return ""


def history_reasons(rows: list[dict[str, Any]], reason: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """``rows`` grouped by the history reason of the members they create: ``reason``, or for a
    row created despite a likely duplicate, ``reason`` with the user's own (``REASON_KEY``)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        own = row.get(REASON_KEY)
        text = f"{reason}. Vẫn tạo mới dù có thể trùng với hồ sơ đã có: {own}" if own else reason
        groups.setdefault(text, []).append(row)
    return list(groups.items())
