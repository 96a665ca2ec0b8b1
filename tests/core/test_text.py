"""Vietnamese text folding and cleaning (pure, no database)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import clean, fold, is_placeholder, normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dang ky khai sinh", "dang ky khai sinh"),
        ("Đăng ký khai sinh", "dang ky khai sinh"),
        ("ĐĂNG KÝ KẾT HÔN", "dang ky ket hon"),
        ("đăng kí kết hôn", "dang ki ket hon"),
        ("  Ủy ban Nhân dân\xa0xã,\xa0phường ", "uy ban nhan dan xa, phuong"),
        ("Uỷ ban\tnhân\n\ndân", "uy ban nhan dan"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_is_the_same_for_composed_and_decomposed_input():
    composed = "Đăng ký thường trú"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "dang ky thuong tru"


def test_fold_makes_spelling_variants_meet_only_on_diacritics():
    # kí / ký differ in the letter, not only the mark: folding keeps them apart.
    assert fold("đăng ký kết hôn") == fold("ĐĂNG KÝ KẾT HÔN")
    assert fold("đăng kí kết hôn") != fold("đăng ký kết hôn")


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_has_no_marks_no_d_stroke_and_no_double_spaces(text):
    folded = fold(text)
    assert "đ" not in folded and "Đ" not in folded
    assert "  " not in folded
    assert folded == folded.strip()


@pytest.mark.parametrize(
    "text",
    [
        "Không có thông tin",
        "không có thông tin",
        "  KHÔNG CÓ\xa0THÔNG TIN. ",
        "Không có  thông tin",
    ],
)
def test_clean_maps_the_portal_placeholder_to_none(text):
    assert is_placeholder(text)
    assert clean(text) is None


@pytest.mark.parametrize("text", ["", "   ", "\xa0\n\t", None])
def test_clean_maps_blank_to_none(text):
    assert clean(text) is None


def test_clean_keeps_text_that_only_mentions_the_placeholder():
    text = "Trực tuyếnKhông có thông tinMiễn phí"
    assert not is_placeholder(text)
    assert clean(text) == text


def test_clean_collapses_whitespace_and_nbsp():
    # Real agency text from the portal (1.000894).
    assert clean("Ủy ban Nhân dân\xa0xã,\xa0phường,\xa0thị trấn.") == (
        "Ủy ban Nhân dân xã, phường, thị trấn."
    )
    assert clean("  Bước 1:\tnộp  hồ sơ \n Bước 2: nhận ") == "Bước 1: nộp hồ sơ Bước 2: nhận"


def test_clean_can_keep_lines():
    text = "Bước 1: nộp hồ sơ\xa0 \n\n  Bước 2:   nhận kết quả\r\n"
    assert clean(text, keep_newlines=True) == "Bước 1: nộp hồ sơ\nBước 2: nhận kết quả"


def test_clean_returns_nfc():
    decomposed = unicodedata.normalize("NFD", "Giấy khai sinh")
    assert clean(decomposed) == "Giấy khai sinh"


def test_normalize_drops_invisible_characters_and_keeps_layout():
    # Soft hyphen, left-to-right mark and a Wingdings bullet, all met in the data.
    text = "Tờ\u00adkhai\u200e\n\uf0fc\tTrường hợp 1"
    assert normalize(text) == "Tờkhai\n \tTrường hợp 1"


@given(st.text())
def test_clean_is_idempotent(text):
    once = clean(text)
    assert clean(once) == once
