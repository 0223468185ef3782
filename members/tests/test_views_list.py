"""The member list: scope, filters, search without diacritics, Vietnamese sorting, pagination, query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.filters import MemberFilter
from members.models import Member
from members.testing import add_member, spelled
from members.tests._people import add_people

URL = reverse("members:member_list")
MAX_LIST_QUERIES = 12  # session (read, save ×3), user, assignments, organization, 3 selects, count, rows


@pytest.fixture
def people(cast):
    return add_people(cast.tree)


def names(response) -> list[str]:
    """The names in the table, in the order shown."""
    table = response.content.decode().split('data-testid="member-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/dang-vien/\d+/">([^<]+)</a>', table)


def test_an_upper_official_sees_every_member_of_the_bloc(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL)
    assert response.status_code == 200
    assert set(names(response)) == {"Nguyễn Văn Đức", "Trần Văn An", "Nguyễn Văn Bình", "Lê Thị Hoa", "Phạm Thị Lan"}
    assert response.context["total"] == 5


def test_a_cell_secretary_sees_only_their_cell(client, cast, people):
    client.force_login(cast.cell)
    assert set(names(client.get(URL))) == {"Nguyễn Văn Đức", "Trần Văn An"}


def test_an_outsider_sees_nobody_of_another_bloc(client, cast, people):
    client.force_login(cast.outsider)
    response = client.get(URL)
    assert names(response) == []
    assert response.context["total"] == 0


def test_a_member_sees_only_their_own_record(client, cast, people):
    Member.objects.filter(pk=people.an.pk).update(user=cast.member)
    client.force_login(cast.member)
    assert names(client.get(URL)) == ["Trần Văn An"]


def test_search_without_diacritics_finds_the_vietnamese_name(client, cast, people):
    client.force_login(cast.upper)
    assert names(client.get(URL, {"q": "nguyen van duc"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(URL, {"q": "NGUYỄN  đức"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(URL, {"q": "th-0001"})) == ["Nguyễn Văn Đức"]


def test_names_are_sorted_by_given_name_the_vietnamese_way(client, cast, people):
    client.force_login(cast.upper)
    shown = names(client.get(URL))
    # An < Bình < Đức < Hoa < Lan: by given name first, and đ after d.
    assert shown == ["Trần Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Đức", "Lê Thị Hoa", "Phạm Thị Lan"]
    assert names(client.get(URL, {"sort": "-name"})) == list(reversed(shown))


@pytest.mark.parametrize(
    "sort", ["name", "sex", "birth_date", "cell", "status", "admitted_on", "full_member_on", "political_theory", "card_number"]
)
def test_every_column_sorts_both_ways(client, cast, people, sort):
    client.force_login(cast.upper)
    up = client.get(URL, {"sort": sort})
    down = client.get(URL, {"sort": f"-{sort}"})
    assert up.status_code == down.status_code == 200
    assert f"sort=-{sort}" in up.content.decode()  # the header links to the other direction
    assert sorted(names(up)) == sorted(names(down))


def test_card_numbers_sort_as_numbers_not_as_text(client, cast):
    for card in ("10", "9", "100", "0123", "11"):
        add_member(cast.tree.office_cell, given_name=f"Thẻ{spelled(card)}", card_number=card)
    client.force_login(cast.upper)

    def cards(sort: str) -> list[str]:
        by_name = {f"Thẻ{spelled(card)}": card for card in ("10", "9", "100", "0123", "11")}
        return [by_name[name.rsplit(" ", 1)[1]] for name in names(client.get(URL, {"sort": sort}))]

    # Alphabetically "10" < "100" < "11" < "9"; a leading zero is printed, so "0123" has four digits.
    assert cards("card_number") == ["9", "10", "11", "100", "0123"]
    assert cards("-card_number") == ["0123", "100", "11", "10", "9"]


def test_sorting_by_birth_date_puts_the_youngest_last(client, cast, people):
    client.force_login(cast.upper)
    assert names(client.get(URL, {"sort": "birth_date"}))[-1] == "Trần Văn An"


def test_the_organization_filter_takes_a_subtree(client, cast, people):
    client.force_login(cast.upper)
    shown = names(client.get(URL, {"organization": cast.tree.finance.code}))
    assert set(shown) == {"Nguyễn Văn Đức", "Trần Văn An", "Nguyễn Văn Bình", "Lê Thị Hoa"}


def test_an_organization_outside_the_scope_matches_nothing(client, cast, people):
    client.force_login(cast.cell)
    response = client.get(URL, {"organization": cast.tree.budget_cell.code})
    assert response.status_code == 200
    assert names(response) == []
    assert "organization" in response.context["filter"].form.errors


def test_the_other_filters_narrow_the_list(client, cast, people):
    client.force_login(cast.upper)
    assert set(names(client.get(URL, {"sex": "F"}))) == {"Lê Thị Hoa", "Phạm Thị Lan"}
    assert names(client.get(URL, {"status": "probationary"})) == ["Lê Thị Hoa"]
    assert names(client.get(URL, {"youth": "1"})) == ["Trần Văn An"]
    assert names(client.get(URL, {"age_band": "le30"})) == ["Trần Văn An"]
    assert names(client.get(URL, {"admitted_year": "2020"})) == ["Trần Văn An"]
    # Everyone but the probationary member and the one admitted in 2020 has 15 years (2010 + 1).
    assert set(names(client.get(URL, {"party_age": "10"}))) == {"Nguyễn Văn Đức", "Nguyễn Văn Bình", "Phạm Thị Lan"}


def test_the_filterset_works_without_the_page(cast, people, rf):
    request = rf.get(URL, {"q": "binh"})
    request.user = cast.upper
    filterset = MemberFilter(request.GET, queryset=Member.objects.for_user(cast.upper), request=request)
    assert [m.full_name for m in filterset.qs] == ["Nguyễn Văn Bình"]


def test_the_list_is_paginated_by_fifty(client, cast):
    for i in range(55):
        add_member(cast.tree.office_cell, given_name=f"An{spelled(f'{i:02d}')}", admitted_on=dt.date(2010, 3, 15))
    client.force_login(cast.upper)
    first = client.get(URL)
    assert len(names(first)) == 50
    assert len(names(client.get(URL, {"page": 2}))) == 5
    assert first.context["total"] == 55


def test_the_number_of_queries_does_not_grow_with_the_page(client, cast, django_assert_max_num_queries):
    query = {"organization": cast.tree.finance.code, "q": "nguyen", "sort": "political_theory"}
    add_member(cast.tree.office_cell, given_name="Bình")
    client.force_login(cast.upper)
    client.get(URL)  # warm the session and the content types
    with CaptureQueriesContext(connection) as one_row:
        assert len(names(client.get(URL, query))) == 1
    for i in range(60):
        add_member(cast.tree.budget_cell, given_name=f"Bình{spelled(f'{i:02d}')}")
    # Session, user, assignments, the filter's selects, the count and the page of rows.
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        response = client.get(URL, query)
    assert len(names(response)) == 50
    with CaptureQueriesContext(connection) as full_page:
        client.get(URL, query)
    assert len(full_page.captured_queries) == len(one_row.captured_queries)


def test_export_buttons_carry_the_query_string_when_exports_exist(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"q": "nguyen", "page": 1})
    for url in response.context["export_urls"].values():
        assert url.endswith("?q=nguyen")
        assert url in response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_header_links_keep_the_filters_and_turn_the_current_sort_around(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"q": "nguyen", "sex": "M", "sort": "birth_date", "page": 1})
    headers = response.content.decode().split("<thead>", 1)[1].split("</thead>", 1)[0]
    links = {
        label.strip(): href.replace("&amp;", "&") for href, label in re.findall(r'<a [^>]*href="([^"]+)">([^<]+)</a>', headers)
    }
    assert links["Ngày sinh ↑"] == f"{URL}?q=nguyen&sex=M&sort=-birth_date"  # back to page 1
    assert links["Họ và tên"] == f"{URL}?q=nguyen&sex=M&sort=name"
    assert "sort=-name" in client.get(URL, {"sort": "name"}).content.decode()


def test_the_table_shows_the_cells_of_each_member(client, cast, people):
    client.force_login(cast.upper)
    html = client.get(URL, {"q": "le thi hoa"}).content.decode()
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    labels = [re.sub(r"<[^>]+>|[↑↓]", "", c).strip() for c in re.findall(r'<th scope="col">(.*?)</th>', head)]
    row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    # The columns' cells come last (a checkbox for the bulk transfer may come first).
    assert dict(zip(labels, cells[-len(labels) :], strict=True)) == {
        "Họ và tên": "Lê Thị Hoa",
        "Ngày sinh": "02/09/1985",
        "Giới tính": "Nữ",
        "Số CCCD": "",
        "Điện thoại": "",
        "Lý luận chính trị": "",
        "Ngày vào Đảng": "03/11/2024",
        "Ngày chính thức": "",  # not yet: probationary
        "Số thẻ đảng viên": "",
        "Tên chi bộ": "Chi bộ Ngân sách",
        "Trạng thái": "Dự bị",
    }
    assert f'href="{reverse("members:member_detail", args=[people.hoa.pk])}"' in row


def test_the_column_headers_are_translated(client, cast, people):
    from django.utils import translation

    def english(text: str) -> str:
        with translation.override("en"):
            return translation.gettext(text)

    assert english("Ngày sinh") != "Ngày sinh"
    client.force_login(cast.upper)
    client.cookies["django_language"] = "en"
    headers = client.get(URL).content.decode().split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert english("Ngày sinh") in headers
    assert "Ngày sinh" not in headers


def test_every_column_but_the_personal_data_sorts_by_a_known_key():
    from members.columns import PAGE_COLUMNS
    from members.filters import SORTS

    assert sorted(c.sort for c in PAGE_COLUMNS if not c.personal) == sorted(SORTS)
    assert [(c.key, c.sort) for c in PAGE_COLUMNS if c.personal] == [("national_id", ""), ("phone", "")]


def test_a_page_past_the_end_shows_the_last_page(client, cast):
    for i in range(55):
        add_member(cast.tree.office_cell, given_name=f"An{spelled(f'{i:02d}')}")
    client.force_login(cast.upper)
    response = client.get(URL, {"page": 9})
    assert response.context["page"].number == 2
    assert len(names(response)) == 5 and response.context["total"] == 55
    assert 'data-testid="pagination"' in response.content.decode()


def test_an_empty_list_says_so_and_counts_zero(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"q": "khong co ai ten nay"})
    assert response.context["total"] == 0
    assert "Không có đảng viên nào khớp với điều kiện lọc." in response.content.decode()


# --- the organization picker's side of the filter -------------------------------------


def test_the_chosen_organization_shows_its_name_and_keeps_its_code(client, cast, people):
    client.force_login(cast.upper)
    html = client.get(URL, {"organization": cast.tree.finance.code}).content.decode()
    assert 'name="organization" value="so-tai-chinh"' in html
    assert 'name="organization_text" value="Đảng bộ Sở Tài chính — Đảng bộ Khối các cơ quan tỉnh"' in html
    assert '<select name="organization"' not in html


def test_a_code_typed_without_javascript_filters_the_list(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"organization": "", "organization_text": "cb-ngan-sach"})
    assert set(names(response)) == {"Nguyễn Văn Bình", "Lê Thị Hoa"}
    assert 'name="organization_text" value="Chi bộ Ngân sách — Đảng bộ Sở Tài chính"' in response.content.decode()


def test_a_name_typed_without_diacritics_filters_the_list(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"organization": "", "organization_text": "chi bo van phong"})
    assert set(names(response)) == {"Nguyễn Văn Đức", "Trần Văn An"}


def test_text_typed_over_a_chosen_organization_wins(client, cast, people):
    client.force_login(cast.upper)
    query = {"organization": cast.tree.finance.code, "organization_text": "bao-bg"}
    assert names(client.get(URL, query)) == ["Phạm Thị Lan"]
    query = {"organization": cast.tree.finance.code, "organization_text": "Đảng bộ Sở Tài chính"}
    assert len(names(client.get(URL, query))) == 4


def test_an_empty_picker_box_means_every_organization_in_scope(client, cast, people):
    client.force_login(cast.upper)
    assert len(names(client.get(URL, {"organization": cast.tree.finance.code, "organization_text": ""}))) == 5


def test_an_ambiguous_or_unknown_organization_text_matches_nothing(client, cast, people):
    client.force_login(cast.upper)
    for text in ("chi bo", "khong co to chuc nay"):
        response = client.get(URL, {"organization_text": text})
        assert names(response) == []
        assert "organization" in response.context["filter"].form.errors
        assert f'value="{text}"' in response.content.decode()  # what was typed stays in the box


def test_an_organization_outside_the_scope_typed_in_the_box_matches_nothing(client, cast, people):
    client.force_login(cast.cell)
    for text in (cast.tree.budget_cell.code, "Chi bộ Ngân sách"):
        response = client.get(URL, {"organization": "", "organization_text": text})
        assert names(response) == []
        assert "organization" in response.context["filter"].form.errors


def test_per_page_sets_the_page_size_within_bounds(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"per_page": 2, "q": "van"})
    assert len(names(response)) == 2 and response.context["total"] == 3
    assert "per_page=2&amp;q=van&amp;page=2" in response.content.decode()  # the page links keep it
    assert len(names(client.get(URL, {"per_page": "abc"}))) == 5
    assert len(names(client.get(URL, {"per_page": 0}))) == 1


def test_the_chosen_organization_keeps_its_name_when_another_filter_is_wrong(client, cast, people):
    client.force_login(cast.upper)
    response = client.get(URL, {"organization": cast.tree.finance.code, "admitted_year": "abc"})
    assert names(response) == []
    assert 'name="organization_text" value="Đảng bộ Sở Tài chính — Đảng bộ Khối các cơ quan tỉnh"' in response.content.decode()


def _list_sql(client, params) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if "members_member" in q["sql"]]


def test_a_search_counts_with_its_page_and_a_plain_list_counts_apart(client, cast, people):
    # A window count makes the database read and sort every match: worth it when a search
    # visits them all anyway, not for a plain list an index pages at once.
    client.force_login(cast.upper)
    searched = _list_sql(client, {"q": "nguyen"})
    assert len(searched) == 1 and "OVER" in searched[0]
    plain = _list_sql(client, {})
    assert len(plain) == 2 and not any("OVER" in sql for sql in plain)
    assert any("COUNT(" in sql.upper() for sql in plain)


def test_a_searched_page_and_a_plain_page_count_the_same(client, cast, people):
    client.force_login(cast.upper)
    assert client.get(URL, {"q": "van"}).context["total"] == 3
    assert client.get(URL, {"q": "van", "page": "9"}).context["total"] == 3
    assert client.get(URL).context["total"] == 5
