from django.urls import path, re_path

from api.errors import json_not_found
from api.main import api

urlpatterns = [
    path("", api.urls),
    # Anything else under the API answers the API's 404 shape, not an HTML page.
    re_path(r"^.*$", json_not_found, name="api_not_found"),
]
