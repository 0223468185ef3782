"""URLs of the reconciliation of the 7-HSĐV list; ``members/urls.py`` adds them to the ``members`` namespace."""

from django.urls import path

from members import views_reconcile

urlpatterns = [
    path("doi-chieu/", views_reconcile.member_reconcile, name="member_reconcile"),
    path("doi-chieu/<int:pk>/", views_reconcile.reconciliation_detail, name="reconciliation_detail"),
    path("doi-chieu/<int:pk>/tien-do/", views_reconcile.reconciliation_progress, name="reconciliation_progress"),
    path("doi-chieu/<int:pk>/chenh-lech.xlsx", views_reconcile.reconciliation_export, name="reconciliation_export"),
    path("doi-chieu/<int:pk>/ap-dung/", views_reconcile.reconciliation_apply, name="reconciliation_apply"),
    path("doi-chieu/<int:pk>/ghep-cot/", views_reconcile.reconciliation_map_columns, name="reconciliation_map_columns"),
]
