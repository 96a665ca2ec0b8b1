"""The kiosk: big targets, field tiles, search, checklist with a QR code, idle reset."""

import re
from pathlib import Path

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from motcua.portal import qr as qr_module
from motcua.portal.qr import public_procedure_url, qr_svg

from .data import enrich


def test_urls(db):
    assert reverse("portal:kiosk") == "/kiosk/"
    assert reverse("portal:kiosk_procedure", args=["1.001193"]) == "/kiosk/thu-tuc/1.001193/"


def test_home_shows_field_tiles_and_a_large_labelled_search(client, catalogue):
    text = client.get("/kiosk/").text
    assert '<label for="kiosk-q">' in text and 'id="kiosk-q"' in text
    assert re.search(r'href="\?field=ho-tich"[^>]*>\s*<span class="kiosk-tile-name">Hộ tịch', text)
    assert "4 thủ tục" in text  # Hộ tịch: four published, the draft and flagged rows not counted
    assert "/static/portal/kiosk.css" in text
    assert f'data-idle-seconds="{settings.KIOSK_IDLE_SECONDS}"' in text
    assert 'data-at-home="1"' in text


def test_touch_targets_are_at_least_48px(client, db):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("portal/kiosk.css")).read_text(encoding="utf-8")
    sizes = [int(px) for px in re.findall(r"min-height: (\d+)px", css)]
    assert sizes and min(sizes) >= 48


def test_search_lists_results_linking_to_kiosk_pages(client, catalogue):
    text = client.get("/kiosk/", {"q": "dang ky khai sinh"}).text
    links = re.findall(r'class="kiosk-result" href="([^"]+)"', text)
    assert links[0] == "/kiosk/thu-tuc/1.001193/"
    assert 'data-at-home="1"' not in text
    assert "Về màn hình chính" in text


def test_field_tile_lists_its_procedures(client, catalogue):
    text = client.get("/kiosk/", {"field": "cu-tru"}).text
    assert re.findall(r'class="kiosk-result" href="([^"]+)"', text) == ["/kiosk/thu-tuc/1.004222/"]
    assert '<h2 id="kiosk-results">Đăng ký, quản lý cư trú</h2>' in text


def test_idle_param_is_honoured_and_carried_on_kiosk_pages(client, catalogue):
    text = client.get("/kiosk/", {"q": "khai sinh", "idle": "2"}).text
    assert 'data-idle-seconds="2"' in text
    assert 'data-idle-home="/kiosk/?idle=2"' in text
    assert 'href="/kiosk/thu-tuc/1.001193/?idle=2"' in text
    assert '<input type="hidden" name="idle" value="2">' in text
    # Junk values fall back to the default.
    for junk in ("-5", "0", "²", "99999999999999999999", "abc"):
        text = client.get("/kiosk/", {"idle": junk}).text
        assert f'data-idle-seconds="{settings.KIOSK_IDLE_SECONDS}"' in text
    # The public pages know nothing of it.
    assert "data-idle-seconds" not in client.get("/thu-tuc-hanh-chinh/", {"idle": "2"}).text


def test_kiosk_procedure_shows_checklist_times_and_qr(client, catalogue):
    enrich(catalogue["khai_sinh"])
    text = client.get("/kiosk/thu-tuc/1.001193/", {"idle": "3"}).text
    assert "<h1>Đăng ký khai sinh</h1>" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    assert "Bản chính: 1 · Bản sao: 2" in text
    assert "3 ngày làm việc" in text and "Lệ phí: 50.000 đồng" in text
    assert re.search(r'<svg role="img" viewBox="[^"]+" class="qr"><title>', text)
    assert "http://testserver/thu-tuc-hanh-chinh/1.001193/" in text
    assert 'data-idle-home="/kiosk/?idle=3"' in text


def test_qr_encodes_the_absolute_public_url(client, catalogue, monkeypatch, settings):
    settings.ALLOWED_HOSTS = ["motcua.example.vn", "testserver"]
    request = RequestFactory().get(
        "/kiosk/thu-tuc/1.001193/", secure=True, HTTP_HOST="motcua.example.vn"
    )
    assert public_procedure_url(request, "1.001193") == (
        "https://motcua.example.vn/thu-tuc-hanh-chinh/1.001193/"
    )
    seen = []
    real_make = qr_module.segno.make
    monkeypatch.setattr(
        qr_module.segno, "make", lambda data, **kw: seen.append(data) or real_make(data, **kw)
    )
    client.get("/kiosk/thu-tuc/1.001193/")
    assert seen == ["http://testserver/thu-tuc-hanh-chinh/1.001193/"]


def test_qr_svg_is_inline_and_titled(db):
    svg = qr_svg("https://example.vn/a?b=<c>", title="Mã QR <thử>")
    assert svg.startswith('<svg role="img"') and "<title>Mã QR &lt;thử&gt;</title>" in svg
    assert "<?xml" not in svg


def test_kiosk_unknown_code_is_404_and_goes_home(client, catalogue):
    response = client.get("/kiosk/thu-tuc/0.000000/", {"idle": "5"})
    assert response.status_code == 404
    assert "Không tìm thấy thủ tục" in response.text
    assert 'href="/kiosk/?idle=5"' in response.text
    assert 'data-idle-seconds="5"' in response.text


def test_kiosk_hides_drafts_and_flagged(client, catalogue):
    text = client.get("/kiosk/", {"q": "khai sinh"}).text
    assert "bỏ rơi" not in text and "lưu động" not in text
    assert client.get("/kiosk/thu-tuc/9.999999/").status_code == 404
