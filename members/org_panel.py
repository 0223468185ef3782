"""The members panel of an organization's page: how many members its subtree has, by
status, each count a link to the member list filtered by the organization (and status).

Registered into ``orgs.panels`` from ``MembersConfig.ready``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from members.filters import IN_PARTY
from members.models import IN_PARTY_STATUSES, Member, Status
from orgs.models import Organization
from orgs.panels import Panel


@dataclass(frozen=True)
class StatusCount:
    label: Any  # a lazily translated status name
    count: int
    url: str


def _list_url(organization: Organization, status: str) -> str:
    return reverse("members:member_list") + "?" + urlencode({"organization": organization.code, "status": status})


def organization_members_panel(user: Any, organization: Organization) -> Panel | None:
    """The counts of the members whose cell lies in ``organization``'s subtree, as ``user``
    may read them (one query). None for a reader who sees the organization but not its
    register (a member sees their cell, not the others' records)."""
    if not user.scope.can_read_path(organization.path):
        return None
    rows = Member.objects.for_user(user).in_organization(organization).order_by().values_list("status").annotate(n=Count("pk"))
    counts = dict(rows)
    in_party = [StatusCount(Status(s).label, counts.get(s, 0), _list_url(organization, s)) for s in IN_PARTY_STATUSES]
    others = [
        StatusCount(Status(s).label, counts[s], _list_url(organization, s))
        for s in Status.values
        if s not in IN_PARTY_STATUSES and counts.get(s)
    ]
    context = {
        "organization": organization,
        "in_party_total": sum(c.count for c in in_party),
        "in_party_url": _list_url(organization, IN_PARTY),
        "in_party": in_party,
        "others": others,
    }
    return Panel(template="members/_org_panel.html", context=context, order=10)
