"""URLs of the member import and exports; ``members/urls.py`` adds them to the ``members`` namespace."""

from django.urls import path

from members import views_export, views_import

urlpatterns = [
    path("nhap/", views_import.member_import, name="member_import"),
    path("nhap/mau.xlsx", views_import.member_import_template, name="member_import_template"),
    path("nhap/<int:pk>/", views_import.importjob_detail, name="importjob_detail"),
    path("nhap/<int:pk>/tien-do/", views_import.importjob_progress, name="importjob_progress"),
    path("nhap/<int:pk>/ghi/", views_import.importjob_confirm, name="importjob_confirm"),
    path("nhap/<int:pk>/chay-lai/", views_import.importjob_rerun, name="importjob_rerun"),
    path("nhap/<int:pk>/lua-chon/", views_import.importjob_decide, name="importjob_decide"),
    path("xuat.xlsx", views_export.member_export_xlsx, name="member_export_xlsx"),
    path("xuat.csv", views_export.member_export_csv, name="member_export_csv"),
]
