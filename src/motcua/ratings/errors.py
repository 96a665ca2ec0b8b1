"""Errors of the rating commands: a machine code, an HTTP status and a message for people."""

from __future__ import annotations

from django.utils.translation import gettext as _


class RatingError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class AlreadyRated(RatingError):
    """The dossier has its rating already (one rating per dossier)."""

    code = "already_rated"
    status = 409

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("Hồ sơ này đã được đánh giá. Xin cảm ơn Ông/Bà!"))


class InvalidLink(RatingError):
    """A rating link whose token is wrong, forged or belongs to another dossier."""

    code = "invalid_link"
    status = 403

    def __init__(self) -> None:
        super().__init__(
            _(
                "Đường dẫn đánh giá không đúng. Vui lòng mở lại đường dẫn trong tin nhắn hoặc "
                "thư mời đánh giá, hoặc đánh giá từ trang tra cứu hồ sơ."
            )
        )


class LinkExpired(RatingError):
    code = "link_expired"
    status = 410

    def __init__(self) -> None:
        super().__init__(
            _(
                "Đường dẫn đánh giá đã hết hạn. Ông/Bà có thể góp ý qua chức năng phản ánh, "
                "kiến nghị hoặc tại bộ phận một cửa."
            )
        )


class NotRateable(RatingError):
    """The dossier cannot be rated (yet) or not at this counter."""

    code = "not_rateable"
    status = 409


class SessionGone(RatingError):
    """The counter transaction shown on the tablet has ended or was replaced."""

    code = "session_gone"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            _("Giao dịch tại quầy đã kết thúc. Vui lòng chờ cán bộ mở lại màn hình đánh giá.")
        )


class InvalidAnswers(RatingError):
    code = "invalid"
    status = 400
