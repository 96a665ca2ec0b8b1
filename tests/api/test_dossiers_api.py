"""The dossier API: token auth, idempotent creation, queues, actions, JSON errors."""

import pytest

from motcua.accounts.tokens import issue_token
from motcua.dossiers.models import Dossier
from tests.dossiers.conftest import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

BODY = {
    "agency": "000.21.26.H29",
    "procedure": "1.004222",
    "channel": "counter",
    "applicant": {
        "name": "Nguyễn Văn An",
        "id_number": "079090001234",
        "birth_date": "1990-05-04",
        "phone": "0903123456",
    },
    "components": [{"name": "Tờ khai CT01", "originals": 1, "copies": 0}],
    "receive": True,
}


@pytest.fixture
def api(client, world):  # noqa: F811
    def call(user, method, path, payload=None, **headers):
        token = issue_token(world[user], "test")
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}
        if payload is not None:
            return getattr(client, method)(path, payload, content_type="application/json", **kwargs)
        return getattr(client, method)(path, **kwargs)

    return call


def test_create_with_idempotency_key_creates_one_dossier(api):
    first = api("officer", "post", "/api/v1/dossiers", BODY, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["code"].startswith("000.21.26.H29-") and data["state"] == "received"
    assert data["applicant_id_masked"] == "••••••••1234"
    again = api("officer", "post", "/api/v1/dossiers", BODY, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["code"] == data["code"]
    assert Dossier.objects.count() == 1


def test_invalid_applicant_gets_json_errors_per_field(api):
    body = {**BODY, "applicant": {"name": "An", "id_number": "123"}}
    response = api("officer", "post", "/api/v1/dossiers", body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid" and "applicant_id_number" in error["details"]
    assert "12 chữ số" in error["details"]["applicant_id_number"]


def test_only_the_receiving_unit_may_enter_counter_dossiers(api):
    response = api("specialist", "post", "/api/v1/dossiers", BODY)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_actions_queue_events_and_conflicts(api, world):  # noqa: F811
    code = api("officer", "post", "/api/v1/dossiers", BODY).json()["code"]
    detail = api("officer", "get", f"/api/v1/dossiers/{code}").json()
    assert "transfer" in detail["actions"]
    moved = api(
        "officer",
        "post",
        f"/api/v1/dossiers/{code}/actions/transfer",
        {"expected_version": detail["version"]},
    )
    assert moved.status_code == 200 and moved.json()["state"] == "in_process"
    stale = api(
        "officer",
        "post",
        f"/api/v1/dossiers/{code}/actions/transfer",
        {"expected_version": detail["version"]},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    queue = api("specialist", "get", "/api/v1/dossiers?queue=unit").json()
    assert queue["total"] == 1 and queue["items"][0]["code"] == code
    assert api("other_specialist", "get", "/api/v1/dossiers?queue=unit").json()["total"] == 0
    assert api("other_specialist", "get", f"/api/v1/dossiers/{code}").status_code == 404
    no_reason = api("specialist", "post", f"/api/v1/dossiers/{code}/actions/request_supplement", {})
    assert no_reason.status_code == 400 and "lý do" in no_reason.json()["message"]
    events = api("specialist", "get", f"/api/v1/dossiers/{code}/events").json()
    assert [e["action"] for e in events] == ["submit", "receive", "transfer"]
    unknown = api("officer", "post", f"/api/v1/dossiers/{code}/actions/fly", {})
    assert unknown.status_code == 400


def test_supervisor_reads_but_cannot_act(api):
    code = api("officer", "post", "/api/v1/dossiers", BODY).json()["code"]
    assert api("supervisor", "get", f"/api/v1/dossiers/{code}").status_code == 200
    response = api("supervisor", "post", f"/api/v1/dossiers/{code}/actions/transfer", {})
    assert response.status_code == 403


def test_no_token_no_access(client, world):  # noqa: F811
    assert client.get("/api/v1/dossiers").status_code == 401
    bad = client.get("/api/v1/dossiers", HTTP_AUTHORIZATION="Bearer mc_wrong")
    assert bad.status_code == 401


def test_queue_api_query_count_is_fixed(api, world, django_assert_num_queries):  # noqa: F811
    for _ in range(3):
        api("officer", "post", "/api/v1/dossiers", BODY)
    token = issue_token(world["officer"], "count")
    from django.test import Client

    c = Client()
    with django_assert_num_queries(4):  # token, grants, page, count
        response = c.get("/api/v1/dossiers?queue=unit", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["total"] == 3


def test_openapi_documents_the_dossier_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/dossiers" in paths
    assert "/api/v1/dossiers/{code}/actions/{action}" in paths


@pytest.fixture
def core_only():
    """Detach the other apps' event subscribers (statistics, notifications, forms…), which
    pin their own statement counts: what remains is the intake path itself."""
    from motcua.dossiers import events

    saved = list(events._IN_TX), list(events._AFTER)
    events._IN_TX.clear()
    events._AFTER.clear()
    yield
    events._IN_TX[:], events._AFTER[:] = saved


def test_intake_query_count(api, world, core_only, django_assert_num_queries):  # noqa: F811
    from django.test import Client

    from motcua.worktime.queries import calendar_for

    calendar_for(world["agency"].pk)
    token = issue_token(world["officer"], "count")
    c = Client()

    def post(key):
        return c.post(
            "/api/v1/dossiers",
            BODY,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    assert post("warm").status_code == 201  # keeps the offering look-up of this process
    # token, offering (kept look-up, checked), grants, savepoint, daily number, dossier,
    # components, both events, release
    with django_assert_num_queries(9):
        response = post("counted")
    assert response.status_code == 201 and response.json()["state"] == "received"
    # A repeat (rare) pays for the common case's missing look-up: the same path up to the
    # refused insert, rolled back, then the first dossier (found by key, read in full).
    with django_assert_num_queries(12):
        again = post("counted")
    assert again.status_code == 200 and again.json()["code"] == response.json()["code"]
