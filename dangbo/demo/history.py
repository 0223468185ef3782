"""What happened to the demonstration members from 2015 to today, through the services.

Deaths, removals and expulsions, transfers out of and into the system, transfers between
cells (a few still open, one or two past their deadline), temporary attachments (some
still running) and party badges on 03/02 and 02/09. Each event is a call of
``members.services``, so its dated rows and checks are those a user's entry would make;
there are a few hundred of them, against the thousands of members written in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from dangbo.demo.members import Lists, national_id, profile_details
from lib.names import random_name
from members import rules
from members.models import Member, Status, TemporaryReason
from members.services import (
    badge_award,
    member_attach_temporarily,
    member_change_status,
    member_end_temporary,
    member_transfer_in,
    member_transfer_out,
    member_transfer_within,
)
from orgs.models import Organization

FIRST_YEAR = 2015
OUTSIDE_UNITS = [
    "Đảng bộ tỉnh Bắc Ninh",
    "Đảng bộ thành phố Hà Nội",
    "Đảng bộ tỉnh Lạng Sơn",
    "Đảng bộ tỉnh Thái Nguyên",
    "Đảng bộ Khối các cơ quan Trung ương",
    "Đảng bộ huyện Lạng Giang",
]


@dataclass
class HistorySummary:
    events: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.events[kind] = self.events.get(kind, 0) + 1


class _History:
    def __init__(self, rng: random.Random, today: dt.date, scale: float) -> None:
        self.rng, self.today, self.scale = rng, today, scale
        self.summary = HistorySummary()
        self.cells = list(
            Organization.objects.filter(kind__level__in=["cell", "base_cell"], dissolved_on__isnull=True).order_by("path")
        )
        self.busy: set[int] = set()  # members already given an event that ends or moves them
        self.letter = 0

    def count(self, per_year: float) -> int:
        years = self.today.year - FIRST_YEAR + 1
        return max(2, round(per_year * years * self.scale))

    def letter_no(self) -> str:
        self.letter += 1
        return f"{self.letter}-GGT/ĐU"

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def pick(self, qs: Any, n: int) -> list[Member]:
        ids = [pk for pk in qs.values_list("pk", flat=True).order_by("pk") if pk not in self.busy]
        chosen = self.rng.sample(ids, min(n, len(ids)))
        self.busy.update(chosen)
        return list(Member.objects.filter(pk__in=chosen).select_related("organization").order_by("pk"))

    def try_(self, kind: str, fn: Any, **kwargs: Any) -> Any:
        """Call a service; an event the rules refuse (a date too early for that cell) is skipped."""
        try:
            result = fn(**kwargs)
        except ValidationError:
            return None
        self.summary.add(kind)
        return result

    def since(self, member: Member) -> dt.date:
        """The first day an event may fall on: after the member's last status and cell change."""
        start = max(member.status_since or member.admitted_on, dt.date(FIRST_YEAR, 1, 1), member.organization.founded_on)
        return start + dt.timedelta(days=1)

    # -- events -----------------------------------------------------------------------

    def endings(self) -> None:
        full = Member.objects.filter(status=Status.FULL)
        for status, per_year, decision in (
            (Status.DECEASED, 3, ""),
            (Status.REMOVED, 1, "QĐ xóa tên"),
            (Status.EXPELLED, 0.3, "QĐ khai trừ"),
        ):
            for m in self.pick(full, self.count(per_year)):
                on = self.day(self.since(m), self.today - dt.timedelta(days=10))
                self.try_(status, member_change_status, member=m, status=status, effective_on=on, decision_no=decision)
        for m in self.pick(full, self.count(4)):
            on = self.day(self.since(m), self.today - dt.timedelta(days=10))
            self.try_(
                "out",
                member_transfer_out,
                member=m,
                destination=self.rng.choice(OUTSIDE_UNITS),
                letter_no=self.letter_no(),
                letter_on=on,
                cause_on=on - dt.timedelta(days=self.rng.randint(5, 30)),
            )

    def _target(self, member: Member, *, across: bool) -> Organization:
        parent = member.organization.path[: -Organization.steplen]
        pool = [c for c in self.cells if c.pk != member.organization_id and (c.path.startswith(parent) != across)]
        return self.rng.choice(pool or [c for c in self.cells if c.pk != member.organization_id])

    def transfers_within(self) -> None:
        full = Member.objects.filter(status=Status.FULL)
        for i, m in enumerate(self.pick(full, self.count(6))):
            to = self._target(m, across=i % 3 == 0)
            start = max(self.since(m), to.founded_on + dt.timedelta(days=1))
            letter_on = self.day(start, self.today - dt.timedelta(days=40))
            presented = letter_on + dt.timedelta(days=self.rng.randint(2, 25))
            self.try_(
                "within",
                member_transfer_within,
                member=m,
                to_organization=to,
                cause_on=letter_on - dt.timedelta(days=self.rng.randint(5, 40)),
                letter_no=self.letter_no(),
                letter_on=letter_on,
                presented_on=presented,
            )
        # Still open: two letters recently issued, one letter never presented (overdue),
        # one transfer whose letter was never issued (overdue).
        for i, m in enumerate(self.pick(full.filter(full_member_on__lt=self.today - dt.timedelta(days=200)), 4)):
            to = self._target(m, across=False)
            if i < 2:
                kwargs = {"cause_on": self.today - dt.timedelta(days=12), "letter_on": self.today - dt.timedelta(days=5 + i)}
            elif i == 2:
                kwargs = {"cause_on": self.today - dt.timedelta(days=110), "letter_on": self.today - dt.timedelta(days=90)}
            else:
                kwargs = {"cause_on": self.today - dt.timedelta(days=120)}
            self.try_("within_open", member_transfer_within, member=m, to_organization=to, letter_no=self.letter_no(), **kwargs)

    def transfers_in(self) -> None:
        lists = Lists.load()
        used = {nid for nid in Member.objects.values_list("national_id", flat=True) if nid}
        for _ in range(self.count(3)):
            cell = self.rng.choice(self.cells)
            presented = self.day(max(dt.date(FIRST_YEAR, 1, 1), cell.founded_on), self.today - dt.timedelta(days=20))
            name = random_name(self.rng)
            admitted = presented - dt.timedelta(days=self.rng.randint(2 * 365, 15 * 365))
            birth = admitted - dt.timedelta(days=self.rng.randint(22 * 365, 32 * 365))
            letter_on = presented - dt.timedelta(days=self.rng.randint(3, 20))
            self.try_(
                "in",
                member_transfer_in,
                to_organization=cell,
                origin=self.rng.choice(OUTSIDE_UNITS),
                letter_no=self.letter_no(),
                letter_on=letter_on,
                presented_on=presented,
                family_name=name.family,
                middle_name=name.middle,
                given_name=name.given,
                sex=name.sex,
                birth_date=birth,
                admitted_on=admitted,
                full_member_on=rules.add_months(admitted, 12),
                national_id=national_id(self.rng, birth, name.sex, used),
                card_number=str(100_000_000 + self.summary.events.get("in", 0)),  # 9 digits: not one the bulk drew
                **profile_details(self.rng, lists, cell.host_unit, None),
            )

    def attachments(self) -> None:
        members = self.pick(Member.objects.filter(status=Status.FULL), self.count(3.5))
        for i, m in enumerate(members):
            to = self._target(m, across=True)
            reason = TemporaryReason.STUDY if i % 3 == 0 else TemporaryReason.WORK
            months = self.rng.randint(4, 18 if reason == TemporaryReason.STUDY else 10)
            running = i % 4 == 0  # a quarter are still attached today
            if running:
                started = self.today - dt.timedelta(days=self.rng.randint(20, 100))
            else:
                start = max(self.since(m), to.founded_on + dt.timedelta(days=1))
                started = self.day(start, self.today - dt.timedelta(days=31 * months + 10))
            ends = rules.add_months(started, months)
            done = self.try_(
                "temporary",
                member_attach_temporarily,
                member=m,
                organization=to,
                started_on=started,
                ends_on=ends,
                reason=reason,
                letter_no=self.letter_no(),
            )
            if done and not running and ends <= self.today:
                self.try_("temporary_ended", member_end_temporary, member=m, ended_on=ends)

    def badges(self) -> None:
        """Badges on the 03/02 or 02/09 after each milestone; a few are missed (shown as due)."""
        qs = Member.objects.filter(status__in=[Status.FULL], party_age_from__lte=rules.add_months(self.today, -12 * 30))
        for m in qs.order_by("pk"):
            for years in rules.BADGE_YEARS:
                due = rules.badge_milestone(admitted_on=m.admitted_on, years=years, gap_months=m.party_age_gap_months).due_on
                occasion = _next_occasion(due)
                if occasion > self.today or self.rng.random() < 0.08:
                    break
                self.try_(
                    "badge",
                    badge_award,
                    member=m,
                    years=years,
                    awarded_on=occasion,
                    decision_no=f"{self.rng.randint(100, 999)}-QĐ/TU",
                )


def _next_occasion(due: dt.date) -> dt.date:
    """The first 03/02 (the Party's founding) or 02/09 (National Day) on or after ``due``."""
    for candidate in (dt.date(due.year, 2, 3), dt.date(due.year, 9, 2), dt.date(due.year + 1, 2, 3)):
        if candidate >= due:
            return candidate
    raise AssertionError("unreachable")


def add_history(*, rng: random.Random, today: dt.date, scale: float) -> HistorySummary:
    """Record the events of 2015 to ``today`` for the members already created."""
    history = _History(rng, today, scale)
    history.endings()
    history.transfers_within()
    history.transfers_in()
    history.attachments()
    history.badges()
    return history.summary
