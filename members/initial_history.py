"""The dated rows a member's record starts with: one rule for every way a member is recorded.

A member recorded by the form (``members.services.member_create``), by an import
(``members.importing``), by the backfill of members inserted without their history
(``members.services.members_backfill_history``), by the demonstration data and by the
benchmark generator starts with the same rows:

- a ``StatusChange`` to probationary on the day of admission (Điều lệ Đảng art. 5: a
  member admitted is probationary for 12 months);
- a ``StatusChange`` to full on the day made full, when there is one;
- a ``StatusChange`` to the record's own status on ``status_since`` when it is neither
  (a member recorded after being exempted, suspended or leaving the party: a backfill);
- a permanent ``CellMembership`` of the record's cell from ``cell_since`` (by default the
  admission, or the cell's founding when later), open while the member is in the party and
  ended on ``status_since`` otherwise.

``initial_history`` computes them as dicts by attname, without a query, so that a bulk
writer (the import's ``lib.bulk``, the benchmark's COPY) takes them as they are;
``write_initial_history`` writes them with their django-simple-history rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from lib import bulk
from members import counts
from members.models import IN_PARTY_STATUSES, CellMembership, Member, MembershipKind, Status, StatusChange

BATCH = 2000


@dataclass
class InitialHistory:
    """Rows by attname: every status row has the same keys, and so has every membership row."""

    status_changes: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)

    def extend(self, other: InitialHistory) -> None:
        self.status_changes.extend(other.status_changes)
        self.memberships.extend(other.memberships)


def initial_history(
    *,
    member_id: int,
    organization_id: int,
    cell_founded_on: dt.date,
    admitted_on: dt.date,
    full_member_on: dt.date | None = None,
    status: str | None = None,
    status_since: dt.date | None = None,
    cell_since: dt.date | None = None,
    recorded_by_id: int | None = None,
    decision_no: str = "",
    full_decision_no: str = "",
    today: dt.date | None = None,
) -> InitialHistory:
    """The rows a member's record starts with (see the module's docstring). No query.

    ``status`` is the record's status (default: full when ``full_member_on`` is given, else
    probationary); ``status_since`` when it began (default: today, for a record that does not
    say). ``cell_founded_on`` is the founding of the member's cell ``organization_id``.
    """
    status = status or (Status.FULL if full_member_on else Status.PROBATIONARY)
    rows = InitialHistory()

    def status_row(value: str, on: dt.date, number: str) -> None:
        rows.status_changes.append(
            {
                "member_id": member_id,
                "status": str(value),
                "effective_on": on,
                "decision_no": number,
                "recorded_by_id": recorded_by_id,
            }
        )

    status_row(Status.PROBATIONARY, admitted_on, decision_no)
    if full_member_on:
        status_row(Status.FULL, full_member_on, full_decision_no)
    since = status_since or today or dt.date.today()
    if status not in (Status.PROBATIONARY, Status.FULL):
        status_row(status, since, "")
    started = cell_since or max(admitted_on, cell_founded_on)
    rows.memberships.append(
        {
            "member_id": member_id,
            "organization_id": organization_id,
            "kind": str(MembershipKind.PERMANENT),
            "started_on": started,
            "ended_on": None if status in IN_PARTY_STATUSES else max(since, started),
        }
    )
    return rows


def initial_history_of(member: Member, **kwargs: Any) -> InitialHistory:
    """``initial_history`` of a saved ``member`` whose ``organization`` is loaded; ``kwargs``
    are the rest of ``initial_history``'s (``cell_since``, ``recorded_by_id``, the decisions)."""
    return initial_history(
        member_id=member.pk,
        organization_id=member.organization_id,
        cell_founded_on=member.organization.founded_on,
        admitted_on=member.admitted_on,
        full_member_on=member.full_member_on,
        status=member.status,
        status_since=member.status_since,
        **kwargs,
    )


def initial_history_of_all(members: Iterable[Member], **kwargs: Any) -> InitialHistory:
    """The rows of every member of ``members`` (``initial_history_of`` each)."""
    rows = InitialHistory()
    for member in members:
        rows.extend(initial_history_of(member, **kwargs))
    return rows


@transaction.atomic
def write_initial_history(
    rows: InitialHistory, *, user_id: int | None, reason: str, members: dict[int, dict[str, Any]] | None = None
) -> None:
    """Write ``rows`` and one history row each (``+``, the user, the reason), in bulk.

    Through ``lib.bulk`` where it reserves keys (SQLite, PostgreSQL), else through
    simple-history's ``bulk_create_with_history``: the same rows either way. The members
    enter the kept counts here (``members.counts``): a member row inserted without its
    history has not been counted yet, however it was inserted. A writer that holds the
    members' values (by id, by attname: the import) passes them as ``members``, and the
    counts are then computed without reading the rows back.
    """
    _write_rows(rows, user_id=user_id, reason=reason)
    kept = counts.kept_range()
    if kept is None:
        return
    if members is not None:
        diff = counts.new_member_contributions(members, rows.status_changes, rows.memberships, kept)
    else:
        ids = {row["member_id"] for row in rows.status_changes} | {row["member_id"] for row in rows.memberships}
        diff = counts.member_contributions(ids, kept)
    counts.apply(diff, kept)


def _write_rows(rows: InitialHistory, *, user_id: int | None, reason: str) -> None:
    if bulk.supported():
        bulk.insert_with_history(StatusChange, rows.status_changes, user_id=user_id, reason=reason)
        bulk.insert_with_history(CellMembership, rows.memberships, user_id=user_id, reason=reason)
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    for model, values in ((StatusChange, rows.status_changes), (CellMembership, rows.memberships)):
        bulk_create_with_history(
            [model(**row) for row in values],
            model,
            batch_size=BATCH,
            default_change_reason=reason,
            default_user=user,
        )
