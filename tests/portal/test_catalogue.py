"""The public catalogue page: search, filters, pagination, what is hidden."""

import pytest
from django.urls import reverse

from motcua.portal.views import PAGE_SIZE
from tests.catalog.factories import make_version

from .data import make_fields
from .helpers import result_links, result_names

URL = "/thu-tuc-hanh-chinh/"


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_url_name_and_no_login_needed(client, db):
    assert reverse("portal:catalogue") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert "Tra cứu thủ tục hành chính" in response.text


@pytest.mark.parametrize("query", ["dang ky khai sinh", "khai sinh", "ĐĂNG KÝ KHAI SINH"])
def test_search_finds_khai_sinh_first(client, catalogue, query):
    assert result_names(get(client, q=query).content)[0] == "Đăng ký khai sinh"


@pytest.mark.parametrize("query", ["ket hon", "DANG KY KET HON", "đăng kí kết hôn"])
def test_search_finds_ket_hon_first(client, catalogue, query):
    names = result_names(get(client, q=query).content)
    assert names[0] == "Đăng ký kết hôn"
    assert "Đăng ký kết hôn có yếu tố nước ngoài" in names


def test_search_by_code(client, catalogue):
    assert result_names(get(client, q="2.000815").content) == [
        "Chứng thực bản sao từ bản chính giấy tờ"
    ]


def test_result_row_shows_code_field_levels_class_and_time(client, catalogue):
    text = get(client, q="chung thuc").text
    assert "2.000815" in text
    assert "Chứng thực" in text
    assert "Cấp tỉnh, Cấp xã" in text
    assert "Không có dịch vụ công trực tuyến" in text
    assert "3 ngày làm việc" in text
    assert result_links(text) == ["/thu-tuc-hanh-chinh/2.000815/"]


def test_drafts_and_flagged_versions_are_never_listed(client, catalogue):
    names = result_names(get(client).content) + result_names(get(client, q="khai sinh").content)
    assert "Đăng ký khai sinh cho trẻ bị bỏ rơi" not in names
    assert "Đăng ký khai sinh lưu động" not in names
    assert len(result_names(get(client).content)) == 6


def test_filter_by_field_code_or_id(client, catalogue):
    field = catalogue["chung_thuc"].field
    by_code = result_names(get(client, field="chung-thuc").content)
    assert by_code == ["Chứng thực bản sao từ bản chính giấy tờ"]
    assert result_names(get(client, field=str(field.pk)).content) == by_code


def test_filter_by_level(client, catalogue):
    names = result_names(get(client, level="province").content)
    assert sorted(names) == sorted(
        ["Đăng ký kết hôn có yếu tố nước ngoài", "Chứng thực bản sao từ bản chính giấy tờ"]
    )


def test_filter_by_online_class(client, catalogue):
    assert result_names(get(client, online_class="partial").content) == ["Đăng ký kết hôn"]


def test_filter_by_agency(client, catalogue):
    names = result_names(get(client, agency="000.21.26.H29").content)
    assert sorted(names) == ["Đăng ký khai sinh", "Đăng ký thường trú"]


def test_filters_combine_with_search(client, catalogue):
    names = result_names(get(client, q="dang ky", field="ho-tich", online_class="full").content)
    assert sorted(names) == ["Đăng ký khai sinh", "Đăng ký khai tử"]


def test_unknown_filter_values_are_ignored_not_errors(client, catalogue):
    assert len(result_names(get(client, level="galaxy", online_class="x").content)) == 6
    for junk in ("²", "9" * 40, "999"):
        assert result_names(get(client, field=junk).content) == []


def test_no_results_says_what_to_do(client, catalogue):
    text = get(client, q="xyzzy qwerty").text
    assert result_names(text) == []
    assert "Không tìm thấy thủ tục nào" in text


def test_filter_form_is_labelled_and_keeps_choices(client, catalogue):
    text = get(client, q="khai sinh", field="ho-tich", level="commune").text
    for input_id in ("q", "f-field", "f-level", "f-agency", "f-online"):
        assert f'for="{input_id}"' in text and f'id="{input_id}"' in text
    assert 'value="khai sinh"' in text
    assert '<option value="ho-tich" selected>Hộ tịch (4)</option>' in text
    assert '<option value="commune" selected>' in text
    assert 'method="get"' in text


def test_pagination_20_per_page_keeps_filters(client, db):
    make_fields()
    for i in range(45):
        make_version(f"5.{i:06d}", f"Thủ tục thử số {i:02d}", field="Chứng thực")
    first = get(client, field="chung-thuc")
    assert len(result_names(first.content)) == PAGE_SIZE == 20
    assert "Trang 1/3" in first.text
    assert 'href="?field=chung-thuc&amp;page=2"' in first.text
    second = result_names(get(client, field="chung-thuc", page=2).content)
    assert second[0] == "Thủ tục thử số 20" and len(second) == 20
    assert len(result_names(get(client, field="chung-thuc", page=3).content)) == 5
    # Out of range or junk page numbers fall back to a real page.
    assert len(result_names(get(client, field="chung-thuc", page=99).content)) == 5
    assert len(result_names(get(client, field="chung-thuc", page="x").content)) == 20


def test_search_results_paginate_in_rank_order(client, db):
    make_fields()
    for i in range(25):
        make_version(f"6.{i:06d}", f"Cấp bản sao trích lục hộ tịch lần {i:02d}")
    make_version("6.999999", "Cấp bản sao trích lục")
    page1 = result_names(get(client, q="cap ban sao trich luc").content)
    page2 = result_names(get(client, q="cap ban sao trich luc", page=2).content)
    assert page1[0] == "Cấp bản sao trích lục"
    assert len(page1) == 20 and len(page2) == 6
    assert not set(page1) & set(page2)


def test_english_page_is_served_under_en(client, catalogue):
    response = client.get("/en/thu-tuc-hanh-chinh/", {"q": "khai sinh"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert result_names(response.content)[0] == "Đăng ký khai sinh"
    assert result_links(response.content)[0] == "/en/thu-tuc-hanh-chinh/1.001193/"
