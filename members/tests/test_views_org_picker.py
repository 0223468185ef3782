"""The organization picker of the member list's filter: options from the user's scope only, searched without diacritics."""

import re

from django.urls import reverse

from members.views import PICKER_LIMIT
from orgs.models import Organization
from orgs.testing import ensure_kinds

URL = reverse("members:organization_picker")


def codes(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-code="([^"]+)"', response.content.decode())


def test_an_upper_official_gets_the_organizations_of_their_bloc_upper_levels_first(client, cast):
    client.force_login(cast.upper)
    assert codes(client.get(URL)) == ["khoi-cq", "so-tai-chinh", "bao-bg", "cb-van-phong", "cb-ngan-sach"]


def test_a_cell_secretary_gets_only_their_cell(client, cast):
    client.force_login(cast.cell)
    assert codes(client.get(URL)) == ["cb-van-phong"]
    assert codes(client.get(URL, {"q": "ngan sach"})) == []
    assert codes(client.get(URL, {"q": "cb-ngan-sach"})) == []


def test_an_outsider_finds_nothing_of_another_bloc(client, cast):
    client.force_login(cast.outsider)
    assert codes(client.get(URL, {"q": "tai chinh"})) == []
    assert "Không có tổ chức nào khớp" in client.get(URL, {"q": "tai chinh"}).content.decode()
    assert codes(client.get(URL)) == ["dien-luc"]


def test_the_search_folds_diacritics_and_dd(client, cast):
    client.force_login(cast.upper)
    assert codes(client.get(URL, {"q": "so tai chinh"})) == ["so-tai-chinh"]
    assert codes(client.get(URL, {"q": "SỞ TÀI"})) == ["so-tai-chinh"]
    assert codes(client.get(URL, {"q": "dang bo so"})) == ["so-tai-chinh"]
    assert codes(client.get(URL, {"q": "đảng  bộ khối"})) == ["khoi-cq"]


def test_a_code_finds_its_organization_first(client, cast):
    client.force_login(cast.upper)
    assert codes(client.get(URL, {"q": "cb-van-phong"})) == ["cb-van-phong"]
    assert codes(client.get(URL, {"q": "cb-"})) == ["cb-van-phong", "cb-ngan-sach"]


def test_an_option_names_its_parent_within_the_scope_only(client, cast):
    client.force_login(cast.upper)
    html = client.get(URL, {"q": "van phong"}).content.decode()
    assert 'data-name="Chi bộ Văn phòng — Đảng bộ Sở Tài chính"' in html
    client.force_login(cast.cell)  # the cell's parent lies outside a cell secretary's scope
    html = client.get(URL, {"q": "van phong"}).content.decode()
    assert "Chi bộ Văn phòng" in html and "Sở Tài chính" not in html


def test_dissolved_organizations_are_not_offered(client, cast):
    Organization.objects.filter(pk=cast.tree.newspaper.pk).update(dissolved_on="2020-01-01")
    client.force_login(cast.upper)
    assert "bao-bg" not in codes(client.get(URL))


def test_at_most_the_limit_is_listed(client, cast):
    kind = ensure_kinds()["chi-bo"]
    finance = Organization.objects.get(pk=cast.tree.finance.pk)
    for i in range(PICKER_LIMIT + 5):
        Organization.objects.add_child(
            finance, instance=Organization(code=f"cb-thu-{i:02d}", name=f"Chi bộ Thử {i:02d}", kind=kind, founded_on="2010-01-01")
        )
    client.force_login(cast.upper)
    response = client.get(URL, {"q": "chi bo thu"})
    assert len(codes(response)) == PICKER_LIMIT
    assert "gõ thêm" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL, {"q": "tai chinh"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
