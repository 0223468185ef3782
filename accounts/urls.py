from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
]

# Placeholders until the user and token pages are built.
urlpatterns += [
    path("nguoi-dung/", views.placeholder, name="user_list"),
    path("ma-api/", views.placeholder, name="token_list"),
]
