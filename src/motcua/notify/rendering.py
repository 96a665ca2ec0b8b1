"""Filling message templates: the documented variables, dates in Vietnamese, plain text.

Templates use Django's template syntax in a separate engine with autoescaping off (messages
are plain text, not HTML) and no access to files or custom tag libraries. The variables are
listed in :data:`VARIABLES` and in docs/notifications.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Engine

from motcua.dossiers.tracking import tracking_token
from motcua.notify.privacy import scrub
from motcua.ratings.tokens import rating_token

#: The variables every template may use (documented in docs/notifications.md).
VARIABLES: dict[str, str] = {
    "code": "Mã hồ sơ (mã tra cứu tạm trước khi tiếp nhận)",
    "procedure": "Tên thủ tục hành chính",
    "agency": "Cơ quan tiếp nhận hồ sơ",
    "applicant_name": "Họ tên người nộp (hoặc tên tổ chức)",
    "due_at": "Thời điểm hẹn trả kết quả hiện hành, ví dụ 17:00 ngày 05/03/2026",
    "new_due_at": "Thời điểm hẹn trả mới khi xin lỗi, hẹn lại (Mẫu 04)",
    "deficiencies": "Danh sách nội dung cần bổ sung, hoàn thiện (Mẫu 02)",
    "reason": "Lý do, nội dung ghi khi thao tác (từ chối, yêu cầu bổ sung, xin lỗi…)",
    "result_code": "Mã kết quả, dạng <mã hồ sơ>-KQ<n>",
    "tracking_url": "Địa chỉ tra cứu tình trạng hồ sơ",
    "rating_url": "Địa chỉ đánh giá mức độ hài lòng",
}

#: Public paths: the tracking page and the rating page (motcua.ratings), each with its token.
TRACKING_PATH = "/tra-cuu/{code}/?t={token}"
RATING_PATH = "/danh-gia/{code}/?t={token}"
#: A made-up rating token for previews (the real one has the same length).
SAMPLE_RATING_TOKEN = "mZ0kQ7vX2bN9cT4wR1yL8e"

ENGINE = Engine(autoescape=False, libraries={}, debug=False)
_BLANK_LINES = re.compile(r"\n{3,}")
_DATE_FORMATS = {"vi": "%H:%M ngày %d/%m/%Y", "en": "%H:%M, %d/%m/%Y"}


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def format_instant(value: dt.datetime | str | None, language: str = "vi") -> str:
    """``17:00 ngày 05/03/2026`` in the agency's time zone (``17:00, 05/03/2026`` in English)."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.strftime(_DATE_FORMATS.get(language, _DATE_FORMATS["vi"]))


def site_url(path: str) -> str:
    return settings.NOTIFY_SITE_URL.rstrip("/") + path


@functools.lru_cache(maxsize=256)
def compiled(text: str):
    """``text`` compiled once per process (keyed by the text itself, so an edited template
    is a new entry; compiled templates are safe to render from several threads)."""
    return ENGINE.from_string(text)


def check_syntax(text: str) -> None:
    """Raise ``TemplateSyntaxError`` when ``text`` is not a valid template."""
    ENGINE.from_string(text)


def strip_diacritics(text: str) -> str:
    """``Hồ sơ đã được tiếp nhận`` → ``Ho so da duoc tiep nhan`` (GSM-7 friendly SMS)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def dossier_context(dossier, event=None, language: str = "vi") -> dict:
    """The template variables for ``dossier`` as it stands after ``event``."""
    payload = (event.payload if event is not None else None) or {}
    code = dossier.display_code
    return {
        "code": code,
        "procedure": dossier.procedure_version.name,
        "agency": dossier.receiving_agency.name,
        "applicant_name": dossier.applicant_name,
        "due_at": format_instant(dossier.due_at, language),
        "new_due_at": format_instant(payload.get("new_due_at"), language),
        "deficiencies": list(payload.get("deficiencies") or []),
        "reason": event.reason if event is not None else "",
        "result_code": dossier.result_code,
        "tracking_url": site_url(
            TRACKING_PATH.format(code=quote(code), token=quote(tracking_token(dossier)))
        ),
        "rating_url": site_url(
            RATING_PATH.format(code=quote(code), token=quote(rating_token(dossier)))
        ),
    }


def sample_context(language: str = "vi") -> dict:
    """A made-up dossier for previews in the admin."""
    code = "000.21.26.H29-260302-0001"
    tz = ZoneInfo(settings.TIME_ZONE)
    english = language == "en"
    return {
        "code": code,
        "procedure": "Đăng ký thường trú",
        "agency": "Trung tâm Phục vụ hành chính công phường Sài Gòn",
        "applicant_name": "Nguyễn Văn An",
        "due_at": format_instant(dt.datetime(2026, 3, 5, 17, 0, tzinfo=tz), language),
        "new_due_at": format_instant(dt.datetime(2026, 3, 10, 17, 0, tzinfo=tz), language),
        "deficiencies": (
            ["Birth certificate (copy)", "Proof of lawful residence"]
            if english
            else ["Bản sao giấy khai sinh", "Giấy tờ chứng minh chỗ ở hợp pháp"]
        ),
        "reason": "Cần xác minh thêm thông tin cư trú tại Công an phường",
        "result_code": f"{code}-KQ1",
        "tracking_url": site_url(TRACKING_PATH.format(code=code, token="…")),
        "rating_url": site_url(RATING_PATH.format(code=code, token=SAMPLE_RATING_TOKEN)),
    }


def render(template, context: dict, *, id_numbers: tuple[str, ...] = ()) -> Rendered:
    """Fill ``template`` (a ``MessageTemplate``); short texts drop the subject and, with
    ``NOTIFY_SMS_ASCII``, the diacritics. ID numbers are masked in the output."""
    ctx = Context(context, autoescape=False)
    body = compiled(template.body).render(ctx)
    body = _BLANK_LINES.sub("\n\n", body.replace("\r\n", "\n")).strip()
    subject = ""
    if template.kind == "email":
        subject = " ".join(compiled(template.subject).render(ctx).split())[:255]
    elif settings.NOTIFY_SMS_ASCII:
        body = strip_diacritics(body)
    return Rendered(scrub(subject, *id_numbers), scrub(body, *id_numbers))
