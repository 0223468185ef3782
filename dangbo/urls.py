from django.contrib import admin
from django.urls import include, path

from dangbo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("accounts.urls")),
    path("to-chuc/", include("orgs.urls")),
    path("dang-vien/", include("members.urls")),
    path("ngay-nghi/", include("workdays.urls")),
    path("danh-gia/", include("reviews.urls")),
    path("chi-tieu/", include("targets.urls")),
    path("api/v1/", include("api.urls")),
    path("django-admin/", admin.site.urls),
]

# 403 and 404 use Django's handlers with templates/403.html and 404.html (and
# dangbo.middleware.ErrorPageMiddleware while DEBUG is on); a 500 has its own.
handler500 = "dangbo.views.server_error"
