from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.organization_tree, name="organization_tree"),
    # Before "<code>/": a fixed word would otherwise be read as an organization code.
    path("tai-ngay/", views.organization_tree_as_of, name="organization_tree_as_of"),
    path("<slug:code>/", views.organization_detail, name="organization_detail"),
    path("<slug:code>/truc-thuoc/", views.organization_children, name="organization_children"),
    path("<slug:code>/nhiem-ky/them/", views.term_create, name="term_create"),
    path("<slug:code>/nhiem-ky/<int:term_id>/cap-uy/them/", views.seat_assign, name="seat_assign"),
    path("<slug:code>/cap-uy/<int:seat_id>/ket-thuc/", views.seat_end, name="seat_end"),
]

# Each change of the tree: its form (GET), its preview (POST, nothing saved), its save (POST).
for flow in views.FLOWS.values():
    urlpatterns += [
        path(f"<slug:code>/{flow.url_part}/", views.change_form, {"flow": flow.slug}, name=f"organization_{flow.slug}"),
        path(
            f"<slug:code>/{flow.url_part}/xem-truoc/",
            views.change_preview,
            {"flow": flow.slug},
            name=f"organization_{flow.slug}_preview",
        ),
        path(f"<slug:code>/{flow.url_part}/luu/", views.change_save, {"flow": flow.slug}, name=f"organization_{flow.slug}_save"),
    ]
