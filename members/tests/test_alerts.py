"""The member register's alerts: overdue probation counted in one query gives the overdue rows
of the probation selector, whatever the day (holidays, month ends, 29/02)."""

from __future__ import annotations

import datetime as dt

from members import selectors
from members.alerts import member_alerts, probation_overdue
from members.models import Member
from members.testing import add_member


def test_overdue_probation_counted_in_one_query_equals_the_selectors_overdue_rows(cast):
    starts = [dt.date(2023, 1, 2) + dt.timedelta(days=11 * i) for i in range(30)] + [dt.date(2024, 2, 29)]
    for i, start in enumerate(starts):
        # Every third admitted at a ceremony held later: probation starts at the ceremony.
        ceremony = start + dt.timedelta(days=9 + i) if i % 3 == 0 else None
        add_member(cast.tree.office_cell, given_name="Dự", admitted_on=start, full_member_on=None, ceremony_on=ceremony)
    members = Member.objects.for_user(cast.admin).in_organization(cast.tree.bloc)
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=13 * i) for i in range(40)] + [dt.date(2025, 3, 1), dt.date(2025, 4, 15)]
    for on in days:
        expected = sorted(r.member.pk for r in selectors.probationary_due_for_full(members, on=on) if r.overdue)
        assert sorted(probation_overdue(members, on=on).values_list("pk", flat=True)) == expected, on


def test_the_alert_counts_the_scope_only(cast):
    add_member(cast.tree.office_cell, given_name="Dự", admitted_on=dt.date(2023, 1, 2), full_member_on=None)
    today = dt.date(2025, 1, 1)
    (alert,) = member_alerts(cast.cell, cast.tree.office_cell, today)
    assert (alert.key, alert.count) == ("members.probation_overdue", 1)
    assert member_alerts(cast.outsider, cast.tree.power, today) == []
