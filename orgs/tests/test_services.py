import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from lib.services import preview
from orgs.models import Organization, OrgChange, OrgVersion
from orgs.services import (
    NewOrgSpec,
    SplitPart,
    organization_dissolve,
    organization_found,
    organization_merge,
    organization_move,
    organization_rename,
    organization_split,
    tree_as_of,
)

D2020 = dt.date(2020, 3, 1)
D2025 = dt.date(2025, 7, 1)


def names_as_of(date, root):
    # An administrator reads the whole tree; the scoped reading is tested in test_views_tree.
    admin = User(username="quantri", is_superuser=True)
    return [v.name for v in tree_as_of(date, user=admin, root_path=root.path)]


def test_a_cell_cannot_have_organizations_under_it(tree):
    spec = NewOrgSpec(code="x", name="Chi bộ con", kind=tree.kinds["chi-bo"])
    with pytest.raises(ValidationError, match="dưới chi bộ không có tổ chức đảng nào"):
        organization_found(parent=tree.office_cell, spec=spec, effective_on=D2020)


def test_a_base_organization_sits_under_an_upper_level_committee(tree):
    spec = NewOrgSpec(code="x", name="Đảng bộ cơ sở lạc chỗ", kind=tree.kinds["dang-bo-co-so"])
    with pytest.raises(ValidationError, match="phải trực thuộc một đảng bộ cấp trên cơ sở"):
        organization_found(parent=tree.province, spec=spec, effective_on=D2020)


def test_moving_an_organization_under_its_own_subtree_is_refused(tree):
    with pytest.raises(ValidationError, match="vào chính nó hoặc một tổ chức cấp dưới"):
        organization_move(organization=tree.bloc, new_parent=tree.finance, effective_on=D2020)


def test_nothing_moves_under_a_dissolved_organization(tree):
    organization_dissolve(organization=tree.newspaper, effective_on=D2020, decision_no="QĐ-1")
    tree.newspaper.refresh_from_db()
    with pytest.raises(ValidationError, match="đã giải thể"):
        organization_move(organization=tree.budget_cell, new_parent=tree.newspaper, effective_on=D2020)


def test_an_organization_with_active_children_cannot_be_dissolved(tree):
    with pytest.raises(ValidationError, match="còn 2 tổ chức trực thuộc"):
        organization_dissolve(organization=tree.finance, effective_on=D2020)


def test_rename_keeps_the_old_name_in_the_tree_of_earlier_dates(tree):
    organization_rename(organization=tree.finance, name="Đảng bộ Sở Tài chính – Kế hoạch", effective_on=D2020, decision_no="QĐ-9")
    assert "Đảng bộ Sở Tài chính" in names_as_of(dt.date(2019, 12, 31), tree.bloc)
    assert "Đảng bộ Sở Tài chính – Kế hoạch" in names_as_of(D2020, tree.bloc)
    assert tree.finance.changes.filter(kind="rename", decision_no="QĐ-9").exists()


def test_move_takes_the_subtree_along_and_past_trees_keep_the_old_place(tree):
    organization_move(organization=tree.finance, new_parent=tree.business, effective_on=D2020)
    before = names_as_of(dt.date(2019, 1, 1), tree.bloc)
    after_bloc = names_as_of(D2020, Organization.objects.get(pk=tree.bloc.pk))
    after_business = names_as_of(D2020, Organization.objects.get(pk=tree.business.pk))
    assert "Chi bộ Văn phòng" in before
    assert "Chi bộ Văn phòng" not in after_bloc
    assert "Chi bộ Văn phòng" in after_business
    # The subtree's versions are closed on the move date and reopened with the new path.
    assert OrgVersion.objects.filter(organization=tree.office_cell).count() == 2


def test_merge_into_a_new_organization_moves_children_and_ends_the_sources(tree):
    kinds = tree.kinds
    result = organization_merge(
        sources=[tree.bloc, tree.business],
        new_spec=NewOrgSpec(code="ubnd", name="Đảng bộ UBND tỉnh", kind=kinds["cap-tren-2025"]),
        effective_on=D2025,
        decision_no="QĐ-2025",
    )
    new = result.organization
    assert set(Organization.objects.get_children(new).values_list("code", flat=True)) == {"so-tai-chinh", "bao-bg", "dien-luc"}
    tree.bloc.refresh_from_db()
    assert tree.bloc.dissolved_on == D2025 and tree.bloc.successor == new
    assert "Đảng bộ Khối các cơ quan tỉnh" in names_as_of(dt.date(2025, 6, 30), tree.province)
    assert "Đảng bộ Khối các cơ quan tỉnh" not in names_as_of(D2025, tree.province)


def test_split_gives_each_child_to_the_part_named(tree):
    kinds = tree.kinds
    result = organization_split(
        organization=tree.finance,
        parts=[
            SplitPart(NewOrgSpec(code="a", name="Đảng bộ A", kind=kinds["dang-bo-co-so"]), [tree.office_cell]),
            SplitPart(NewOrgSpec(code="b", name="Đảng bộ B", kind=kinds["dang-bo-co-so"]), [tree.budget_cell]),
        ],
        effective_on=D2020,
    )
    assert result.change.kind == "split"
    assert Organization.objects.get_parent(Organization.objects.get(code="cb-ngan-sach")).code == "b"


def test_split_refuses_to_leave_a_child_behind(tree):
    kinds = tree.kinds
    with pytest.raises(ValidationError, match="Chi bộ Ngân sách"):
        organization_split(
            organization=tree.finance,
            parts=[
                SplitPart(NewOrgSpec(code="a", name="A", kind=kinds["dang-bo-co-so"]), [tree.office_cell]),
                SplitPart(NewOrgSpec(code="b", name="B", kind=kinds["dang-bo-co-so"]), []),
            ],
            effective_on=D2020,
        )


def test_preview_reports_the_effect_and_changes_nothing(tree):
    result = preview(organization_move, organization=tree.finance, new_parent=tree.business, effective_on=D2020)
    assert "2 tổ chức cấp dưới" in " ".join(result.effects)
    tree.finance.refresh_from_db()
    assert Organization.objects.get_parent(tree.finance).code == "khoi-cq"


def test_a_change_dated_before_the_last_one_is_refused(tree):
    organization_rename(organization=tree.finance, name="Tên mới", effective_on=D2020)
    with pytest.raises(ValidationError, match="thay đổi mới phải có ngày hiệu lực"):
        organization_rename(organization=tree.finance, name="Tên khác", effective_on=dt.date(2019, 1, 1))


def test_history_records_before_and_after(tree):
    organization_rename(organization=tree.finance, name="Tên mới", effective_on=D2020)
    latest, previous = tree.finance.history.all()[:2]
    assert (previous.name, latest.name) == ("Đảng bộ Sở Tài chính", "Tên mới")


def test_a_move_is_recorded_in_the_organization_history(tree):
    organization_move(organization=tree.finance, new_parent=tree.business, effective_on=D2020)
    latest = tree.finance.history.first()
    assert latest.path.startswith(tree.business.path)
    assert "sang trực thuộc «Đảng bộ Khối doanh nghiệp tỉnh»" in latest.history_change_reason


def test_a_rename_from_a_stale_page_records_the_name_the_organization_has_now(tree):
    stale = Organization.objects.get(pk=tree.finance.pk)  # loaded by a page before the other rename
    organization_rename(organization=tree.finance, name="Đảng bộ Sở Tài chính – Kế hoạch", effective_on=D2020)
    result = organization_rename(organization=stale, name="Đảng bộ Sở Tài chính và Kế hoạch", effective_on=D2025)
    # The summary names the organization as it was (perhaps with its parent): by its current name.
    assert result.change.summary.startswith("Đổi tên «Đảng bộ Sở Tài chính – Kế hoạch")
    reason = Organization.objects.get(pk=tree.finance.pk).history.first().history_change_reason
    assert "«Đảng bộ Sở Tài chính – Kế hoạch" in reason


def test_a_second_dissolution_from_a_stale_page_is_refused(tree):
    stale = Organization.objects.get(pk=tree.newspaper.pk)  # loaded before the first dissolution
    organization_dissolve(organization=tree.newspaper, effective_on=D2020)
    with pytest.raises(ValidationError, match="đã giải thể"):
        organization_dissolve(organization=stale, effective_on=D2025)
    assert OrgChange.objects.filter(kind="dissolve", organizations=tree.newspaper).count() == 1


def test_a_national_deployment_has_one_central_root_over_its_provinces(tree):
    # Điều lệ Đảng 2011, Điều 10: the central level above the provinces (orgs.models).
    kinds = tree.kinds
    root = organization_found(
        parent=None, spec=NewOrgSpec(code="tw", name="Đảng Cộng sản Việt Nam", kind=kinds["trung-uong"]), effective_on=D2020
    ).organization
    province = organization_found(
        parent=root, spec=NewOrgSpec(code="tinh-x", name="Tỉnh ủy X", kind=kinds["tinh"]), effective_on=D2020
    ).organization
    assert province.depth == 2 and province.path.startswith(root.path)
    central_bloc = organization_found(
        parent=root,
        spec=NewOrgSpec(code="khoi-tw", name="Đảng bộ Khối các cơ quan Trung ương", kind=kinds["khoi"]),
        effective_on=D2020,
    ).organization
    assert Organization.objects.get(pk=central_bloc.pk).path[: len(root.path)] == root.path and central_bloc.depth == 2
    with pytest.raises(ValidationError, match="phải trực thuộc một đảng bộ cấp trên cơ sở"):
        organization_found(
            parent=root, spec=NewOrgSpec(code="x", name="Đảng bộ cơ sở lạc chỗ", kind=kinds["dang-bo-co-so"]), effective_on=D2020
        )
    with pytest.raises(ValidationError):
        organization_found(
            parent=province, spec=NewOrgSpec(code="y", name="Trung ương lạc chỗ", kind=kinds["trung-uong"]), effective_on=D2020
        )
