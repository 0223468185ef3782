"""The measures of issue 2: subtree member count, tree page for one node, tree as of a date.

Each returns the same answer from the application's path and from hand-written SQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from bench.generator import PAST_DATE
from bench.registry import Sides, measure
from members.models import IN_PARTY_STATUSES, Member
from orgs.models import Level, Organization
from orgs.scope import PATH_END
from orgs.services import tree_as_of

BENCH_USERNAME = "bench-admin"


@dataclass
class Context:
    """The data set's size and the nodes the measures look at (chosen the same way each run)."""

    size: str
    province: Organization
    upper: Organization
    past_date: dt.date = PAST_DATE
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def admin(self) -> User:
        """The administrator the measures read as (the whole tree)."""
        user = User.objects.filter(username=BENCH_USERNAME).first()
        if user is None:
            user = User.objects.create_user(username=BENCH_USERNAME, password=None, full_name="Benchmark", is_superuser=True)
        return user

    @cached_property
    def admin_client(self) -> Client:
        client = Client()
        client.force_login(self.admin)
        return client


def build_context(size: str) -> Context:
    """The first province (under the central root at the nation size) and its largest upper committee."""
    province = Organization.objects.filter(kind__level=Level.PROVINCE).order_by("path").first()
    if province is None:
        raise RuntimeError("The benchmark database has no organization: generate it first.")
    upper = (
        Organization.objects.filter(path__startswith=province.path, depth=province.depth + 1, dissolved_on__isnull=True)
        .order_by("-numchild", "path")
        .first()
    )
    return Context(size=size, province=province, upper=upper or province)


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@measure("subtree_member_count")
def subtree_member_count(ctx: Context) -> Sides:
    """Members in the party in one province's subtree."""
    node = ctx.province

    def app() -> int:
        qs = Member.objects.in_party()
        in_org = getattr(qs, "in_organization", None)
        if in_org is None:  # the helper's older name
            from orgs.scope import subtree_q

            return qs.filter(subtree_q(node.path, "organization__path")).count()
        return in_org(node).count()

    statuses = [str(s) for s in IN_PARTY_STATUSES]
    marks = ", ".join(["%s"] * len(statuses))
    sql = (
        "SELECT count(*) FROM members_member m JOIN orgs_organization o ON o.id = m.organization_id "
        f"WHERE o.path >= %s AND o.path < %s AND m.status IN ({marks})"
    )

    def limit() -> int:
        return _rows(sql, [node.path, node.path + PATH_END, *statuses])[0][0]

    return Sides(app=app, limit=limit)


_NODE_CODE = re.compile(r'data-testid="node-([^"]+)"')


@measure("tree_page")
def tree_page(ctx: Context) -> Sides:
    """The tree browser's children of one upper committee (the htmx partial), as an admin."""
    node = ctx.upper
    try:
        url = reverse("orgs:organization_children", kwargs={"code": node.code})
    except NoReverseMatch:
        url = ""

    def app() -> list[str]:
        if not url:  # before the page existed: the queryset it would use
            children = Organization.objects.get_children(node).active().order_by("path")
            return list(children.values_list("code", flat=True))
        response = ctx.admin_client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"{url} answered {response.status_code}")
        return _NODE_CODE.findall(response.content.decode())

    # The same rows the partial shows: active children, their kind's name, in tree order.
    sql = (
        "SELECT o.code, o.name, o.short_name, o.numchild, o.dissolved_on, k.name FROM orgs_organization o "
        "JOIN orgs_orgkind k ON k.id = o.kind_id "
        "WHERE o.path > %s AND o.path < %s AND o.depth = %s AND (o.dissolved_on IS NULL OR o.dissolved_on > %s) ORDER BY o.path"
    )

    def limit() -> list[str]:
        rows = _rows(
            sql, [node.path, node.path + PATH_END, node.depth + 1, connection.ops.adapt_datefield_value(dt.date.today())]
        )
        return [r[0] for r in rows]

    return Sides(app=app, limit=limit)


@measure("tree_as_of")
def tree_as_of_measure(ctx: Context) -> Sides:
    """One province's tree as it was on a past date (before the 2025 restructuring)."""
    root, date, admin = ctx.province.path, ctx.past_date, ctx.admin

    def app() -> list[tuple[int, str, str]]:
        return [(v.organization_id, v.path, v.name) for v in tree_as_of(date, user=admin, root_path=root)]

    sql = (
        "SELECT organization_id, path, name FROM orgs_orgversion "
        "WHERE path >= %s AND path < %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s) ORDER BY path"
    )

    def limit() -> list[tuple[int, str, str]]:
        day = connection.ops.adapt_datefield_value(date)
        return [tuple(r) for r in _rows(sql, [root, root + PATH_END, day, day])]

    return Sides(app=app, limit=limit)
