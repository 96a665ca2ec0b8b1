"""The control sheet (Mẫu 06) lists the hand-offs with the post: the post hands the dossier
to the one-stop unit, the unit hands the result to the post (Decision 45/2016/QĐ-TTg)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.services import NewDossier, perform
from motcua.postal.services import Handover, intake_by_post, return_by_post
from tests.dossiers.conftest import APPLICANT, at
from tests.postal.conftest import resolve_same_day

pytestmark = pytest.mark.django_db


def through_the_post(world):
    new = NewDossier(
        offering=world["offering"],
        channel="postal",
        applicant=APPLICANT,
        components=((None, "Tờ khai CT01", 1, 0),),
        result_delivery="post",
    )
    inbound = Handover("vnpost", "EE123456789VN", at("2026-03-02 08:40"), 15000, "", "Lê Văn Bưu")
    officer = world["officer"]
    d, _ = intake_by_post(officer, new, inbound, now=at("2026-03-02 09:00"), action="receive")
    d = resolve_same_day(d, world)
    outbound = Handover("viettel_post", "123456789012", at("2026-03-03 08:30"), 22000)
    d, _ = return_by_post(d, officer, outbound, now=at("2026-03-03 09:00"))
    return d


def sheet(client, d):
    response = client.get(f"/can-bo/ho-so/{d.display_code}/in/06/")
    assert response.status_code == 200
    return response.text


def test_the_control_sheet_shows_both_hand_offs_with_the_post(login, world):
    d = through_the_post(world)
    text = sheet(login("officer"), d)
    rows = text.split('<tr class="postal">')
    assert len(rows) == 3  # before the steps: from the post; after them: to the post
    inbound, outbound = rows[1], rows[2]
    for fact in (
        "Giao: Nhân viên bưu chính – Bưu điện Việt Nam (VNPost) (Lê Văn Bưu)",
        "Nhận: Một cửa",
        "08 giờ 40 phút, ngày 02/03/2026",
        "Mã bưu gửi: EE123456789VN",
        "Cước bưu chính: 15.000 đồng",
    ):
        assert fact in inbound, fact
    for fact in (
        "Giao: Một cửa",
        "Nhận: Nhân viên bưu chính – Viettel Post",
        "08 giờ 30 phút, ngày 03/03/2026",
        "Mã bưu gửi: 123456789012",
        "Cước bưu chính: 22.000 đồng",
    ):
        assert fact in outbound, fact
    assert text.index("EE123456789VN") < text.index("1. Giao: tiepnhan")
    assert text.index("123456789012") > text.index("Vào sổ, trả kết quả")


def test_a_counter_dossier_sheet_has_no_postal_row_and_no_postal_query(login, world, intake):
    client = login("officer")
    counter = intake("2026-03-02 09:00")
    perform(counter, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    postal = through_the_post(world)
    counts = []
    for d in (counter, postal):
        sheet(client, d)  # issued and numbered on the first print
        with CaptureQueriesContext(connection) as queries:
            sheet(client, d)
        counts.append(len(queries))
    assert counts[1] == counts[0] + 1  # the handovers, read only for a postal dossier
    assert "Mã bưu gửi" not in sheet(client, counter)
