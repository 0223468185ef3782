"""Properties of the scope and of the tree, on random trees built through the services.

Each example runs inside a transaction that is rolled back, so examples do not see each
other's rows. The expected answers come from a plain parent map kept beside the tree,
never from the tree's own paths.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from accounts.models import Assignment, Role, User
from orgs.models import ALLOWED_PARENT_LEVELS, Level, Organization
from orgs.services import NewOrgSpec, organization_found, organization_move
from orgs.testing import ensure_kinds

FOUNDED = dt.date(2015, 1, 5)
FIRST_MOVE = dt.date(2016, 1, 1)
KIND_OF_LEVEL = {
    Level.CENTRAL: "trung-uong",
    Level.PROVINCE: "tinh",
    Level.UPPER: "khoi",  # valid until 2025, so on FOUNDED
    Level.BASE_COMMITTEE: "dang-bo-co-so",
    Level.BASE_CELL: "chi-bo-co-so",
    Level.PARTIAL_COMMITTEE: "dang-bo-bo-phan",
    Level.CELL: "chi-bo",
}
LEVELS = list(KIND_OF_LEVEL)

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

tree_plans = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=1, max_size=12)


@dataclass
class Model:
    """The tree as a plain parent map: the oracle the database is checked against."""

    orgs: list[Organization] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    parent: list[int | None] = field(default_factory=list)

    def children(self, i: int) -> list[int]:
        return [j for j, p in enumerate(self.parent) if p == i]

    def subtree(self, i: int) -> set[int]:
        found, stack = set(), [i]
        while stack:
            node = stack.pop()
            found.add(node)
            stack.extend(self.children(node))
        return found


def build(plan: list[tuple[int, int]]) -> Model:
    """Found one organization per step, under a parent and of a level the rules allow."""
    kinds = ensure_kinds()
    model = Model()
    for i, (parent_pick, level_pick) in enumerate(plan):
        can_have_children = [
            j for j, level in enumerate(model.levels) if any(level in ALLOWED_PARENT_LEVELS[lv] for lv in LEVELS)
        ]
        candidates: list[int | None] = [None, *can_have_children]
        parent = candidates[parent_pick % len(candidates)]
        parent_level = model.levels[parent] if parent is not None else None
        levels = [lv for lv in LEVELS if parent_level in ALLOWED_PARENT_LEVELS[lv]]
        level = levels[level_pick % len(levels)]
        spec = NewOrgSpec(code=f"n{i}", name=f"Tổ chức {i}", kind=kinds[KIND_OF_LEVEL[level]])
        parent_org = Organization.objects.get(pk=model.orgs[parent].pk) if parent is not None else None
        org = organization_found(parent=parent_org, spec=spec, effective_on=FOUNDED).organization
        assert org is not None
        model.orgs.append(org)
        model.levels.append(level)
        model.parent.append(parent)
    return model


class _Rollback(Exception):
    pass


def in_rollback(check) -> None:
    """Run ``check`` in a transaction that is always undone."""
    try:
        with transaction.atomic():
            check()
            raise _Rollback
    except _Rollback:
        pass


assignment_plans = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(list(Role.values))), min_size=0, max_size=4)


@PROPERTY_SETTINGS
@given(plan=tree_plans, assignments=assignment_plans, active=st.booleans())
def test_for_user_returns_exactly_the_union_of_the_assigned_subtrees(db, plan, assignments, active):
    def check() -> None:
        model = build(plan)
        user = User.objects.create_user(username="nguoi-thu", password=None, is_active=active)
        expected: set[int] = set()
        for pick, role in assignments:
            i = pick % len(model.orgs)
            _, created = Assignment.objects.get_or_create(user=user, organization=model.orgs[i], role=role)
            if not created:
                continue
            if role == Role.ADMIN:
                expected |= set(range(len(model.orgs)))
            elif role == Role.MEMBER:
                expected.add(i)
            else:
                expected |= model.subtree(i)
        if not active:
            expected = set()
        user = User.objects.get(pk=user.pk)
        visible = set(Organization.objects.for_user(user).values_list("pk", flat=True))
        assert visible == {model.orgs[i].pk for i in expected}

    in_rollback(check)


move_plans = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.booleans()), min_size=1, max_size=8)


def check_tree(model: Model) -> None:
    """The database tree equals the oracle, paths nest, and every parent chain ends."""
    by_pk = {org.pk: i for i, org in enumerate(model.orgs)}
    rows = {org.pk: org for org in Organization.objects.filter(pk__in=by_pk)}
    for i, original in enumerate(model.orgs):
        org = rows[original.pk]
        parent = Organization.objects.get_parent(org, update=True)
        expected_parent = model.parent[i]
        assert (parent.pk if parent else None) == (model.orgs[expected_parent].pk if expected_parent is not None else None)
        if parent is not None:
            assert org.path.startswith(parent.path)
            assert org.depth == parent.depth + 1
        else:
            assert org.depth == 1
        assert org.numchild == len(model.children(i))
        current = org.versions.get(valid_to__isnull=True)
        assert current.path == org.path
        assert current.parent_id == (parent.pk if parent else None)
        # The chain of parents ends at a root without visiting a node twice.
        seen, node = set(), org
        while node is not None:
            assert node.pk not in seen
            seen.add(node.pk)
            node = Organization.objects.get_parent(node, update=True)
        assert len(seen) == org.depth


@PROPERTY_SETTINGS
@given(plan=tree_plans, moves=move_plans)
def test_random_moves_never_make_a_cycle(db, plan, moves):
    def check() -> None:
        model = build(plan)
        n = len(model.orgs)
        for step, (node_pick, target_pick, fitting_only) in enumerate(moves, start=1):
            a = node_pick % n
            targets = list(range(n))
            if fitting_only:
                # Targets whose level may hold this node: descendants included, to try cycles.
                fitting = [j for j in targets if model.levels[j] in ALLOWED_PARENT_LEVELS[model.levels[a]]]
                targets = fitting or targets
            b = targets[target_pick % len(targets)]
            would_cycle = b in model.subtree(a)
            try:
                organization_move(
                    organization=Organization.objects.get(pk=model.orgs[a].pk),
                    new_parent=Organization.objects.get(pk=model.orgs[b].pk),
                    effective_on=FIRST_MOVE + dt.timedelta(days=step),
                )
            except ValidationError:
                event("move refused" + (" (cycle)" if would_cycle else ""))
            else:
                event("move done")
                assert not would_cycle, "a move into the node's own subtree was accepted"
                assert model.levels[b] in ALLOWED_PARENT_LEVELS[model.levels[a]]
                model.parent[a] = b
        check_tree(model)

    in_rollback(check)
