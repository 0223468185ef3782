from django.urls import path

from members import urls_duplicates, urls_import, urls_reconcile, views, views_bulk

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="member_list"),
    path("chon-to-chuc/", views.organization_picker, name="organization_picker"),
    path("thong-ke/", views.member_statistics, name="member_statistics"),
    path("du-bi-den-han/", views.member_probation_due, name="member_probation_due"),
    path("huy-hieu-den-han/", views.member_badges_due, name="member_badges_due"),
    path("chuyen-sinh-hoat-qua-han/", views.transfer_overdue, name="transfer_overdue"),
    path("chuyen-sinh-hoat-nhieu/", views_bulk.member_bulk_transfer, name="member_bulk_transfer"),
    path("chuyen-sinh-hoat-nhieu/xem-truoc/", views_bulk.member_bulk_transfer_preview, name="member_bulk_transfer_preview"),
    path("chuyen-sinh-hoat-nhieu/luu/", views_bulk.member_bulk_transfer_save, name="member_bulk_transfer_save"),
    path("cua-toi/", views.my_record, name="my_record"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("<int:pk>/phieu-dang-vien.docx", views.member_profile_docx, name="member_profile_docx"),
    path("<int:pk>/phieu-dang-vien.pdf", views.member_profile_pdf, name="member_profile_pdf"),
]

# Each action: its form (GET), its preview (POST, nothing saved), its save (POST).
for action in views.ACTIONS.values():
    if action.scope == "new":
        prefix = f"{action.url_part}/"
    elif action.scope == "member":
        prefix = f"<int:pk>/{action.url_part}/"
    else:
        prefix = f"<int:pk>/chuyen/<int:transfer_id>/{action.url_part}/"
    kwargs = {"action": action.name}
    urlpatterns += [
        path(prefix, views.action_form, kwargs, name=action.name),
        path(f"{prefix}xem-truoc/", views.action_preview, kwargs, name=f"{action.name}_preview"),
        path(f"{prefix}luu/", views.action_save, kwargs, name=f"{action.name}_save"),
    ]

# The import and export pages (members/urls_import.py).
urlpatterns += urls_import.urlpatterns
# The possible duplicates and the merge of two records (members/urls_duplicates.py).
urlpatterns += urls_duplicates.urlpatterns
# The reconciliation of the 7-HSĐV list (members/urls_reconcile.py).
urlpatterns += urls_reconcile.urlpatterns
