"""The public catalogue JSON API (/api/v1/…) and its OpenAPI document."""

import re

import pytest

from motcua.catalog import queries
from tests.catalog.factories import make_version
from tests.portal.data import add_cases, enrich, make_fields

BASE = "/api/v1"


def get(client, path, **params):
    return client.get(f"{BASE}{path}", params)


def codes(response):
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_list_shape_and_hidden_rows(client, catalogue):
    body = get(client, "/procedures").json()
    assert body["total"] == 6 and body["limit"] == 20 and body["offset"] == 0
    assert "9.999999" not in [i["code"] for i in body["items"]]  # draft
    assert "9.999998" not in [i["code"] for i in body["items"]]  # flagged
    item = next(i for i in body["items"] if i["code"] == "2.000815")
    assert item == {
        "code": "2.000815",
        "name": "Chứng thực bản sao từ bản chính giấy tờ",
        "field": {
            "id": catalogue["chung_thuc"].field_id,
            "code": "chung-thuc",
            "name": "Chứng thực",
        },
        "levels": [
            {"code": "province", "label": "Cấp tỉnh"},
            {"code": "commune", "label": "Cấp xã"},
        ],
        "online_class": "none",
        "online_class_label": "Không có dịch vụ công trực tuyến",
        "processing_time": "3 ngày làm việc",
    }


@pytest.mark.parametrize("query", ["dang ky khai sinh", "khai sinh", "đăng kí khai sinh"])
def test_search_ranks_best_first(client, catalogue, query):
    assert codes(get(client, "/procedures", q=query))[0] == "1.001193"


def test_filters(client, catalogue):
    assert codes(get(client, "/procedures", field="chung-thuc")) == ["2.000815"]
    field_id = catalogue["thuong_tru"].field_id
    assert codes(get(client, "/procedures", field=field_id)) == ["1.004222"]
    assert sorted(codes(get(client, "/procedures", level="province"))) == ["1.000000", "2.000815"]
    assert codes(get(client, "/procedures", online_class="partial")) == ["1.000894"]
    assert codes(get(client, "/procedures", agency="000.21.26.H29")) == ["1.001193", "1.004222"]
    assert codes(get(client, "/procedures", q="ket hon", level="commune")) == ["1.000894"]


def test_invalid_filter_values_are_rejected_with_422(client, catalogue):
    assert get(client, "/procedures", level="galaxy").status_code == 422
    assert get(client, "/procedures", online_class="x").status_code == 422
    assert get(client, "/procedures", limit=0).status_code == 422
    assert get(client, "/procedures", limit=101).status_code == 422
    assert get(client, "/procedures", offset=-1).status_code == 422


def test_pagination_with_total(client, db):
    make_fields()
    for i in range(25):
        make_version(f"5.{i:06d}", f"Thủ tục thử số {i:02d}")
    first = get(client, "/procedures", limit=10).json()
    last = get(client, "/procedures", limit=10, offset=20).json()
    assert first["total"] == last["total"] == 25
    assert [i["code"] for i in first["items"]] == [f"5.{i:06d}" for i in range(10)]
    assert [i["code"] for i in last["items"]] == [f"5.{i:06d}" for i in range(20, 25)]
    searched = get(client, "/procedures", q="thu tuc thu", limit=5, offset=5).json()
    assert searched["total"] == 25 and len(searched["items"]) == 5


def test_detail(client, catalogue):
    enrich(catalogue["khai_sinh"])
    add_cases(catalogue["khai_sinh"], 1, components=1)
    response = get(client, "/procedures/1.001193")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "1.001193" and body["name"] == "Đăng ký khai sinh"
    assert body["levels"] == [{"code": "commune", "label": "Cấp xã"}]
    assert body["online_submission"] is True
    counter, online = body["channels"]
    assert counter["channel"] == "counter" and counter["time_value"] == 3.0
    assert counter["time_unit"] == "working_days" and counter["time_display"] == "3 ngày làm việc"
    assert counter["fees"][0]["kind"] == "free"
    assert online["fees"][0] == {
        "kind": "charge",
        "kind_label": "Lệ phí",
        "amount": 50000,
        "text": "Lệ phí",
        "display": "Lệ phí: 50.000 đồng",
    }
    first_case, second_case = body["cases"]
    assert [(c["name"], c["originals"], c["copies"]) for c in first_case["components"]] == [
        ("Tờ khai đăng ký khai sinh", 1, 0),
        ("Giấy chứng sinh", 1, 2),
    ]
    [form] = first_case["components"][1]["forms"]
    assert form["file_name"] == "Mẫu giấy chứng sinh.pdf"
    assert re.fullmatch(r"/bieu-mau/\d+/", form["url"])  # served by the public download view
    assert first_case["components"][0]["forms"] == [{"file_name": "Mẫu tờ khai.docx", "url": None}]
    assert second_case["name"] == "Trường hợp 1"
    assert body["legal_basis"] == [
        {"number": "60/2014/QH13", "title": "Luật Hộ tịch", "issued_on": "", "issuer": ""}
    ]
    assert body["results"] == [{"name": "Giấy khai sinh", "code": "KQ.G12.000327"}]
    assert body["places"] == [
        {
            "agency_identifier": "000.21.26.H29",
            "agency_name": "UBND phường Bến Thành",
            "address": "Quầy số 3, 92 Nam Kỳ Khởi Nghĩa",
            "phone": "028 3823 0000",
        }
    ]
    assert body["applicant_types"] == ["Công dân Việt Nam"]


def test_detail_query_count_is_fixed(client, catalogue, django_assert_num_queries):
    add_cases(catalogue["khai_sinh"], 4)
    with django_assert_num_queries(queries.DETAIL_QUERIES):
        assert get(client, "/procedures/1.001193").status_code == 200


def test_unknown_or_hidden_procedure_is_json_404(client, catalogue):
    for code in ("0.000000", "9.999999", "9.999998"):
        response = get(client, f"/procedures/{code}")
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert body["code"] == "not_found"
        assert code in body["message"] and "Không tìm thấy thủ tục" in body["message"]


def test_fields_with_counts(client, catalogue):
    response = client.get(f"{BASE}/fields")
    assert response.status_code == 200
    assert [(f["code"], f["name"], f["procedure_count"]) for f in response.json()] == [
        ("chung-thuc", "Chứng thực", 1),
        ("cu-tru", "Đăng ký, quản lý cư trú", 1),
        ("ho-tich", "Hộ tịch", 4),
    ]


def test_openapi_document_and_docs(client, db):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    doc = schema.json()
    for path in ("/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/fields"):
        assert path in doc["paths"]
    params = {p["name"]: p for p in doc["paths"]["/api/v1/procedures"]["get"]["parameters"]}
    assert {"q", "field", "level", "agency", "online_class", "limit", "offset"} <= set(params)
    assert params["q"]["description"]
    detail = doc["components"]["schemas"]["ProcedureDetailOut"]["properties"]
    assert detail["cases"]["description"] == "Thành phần hồ sơ theo trường hợp."
    assert "404" in doc["paths"]["/api/v1/procedures/{code}"]["get"]["responses"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"openapi.json" in docs.content
