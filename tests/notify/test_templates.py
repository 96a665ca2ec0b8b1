"""The seeded templates, the documented variables, dates in Vietnamese, masked IDs."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import TemplateSyntaxError

from motcua.notify.models import MessageTemplate, TemplateKey
from motcua.notify.privacy import mask_id, mask_recipient, scrub
from motcua.notify.rendering import (
    VARIABLES,
    check_syntax,
    format_instant,
    render,
    sample_context,
    strip_diacritics,
)

from .conftest import at

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "notifications.md"


def test_every_key_has_email_and_sms_in_vietnamese_and_english():
    seeded = set(MessageTemplate.objects.values_list("key", "kind", "language"))
    expected = {(k, kind, lang) for k in TemplateKey.values for kind in ("email", "sms")
                for lang in ("vi", "en")}  # fmt: skip
    assert seeded == expected


def test_every_seeded_template_renders_with_the_sample_and_uses_only_known_variables():
    used = set()
    for template in MessageTemplate.objects.all():
        out = render(template, sample_context(template.language))
        assert out.body and "{{" not in out.body and "{%" not in out.body
        assert bool(out.subject) == (template.kind == "email")
        loop_names = set(re.findall(r"{%\s*for (\w+) in", template.body)) | {"forloop"}
        used |= set(re.findall(r"{{\s*(\w+)", template.subject + template.body)) - loop_names
        used |= set(re.findall(r"{%\s*(?:for \w+ in|if) (\w+)", template.body))
    assert used <= set(VARIABLES), used - set(VARIABLES)
    assert {"code", "procedure", "applicant_name", "due_at", "new_due_at", "deficiencies",
            "reason", "result_code", "tracking_url"} <= used  # fmt: skip


def test_seeded_sms_fit_in_one_sms_without_diacritics(settings):
    settings.NOTIFY_SMS_ASCII = True
    for template in MessageTemplate.objects.filter(kind="sms"):
        body = render(template, sample_context(template.language)).body
        assert body.isascii(), body
        assert len(body) <= 160, (template.key, template.language, len(body), body)


def test_the_variables_are_documented():
    doc = DOC.read_text(encoding="utf-8")
    for name in VARIABLES:
        assert f"`{name}`" in doc, name
    assert set(sample_context()) == set(VARIABLES)


def test_dates_read_the_vietnamese_way():
    assert format_instant(at("2026-03-05 17:00")) == "17:00 ngày 05/03/2026"
    assert format_instant(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)) == "17:00 ngày 05/03/2026"
    assert format_instant("2026-03-05T10:00:00+00:00", "en") == "17:00, 05/03/2026"
    assert format_instant(None) == ""


def test_no_diacritics_option():
    assert strip_diacritics("Hồ sơ ĐÃ được tiếp nhận") == "Ho so DA duoc tiep nhan"


def test_rendering_masks_id_numbers(settings):
    template = MessageTemplate(kind="sms", body="Số định danh {{ reason }}, mã {{ code }}")
    out = render(template, {"reason": "079090001234", "code": "HS-1"}, id_numbers=("079090001234",))
    assert out.body == "Số định danh ••••••••1234, mã HS-1"
    assert scrub("CCCD 001203004567 và mã 000.21.26.H29-260302-0001") == (
        "CCCD ••••••••4567 và mã 000.21.26.H29-260302-0001"
    )


def test_masks():
    assert mask_id("079090001234") == "••••••••1234"
    assert mask_recipient("an@example.vn") == "a•@example.vn"
    assert mask_recipient("0903123456") == "•••••••456"


def test_templates_are_plain_text_not_html():
    template = MessageTemplate(kind="email", subject="{{ reason }}", body="{{ reason }}")
    out = render(template, {"reason": 'Thiếu <giấy> & "bản sao"'})
    assert out.body == out.subject == 'Thiếu <giấy> & "bản sao"'


def test_bad_syntax_is_reported():
    with pytest.raises(TemplateSyntaxError):
        check_syntax("{% for x in %}")
    with pytest.raises(TemplateSyntaxError):
        check_syntax("{% load static %}")  # no tag libraries in messages
