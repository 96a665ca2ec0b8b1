"""The applicant's requests to stop or withdraw a received dossier, as the officers see them:
flagged in the work queues, and declined in writing by the one-stop officer (the state and
the clock stay; the applicant is told why) — or carried out, never both."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers import queries
from motcua.dossiers.errors import Conflict, Forbidden, InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import Queue, QueueFilters
from motcua.dossiers.services import available_actions, perform
from motcua.dossiers.tracking import public_timeline
from motcua.notify.models import OutboxMessage
from motcua.portal.models import ApplicantRequest
from tests.portal.test_submit import ID_AN, make_citizen

from .conftest import at
from .test_concurrency import _run_parallel


@pytest.fixture(autouse=True)
def _channels(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.NOTIFY_CHANNELS = ["email", "sms"]


@pytest.fixture
def an(db):
    """The applicant of the dossier world's dossiers, as a citizen."""
    return make_citizen("an", ID_AN, "Nguyễn Văn An", dt.date(1990, 5, 4))


@pytest.fixture
def asked(world, intake, an):
    """A dossier in process whose applicant asked to stop processing."""
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(d, "request_stop", an, now=at("2026-03-02 10:00"), reason="Đổi ý")
    return d


def names(specs):
    return [s.name for s in specs]


def test_decline_closes_the_request_and_keeps_state_and_clock(world, asked, an):
    officer = world["officer"]
    row = queries.queue(world["specialist"], Queue.UNIT).get(pk=asked.pk)
    assert row.stop_requested and not row.withdrawal_requested
    assert "decline_request" in names(
        available_actions(queries.dossier_detail(asked.code), officer)
    )
    due, state = asked.due_at, asked.state

    d, event = perform(
        asked,
        "decline_request",
        officer,
        now=at("2026-03-02 11:00"),
        reason="Hồ sơ đã có quyết định giải quyết.",
    )
    assert (d.state, d.due_at, d.finished_at) == (state, due, None)
    assert (event.from_state, event.to_state, event.payload) == (
        state,
        state,
        {"requests": ["stop"]},
    )
    request = ApplicantRequest.objects.get()
    assert request.status == "declined" and request.closing_event == event
    assert request.closed_at == at("2026-03-02 11:00")

    row = queries.queue(world["specialist"], Queue.UNIT).get(pk=asked.pk)
    assert not row.stop_requested  # the flag is gone
    assert "decline_request" not in names(
        available_actions(queries.dossier_detail(asked.code), officer)
    )
    titles = [(i.title, i.detail) for i in public_timeline(d)]
    assert (
        "Cơ quan không chấp thuận đề nghị dừng giải quyết của bạn",
        "Hồ sơ đã có quyết định giải quyết.",
    ) in titles

    messages = OutboxMessage.objects.filter(event=event, template_key="request_declined")
    assert sorted(m.channel for m in messages) == ["email", "sms"]
    email = messages.get(channel="email")
    assert "không được chấp thuận" in email.subject and d.code in email.subject
    assert "Hồ sơ đã có quyết định giải quyết." in email.body

    # The applicant may ask again; the new request is open and flagged.
    perform(d, "request_stop", an, now=at("2026-03-02 14:00"), reason="Xin xem xét lại")
    assert ApplicantRequest.objects.filter(status="open").count() == 1


def test_decline_needs_a_written_reason(world, asked):
    with pytest.raises(InvalidInput) as refused:
        perform(asked, "decline_request", world["officer"], reason="   ")
    assert refused.value.details == {"reason": "required"}
    assert ApplicantRequest.objects.get().status == "open"


def test_decline_without_an_open_request_is_refused(world, intake, an):
    d = intake("2026-03-02 09:00")
    officer = world["officer"]
    assert "decline_request" not in names(
        available_actions(queries.dossier_detail(d.code), officer)
    )
    with pytest.raises(NotAllowed) as refused:
        perform(d, "decline_request", officer, reason="Không có căn cứ")
    assert "không có đề nghị" in refused.value.message
    # Carried out already: nothing is left to decline.
    d, _ = perform(d, "request_withdrawal", an, reason="Nộp nhầm")
    d, _ = perform(d, "withdraw", officer, reason="Theo đề nghị")
    with pytest.raises(NotAllowed):
        perform(d, "decline_request", officer, reason="Muộn")
    assert Dossier.objects.get(pk=d.pk).events.filter(action="decline_request").count() == 0


def test_only_the_receiving_one_stop_officer_may_decline(world, asked, an):
    for user in (an, world["specialist"], world["other_specialist"], world["leader"]):
        with pytest.raises(Forbidden):
            perform(asked, "decline_request", user, reason="Không đồng ý")
        detail = queries.dossier_detail(asked.code)
        assert "decline_request" not in names(available_actions(detail, user))
    assert ApplicantRequest.objects.get().status == "open"


def test_decline_one_kind_of_two(world, asked, an):
    perform(asked, "request_withdrawal", an, reason="Hoặc rút hồ sơ")
    row = queries.queue(world["specialist"], Queue.UNIT).get(pk=asked.pk)
    assert row.stop_requested and row.withdrawal_requested
    with pytest.raises(InvalidInput):
        perform(asked, "decline_request", world["officer"], reason="x", request="everything")
    d, event = perform(
        asked, "decline_request", world["officer"], reason="Đã có kết quả", request="stop"
    )
    assert event.payload == {"requests": ["stop"]}
    status = dict(ApplicantRequest.objects.values_list("kind", "status"))
    assert status == {"stop": "declined", "withdraw": "open"}
    # Without a kind, every open request is declined.
    d, event = perform(d, "decline_request", world["officer"], reason="Không rút được")
    assert event.payload == {"requests": ["withdraw"]}
    assert not ApplicantRequest.objects.filter(status="open").exists()


def test_queues_flag_and_filter_open_requests(world, intake, asked, an):
    plain = intake("2026-03-02 09:30")
    plain, _ = perform(plain, "transfer", world["officer"], now=at("2026-03-02 09:40"))
    withdrawing = intake("2026-03-02 09:45")
    perform(withdrawing, "request_withdrawal", an, reason="Nộp nhầm")
    specialist, officer = world["specialist"], world["officer"]

    def unit(request=""):
        rows = queries.queue(specialist, Queue.UNIT, filters=QueueFilters(request=request))
        return [d.pk for d in rows]

    assert unit() == [asked.pk, plain.pk]
    assert unit("any") == unit("stop") == [asked.pk]
    assert unit("withdraw") == []
    # The officer who records the stop or withdrawal sees every request of their one-stop
    # unit, wherever the dossier is being processed; nobody else's.
    assert [d.pk for d in queries.queue(officer, Queue.REQUESTS)] == [asked.pk, withdrawing.pk]
    requests = queries.queue(officer, Queue.REQUESTS, filters=QueueFilters(request="withdraw"))
    assert [d.pk for d in requests] == [withdrawing.pk]
    assert list(queries.queue(specialist, Queue.REQUESTS)) == []
    assert queries.queue_counts(officer, [Queue.REQUESTS])[Queue.REQUESTS] == 2


def test_queue_with_flags_costs_the_same_queries(world, intake, an, django_assert_num_queries):
    for i in range(3):
        d = intake(f"2026-03-02 09:0{i}")
        perform(d, "request_stop", an, reason="Đổi ý")
    user = type(world["officer"]).objects.get(pk=world["officer"].pk)  # grants not loaded yet
    with django_assert_num_queries(2):  # grants + the page (the flags are in it)
        rows = list(queries.queue(user, Queue.UNIT))
    assert len(rows) == 3 and all(r.stop_requested for r in rows)
    detail = queries.dossier_detail(rows[0].code)
    with django_assert_num_queries(0):  # the flags came with the dossier
        assert "decline_request" in names(available_actions(detail, user))


@pytest.mark.django_db(transaction=True)
def test_concurrent_decline_and_stop_one_succeeds(postgres_only, world, intake, an):
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "request_stop", an, now=at("2026-03-02 09:30"), reason="Đổi ý")
    version, officer = d.version, world["officer"]
    actions = ("decline_request", "stop")

    def act(i):
        return perform(
            d.pk,
            actions[i],
            officer,
            now=at("2026-03-02 10:00"),
            expected_version=version,
            reason="Theo đề nghị ngày 02/03" if i else "Đã có kết quả",
        )

    results = _run_parallel(act, 2)
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], Conflict | NotAllowed), results
    d = Dossier.objects.get(pk=d.pk)
    done = d.events.filter(action__in=actions)
    assert done.count() == 1
    request = ApplicantRequest.objects.get()
    if done.get().action == "stop":
        assert d.state == "stopped" and request.status == "done"
    else:
        assert d.state == "received" and request.status == "declined"


def test_api_lists_flags_filters_and_declines_one_kind(client, world, asked, an):
    from motcua.accounts.tokens import issue_token

    perform(asked, "request_withdrawal", an, reason="Hoặc rút hồ sơ")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(world['officer'], 'test')}"}
    listed = client.get("/api/v1/dossiers?queue=requests&request=withdraw", **auth).json()
    assert [r["code"] for r in listed["items"]] == [asked.code]
    assert listed["items"][0]["stop_requested"] and listed["items"][0]["withdrawal_requested"]
    bad = client.get("/api/v1/dossiers?queue=requests&request=both", **auth)
    assert bad.status_code in (400, 422)

    version = Dossier.objects.get(pk=asked.pk).version
    declined = client.post(
        f"/api/v1/dossiers/{asked.code}/actions/decline_request",
        {"expected_version": version, "reason": "Đã có kết quả.", "request": "stop"},
        content_type="application/json",
        **auth,
    )
    assert declined.status_code == 200, declined.json()
    assert declined.json()["stop_requested"] is False
    assert declined.json()["withdrawal_requested"] is True  # the other request stays open
    statuses = dict(ApplicantRequest.objects.values_list("kind", "status"))
    assert statuses == {"stop": "declined", "withdraw": "open"}
