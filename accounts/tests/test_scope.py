"""One scoping mechanism: what each role of the cast reads, writes and may restructure."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts import services
from accounts.models import ApiToken, Assignment, Board, Role, User
from accounts.rights import WRITE_RIGHTS, can_read, can_write
from orgs.models import Organization
from orgs.services import organization_move

ALL = {"province", "bloc", "finance", "office_cell", "budget_cell", "newspaper", "business", "power"}

EXPECTED_READ = {
    "admin": ALL,
    "upper": {"bloc", "finance", "office_cell", "budget_cell", "newspaper"},
    "viewer": {"bloc", "finance", "office_cell", "budget_cell", "newspaper"},
    "base": {"finance", "office_cell", "budget_cell"},
    "cell": {"office_cell"},
    "member": {"office_cell"},
    "outsider": {"power"},
}

EXPECTED_WRITE = {
    "admin": ALL,
    "upper": EXPECTED_READ["upper"],
    "viewer": set(),
    "base": EXPECTED_READ["base"],
    "cell": {"office_cell"},
    "member": set(),
    "outsider": {"power"},
}


def names(tree, keys) -> set[str]:
    return {getattr(tree, key).name for key in keys}


def fresh(user: User) -> User:
    """The user as a new request sees them (scope is cached per instance)."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_for_user_returns_exactly_the_organizations_of_the_role(cast, who):
    user = getattr(cast, who)
    visible = set(Organization.objects.for_user(user).values_list("name", flat=True))
    assert visible == names(cast.tree, EXPECTED_READ[who])


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_can_read_and_can_write_answer_exactly_the_expected_organizations(cast, who):
    user = getattr(cast, who)
    for key in ALL:
        org = getattr(cast.tree, key)
        assert can_read(user, org) == (key in EXPECTED_READ[who]), key
        assert can_write(user, org) == (key in EXPECTED_WRITE[who]), key
        assert can_write(user, org.path) == (key in EXPECTED_WRITE[who]), key


@pytest.mark.parametrize("who", sorted(EXPECTED_READ))
def test_can_read_agrees_with_for_user(cast, who):
    user = getattr(cast, who)
    listed = set(Organization.objects.for_user(user))
    assert {org for org in Organization.objects.all() if can_read(user, org)} == listed


def test_every_action_of_the_write_rights_is_granted_to_no_read_only_role():
    for action, grants in WRITE_RIGHTS.items():
        assert not {g.role for g in grants} & {Role.MEMBER, Role.VIEWER}, action


def test_the_base_secretary_sees_the_finance_department_and_its_two_cells_only(cast):
    visible = list(Organization.objects.for_user(cast.base).order_by("path").values_list("name", flat=True))
    assert visible == ["Đảng bộ Sở Tài chính", "Chi bộ Văn phòng", "Chi bộ Ngân sách"]


def test_the_outsider_sees_only_the_power_company(cast):
    assert list(Organization.objects.for_user(cast.outsider)) == [cast.tree.power]


def test_assignments_are_scoped_the_same_way(cast):
    visible = set(Assignment.objects.for_user(cast.base).values_list("user__username", flat=True))
    assert visible == {cast.base.username, cast.cell.username, cast.member.username}


def test_users_see_only_their_own_account_and_tokens_unless_administrator(cast):
    services.token_issue(user=cast.base, name="Mã")
    assert list(User.objects.for_user(cast.base)) == [cast.base]
    assert set(User.objects.for_user(cast.admin)) == set(User.objects.all())
    assert not ApiToken.objects.for_user(cast.member).exists()
    assert ApiToken.objects.for_user(cast.base).count() == 1


def test_several_assignments_add_up(cast):
    services.assignment_add(user=cast.cell, organization=cast.tree.power, role=Role.BASE_COMMITTEE)
    visible = set(Organization.objects.for_user(fresh(cast.cell)).values_list("name", flat=True))
    assert visible == names(cast.tree, {"office_cell", "power"})


def test_an_ended_assignment_no_longer_gives_scope(cast):
    services.assignment_end(assignment=cast.base.assignments.get())
    assert not Organization.objects.for_user(fresh(cast.base)).exists()


def test_a_deactivated_user_sees_nothing(cast):
    services.user_deactivate(user=cast.upper)
    assert not Organization.objects.for_user(fresh(cast.upper)).exists()


def test_the_scope_follows_a_move_of_the_subtree(cast):
    organization_move(organization=cast.tree.finance, new_parent=cast.tree.business, effective_on=dt.date(2020, 1, 1))
    upper = fresh(cast.upper)
    assert not Organization.objects.for_user(upper).filter(pk=cast.tree.finance.pk).exists()
    base = fresh(cast.base)
    assert set(Organization.objects.for_user(base).values_list("name", flat=True)) == names(cast.tree, EXPECTED_READ["base"])


# ---------------------------------------------------------------------------------------
# rules predicates


def test_a_cell_secretary_cannot_restructure(cast):
    assert not cast.cell.has_perm("orgs.restructure", cast.tree.office_cell)
    assert not cast.cell.has_perm("orgs.found_under", cast.tree.office_cell)
    assert cast.cell.has_perm("orgs.write", cast.tree.office_cell)


def test_the_upper_organization_board_can_restructure_its_subtree(cast):
    for key in ("bloc", "finance", "office_cell", "newspaper"):
        assert cast.upper.has_perm("orgs.restructure", getattr(cast.tree, key)), key
    assert cast.upper.has_perm("orgs.found_under", cast.tree.bloc)
    assert not cast.upper.has_perm("orgs.restructure", cast.tree.power)


def test_another_upper_board_cannot_restructure(cast):
    services.assignment_end(assignment=cast.upper.assignments.get())
    services.assignment_add(user=cast.upper, organization=cast.tree.bloc, role=Role.UPPER_STAFF, board=Board.INSPECTION)
    upper = fresh(cast.upper)
    assert not upper.has_perm("orgs.restructure", cast.tree.finance)
    assert upper.has_perm("orgs.write", cast.tree.finance)


def test_a_base_committee_restructures_its_cells_but_not_its_own_organization(cast):
    assert cast.base.has_perm("orgs.restructure", cast.tree.office_cell)
    assert cast.base.has_perm("orgs.restructure", cast.tree.budget_cell)
    assert not cast.base.has_perm("orgs.restructure", cast.tree.finance)
    assert cast.base.has_perm("orgs.found_under", cast.tree.finance)
    assert not cast.base.has_perm("orgs.restructure", cast.tree.power)


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_read_only_roles_cannot_write_or_restructure(cast, who):
    user = getattr(cast, who)
    assert not user.has_perm("orgs.write", cast.tree.office_cell)
    assert not user.has_perm("orgs.restructure", cast.tree.office_cell)
    assert not user.has_perm("orgs.found_under", cast.tree.finance)


def test_only_administrators_manage_users(cast):
    assert cast.admin.has_perm("accounts.manage_users")
    for who in ("upper", "base", "cell", "member", "viewer", "outsider"):
        assert not getattr(cast, who).has_perm("accounts.manage_users"), who


def test_the_administrator_may_do_everything(cast):
    for key in ALL:
        org = getattr(cast.tree, key)
        assert cast.admin.has_perm("orgs.restructure", org)
        assert cast.admin.has_perm("orgs.write", org)
