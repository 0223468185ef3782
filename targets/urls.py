from django.urls import path

from targets import views, views_report

app_name = "targets"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nghi-quyet/them/", views.resolution_create, name="resolution_create"),
    path("nghi-quyet/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("nghi-quyet/<int:pk>/bao-cao/", views_report.report, name="report"),
    path("nghi-quyet/<int:pk>/them-chi-tieu/", views.target_create, name="target_create"),
    path("<int:pk>/sua/", views.target_update, name="target_update"),
    path("<int:pk>/nhap-ket-qua/", views.manual_value_set, name="manual_value_set"),
    path("<int:pk>/phan-bo/", views.allocation_grid, name="allocation_grid"),
    path("<int:pk>/to-chuc/<int:org_id>/nam/<int:year>/", views.target_values, name="target_values"),
]
