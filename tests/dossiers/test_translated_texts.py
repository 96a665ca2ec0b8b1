"""What people read of the lifecycle follows their language (Vietnamese is the source text);
what is stored or compared stays as it is whatever the language.

``english`` puts a few made-up entries into the English catalogue for one test, so these
tests show that a string goes through gettext without waiting for the real catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.lifecycle import ACTIONS
from motcua.dossiers.queries import QUEUE_LABELS, Queue
from motcua.dossiers.services import perform
from motcua.dossiers.tracking import public_timeline
from motcua.portal import applicant
from tests.portal.test_submit import ID_AN, make_citizen

from .conftest import at


@pytest.fixture
def english():
    """``english({msgid: text, (msgid, 0): singular, (msgid, 1): plural})`` for one test."""
    catalogue = trans_real.translation("en")._catalog._catalogs[0]
    missing = object()
    saved: dict = {}

    def add(entries: dict) -> None:
        for key, text in entries.items():
            saved.setdefault(key, catalogue.get(key, missing))
            catalogue[key] = text

    yield add
    for key, old in saved.items():
        if old is missing:
            catalogue.pop(key, None)
        else:
            catalogue[key] = old


def test_action_and_queue_labels_follow_the_language(english):
    stop, requests = ACTIONS["stop"].label, QUEUE_LABELS[Queue.REQUESTS]
    english(
        {
            str(stop): "Stop at the applicant's request (form 05)",
            str(requests): "Citizens asking to stop or withdraw",
        }
    )
    with translation.override("en"):
        assert str(stop) == "Stop at the applicant's request (form 05)"
        assert str(requests) == "Citizens asking to stop or withdraw"
    with translation.override("vi"):
        assert str(stop) == "Dừng giải quyết theo yêu cầu (Mẫu 05)"
        assert str(requests) == "Công dân đề nghị dừng, rút hồ sơ"


def test_refusals_speak_the_users_language(world, intake, english):
    d = intake("2026-03-02 09:00")
    english(
        {
            "Cần ghi rõ lý do (theo quy định).": "A written reason is required.",
            "Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”. Vui lòng tải "
            "lại trang.": "Cannot “%(action)s” while the dossier is “%(state)s”. Reload.",
            "Đã tiếp nhận": "Received",
            "Trả kết quả": "Return the result",
            "Người nộp không có đề nghị dừng giải quyết hoặc rút hồ sơ đang chờ xử lý.": (
                "The applicant has no open request to stop or withdraw."
            ),
        }
    )
    with translation.override("en"):
        with pytest.raises(InvalidInput, match="A written reason is required."):
            perform(d, "stop", world["officer"], reason="")
        with pytest.raises(NotAllowed) as wrong_state:
            perform(d, "return_result", world["officer"])
        assert (
            wrong_state.value.message
            == "Cannot “Return the result” while the dossier is “Received”. Reload."
        )
        with pytest.raises(NotAllowed, match="no open request"):
            perform(d, "decline_request", world["officer"], reason="x")
    with pytest.raises(InvalidInput, match="Cần ghi rõ lý do"):
        perform(d, "stop", world["officer"], reason="")


def test_stored_texts_stay_as_typed_and_the_timeline_translates(world, intake, english):
    an = make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))
    d = intake("2026-03-02 09:00")
    title = "Cơ quan không chấp thuận đề nghị rút hồ sơ của bạn"
    english({title: "Your request to withdraw was declined"})
    with translation.override("en"):
        perform(d, "request_withdrawal", an, now=at("2026-03-02 10:00"), reason="Nộp nhầm")
        d, event = perform(
            d, "decline_request", world["officer"], now=at("2026-03-02 11:00"), reason="Đã xử lý"
        )
        assert event.payload == {"requests": ["withdraw"]}  # machine codes, not words
        assert public_timeline(d)[-1].title == "Your request to withdraw was declined"
    with translation.override("vi"):
        assert public_timeline(d)[-1].title == title
    # The applicant's own withdrawal keeps its Vietnamese default reason in the event log.
    assert applicant.DEFAULT_WITHDRAW_REASON == "Người nộp tự rút hồ sơ trên Cổng dịch vụ công."
