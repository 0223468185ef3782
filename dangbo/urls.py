from django.contrib import admin
from django.urls import include, path

from dangbo import views

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("accounts.urls")),
    path("to-chuc/", include("orgs.urls")),
    path("dang-vien/", include("members.urls")),
    path("ngay-nghi/", include("workdays.urls")),
    path("api/v1/", include("api.urls")),
    path("django-admin/", admin.site.urls),
]
