"""The member register's alerts (``lib.alerts``): probationary members overdue for the
decision on full membership, and transfers past a deadline, in a subtree as a user reads it.

Each count is the count of the page its link opens, read through the same selector.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from lib.alerts import Alert, Level
from members import selectors
from members.models import Member


def member_alerts(user: Any, organization: Any, today: dt.date) -> list[Alert]:
    members = Member.objects.for_user(user).in_organization(organization)
    # Overdue means past the deadline, which falls after the probation's end: only the
    # members whose probation has ended by today can be overdue (``within_days=0``).
    probation = sum(1 for row in selectors.probationary_due_for_full(members, on=today, within_days=0) if row.overdue)
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
