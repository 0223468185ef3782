"""The site's own 403, 404, 500 and CSRF pages, in Vietnamese with the navigation, with
``DEBUG`` on (the demonstration) and off (production); and the favicon."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path, reverse

from dangbo.views import server_error


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


# This module doubles as the URLconf of the 500 tests: the site's routes plus one that fails.
urlpatterns = [path("loi-thu/", boom), path("", include("dangbo.urls"))]
handler500 = "dangbo.views.server_error"

DEBUG_MODES = pytest.mark.parametrize("debug", [True, False], ids=["debug-on", "debug-off"])


def assert_site_page_with_navigation(response: HttpResponse, status: int, title: str, user_name: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert title in page
    assert 'data-testid="error-page"' in page
    # The navigation of base.html, for the logged-in user.
    assert reverse("members:member_list") in page
    assert reverse("orgs:organization_tree") in page
    assert user_name in page
    assert "Django" not in page  # neither the technical page nor Django's plain one


@DEBUG_MODES
def test_an_unknown_address_shows_the_vietnamese_404_page_with_navigation(client, cast, settings, debug):
    settings.DEBUG = debug
    client.force_login(cast.cell)
    response = client.get("/khong-co-trang-nay/")
    assert_site_page_with_navigation(response, 404, "Không tìm thấy trang này", "Phạm Thị Cúc")


@DEBUG_MODES
def test_an_organization_outside_the_scope_shows_the_vietnamese_404_page(client, cast, settings, debug):
    settings.DEBUG = debug
    client.force_login(cast.cell)
    response = client.get(reverse("orgs:organization_detail", args=[cast.tree.power.code]))
    assert_site_page_with_navigation(response, 404, "Không tìm thấy trang này", "Phạm Thị Cúc")
    assert cast.tree.power.name not in response.content.decode()


@DEBUG_MODES
def test_a_page_the_role_may_not_open_shows_the_vietnamese_403_page(client, cast, settings, debug):
    settings.DEBUG = debug
    client.force_login(cast.viewer)
    response = client.get(reverse("accounts:user_list"))
    assert_site_page_with_navigation(response, 403, "Bạn không có quyền thực hiện thao tác này", "Hoàng Văn Dũng")
    assert "403 Forbidden" not in response.content.decode()


@DEBUG_MODES
def test_a_form_without_its_csrf_token_shows_the_vietnamese_page(cast, settings, debug):
    settings.DEBUG = debug
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member)
    response = client.post(reverse("accounts:logout"))
    assert_site_page_with_navigation(response, 403, "Biểu mẫu đã hết hạn hoặc không hợp lệ", "Nguyễn Văn An")


@pytest.mark.urls("dangbo.tests.test_error_pages")
def test_a_failing_view_shows_the_vietnamese_500_page_with_navigation(client, cast, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(cast.base)
    response = client.get("/loi-thu/")
    assert_site_page_with_navigation(response, 500, "Hệ thống gặp lỗi khi xử lý yêu cầu của bạn", "Trần Văn Bình")


@pytest.mark.urls("dangbo.tests.test_error_pages")
def test_with_debug_on_a_failing_view_keeps_the_traceback_for_the_developer(client, cast, settings):
    settings.DEBUG = True
    client.raise_request_exception = False
    client.force_login(cast.base)
    response = client.get("/loi-thu/")
    assert response.status_code == 500
    assert "a bug in a view" in response.content.decode()


class UnreachableUser:
    """The user of a request whose database has gone away."""

    @property
    def is_authenticated(self) -> bool:
        raise OperationalError("the database is unreachable")


def test_the_500_page_still_renders_when_the_request_itself_cannot(db, caplog):
    request = RequestFactory().get("/")
    request.user = UnreachableUser()  # type: ignore[assignment]
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống gặp lỗi khi xử lý yêu cầu của bạn" in page
    assert reverse("members:member_list") not in page
    assert "Rendering 500.html with the request failed" in caplog.text


def test_the_api_keeps_its_json_404_with_debug_on(client, cast, settings):
    settings.DEBUG = True
    client.force_login(cast.cell)
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_every_page_links_the_favicon_and_favicon_ico_leads_to_it(client, cast):
    client.force_login(cast.member)
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    icon = finders.find("img/favicon.svg")
    assert icon is not None
    with open(icon, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")
