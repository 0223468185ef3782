from django.urls import path

from orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="organization_tree"),
    path("<slug:code>/", views.tree, name="organization_detail"),
]
