"""Pinned query counts of the catalogue pages: they must not grow with the data."""

import pytest

from motcua.catalog import queries
from tests.catalog.factories import make_version

from .data import add_cases, enrich, make_agency, make_fields
from .helpers import result_names

#: fields with counts, agencies for the filter, count, page rows, channels of the page.
LIST_QUERIES = 5
#: search: ranked candidates (every word known: the typo vocabulary is not consulted), then
#: page rows, their channels, fields, agencies.
SEARCH_QUERIES = 5


def _many(n):
    make_fields()
    for i in range(n):
        make_version(f"7.{i:06d}", f"Đăng ký thủ tục thử {i:02d}", field="Chứng thực")


@pytest.mark.parametrize("n", [3, 30])
def test_list_page_queries_do_not_grow(client, db, django_assert_num_queries, n):
    _many(n)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/thu-tuc-hanh-chinh/", {"field": "chung-thuc", "level": "commune"})
    assert len(result_names(response.content)) == min(n, 20)


@pytest.mark.parametrize("n", [3, 30])
def test_search_page_queries_do_not_grow(client, db, django_assert_num_queries, n):
    _many(n)
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get("/thu-tuc-hanh-chinh/", {"q": "dang ky", "agency": ""})
    assert len(result_names(response.content)) == min(n, 20)


@pytest.mark.parametrize("cases", [1, 5])
def test_procedure_page_queries_are_fixed(client, db, django_assert_num_queries, cases):
    version = make_version("1.001193", "Đăng ký khai sinh")
    enrich(version)
    add_cases(version, cases - 1)
    for i in range(cases):
        version.offerings.create(agency=make_agency(f"000.2{i}.26.H29", f"Phường {i}"))
    with django_assert_num_queries(queries.DETAIL_QUERIES):
        response = client.get("/thu-tuc-hanh-chinh/1.001193/")
    assert response.status_code == 200
    assert response.text.count("<h3>") == cases
    assert response.text.count('class="places"') == 1


@pytest.mark.parametrize("cases", [1, 5])
def test_kiosk_procedure_queries_are_fixed(client, db, django_assert_num_queries, cases):
    version = make_version("1.001193", "Đăng ký khai sinh")
    add_cases(version, cases - 1)
    with django_assert_num_queries(queries.DETAIL_QUERIES):
        response = client.get("/kiosk/thu-tuc/1.001193/")
    assert response.status_code == 200


def test_detail_loader_alone_is_fixed(db, django_assert_num_queries):
    version = make_version("1.001193", "Đăng ký khai sinh")
    add_cases(version, 4, components=6)
    with django_assert_num_queries(queries.DETAIL_QUERIES):
        detail = queries.get_procedure("1.001193")
    assert len(detail.cases) == 5
    assert sum(len(c.components) for c in detail.cases) == 25
