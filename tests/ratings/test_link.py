"""The rating link sent with the result: issued on return, single-use, expiring, unforgeable;
the online form needs no login and records one rating per dossier."""

import datetime as dt

import pytest

from motcua.dossiers.services import perform
from motcua.notify.models import OutboxMessage
from motcua.ratings import queries, services
from motcua.ratings.errors import AlreadyRated, InvalidAnswers, InvalidLink, LinkExpired
from motcua.ratings.models import Answer, Channel, Rating, RatingToken
from motcua.ratings.tokens import rating_token, token_hash

from .conftest import at, form, link

pytestmark = pytest.mark.django_db


def test_the_link_is_issued_when_the_result_is_returned(returned, settings):
    settings.NOTIFY_SITE_URL = "https://motcua.example.gov.vn"
    d = returned(back="2026-03-05 09:00")
    row = RatingToken.objects.get(dossier=d)
    assert row.token_hash == token_hash(rating_token(d))
    assert row.issued_at == at("2026-03-05 09:00")
    assert row.expires_at == at("2026-04-04 09:00")  # RATING_TOKEN_DAYS = 30
    assert row.used_at is None
    invitation = OutboxMessage.objects.get(
        dossier=d, channel="email", template_key="rating_invitation"
    )
    assert f"https://motcua.example.gov.vn{link(d)}" in invitation.body


def test_no_link_before_the_result_is_returned(resolved):
    d = resolved()
    assert not RatingToken.objects.filter(dossier=d).exists()


def test_the_online_form_needs_no_login_and_shows_the_dossier(client, returned, clock):
    d = returned()
    response = client.get(link(d))
    assert response.status_code == 200
    page = response.text
    assert d.code in page and "Đăng ký thường trú" in page
    assert "Ông/Bà hài lòng ở mức nào" in page and 'name="c-overall"' in page
    assert page.count("<fieldset") == 10


def test_one_rating_per_dossier_and_a_second_use_is_refused(client, returned, clock, world):
    d = returned()
    response = client.post(link(d), form(comment="Cán bộ hướng dẫn tận tình"))
    assert response.status_code == 302 and response.url == "/danh-gia/cam-on/"
    rating = Rating.objects.get(dossier=d)
    assert rating.channel == Channel.ONLINE and rating.satisfied and rating.overall_score == 5
    assert rating.comment == "Cán bộ hướng dẫn tận tình"
    assert rating.officer == world["officer"]  # who handed the result over
    assert rating.unit == world["one_stop"] and rating.agency == world["agency"]
    assert Answer.objects.filter(rating=rating).count() == 4
    assert RatingToken.objects.get(dossier=d).used_at == at("2026-03-06 10:00")
    again = client.post(link(d), form())
    assert again.status_code == 409
    assert "Hồ sơ này đã được đánh giá" in again.text
    page = client.get(link(d))
    assert page.status_code == 409 and "Hồ sơ này đã được đánh giá" in page.text
    assert Rating.objects.filter(dossier=d).count() == 1


def test_a_double_submit_records_one_rating(returned):
    d = returned()
    via = services.ByLink(d.code, rating_token(d))
    services.submit_rating(via, {"overall": 4}, now=at("2026-03-06 10:00"))
    with pytest.raises(AlreadyRated) as exc:
        services.submit_rating(via, {"overall": 1}, now=at("2026-03-06 10:00"))
    assert exc.value.message.startswith("Hồ sơ này đã được đánh giá")
    assert Rating.objects.get(dossier=d).overall_score == 4


def test_an_expired_link_is_refused(client, returned, clock):
    d = returned(back="2026-03-05 09:00")
    clock("2026-04-04 09:00")
    response = client.get(link(d))
    assert response.status_code == 410 and "đã hết hạn" in response.text
    assert client.post(link(d), form()).status_code == 410
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "token", ["", "forged-token-forged-123", "mZ0kQ7vX2bN9cT4wR1yL8e", "AAAAAAAAAAAAAAAAAAAAAA"]
)
def test_a_forged_or_missing_token_is_refused(client, returned, clock, token):
    d = returned()
    response = client.get(f"/danh-gia/{d.code}/", {"t": token})
    assert response.status_code == 403 and "Đường dẫn đánh giá không đúng" in response.text
    assert client.post(f"/danh-gia/{d.code}/?t={token}", form()).status_code == 403
    assert not Rating.objects.exists()


def test_a_token_only_opens_its_own_dossier(client, returned, clock):
    first, second = returned("2026-03-02 09:00"), returned("2026-03-02 09:30")
    response = client.get(f"/danh-gia/{second.code}/", {"t": rating_token(first)})
    assert response.status_code == 403
    with pytest.raises(InvalidLink):
        services.submit_rating(
            services.ByLink(second.code, rating_token(first)),
            {"overall": 5},
            now=clock("2026-03-06 10:00"),
        )


def test_missing_and_invalid_answers_are_explained_and_nothing_is_saved(client, returned, clock):
    d = returned()
    response = client.post(link(d), form({"staff_attitude": "9", "one_stop": "1"}))
    assert response.status_code == 400
    page = response.text
    assert "Phiếu đánh giá chưa đầy đủ" in page
    assert "Vui lòng chọn một câu trả lời cho câu hỏi này." in page  # overall is required
    assert "Câu trả lời không hợp lệ" in page  # 9 is not on the 1–5 scale
    assert 'value="1" id="c-one_stop-1" checked' in page  # what was chosen is kept
    assert not Rating.objects.exists()
    assert RatingToken.objects.get(dossier=d).used_at is None


def test_a_too_long_comment_is_refused():
    with pytest.raises(InvalidAnswers) as exc:
        services._check_comment("x" * 2001)
    assert "comment" in exc.value.details


def test_the_tracking_page_link_records_its_channel(client, returned, clock):
    d = returned()
    path = queries.invitation_path(d, at("2026-03-06 10:00"))
    assert path == f"{link(d)}&nguon=tra-cuu"
    assert client.get(path).status_code == 200
    response = client.post(link(d), form(nguon="tra-cuu"))
    assert response.status_code == 302
    assert Rating.objects.get(dossier=d).channel == Channel.TRACKING
    assert queries.invitation_path(d, at("2026-03-06 10:01")) is None  # rated: no more link


def test_the_satisfaction_threshold_is_a_setting(returned, settings):
    settings.RATING_SATISFIED_MIN = 3
    d = returned()
    rating = services.submit_rating(
        services.ByLink(d.code, rating_token(d)), {"overall": "3"}, now=at("2026-03-06 10:00")
    )
    assert rating.satisfied


def test_renewing_the_link_keeps_the_token(returned):
    d = returned(back="2026-03-05 09:00")
    token = services.issue_token(d, now=at("2026-03-20 09:00"))
    assert token == rating_token(d)
    row = RatingToken.objects.get(dossier=d)
    assert row.expires_at == at("2026-03-20 09:00") + dt.timedelta(days=30)
    with pytest.raises(LinkExpired):
        queries.open_link(d.code, token, at("2026-04-20 09:00"))


def test_the_english_page_asks_in_english(client, returned, clock):
    d = returned()
    response = client.get(f"/en{link(d)}")
    assert response.status_code == 200
    assert "how satisfied are you" in response.text and "Very satisfied" in response.text


def test_a_failing_link_never_undoes_the_return(world, resolved, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "issue_token", broken)
    d = resolved()
    d, _ = perform(d, "return_result", world["officer"], now=at("2026-03-05 09:00"))
    assert d.state == "returned"
    assert not RatingToken.objects.filter(dossier=d).exists()
