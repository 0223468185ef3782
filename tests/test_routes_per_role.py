"""Every route that names an object, as every role of the cast (NetBox-style).

For each route of the URLconf that takes an argument (``tests.routes``) and each role:

- the route with an object OUTSIDE the role's scope answers 403, 404 or 405, to GET and
  to POST: never a page (2xx) nor a redirect (3xx, what a saved change answers);
- a read-only role (member, viewer) POSTing to the route with an object INSIDE its scope
  is refused the same way: no change is ever saved for them;
- the administrator GETs the route with the inside object without a 404 or a crash,
  which proves the registry below builds a real address.

A route missing from ``REGISTRY`` fails ``test_every_route_with_an_argument_is_registered``:
a new app is covered by adding its routes here, not by writing its own matrix.

The world is built once for the module (two sides of the small tree, an object of each
kind on each side); each test runs in a transaction rolled back at its end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import ApiToken, Assignment, User
from accounts.testing import build_cast
from members.models import ImportJob, Member, Reconciliation, ReconciliationStatus, Transfer, TransferKind
from members.testing import add_member
from orgs.services import NewOrgSpec, organization_found, seat_assign, term_create
from orgs.testing import build_small_tree
from reviews.models import MemberReview, OrganizationReview
from reviews.testing import open_round
from targets import models as targets_models
from tests.routes import Route, routes_with_arguments
from workdays.models import Holiday, WorkingDayOverride

ROLES = ("admin", "upper", "viewer", "base", "cell", "member", "outsider")
READ_ONLY = ("member", "viewer")
REFUSED = {403, 404, 405}


# ---------------------------------------------------------------------------------------
# The world: side "a" is the finance department's office cell (in the bloc: every role but
# the outsider reads it), side "b" the power company (the outsider's, and the admin's).


def _build_world() -> SimpleNamespace:
    tree = build_small_tree()
    cast = build_cast(tree)
    power_cell = organization_found(
        parent=tree.power,
        spec=NewOrgSpec(code="cb-dien-luc", name="Chi bộ Phân xưởng", kind=tree.kinds["chi-bo"]),
        effective_on=dt.date(2015, 2, 1),
    ).organization
    assert power_cell is not None
    member_a = add_member(tree.office_cell, family_name="Nguyễn", given_name="An")
    Member.objects.filter(pk=member_a.pk).update(user=cast.member)  # the member role's own record
    member_b = add_member(power_cell, family_name="Đỗ", given_name="Bình")
    world = SimpleNamespace(cast=cast, tree=tree, sides={})
    for side, org, member in (("a", tree.office_cell, member_a), ("b", tree.power, member_b)):
        term = term_create(organization=org, name="2020-2025", starts_on=dt.date(2020, 10, 1))
        seat = seat_assign(term=term, role="member", holder_name="Lê Văn Cường", started_on=dt.date(2020, 10, 1))
        transfer = Transfer.objects.create(
            member=member, kind=TransferKind.OUT, from_org=member.organization, outside_unit="Đảng bộ tỉnh Lạng Sơn"
        )
        world.sides[side] = SimpleNamespace(org=org, member=member, term=term, seat=seat, transfer=transfer)
    world.sides["a"].assignment = Assignment.objects.get(user=cast.cell)
    world.sides["b"].assignment = Assignment.objects.get(user=cast.outsider)
    # Personal objects: each role's own, and someone else's.
    world.own = {}
    for role in ROLES:
        user = getattr(cast, role)
        token, _key = ApiToken.issue(user=user, name=f"Mã của {role}")
        job = ImportJob.objects.create(created_by=user, filename=f"{role}.xlsx")
        world.own[role] = SimpleNamespace(user=user, token=token, job=job)
        world.own[role].reconciliation = Reconciliation.objects.create(
            created_by=user,
            organization=tree.power if role == "outsider" else tree.office_cell,
            on=dt.date(2026, 3, 31),
            filename=f"{role}.xlsx",
            status=ReconciliationStatus.DONE,
        )
    # A review round on each side: the bloc's (side a) and the power company's (side b).
    for side, root, base in (("a", tree.bloc, tree.finance), ("b", tree.power, tree.power)):
        review_round = open_round(root, 2025)
        here = world.sides[side]
        here.review_round, here.base = review_round, base
        here.review = MemberReview.objects.get(round=review_round, member=here.member)
        here.organization_review = OrganizationReview.objects.get(round=review_round, organization=base)
    # A resolution with a target on each side: the office cell's (side a), the power company's (side b).
    for here in world.sides.values():
        here.resolution = targets_models.Resolution.objects.create(
            organization=here.org, term_name="2020–2025", start_year=2020, end_year=2025
        )
        here.target = targets_models.Target.objects.create(
            resolution=here.resolution, wording="Kết nạp đảng viên", indicator_code="members.admitted", threshold=3, unit="count"
        )
    # The calendar may already hold the year's holidays (loaded by a migration): use one.
    world.holiday = Holiday.objects.order_by("date").first() or Holiday.objects.create(
        date=dt.date(2030, 3, 15), name="Ngày nghỉ thử"
    )
    world.working_day = WorkingDayOverride.objects.order_by("date").first() or WorkingDayOverride.objects.create(
        date=dt.date(2030, 3, 16), reason="Làm bù thử"
    )
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------
# The registry: for each route, which kind of object it names and how its address is built.


def _other(role: str) -> str:
    return "cell" if role == "outsider" else "outsider"


def _side(role: str, inside: bool) -> str | None:
    """The side a role reads ("a" for the bloc's roles, "b" for the outsider); None: no such side."""
    mine = "b" if role == "outsider" else "a"
    if inside:
        return mine
    if role == "admin":
        return None  # nothing lies outside the administrator's scope
    return "a" if mine == "b" else "b"


@dataclass(frozen=True)
class Target:
    """How to name an object of a kind in an address, inside or outside a role's scope.

    ``pick(world, role, inside)`` returns the URL kwargs, or None when there is no such
    object (nothing is outside the administrator's scope). ``own_writes``: the object is
    the user's own (their API token), which a read-only role may change.
    ``body``: the JSON an API operation needs to reach its view (else it answers 422).
    """

    pick: Callable[[Any, str, bool], dict[str, Any] | None]
    own_writes: bool = False
    body: dict[str, Any] | None = None


def scoped(kwargs: Callable[[Any], dict[str, Any]]) -> Callable[[Any, str, bool], dict[str, Any] | None]:
    def pick(world: Any, role: str, inside: bool) -> dict[str, Any] | None:
        side = _side(role, inside)
        return None if side is None else kwargs(world.sides[side])

    return pick


def personal(kwargs: Callable[[Any], dict[str, Any]], *, admin_sees_all: bool = False):
    def pick(world: Any, role: str, inside: bool) -> dict[str, Any] | None:
        if not inside and role == "admin" and admin_sees_all:
            return None
        return kwargs(world.own[role if inside else _other(role)])

    return pick


def unscoped(kwargs: Callable[[Any], dict[str, Any]]):
    """Shared reference data (the holiday calendar): nothing is outside anyone's scope;
    only the administrator changes it."""

    def pick(world: Any, role: str, inside: bool) -> dict[str, Any] | None:
        return kwargs(world) if inside else None

    return pick


ORG = Target(scoped(lambda s: {"code": s.org.code}))
MEMBER = Target(scoped(lambda s: {"pk": s.member.pk}))
TRANSFER = Target(scoped(lambda s: {"pk": s.member.pk, "transfer_id": s.transfer.pk}))
IMPORT_JOB = Target(personal(lambda o: {"pk": o.job.pk}, admin_sees_all=True))
# A reconciliation is its user's alone, the administrator's too (it holds a whole list).
RECONCILIATION = Target(personal(lambda o: {"pk": o.reconciliation.pk}))
USER = Target(personal(lambda o: {"pk": o.user.pk}, admin_sees_all=True))

REGISTRY: dict[str, Target] = {
    # accounts: the administrator's user pages, assignments, one's own API tokens
    **{
        f"accounts:{name}": USER
        for name in (
            "user_detail",
            "user_update",
            "user_password_reset",
            "user_deactivate",
            "user_activate",
            "user_otp_reset",
            "assignment_create",
        )
    },
    "accounts:assignment_end": Target(scoped(lambda s: {"pk": s.assignment.pk})),
    "accounts:token_revoke": Target(personal(lambda o: {"pk": o.token.pk}), own_writes=True),
    # orgs
    "orgs:organization_detail": ORG,
    "orgs:organization_children": ORG,
    "orgs:term_create": ORG,
    "orgs:seat_assign": Target(scoped(lambda s: {"code": s.org.code, "term_id": s.term.pk})),
    "orgs:seat_end": Target(scoped(lambda s: {"code": s.org.code, "seat_id": s.seat.pk})),
    **{
        f"orgs:organization_{flow}{step}": ORG
        for flow in ("found", "rename", "move", "merge", "split", "dissolve")
        for step in ("", "_preview", "_save")
    },
    # members
    "members:member_detail": MEMBER,
    "members:member_profile_docx": MEMBER,
    "members:member_profile_pdf": MEMBER,
    # A pair of possible duplicates: the member named twice (one record per side; the page
    # answers 400 to a pair of one record, after the scope's 404 and the rights' 403).
    **{
        f"members:duplicate_{step}": Target(scoped(lambda s: {"pk": s.member.pk, "other": s.member.pk}))
        for step in ("compare", "merge", "dismiss")
    },
    **{
        f"members:{action}{step}": MEMBER
        for action in (
            "member_update",
            "member_status_change",
            "member_transfer_within",
            "member_transfer_out",
            "member_return",
            "member_attach",
            "member_end_temporary",
            "member_badge_award",
        )
        for step in ("", "_preview", "_save")
    },
    **{
        f"members:{action}{step}": TRANSFER
        for action in ("transfer_issue_letter", "transfer_complete", "transfer_cancel")
        for step in ("", "_preview", "_save")
    },
    "members:importjob_detail": IMPORT_JOB,
    "members:importjob_progress": IMPORT_JOB,
    "members:importjob_confirm": IMPORT_JOB,
    "members:importjob_rerun": IMPORT_JOB,
    **{f"members:reconciliation_{step}": RECONCILIATION for step in ("detail", "progress", "export", "apply", "map_columns")},
    "members:importjob_decide": IMPORT_JOB,
    # workdays: the holiday calendar
    "workdays:holiday_update": Target(unscoped(lambda w: {"pk": w.holiday.pk})),
    "workdays:holiday_delete": Target(unscoped(lambda w: {"pk": w.holiday.pk})),
    "workdays:workingday_delete": Target(unscoped(lambda w: {"pk": w.working_day.pk})),
    # reviews: a round, its cells' grids, a base organization's decision, a member's form, the report
    "reviews:round_detail": Target(scoped(lambda s: {"pk": s.review_round.pk})),
    "reviews:round_close": Target(scoped(lambda s: {"pk": s.review_round.pk})),
    "reviews:cell_grid": Target(scoped(lambda s: {"pk": s.review_round.pk, "cell_id": s.member.organization_id})),
    "reviews:cell_grid_template": Target(scoped(lambda s: {"pk": s.review_round.pk, "cell_id": s.member.organization_id})),
    "reviews:cell_grid_import": Target(scoped(lambda s: {"pk": s.review_round.pk, "cell_id": s.member.organization_id})),
    "reviews:decide": Target(scoped(lambda s: {"pk": s.review_round.pk, "org_id": s.base.pk})),
    "reviews:decide_what_if": Target(scoped(lambda s: {"pk": s.review_round.pk, "org_id": s.base.pk})),
    # A member writes their own self-assessment: the one change a read-only role may make.
    "reviews:review_self": Target(scoped(lambda s: {"pk": s.review.pk}), own_writes=True),
    "reviews:report": Target(scoped(lambda s: {"org_id": s.org.pk, "year": 2025})),
    "reviews:review_add_post": Target(scoped(lambda s: {"pk": s.review.pk})),
    "reviews:review_amend": Target(scoped(lambda s: {"pk": s.review.pk})),
    "reviews:review_docx": Target(scoped(lambda s: {"pk": s.review.pk})),
    "reviews:review_pdf": Target(scoped(lambda s: {"pk": s.review.pk})),
    "reviews:organization_review_docx": Target(scoped(lambda s: {"pk": s.organization_review.pk})),
    "reviews:organization_review_pdf": Target(scoped(lambda s: {"pk": s.organization_review.pk})),
    "reviews:organization_grid": Target(scoped(lambda s: {"pk": s.review_round.pk, "org_id": s.base.pk})),
    "reviews:organization_decide": Target(scoped(lambda s: {"pk": s.review_round.pk, "org_id": s.base.pk})),
    # targets: a resolution, a target's value opened for an organization and a year
    "targets:resolution_detail": Target(scoped(lambda s: {"pk": s.resolution.pk})),
    "targets:report": Target(scoped(lambda s: {"pk": s.resolution.pk})),
    "targets:target_values": Target(scoped(lambda s: {"pk": s.target.pk, "org_id": s.org.pk, "year": 2025})),
    "targets:target_create": Target(scoped(lambda s: {"pk": s.resolution.pk})),
    "targets:target_update": Target(scoped(lambda s: {"pk": s.target.pk})),
    "targets:manual_value_set": Target(scoped(lambda s: {"pk": s.target.pk})),
    "targets:allocation_grid": Target(scoped(lambda s: {"pk": s.target.pk})),
    "api:resolution_targets": Target(scoped(lambda s: {"resolution_id": s.resolution.pk})),
    "api:target_values": Target(scoped(lambda s: {"org_id": s.org.pk, "target_id": s.target.pk})),
    "api:round_ratings": Target(scoped(lambda s: {"round_id": s.review_round.pk})),
    "api:review_report": Target(scoped(lambda s: {"org_id": s.org.pk, "year": 2025})),
    # api
    "api:organization_detail": ORG,
    "api:organization_children": ORG,
    "api:organization_tree": ORG,
    "api:organization_history": ORG,
    "api:organization_terms": ORG,
    "api:organization_rename_op": Target(
        scoped(lambda s: {"code": s.org.code}), body={"name": "Tên mới của tổ chức", "effective_on": "2021-01-04"}
    ),
    "api:member_detail": Target(scoped(lambda s: {"member_id": s.member.pk})),
    "api:member_status_history": Target(scoped(lambda s: {"member_id": s.member.pk})),
    "api:member_cell_history": Target(scoped(lambda s: {"member_id": s.member.pk})),
}

ROUTES = {route.name: route for route in routes_with_arguments()}


# ---------------------------------------------------------------------------------------
# Requests


def _client(world: Any, role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(pk=getattr(world.cast, role).pk))
    return client


def _request(client: Client, route: Route, kwargs: dict[str, Any], method: str) -> Any:
    url = reverse(route.name, kwargs=kwargs)
    if method == "GET":
        return client.get(url)
    body = REGISTRY[route.name].body
    if body is not None:
        return client.post(url, body, content_type="application/json")
    return client.post(url, {})


def _describe(response: Any) -> str:
    where = f" → {response.get('Location')}" if 300 <= response.status_code < 400 else ""
    return f"{response.status_code}{where}"


# ---------------------------------------------------------------------------------------
# Tests


def test_every_route_with_an_argument_is_registered():
    missing = sorted(set(ROUTES) - set(REGISTRY))
    assert not missing, f"Add these routes to REGISTRY in {__name__} (an object inside and outside each role's scope): {missing}"


def test_the_registry_names_no_route_that_does_not_exist():
    assert not sorted(set(REGISTRY) - set(ROUTES))


def _cases() -> list[Any]:
    return [pytest.param(name, role, id=f"{name}-{role}") for name in sorted(set(ROUTES) & set(REGISTRY)) for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), _cases())
def test_the_route_keeps_each_role_to_its_scope(world, name, role):
    route, target = ROUTES[name], REGISTRY[name]
    client = _client(world, role)
    failures = []

    outside = target.pick(world, role, False)
    if outside is not None:
        for method in ("GET", "POST"):
            response = _request(client, route, outside, method)
            if response.status_code not in REFUSED:
                failures.append(f"{method} outside the scope answered {_describe(response)}")

    inside = target.pick(world, role, True)
    if role in READ_ONLY and inside is not None and not target.own_writes:
        response = _request(client, route, inside, "POST")
        if response.status_code not in REFUSED:
            failures.append(f"POST by a read-only role answered {_describe(response)}")

    if role == "admin":
        assert inside is not None
        response = _request(client, route, inside, "GET")
        if response.status_code == 404 or response.status_code >= 500:
            failures.append(f"the administrator's GET of the inside object answered {_describe(response)}")

    assert not failures, f"{route.pattern} {inside=} {outside=}: " + "; ".join(failures)
