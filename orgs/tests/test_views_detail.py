"""An organization's page: facts, breadcrumb, sub-organizations, committee, timeline, history."""

import datetime as dt

from django.urls import reverse

from orgs.models import SeatRole
from orgs.services import (
    NewOrgSpec,
    organization_found,
    organization_merge,
    organization_rename,
    seat_assign,
    term_create,
)


def detail_url(org):
    return reverse("orgs:organization_detail", args=[org.code])


def test_an_upper_official_sees_the_organization_and_the_changes_they_may_make(client, cast):
    client.force_login(cast.upper)
    response = client.get(detail_url(cast.tree.finance))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đảng bộ Sở Tài chính" in body
    assert "so-tai-chinh" in body
    assert "Cơ quan nhà nước" in body
    assert "05/01/2015" in body
    assert "QĐ-so-tai-chinh" in body
    assert [o.code for o in response.context["children"]] == [cast.tree.office_cell.code, cast.tree.budget_cell.code]
    for name in ("rename", "move", "merge", "split", "dissolve", "found"):
        assert reverse(f"orgs:organization_{name}", args=[cast.tree.finance.code]) in body


def test_the_breadcrumb_shows_only_the_ancestors_the_user_may_see(client, cast):
    client.force_login(cast.upper)
    ancestors = client.get(detail_url(cast.tree.office_cell)).context["ancestors"]
    assert [a.code for a in ancestors] == [cast.tree.bloc.code, cast.tree.finance.code]

    client.force_login(cast.admin)
    ancestors = client.get(detail_url(cast.tree.office_cell)).context["ancestors"]
    assert [a.code for a in ancestors] == [cast.tree.province.code, cast.tree.bloc.code, cast.tree.finance.code]


def test_a_read_only_viewer_sees_the_page_without_change_buttons(client, cast):
    client.force_login(cast.viewer)
    response = client.get(detail_url(cast.tree.finance))
    assert response.status_code == 200
    assert not response.context["can_restructure"]
    assert not response.context["can_found"]
    assert reverse("orgs:organization_rename", args=[cast.tree.finance.code]) not in response.content.decode()


def test_a_cell_secretary_may_not_restructure_their_own_cell(client, cast):
    client.force_login(cast.cell)
    response = client.get(detail_url(cast.tree.office_cell))
    assert response.status_code == 200
    assert not response.context["can_restructure"]


def test_an_organization_outside_the_scope_is_not_found(client, cast):
    client.force_login(cast.outsider)
    assert client.get(detail_url(cast.tree.finance)).status_code == 404
    client.force_login(cast.member)
    assert client.get(detail_url(cast.tree.budget_cell)).status_code == 404


def test_the_committee_of_each_term_is_listed_secretary_first(client, cast):
    term = term_create(organization=cast.tree.finance, name="2020–2025", starts_on=dt.date(2020, 7, 1))
    seat_assign(term=term, role=SeatRole.MEMBER, holder_name="Lý Văn Cường", started_on=dt.date(2020, 7, 1))
    seat_assign(
        term=term,
        role=SeatRole.SECRETARY,
        holder_name="Trần Văn Bình",
        started_on=dt.date(2020, 7, 1),
        ended_on=dt.date(2023, 2, 28),
        decision_no="QĐ-15",
    )
    client.force_login(cast.viewer)
    response = client.get(detail_url(cast.tree.finance))
    terms = response.context["terms"]
    assert [s.holder_name for s in terms[0].seat_rows] == ["Trần Văn Bình", "Lý Văn Cường"]
    body = response.content.decode()
    assert "Nhiệm kỳ 2020–2025" in body
    assert "01/07/2020 – 28/02/2023" in body
    assert "QĐ-15" in body


def test_the_timeline_lists_the_changes_newest_first(client, cast):
    organization_rename(
        organization=cast.tree.finance,
        name="Đảng bộ Sở Tài chính – Kế hoạch",
        effective_on=dt.date(2020, 3, 1),
        decision_no="QĐ-99",
    )
    client.force_login(cast.upper)
    response = client.get(detail_url(cast.tree.finance))
    changes = response.context["changes"]
    assert changes[0].kind == "rename"
    # Its own founding and the founding of its two cells are part of its story.
    assert sorted(c.kind for c in changes[1:]) == ["found", "found", "found"]
    assert [c.effective_on for c in changes] == sorted((c.effective_on for c in changes), reverse=True)
    body = response.content.decode()
    assert "01/03/2020" in body
    assert "Đổi tên «Đảng bộ Sở Tài chính — Đảng bộ Khối các cơ quan tỉnh» thành «Đảng bộ Sở Tài chính – Kế hoạch»." in body
    assert "QĐ-99" in body


def test_the_history_shows_each_changed_field_before_and_after(client, cast):
    organization_rename(organization=cast.tree.finance, name="Đảng bộ Sở Tài chính – Kế hoạch", effective_on=dt.date(2020, 3, 1))
    client.force_login(cast.upper)
    history = client.get(detail_url(cast.tree.finance)).context["history"]
    assert [(c.label, c.old, c.new) for c in history[0].changes] == [
        ("Tên", "Đảng bộ Sở Tài chính", "Đảng bộ Sở Tài chính – Kế hoạch")
    ]
    assert history[-1].type_label == "Tạo mới"


def test_a_merged_organization_points_to_its_successor(client, cast):
    organization_merge(sources=[cast.tree.budget_cell], target=cast.tree.office_cell, effective_on=dt.date(2021, 1, 1))
    client.force_login(cast.upper)
    body = client.get(detail_url(cast.tree.budget_cell)).content.decode()
    assert "Tổ chức kế tục" in body
    assert detail_url(cast.tree.office_cell) in body
    predecessors = client.get(detail_url(cast.tree.office_cell)).context["predecessors"]
    assert [p.code for p in predecessors] == [cast.tree.budget_cell.code]


def test_the_page_query_count_does_not_grow_with_children(client, cast, django_assert_max_num_queries):
    for i in range(25):
        spec = NewOrgSpec(code=f"cb-them-{i}", name=f"Chi bộ phòng số {i}", kind=cast.tree.kinds["chi-bo"])
        organization_found(parent=cast.tree.finance, spec=spec, effective_on=dt.date(2016, 1, 1))
    term = term_create(organization=cast.tree.finance, name="2020–2025", starts_on=dt.date(2020, 7, 1))
    for i in range(5):
        seat_assign(term=term, role=SeatRole.MEMBER, holder_name=f"Cấp ủy viên {i}", started_on=dt.date(2020, 7, 1))
    client.force_login(cast.upper)
    # 17: the members panel (orgs.panels) counts by status in one query.
    with django_assert_max_num_queries(17):
        response = client.get(detail_url(cast.tree.finance))
    assert len(response.context["children"]) == 27
