"""Channels, times and fees from ``cach_thuc_thuc_hien`` (snippets copied from the portal data)."""

from decimal import Decimal

import pytest

from motcua.catalog.parsing import (
    Channel,
    FeeKind,
    TimeUnit,
    parse_amount,
    parse_channels,
    parse_fee_lines,
    parse_time,
)

HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"


def codes(warnings):
    return sorted({w.code for w in warnings})


def test_three_channels_in_working_days_free():
    # 1.009792
    text = (
        HEADER + "Trực tuyến7 Ngày làm việcMiễn phíDịch vụ bưu chính7 Ngày làm việcMiễn phí"
        "Trực tiếp7 Ngày làm việcMiễn phí"
    )
    offers, warnings = parse_channels(text)
    assert [o.channel for o in offers] == [Channel.ONLINE, Channel.POSTAL, Channel.COUNTER]
    for offer in offers:
        assert offer.time_value == Decimal(7)
        assert offer.time_unit is TimeUnit.WORKING_DAYS
        assert offer.time_text == "7 Ngày làm việc"
        assert [f.kind for f in offer.fees] == [FeeKind.FREE]
        assert offer.description is None
    assert warnings == []


def test_bare_number_time_is_kept_without_unit_and_warned():
    # 1.001193 Đăng ký khai sinh
    text = HEADER + "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí"
    offers, warnings = parse_channels(text)
    assert [(o.time_value, o.time_unit) for o in offers] == [(Decimal(1), None)] * 3
    assert codes(warnings) == ["time_without_unit"]
    assert len(warnings) == 3


def test_time_glued_to_amount_is_split_and_small_fee_flagged():
    # 1.000014: "Trực tuyến120 VNĐ" is time 1 (no unit) and 20 VNĐ (20.000 đồng typed in
    # thousands, as the note says).
    text = HEADER + "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)Trực tiếp120 VNĐ(20.000 vnđ /tờ khai)"
    offers, warnings = parse_channels(text)
    online = offers[0]
    assert online.time_value == Decimal(1) and online.time_unit is None
    (fee,) = online.fees
    assert fee.amount_vnd == 20
    assert fee.kind is FeeKind.UNSPECIFIED
    assert fee.note == "20.000 vnđ /tờ khai"
    assert codes(warnings) == ["fee_small", "time_fee_fused"]


def test_time_glued_to_grouped_amount():
    # 1.000005 customs: "120,000 VNĐ" → time 1 + 20,000 VNĐ
    text = HEADER + "Trực tuyến120,000 VNĐ(Theo khoản 1 Điều 3 Thông tư số 172/2010/TT-BTC)"
    (offer,), warnings = parse_channels(text)
    assert offer.time_value == 1
    assert offer.fees[0].amount_vnd == 20000
    assert codes(warnings) == ["time_fee_fused"]


def test_fifty_dong_is_kept_as_published_and_flagged():
    # 1.002398
    text = (
        HEADER + "Trực tuyến5 Ngày làm việc50 VNĐ((áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày "
        "01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC))"
    )
    (offer,), warnings = parse_channels(text)
    assert offer.fees[0].amount_vnd == 50
    assert codes(warnings) == ["fee_small"]


def test_missing_time_and_fee_label_from_note():
    # 2.001263: no time; the note says it is a lệ phí.
    text = (
        HEADER + "Trực tuyếnKhông có thông tin400,000 Việt Nam Đồng(Lệ phí : 400.000 Đồng "
        "(Mức thu lệ phí: 400.000đ/trường hợp.))Cách thức thực hiện : Người nhận con nuôi nộp"
    )
    (offer,), warnings = parse_channels(text)
    assert offer.time_value is None and offer.time_unit is None and offer.time_text is None
    (fee,) = offer.fees
    assert (fee.kind, fee.amount_vnd, fee.label) == (FeeKind.CHARGE, 400000, "lệ phí")
    assert offer.description == "Cách thức thực hiện : Người nhận con nuôi nộp"
    assert codes(warnings) == ["time_missing"]


def test_several_fees_from_the_description():
    # 1.002681: the fee cell gives 800,000 and the description adds a 100.000 lệ phí.
    row = (
        "6 Ngày làm việc800,000 Việt Nam Đồng(/hồ sơ)Phí: 800.000 đồng/hồ sơ (áp dụng mức phí "
        "400.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số "
        "64/2025/TT-BTC).\n\nLệ phí: 100.000 đồng/hồ sơ."
    )
    (offer,), warnings = parse_channels(HEADER + "Trực tuyến" + row)
    assert [(f.kind, f.amount_vnd) for f in offer.fees] == [
        (FeeKind.FEE, 800000),
        (FeeKind.CHARGE, 100000),
    ]
    assert offer.description.startswith("Phí: 800.000 đồng/hồ sơ")
    assert warnings == []


def test_hours_months_and_usd():
    # 1.009067, 1.001010
    (hours,), _ = parse_channels(HEADER + "Trực tuyến1 GiờMiễn phí")
    assert (hours.time_value, hours.time_unit) == (1, TimeUnit.WORKING_HOURS)
    (months,), _ = parse_channels(HEADER + "Trực tiếp6 Tháng100 USD(100 USD/thẻ.)")
    assert (months.time_value, months.time_unit) == (6, TimeUnit.MONTHS)
    fee = months.fees[0]
    assert (fee.amount, fee.currency, fee.amount_vnd) == (Decimal(100), "USD", None)


def test_time_as_text_and_unknown_fee():
    # 1.009824
    text = (
        HEADER + "Trực tiếpHệ thống giải quyết thủ tục hành chính ngành Thuế thực hiện phản hồi "
        "tự động thông qua phương thức điện tử.Không có thông tinTại Trung tâm phục vụ hành chính "
        "công cấp tỉnh, xã"
    )
    (offer,), warnings = parse_channels(text)
    assert offer.time_value is None and offer.time_unit is None
    assert offer.time_text.startswith("Hệ thống giải quyết")
    assert offer.fees == ()
    assert offer.description == "Tại Trung tâm phục vụ hành chính công cấp tỉnh, xã"
    assert codes(warnings) == ["fee_missing", "time_unparsed"]


def test_channel_words_inside_a_description_do_not_start_a_row():
    # 3.000493
    text = (
        HEADER + "Trực tiếp10 Ngày làm việcMiễn phí- Trực tiếp: nộp hồ sơ trực tiếp tại Bộ phận "
        "Một cửa. - Dịch vụ bưu chính công ích: nộp hồ sơ qua dịch vụ bưu chính công ích. - "
        "Trực tuyến: nộp hồ sơ trên Cổng Dịch vụ công.Trực tuyến10 Ngày làm việcMiễn phí"
    )
    offers, warnings = parse_channels(text)
    assert [o.channel for o in offers] == [Channel.COUNTER, Channel.ONLINE]
    assert "Dịch vụ bưu chính công ích" in offers[0].description
    assert warnings == []


def test_several_rows_for_one_channel_are_all_kept():
    # 1.001471: passports in 5 or 3 working days depending on the case
    row5 = "5 Ngày làm việc200,000 Việt Nam Đồng(200.000 đồng/ hộ chiếu.)Không quá 05 ngày."
    row3 = "3 Ngày làm việc200,000 Việt Nam Đồng(200.000 đồng/ hộ chiếu.)Không quá 03 ngày."
    offers, warnings = parse_channels(HEADER + "Trực tuyến" + row5 + "Trực tuyến" + row3)
    assert [(o.channel, o.time_value) for o in offers] == [
        (Channel.ONLINE, 5),
        (Channel.ONLINE, 3),
    ]
    assert codes(warnings) == ["channel_several_rows"]


def test_unbalanced_fee_note_ends_at_the_last_closing_bracket():
    # 1.004289
    text = (
        HEADER + "Trực tiếp25 Ngày1,700,000 VNĐ(Sát hạch thực hành, Phí: 600,000 (Sát hạch lý "
        "thuyết cấp giấy phép lần đầu (Miễn phí từ ngày 07/4/2026 đến 30/6/2026 theo quy định "
        "tại Thông tư 40/2026/TT-BTC)25 ngày, kể từ ngày nhận được hồ sơ hợp lệ"
    )
    (offer,), warnings = parse_channels(text)
    assert (offer.time_value, offer.time_unit) == (25, TimeUnit.DAYS)
    assert offer.fees[0].amount_vnd == 1700000
    assert offer.description == "25 ngày, kể từ ngày nhận được hồ sơ hợp lệ"
    assert codes(warnings) == ["fee_note_unbalanced"]


def test_placeholder_and_empty_give_no_channels():
    for text in ("Không có thông tin", "", None):
        offers, warnings = parse_channels(text)
        assert offers == []
        assert codes(warnings) == ["no_channels"]


def test_raw_row_and_nbsp():
    (offer,), _ = parse_channels(HEADER + "Trực tiếp2 GiờMiễn phí(Theo\xa0Thông tư)")
    assert offer.raw == "2 GiờMiễn phí(Theo Thông tư)"
    assert offer.fees[0].note == "Theo Thông tư"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("05 Ngày làm việc", Decimal(5), TimeUnit.WORKING_DAYS),
        ("30 Ngày", Decimal(30), TimeUnit.DAYS),
        ("01 Giờ", Decimal(1), TimeUnit.WORKING_HOURS),
        ("6 Tháng", Decimal(6), TimeUnit.MONTHS),
        ("1,5 Ngày", Decimal("1.5"), TimeUnit.DAYS),
        ("7", Decimal(7), None),
        ("Trong ngày", None, TimeUnit.WITHIN_DAY),
        ("Không quy định", None, None),
        ("Không có thông tin", None, None),
        ("", None, None),
    ],
)
def test_parse_time(text, value, unit):
    assert parse_time(text) == (value, unit)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("20.000", Decimal(20000)),
        ("120,000", Decimal(120000)),
        ("10,000,000", Decimal(10000000)),
        ("4.500.000", Decimal(4500000)),
        ("1.5", Decimal("1.5")),
        ("05", Decimal(5)),
        ("0", Decimal(0)),
        ("abc", None),
    ],
)
def test_parse_amount(text, amount):
    assert parse_amount(text) == amount


def test_structured_fee_lines():
    # bqp 1.013563: two lệ phí lines in USD
    text = (
        "Lệ phí : 05 USD (Đối với thuyền viên nghỉ qua đêm trên bờ: 05 USD/Giấy phép)\n"
        "Lệ phí : 1.5 USD (Đối với thuyền viên xuống tàu thuyền khác đang neo đậu tại cảng)"
    )
    fees = parse_fee_lines(text)
    assert [(f.kind, f.amount, f.currency, f.label) for f in fees] == [
        (FeeKind.CHARGE, Decimal(5), "USD", "lệ phí"),
        (FeeKind.CHARGE, Decimal("1.5"), "USD", "lệ phí"),
    ]
    assert fees[0].note.startswith("Đối với thuyền viên nghỉ qua đêm")


@pytest.mark.parametrize(
    ("text", "kind", "amount_vnd"),
    [
        ("Phí : 0 Đồng", FeeKind.FREE, 0),
        ("Phí : Không Đồng", FeeKind.FREE, None),
        ("Phí : 2.000.000 Đồng (Thẩm định cấp phép sử dụng vật liệu nổ)", FeeKind.FEE, 2000000),
        ("Phí : Mức thu bằng 50% mức thu phí quy định tại Mục I", FeeKind.TEXT_ONLY, None),
        ("Lệ phí :   (Thông tư số 249/2016/TT-BTC ngày 11/11/2016)", FeeKind.TEXT_ONLY, None),
    ],
)
def test_structured_fee_kinds(text, kind, amount_vnd):
    (fee,) = parse_fee_lines(text)
    assert fee.kind is kind
    assert fee.amount_vnd == amount_vnd
    assert fee.text == " ".join(text.split())  # cleaned, otherwise as published
