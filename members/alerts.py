"""The member register's alerts (``lib.alerts``): probationary members overdue for the
decision on full membership, and transfers past a deadline, in a subtree as a user reads it.

Each count is the count of the page its link opens, read through the same selector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import ngettext

from lib.alerts import Alert, Level
from members import rules, selectors
from members.models import Member, Status
from workdays.services import add_working_days


def latest_overdue_start(on: dt.date) -> dt.date:
    """The latest start of probation whose deadline to consider full membership is past on
    ``on``: the deadline (``rules.full_consideration_deadline``: 30 working days after the 12
    months, Điều lệ Đảng, Điều 5) only moves forward with the start, so the members overdue
    are exactly those whose probation started on this day or before."""
    end = on - dt.timedelta(days=1)  # the latest end of probation whose deadline is past
    while add_working_days(end, rules.FULL_CONSIDERATION_WORKING_DAYS) >= on:
        end -= dt.timedelta(days=1)
    start = rules.add_months(end, -rules.PROBATION_MONTHS)
    # 12 months after 29/02 is 28/02: a later start may still end by ``end``.
    while rules.add_months(start + dt.timedelta(days=1), rules.PROBATION_MONTHS) <= end:
        start += dt.timedelta(days=1)
    return start


def probation_overdue(members: Any, *, on: dt.date) -> Any:
    """Probationary members past the deadline to consider them for full membership on ``on``:
    the overdue rows of ``selectors.probationary_due_for_full``, counted in one query (the
    selector decides each member's deadline in Python, which a province's thousands of
    probationary members make slow on a dashboard)."""
    latest = latest_overdue_start(on)
    # The start of probation is the ceremony, else the admission (``rules.probation_start``),
    # written on the two columns so that their index answers the count alone.
    started = Q(ceremony_on__lte=latest) | Q(ceremony_on__isnull=True, admitted_on__lte=latest)
    return members.filter(started, status=Status.PROBATIONARY)


def member_alerts(user: Any, organization: Any, today: dt.date) -> list[Alert]:
    members = Member.objects.for_user(user).in_organization(organization)
    probation = probation_overdue(members, on=today).count()
    transfers = len(selectors.overdue_transfers(members, on=today))
    alerts = []
    if probation:
        alerts.append(
            Alert(
                "members.probation_overdue",
                ngettext(
                    "%(n)s đảng viên dự bị quá hạn xét chuyển chính thức",
                    "%(n)s đảng viên dự bị quá hạn xét chuyển chính thức",
                    probation,
                )
                % {"n": probation},
                reverse("members:member_probation_due"),
                Level.LATE,
                probation,
            )
        )
    if transfers:
        alerts.append(
            Alert(
                "members.transfers_overdue",
                ngettext("%(n)s trường hợp chuyển sinh hoạt quá hạn", "%(n)s trường hợp chuyển sinh hoạt quá hạn", transfers)
                % {"n": transfers},
                reverse("members:transfer_overdue"),
                Level.LATE,
                transfers,
            )
        )
    return alerts
