from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    # Administrators: users and their assignments.
    path("nguoi-dung/", views.user_list, name="user_list"),
    path("nguoi-dung/them/", views.user_create, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user_detail"),
    path("nguoi-dung/<int:pk>/sua/", views.user_update, name="user_update"),
    path("nguoi-dung/<int:pk>/dat-lai-mat-khau/", views.user_password_reset, name="user_password_reset"),
    path("nguoi-dung/<int:pk>/khoa/", views.user_deactivate, name="user_deactivate"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.user_activate, name="user_activate"),
    path("nguoi-dung/<int:pk>/go-xac-thuc-hai-buoc/", views.user_otp_reset, name="user_otp_reset"),
    path("nguoi-dung/<int:pk>/phan-cong/", views.assignment_create, name="assignment_create"),
    path("phan-cong/<int:pk>/ket-thuc/", views.assignment_end, name="assignment_end"),
    # Every user: their own two-factor login.
    path("xac-thuc-hai-buoc/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/bat/", views.otp_enable, name="otp_enable"),
    path("xac-thuc-hai-buoc/tat/", views.otp_disable, name="otp_disable"),
    path("xac-thuc-hai-buoc/nhap-ma/", views.otp_verify, name="otp_verify"),
    # Every user: their own API tokens.
    path("ma-api/", views.token_list, name="token_list"),
    path("ma-api/tao/", views.token_create, name="token_create"),
    path("ma-api/<int:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
