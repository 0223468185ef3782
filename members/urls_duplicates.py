"""The page of possible duplicates and the merge of two records (members/views_duplicates.py)."""

from django.urls import path

from members import views_duplicates

urlpatterns = [
    path("co-the-trung/", views_duplicates.duplicate_list, name="duplicate_list"),
    path("<int:pk>/co-the-trung/<int:other>/", views_duplicates.duplicate_compare, name="duplicate_compare"),
    path("<int:pk>/co-the-trung/<int:other>/gop/", views_duplicates.duplicate_merge, name="duplicate_merge"),
    path("<int:pk>/co-the-trung/<int:other>/khong-trung/", views_duplicates.duplicate_dismiss, name="duplicate_dismiss"),
]
