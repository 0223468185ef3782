"""The change forms: form → preview (nothing saved) → save, for each change of the tree."""

import datetime as dt

import pytest
from django.urls import reverse

from orgs.models import ChangeKind, Organization, OrgChange
from orgs.services import NewOrgSpec, organization_found


def url(change, org, step=""):
    return reverse(f"orgs:organization_{change}{'_' + step if step else ''}", args=[org.code])


def rename_data(**extra):
    return {
        "name": "Đảng bộ Sở Tài chính – Kế hoạch",
        "short_name": "ĐB STC-KH",
        "effective_on": "01/03/2020",
        "decision_no": "QĐ-120",
        **extra,
    }


def reload(org):
    return Organization.objects.get(pk=org.pk)


# --- who may open the forms ----------------------------------------------------------------


@pytest.mark.parametrize("change", ["rename", "move", "merge", "split", "dissolve", "found"])
def test_an_upper_official_opens_every_change_form(client, cast, change):
    client.force_login(cast.upper)
    response = client.get(url(change, cast.tree.finance))
    assert response.status_code == 200
    assert url(change, cast.tree.finance, "preview") in response.content.decode()


@pytest.mark.parametrize("who", ["viewer", "member", "cell"])
@pytest.mark.parametrize("change", ["rename", "dissolve", "found"])
def test_read_only_users_and_cell_secretaries_are_refused(client, cast, who, change):
    client.force_login(getattr(cast, who))
    assert client.get(url(change, cast.tree.office_cell)).status_code == 403
    assert client.post(url(change, cast.tree.office_cell, "save"), rename_data()).status_code == 403


def test_a_base_committee_secretary_may_not_restructure_their_own_committee(client, cast):
    client.force_login(cast.base)
    assert client.get(url("rename", cast.tree.finance)).status_code == 403
    assert client.get(url("rename", cast.tree.office_cell)).status_code == 200


@pytest.mark.parametrize("change", ["rename", "move", "merge", "split", "dissolve", "found"])
def test_an_outsider_gets_not_found(client, cast, change):
    client.force_login(cast.outsider)
    assert client.get(url(change, cast.tree.finance)).status_code == 404
    assert client.post(url(change, cast.tree.finance, "preview"), rename_data()).status_code == 404
    assert client.post(url(change, cast.tree.finance, "save"), rename_data()).status_code == 404


@pytest.mark.parametrize("step", ["preview", "save"])
def test_the_preview_and_save_urls_refuse_get(client, cast, step):
    client.force_login(cast.upper)
    assert client.get(url("rename", cast.tree.finance, step)).status_code == 405


# --- rename ----------------------------------------------------------------------------------


def test_the_preview_lists_the_effects_and_saves_nothing(client, cast):
    finance = cast.tree.finance
    history_before = finance.history.count()
    changes_before = OrgChange.objects.count()
    client.force_login(cast.upper)
    response = client.post(url("rename", finance, "preview"), rename_data())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đổi tên «Đảng bộ Sở Tài chính — Đảng bộ Khối các cơ quan tỉnh» thành «Đảng bộ Sở Tài chính – Kế hoạch»." in body
    assert "Xác nhận lưu" in body
    assert url("rename", finance, "save") in body
    # The confirm form carries the input as hidden fields.
    assert 'type="hidden" name="effective_on" value="01/03/2020"' in body
    assert reload(finance).name == "Đảng bộ Sở Tài chính"
    assert finance.history.count() == history_before
    assert OrgChange.objects.count() == changes_before
    assert finance.versions.count() == 1


def test_saving_a_rename_records_the_change_and_its_history(client, cast):
    finance = cast.tree.finance
    client.force_login(cast.upper)
    response = client.post(url("rename", finance, "save"), rename_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:organization_detail", args=[finance.code])
    finance = reload(finance)
    assert finance.name == "Đảng bộ Sở Tài chính – Kế hoạch"
    assert finance.short_name == "ĐB STC-KH"
    change = finance.changes.get(kind=ChangeKind.RENAME)
    assert change.effective_on == dt.date(2020, 3, 1)
    assert change.decision_no == "QĐ-120"
    assert change.recorded_by == cast.upper
    record = finance.history.latest("history_date")
    assert record.name == "Đảng bộ Sở Tài chính – Kế hoạch"
    assert record.history_user == cast.upper
    assert record.prev_record.name == "Đảng bộ Sở Tài chính"

    page = client.get(response["Location"]).content.decode()
    assert "Đổi tên «Đảng bộ Sở Tài chính — Đảng bộ Khối các cơ quan tỉnh» thành «Đảng bộ Sở Tài chính – Kế hoạch»." in page


def test_a_service_error_shows_on_the_form_with_the_input_kept(client, cast):
    client.force_login(cast.upper)
    response = client.post(url("rename", cast.tree.finance, "preview"), rename_data(name="Đảng bộ Sở Tài chính", short_name=""))
    assert response.status_code == 200
    assert response.context["result"] is None
    assert response.context["form"].errors["name"] == ["Tên mới trùng với tên hiện tại."]


def test_a_date_before_the_founding_is_refused_on_save(client, cast):
    client.force_login(cast.upper)
    response = client.post(url("rename", cast.tree.finance, "save"), rename_data(effective_on="01/01/2010"))
    assert response.status_code == 200
    assert "chưa thành lập vào ngày 01/01/2010" in " ".join(response.context["form"].non_field_errors())
    assert 'value="Đảng bộ Sở Tài chính – Kế hoạch"' in response.content.decode()
    assert reload(cast.tree.finance).name == "Đảng bộ Sở Tài chính"


def test_a_date_not_typed_as_dd_mm_yyyy_is_refused(client, cast):
    client.force_login(cast.upper)
    response = client.post(url("rename", cast.tree.finance, "preview"), rename_data(effective_on="2020/03/01"))
    assert response.context["form"].errors["effective_on"] == ["Ngày không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy."]


# --- move ------------------------------------------------------------------------------------


def _second_base_committee(tree):
    spec = NewOrgSpec(code="so-ke-hoach", name="Đảng bộ Sở Kế hoạch và Đầu tư", kind=tree.kinds["dang-bo-co-so"])
    return organization_found(parent=tree.bloc, spec=spec, effective_on=dt.date(2016, 1, 1)).organization


def test_the_new_parent_is_chosen_among_active_organizations_allowed_above(client, cast):
    planning = _second_base_committee(cast.tree)
    client.force_login(cast.upper)
    choices = client.get(url("move", cast.tree.budget_cell)).context["form"].fields["new_parent"].queryset
    # A cell goes under a base or partial committee, not under its own parent again.
    assert [o.code for o in choices] == [planning.code]


def test_moving_a_cell_keeps_a_record_of_the_move(client, cast):
    planning = _second_base_committee(cast.tree)
    client.force_login(cast.upper)
    data = {"new_parent": planning.pk, "effective_on": "01/07/2021", "decision_no": "QĐ-7"}
    preview = client.post(url("move", cast.tree.budget_cell, "preview"), data)
    assert "sang trực thuộc «Đảng bộ Sở Kế hoạch và Đầu tư»" in preview.content.decode()
    assert Organization.objects.get_parent(reload(cast.tree.budget_cell)) == cast.tree.finance

    response = client.post(url("move", cast.tree.budget_cell, "save"), data)
    assert response.status_code == 302
    budget = reload(cast.tree.budget_cell)
    assert Organization.objects.get_parent(budget) == planning
    change = budget.changes.get(kind=ChangeKind.MOVE)
    assert change.history.get().history_user == cast.upper
    assert budget.versions.filter(valid_from=dt.date(2021, 7, 1), parent=planning).exists()


# --- found -----------------------------------------------------------------------------------


def test_founding_offers_only_kinds_valid_today_and_allowed_under_the_parent(client, cast):
    client.force_login(cast.upper)
    kinds = client.get(url("found", cast.tree.finance)).context["form"].fields["kind"].queryset
    assert {k.level for k in kinds} == {"partial_committee", "cell"}
    kinds = client.get(url("found", cast.tree.bloc)).context["form"].fields["kind"].queryset
    assert "khoi" not in {k.code for k in kinds}  # "Đảng bộ Khối" ended on 01/07/2025


def test_founding_a_cell_creates_it_under_the_organization(client, cast):
    kind = cast.tree.kinds["chi-bo"]
    data = {
        "code": "cb-thanh-tra",
        "name": "Chi bộ Thanh tra",
        "kind": kind.pk,
        "effective_on": "02/01/2024",
        "decision_no": "QĐ-3",
    }
    client.force_login(cast.base)
    response = client.post(url("found", cast.tree.finance, "save"), data)
    assert response.status_code == 302
    new = Organization.objects.get(code="cb-thanh-tra")
    assert response["Location"] == reverse("orgs:organization_detail", args=[new.code])
    assert Organization.objects.get_parent(new) == cast.tree.finance
    assert new.history.get().history_user == cast.base


def test_a_code_already_used_is_shown_on_the_code_field(client, cast):
    data = {"code": "cb-van-phong", "name": "Chi bộ mới", "kind": cast.tree.kinds["chi-bo"].pk, "effective_on": "02/01/2024"}
    client.force_login(cast.upper)
    response = client.post(url("found", cast.tree.finance, "preview"), data)
    assert response.context["form"].errors["code"] == ["Mã «cb-van-phong» đã được dùng cho một tổ chức khác."]


# --- merge, split, dissolve ------------------------------------------------------------------


def test_merging_a_cell_into_another(client, cast):
    data = {"mode": "existing", "target": cast.tree.office_cell.pk, "effective_on": "01/01/2023", "decision_no": "QĐ-50"}
    client.force_login(cast.upper)
    preview = client.post(url("merge", cast.tree.budget_cell, "preview"), data)
    assert "kết thúc hoạt động, hợp nhất vào «Chi bộ Văn phòng — Đảng bộ Sở Tài chính»" in preview.content.decode()
    assert reload(cast.tree.budget_cell).dissolved_on is None

    response = client.post(url("merge", cast.tree.budget_cell, "save"), data)
    assert response["Location"] == reverse("orgs:organization_detail", args=[cast.tree.office_cell.code])
    budget = reload(cast.tree.budget_cell)
    assert budget.dissolved_on == dt.date(2023, 1, 1)
    assert budget.successor == cast.tree.office_cell
    assert budget.history.latest("history_date").history_user == cast.upper


def test_merging_into_a_new_organization_needs_its_code_name_and_kind(client, cast):
    client.force_login(cast.upper)
    data = {"mode": "new", "others": [cast.tree.office_cell.pk], "effective_on": "01/01/2023"}
    form = client.post(url("merge", cast.tree.budget_cell, "preview"), data).context["form"]
    assert set(form.errors) == {"code", "name", "kind"}

    data.update(code="cb-hop-nhat", name="Chi bộ Văn phòng – Ngân sách", kind=cast.tree.kinds["chi-bo"].pk)
    response = client.post(url("merge", cast.tree.budget_cell, "save"), data)
    assert response.status_code == 302
    new = Organization.objects.get(code="cb-hop-nhat")
    assert reload(cast.tree.office_cell).successor == new
    assert reload(cast.tree.budget_cell).successor == new


def test_splitting_gives_each_sub_organization_to_a_new_part(client, cast):
    finance, kind = cast.tree.finance, cast.tree.kinds["dang-bo-co-so"]
    data = {
        "part1_code": "so-tc-1",
        "part1_name": "Đảng bộ Sở Tài chính (phần 1)",
        "part1_kind": kind.pk,
        "part2_code": "so-tc-2",
        "part2_name": "Đảng bộ Sở Tài chính (phần 2)",
        "part2_kind": kind.pk,
        f"child_{cast.tree.office_cell.pk}": "1",
        f"child_{cast.tree.budget_cell.pk}": "2",
        "effective_on": "01/01/2023",
    }
    client.force_login(cast.upper)
    missing = client.post(url("split", finance, "preview"), {**data, f"child_{cast.tree.budget_cell.pk}": ""})
    assert "Chi bộ Ngân sách" in " ".join(missing.context["form"].non_field_errors())

    response = client.post(url("split", finance, "save"), data)
    assert response.status_code == 302
    part2 = Organization.objects.get(code="so-tc-2")
    assert Organization.objects.get_parent(reload(cast.tree.budget_cell)) == part2
    assert reload(finance).dissolved_on == dt.date(2023, 1, 1)


def test_splitting_needs_two_parts(client, cast):
    client.force_login(cast.upper)
    data = {
        "part1_code": "x",
        "part1_name": "Một phần",
        "part1_kind": cast.tree.kinds["dang-bo-co-so"].pk,
        "effective_on": "01/01/2023",
    }
    form = client.post(url("split", cast.tree.finance, "preview"), data).context["form"]
    assert "Hãy khai báo ít nhất hai tổ chức mới." in form.non_field_errors()


def test_dissolving_refuses_an_organization_with_active_children(client, cast):
    client.force_login(cast.upper)
    response = client.post(url("dissolve", cast.tree.finance, "save"), {"effective_on": "01/01/2023"})
    assert response.status_code == 200
    assert "còn 2 tổ chức trực thuộc" in " ".join(response.context["form"].non_field_errors())
    assert reload(cast.tree.finance).dissolved_on is None


def test_dissolving_a_cell_then_no_change_is_offered(client, cast):
    client.force_login(cast.upper)
    response = client.post(url("dissolve", cast.tree.newspaper, "save"), {"effective_on": "01/01/2023", "decision_no": "QĐ-9"})
    assert response.status_code == 302
    newspaper = reload(cast.tree.newspaper)
    assert newspaper.dissolved_on == dt.date(2023, 1, 1)
    assert newspaper.history.latest("history_date").history_user == cast.upper
    assert client.get(url("rename", newspaper)).status_code == 403
