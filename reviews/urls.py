from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("mo-dot/", views.round_create, name="round_create"),
    path("cua-toi/", views.my_ratings, name="my_ratings"),
    path("nhap-ket-qua-da-co/", views.given_import, name="given_import"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/ket-thuc/", views.round_close, name="round_close"),
    path("<int:pk>/chi-bo/<int:cell_id>/", views.cell_grid, name="cell_grid"),
    path("<int:pk>/chi-bo/<int:cell_id>/mau.xlsx", views.cell_grid_template, name="cell_grid_template"),
    path("<int:pk>/chi-bo/<int:cell_id>/nhap/", views.cell_grid_import, name="cell_grid_import"),
    path("<int:pk>/quyet-dinh/<int:org_id>/", views.decide, name="decide"),
    path("<int:pk>/quyet-dinh/<int:org_id>/neu-thay-doi/", views.decide_what_if, name="decide_what_if"),
    path("<int:pk>/to-chuc/<int:org_id>/", views.organization_grid, name="organization_grid"),
    path("<int:pk>/to-chuc/<int:org_id>/quyet-dinh/", views.organization_decide, name="organization_decide"),
    path("phieu/<int:pk>/", views.review_self, name="review_self"),
    path("phieu/<int:pk>/sua-doi/", views.review_amend, name="review_amend"),
    path("phieu/<int:pk>/them-cuong-vi/", views.review_add_post, name="review_add_post"),
    path("phieu/<int:pk>/phieu.docx", views.review_docx, name="review_docx"),
    path("phieu/<int:pk>/phieu.pdf", views.review_pdf, name="review_pdf"),
    path("to-chuc-phieu/<int:pk>/mau-01.docx", views.organization_review_docx, name="organization_review_docx"),
    path("to-chuc-phieu/<int:pk>/mau-01.pdf", views.organization_review_pdf, name="organization_review_pdf"),
    path("bao-cao/<int:org_id>/<int:year>/", views.report, name="report"),
]
