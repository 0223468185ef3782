import re

from django.test import Client


def test_the_openapi_document_is_served_and_declares_every_error_on_every_operation(db):
    schema = Client().get("/api/v1/openapi.json").json()
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert len(operations) >= 7
    for op in operations:
        assert {"200", "400", "401", "403", "404", "422"} <= set(op["responses"]), op["operationId"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_swagger_ui_loads_its_assets_from_this_server_only(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert all(s.startswith("/") for s in sources), sources
    assert "cdn" not in html.lower()
