from django.urls import path

from workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.holiday_list, name="holiday_list"),
    path("them/", views.holiday_create, name="holiday_create"),
    path("<int:pk>/sua/", views.holiday_update, name="holiday_update"),
    path("<int:pk>/xoa/", views.holiday_delete, name="holiday_delete"),
    path("lam-bu/them/", views.working_day_create, name="workingday_create"),
    path("lam-bu/<int:pk>/xoa/", views.working_day_delete, name="workingday_delete"),
]
