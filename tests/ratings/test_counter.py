"""The counter tablet: the officer puts the transaction on it, the citizen rates, thanks,
back to idle; the dossier cannot be rated again."""

import pytest

from motcua.ratings import services
from motcua.ratings.errors import AlreadyRated, NotRateable, SessionGone
from motcua.ratings.models import Channel, CounterSession, Rating, Tablet
from motcua.ratings.tokens import TABLET_COOKIE

from .conftest import at, form, link

pytestmark = pytest.mark.django_db


def _tablet(world):
    return f"/danh-gia/quay/{world['counter'].pk}/"


def _session_page(world):
    return f"/danh-gia/quay/{world['counter'].pk}/phien/"


def test_officer_sets_the_dossier_tablet_shows_it_citizen_rates_and_it_resets(
    client, world, returned, clock, paired
):
    d = returned()
    tablet, officer = client, world["officer"]
    paired(tablet)
    idle = tablet.get(_tablet(world))
    assert idle.status_code == 200 and 'data-screen="idle"' in idle.text
    assert tablet.get(f"{_tablet(world)}trang-thai/").json() == {"session": None}

    from django.test import Client

    desk = Client()
    desk.force_login(officer)
    response = desk.post(_session_page(world), {"action": "start", "ma_ho_so": d.code})
    assert response.status_code == 302
    session = CounterSession.objects.get(counter=world["counter"], ended_at=None)
    assert session.dossier == d and session.officer == officer
    assert session.expires_at == at("2026-03-06 10:15")
    assert d.code in desk.get(_session_page(world)).text

    assert tablet.get(f"{_tablet(world)}trang-thai/").json() == {"session": session.pk}
    shown = tablet.get(_tablet(world))
    assert 'data-screen="form"' in shown.text and f'data-session="{session.pk}"' in shown.text
    assert d.code in shown.text and "tiepnhan" in shown.text  # the officer of the transaction

    sent = tablet.post(_tablet(world), form(phien=session.pk))
    assert sent.status_code == 302 and sent.url == f"{_tablet(world)}cam-on/"
    thanks = tablet.get(sent.url)
    assert "Cảm ơn Ông/Bà đã đánh giá!" in thanks.text
    assert (
        'data-reset-seconds="10"' in thanks.text
        and f'data-home-url="{_tablet(world)}"' in thanks.text
    )

    rating = Rating.objects.get(dossier=d)
    assert rating.channel == Channel.COUNTER and rating.counter == world["counter"]
    assert rating.officer == officer
    session.refresh_from_db()
    assert session.outcome == CounterSession.Outcome.RATED
    assert tablet.get(f"{_tablet(world)}trang-thai/").json() == {"session": None}
    assert 'data-screen="idle"' in tablet.get(_tablet(world)).text

    # The dossier cannot be rated again: not at the counter, not by the link.
    again = desk.post(_session_page(world), {"action": "start", "ma_ho_so": d.code})
    assert again.status_code == 409 and "Hồ sơ này đã được đánh giá" in again.text
    assert not CounterSession.objects.filter(ended_at=None).exists()
    assert client.get(link(d)).status_code == 409


def test_a_double_tap_on_send_records_one_rating(client, world, returned, clock, paired):
    d = returned()
    paired(client)
    session = services.start_session(world["officer"], world["counter"], d.code, now=clock())
    first = client.post(_tablet(world), form(phien=session.pk))
    second = client.post(_tablet(world), form(phien=session.pk))
    assert first.status_code == 302
    assert second.status_code == 409 and "Hồ sơ này đã được đánh giá" in second.text
    assert 'data-reset-seconds="10"' in second.text  # the message screen resets too
    assert Rating.objects.filter(dossier=d).count() == 1


def test_a_rating_by_link_first_closes_the_counter_way(world, returned, clock):
    d = returned()
    session = services.start_session(world["officer"], world["counter"], d.code, now=clock())
    from motcua.ratings.tokens import rating_token

    services.submit_rating(services.ByLink(d.code, rating_token(d)), {"overall": 4}, now=clock())
    with pytest.raises(AlreadyRated):
        services.submit_rating(
            services.AtCounter(world["counter"].pk, session.pk), {"overall": 5}, now=clock()
        )


def test_invalid_answers_on_the_tablet_keep_the_form(client, world, returned, clock, paired):
    d = returned()
    paired(client)
    session = services.start_session(world["officer"], world["counter"], d.code, now=clock())
    response = client.post(_tablet(world), form({"staff_attitude": "5"}, phien=session.pk))
    assert response.status_code == 400
    assert (
        "Vui lòng chọn một câu trả lời" in response.text and 'data-screen="form"' in response.text
    )
    assert not Rating.objects.exists()


def test_the_transaction_expires_and_can_be_ended(client, world, returned, clock, paired):
    d = returned()
    paired(client)
    session = services.start_session(world["officer"], world["counter"], d.code, now=clock())
    clock("2026-03-06 10:16")  # RATING_COUNTER_SESSION_MINUTES = 15
    assert 'data-screen="idle"' in client.get(_tablet(world)).text
    assert client.post(_tablet(world), form(phien=session.pk)).status_code == 409
    with pytest.raises(SessionGone):
        services.submit_rating(
            services.AtCounter(world["counter"].pk, session.pk), {"overall": 5}, now=clock()
        )
    session = services.start_session(world["officer"], world["counter"], d.code, now=clock())
    services.end_session(world["officer"], world["counter"], now=clock())
    session.refresh_from_db()
    assert session.outcome == CounterSession.Outcome.ENDED


def test_a_new_transaction_replaces_the_shown_one(world, returned, clock):
    first, second = returned("2026-03-02 09:00"), returned("2026-03-02 09:30")
    one = services.start_session(world["officer"], world["counter"], first.code, now=clock())
    two = services.start_session(world["officer"], world["counter"], second.code, now=clock())
    one.refresh_from_db()
    assert one.outcome == CounterSession.Outcome.REPLACED
    assert CounterSession.objects.get(ended_at=None) == two


def test_only_finished_dossiers_of_the_counters_unit_go_on_the_tablet(world, intake, resolved):
    processing = intake("2026-03-02 09:00")
    with pytest.raises(NotRateable, match="chưa giải quyết xong"):
        services.start_session(world["officer"], world["counter"], processing.code)
    with pytest.raises(NotRateable, match="Không tìm thấy hồ sơ"):
        services.start_session(world["officer"], world["counter"], "000.00.00.X1-1-1")
    ready = resolved("2026-03-02 10:00")  # result ready, being handed over: may be rated
    assert services.start_session(world["officer"], world["counter"], ready.code).dossier == ready


def test_the_session_page_lists_dossiers_to_put_on_the_tablet(client, world, resolved, clock):
    ready = resolved()
    client.force_login(world["officer"])
    page = client.get(_session_page(world))
    assert page.status_code == 200 and ready.code in page.text


def test_pairing_a_device_sets_its_cookie_and_signs_the_officer_out(client, world, clock):
    client.force_login(world["officer"])
    response = client.post(f"/danh-gia/quay/{world['counter'].pk}/kich-hoat/")
    assert response.status_code == 302 and response.url == _tablet(world)
    cookie = response.cookies[TABLET_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 365 * 24 * 3600
    tablet = Tablet.objects.get(counter=world["counter"])
    assert tablet.paired_by == world["officer"] and tablet.key_hash != cookie.value
    assert "_auth_user_id" not in client.session
    assert client.get(_tablet(world)).status_code == 200


def test_an_unpaired_or_revoked_device_cannot_open_the_tablet(client, world, clock, paired):
    response = client.get(_tablet(world))
    assert response.status_code == 403 and "chưa được kích hoạt" in response.text
    assert client.get(f"{_tablet(world)}trang-thai/").status_code == 403
    assert client.post(_tablet(world), form(phien=1)).status_code == 403
    paired(client)
    assert client.get(_tablet(world)).status_code == 200
    Tablet.objects.update(revoked=True)
    assert client.get(_tablet(world)).status_code == 403
    other = world["org"]["b"]["counter"]
    Tablet.objects.update(revoked=False)
    assert client.get(f"/danh-gia/quay/{other.pk}/").status_code == 403  # another counter
    assert client.get("/danh-gia/quay/999999/").status_code == 404
