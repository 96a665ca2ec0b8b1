"""Diacritic-insensitive, typo-tolerant catalogue search, best match first."""

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.search import canon, search

from .factories import make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return {
        "khai_sinh": make_version("1.001193", "Đăng ký khai sinh"),
        "ket_hon": make_version("1.000894", "Thủ tục đăng ký kết hôn"),
        "ket_hon_nn": make_version(
            "1.000000", "Đăng ký kết hôn có yếu tố nước ngoài tại cơ quan đại diện"
        ),
        "khai_tu": make_version("1.000656", "Đăng ký khai tử"),
        "thuong_tru": make_version(
            "1.004222", "Đăng ký thường trú", field="Đăng ký, quản lý cư trú"
        ),
        "draft": make_version("9.999999", "Đăng ký khai sinh (bản nháp)", status="draft"),
    }


def _names(query):
    qs = ProcedureVersion.objects.filter(status="published")
    by_pk = {v.pk: v for v in qs}
    return [by_pk[h.pk].name for h in search(qs, query)]


@pytest.mark.parametrize(
    "query",
    ["dang ky khai sinh", "khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng kí khai sinh", "  khai   sinh "],
)
def test_khai_sinh_is_found_first_however_it_is_typed(catalogue, query):
    assert _names(query)[0] == "Đăng ký khai sinh"


@pytest.mark.parametrize(
    "query", ["ket hon", "DANG KY KET HON", "đăng kí kết hôn", "dang ki ket hon"]
)
def test_ket_hon_finds_both_marriage_procedures_domestic_first(catalogue, query):
    names = _names(query)
    assert names[:2] == [
        "Thủ tục đăng ký kết hôn",
        "Đăng ký kết hôn có yếu tố nước ngoài tại cơ quan đại diện",
    ]


def test_typos_still_find_the_procedure(catalogue):
    assert _names("khai sihn")[0] == "Đăng ký khai sinh"
    assert _names("thuong tru")[0] == "Đăng ký thường trú"
    assert _names("dang ky thuong tuu")[0] == "Đăng ký thường trú"


def test_search_by_code_and_field(catalogue):
    assert _names("1.004222") == ["Đăng ký thường trú"]
    assert "Đăng ký thường trú" in _names("cu tru")


def test_drafts_and_nonsense_are_not_found(catalogue):
    assert all("bản nháp" not in n for n in _names("khai sinh"))
    assert _names("xyzzy qwerty") == []
    assert _names("   ") == []


def test_canon_is_one_normalisation_for_index_and_query():
    assert canon("Đăng Ký\xa0KẾT  HÔN") == canon("dang ki ket hon") == "dang ki ket hon"
