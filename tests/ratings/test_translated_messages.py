"""Rating refusals follow the language of the page; their machine codes do not."""

from __future__ import annotations

import pytest
from django.utils import translation

from motcua.ratings import services
from motcua.ratings.errors import AlreadyRated, InvalidAnswers, InvalidLink
from motcua.ratings.queries import active_criteria
from tests.dossiers.test_translated_texts import english  # noqa: F401  (fixture)

THANKS = "Hồ sơ này đã được đánh giá. Xin cảm ơn Ông/Bà!"
INCOMPLETE = "Phiếu đánh giá chưa đầy đủ, vui lòng xem lại."
PICK = "Vui lòng chọn một câu trả lời cho câu hỏi này."


def test_refusals_follow_the_language(db, english):  # noqa: F811
    english(
        {
            THANKS: "This application has been rated already. Thank you!",
            INCOMPLETE: "The form is incomplete, please check it.",
            PICK: "Please choose an answer to this question.",
        }
    )
    with translation.override("en"):
        assert AlreadyRated().message == "This application has been rated already. Thank you!"
        assert AlreadyRated().code == "already_rated"
        with pytest.raises(InvalidAnswers) as incomplete:
            services.check_answers(active_criteria(), {})
    assert incomplete.value.message == "The form is incomplete, please check it."
    assert set(incomplete.value.details.values()) == {"Please choose an answer to this question."}
    assert AlreadyRated().message == THANKS  # Vietnamese pages (the default)
    assert "Đường dẫn đánh giá không đúng" in InvalidLink().message
