"""What the home page shows each user.

The committee's dashboard (``targets.views.dashboard_context``), with the working lists
above it, for whoever reads a committee's or a cell's work: upper-level staff and read-only
leadership (assigned to a province, bloc or upper committee), base committees and cell
secretaries, each for the highest organization they are assigned to as one of those roles
(``dashboard_organization``). Everyone else (a member, the system administrator, an account
with no assignment) keeps the plain home: their working lists and their own record.

The lists are the member register's own selectors over ``Member.objects.for_user``, with
the defaults of their pages, so a count here is the count the linked page shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from members import selectors
from members.forms import BadgesDueForm
from members.models import Member
from orgs.models import Organization


@dataclass(frozen=True)
class WorkingList:
    key: str
    title: str
    count: int
    url: str


def working_lists(user: Any, today: dt.date | None = None) -> list[WorkingList]:
    """The user's working lists; none for an account that reads only its own record."""
    if not (user.is_admin or user.roles() - {Role.MEMBER}):
        return []
    today = today or dt.date.today()
    members = Member.objects.for_user(user)
    award_on = BadgesDueForm(None, user=user).award_on(today)  # the badges page's default date
    return [
        WorkingList(
            "probation",
            _("Đảng viên dự bị đến hạn xét công nhận chính thức"),
            len(selectors.probationary_due_for_full(members, on=today)),
            reverse("members:member_probation_due"),
        ),
        WorkingList(
            "badges",
            _("Đảng viên đến hạn xét tặng Huy hiệu Đảng (ngày trao tặng %(date)s)") % {"date": award_on.strftime("%d/%m/%Y")},
            len(selectors.badges_due(members, award_date=award_on)),
            reverse("members:member_badges_due"),
        ),
        WorkingList(
            "transfers",
            _("Chuyển sinh hoạt đảng quá hạn"),
            len(selectors.overdue_transfers(members, on=today)),
            reverse("members:transfer_overdue"),
        ),
    ]


DASHBOARD_ROLES = frozenset({Role.UPPER_STAFF, Role.VIEWER, Role.BASE_COMMITTEE, Role.CELL_SECRETARY})


def dashboard_organization(user: Any) -> Organization | None:
    """The organization whose dashboard is ``user``'s home: the highest one they are assigned
    to in a role of ``DASHBOARD_ROLES`` (None: they keep the plain home)."""
    organizations = [a.organization for a in user.active_assignments if a.role in DASHBOARD_ROLES]
    return min(organizations, key=lambda o: (o.depth, o.path), default=None)


def own_record(user: Any) -> Member | None:
    """The member record linked to ``user``'s account, if any."""
    return Member.objects.filter(user_id=user.pk).select_related("organization").first()
