"""API errors speak to people: a machine code, a message in the request's language and the
fields concerned; the framework's own ``detail`` stays for existing clients."""

from __future__ import annotations

import json

import pytest
from django.utils import translation
from ninja.errors import ValidationError

from motcua.api.urls import invalid_request
from tests.dossiers.test_translated_texts import english  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
VALIDATION = "Dữ liệu gửi lên không hợp lệ. Xem các trường được nêu trong “details”."


def test_no_token_is_explained(client):
    response = client.get("/api/v1/dossiers", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthenticated" and body["detail"] == "Unauthorized"
    assert "Authorization: Bearer" in body["message"] and "Cần đăng nhập" in body["message"]


def test_invalid_parameters_name_the_fields(client, rf, english):  # noqa: F811
    response = client.get("/api/v1/procedures", {"limit": 0, "level": "galaxy"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["message"].startswith("Dữ liệu gửi lên")
    assert set(body["details"]) == {"limit", "level"}
    assert isinstance(body["detail"], list) and len(body["detail"]) == 2
    # The message is the request's language (the API answers in the site's default one).
    english({VALIDATION: "The data sent is not valid. See the fields listed in “details”."})
    error = ValidationError([{"loc": ("query", "limit"), "type": "greater_than_equal"}])
    with translation.override("en"):
        answer = json.loads(invalid_request(rf.get("/api/v1/procedures"), error).content)
    assert answer["message"].startswith("The data sent is not valid")
    assert answer["details"] == {"limit": "greater_than_equal"}


def test_an_unknown_procedure_is_a_404_with_a_message(client):
    response = client.get("/api/v1/procedures/9.999999.X")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
