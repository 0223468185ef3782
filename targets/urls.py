from django.urls import path

from targets import views

app_name = "targets"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("nghi-quyet/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("<int:pk>/to-chuc/<int:org_id>/nam/<int:year>/", views.target_values, name="target_values"),
]
