"""The applicant's own actions from "My dossiers": answer a supplement request online (the
clock resumes or restarts), withdraw before receipt, ask to stop or to withdraw after receipt
(recorded by the officer); only the applicant, only once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.models import StoredFile
from motcua.dossiers import clock
from motcua.dossiers.errors import Forbidden, NotAllowed
from motcua.dossiers.models import Dossier, Pause
from motcua.dossiers.services import NewDossier, available_actions, create_dossier, perform
from motcua.portal.models import ApplicantRequest
from tests.dossiers.conftest import APPLICANT, at, intake, world  # noqa: F401  (fixtures)
from tests.portal.test_submit import ID_AN, pdf_bytes

PASSWORD = "x-pass-123456"


@pytest.fixture
def waiting(world, intake):  # noqa: F811
    """A received dossier of An's, in process, with a supplement request open."""
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    d, _ = perform(
        d,
        "request_supplement",
        world["specialist"],
        now=at("2026-03-02 10:00"),
        reason="Bản sao giấy khai sinh của con.",
    )
    return d


def url(d, form):
    return reverse("portal:mine_act", args=[d.display_code, form])


def _pdf(name="khai-sinh.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def test_the_request_is_shown_and_the_answer_resumes_the_clock(client, waiting, an, media):
    client.force_login(an)
    page = client.get(f"/ho-so-cua-toi/{waiting.code}/").content.decode()
    assert "Nộp bổ sung hồ sơ" in page and "Bản sao giấy khai sinh của con." in page
    due_before = waiting.due_at
    response = client.post(
        url(waiting, "bo-sung"),
        {"version": waiting.version, "files": [_pdf(), _pdf("ho-khau.pdf")], "note": "Đã đủ."},
    )
    assert response.status_code == 302
    d = Dossier.objects.get(pk=waiting.pk)
    assert d.state == "in_process"
    pause = Pause.objects.get(dossier=d)
    assert pause.ended_at is not None
    assert d.due_at > due_before  # the paused working time is added back
    event = d.events.order_by("-seq").first()
    assert event.action == "receive_supplement" and event.actor == an
    assert "khai-sinh.pdf" in event.reason and "Đã đủ." in event.reason
    files = StoredFile.objects.filter(dossier=d)
    assert sorted(f.original_name for f in files) == ["ho-khau.pdf", "khai-sinh.pdf"]
    assert all(f.uploaded_by == an and f.owner_identifier == ID_AN for f in files)
    page = client.get(response["Location"]).content.decode()
    assert "Đã nộp hồ sơ bổ sung" in page and "Đã nhận hồ sơ bổ sung" in page


def test_the_clock_restarts_when_the_procedure_says_so(client, world, waiting, an, media):  # noqa: F811
    world["version"].supplement_restarts_clock = True
    world["version"].save()
    client.force_login(an)
    client.post(url(waiting, "bo-sung"), {"version": waiting.version, "files": [_pdf()]})
    d = Dossier.objects.get(pk=waiting.pk)
    answered = d.events.order_by("-seq").first().at
    assert d.due_at == clock.due_from(d, answered)


def test_supplement_files_are_checked_like_at_submission(client, waiting, an, media):
    client.force_login(an)
    bad = SimpleUploadedFile("anh.png", b"GIF89a not a png", "image/png")
    response = client.post(
        url(waiting, "bo-sung"), {"version": waiting.version, "files": [bad], "note": "xin xem"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    error = text.split('id="supplement-files-error"')[1].split("</ul>")[0]
    assert "anh.png" in error and "PDF, JPEG, PNG" in error
    assert "xin xem" in text  # the note typed is kept
    response = client.post(url(waiting, "bo-sung"), {"version": waiting.version})
    assert "Cần đính kèm ít nhất một tệp" in response.content.decode()
    d = Dossier.objects.get(pk=waiting.pk)
    assert d.state == "supplement_requested" and not StoredFile.objects.exists()


def test_double_submit_and_stale_page(client, waiting, an, media):
    client.force_login(an)
    data = {"version": waiting.version, "files": [_pdf()]}
    assert client.post(url(waiting, "bo-sung"), data).status_code == 302
    again = client.post(url(waiting, "bo-sung"), {"version": waiting.version, "files": [_pdf()]})
    assert again.status_code == 302
    d = Dossier.objects.get(pk=waiting.pk)
    assert d.events.filter(action="receive_supplement").count() == 1
    assert StoredFile.objects.filter(dossier=d).count() == 1
    page = client.get(again["Location"]).content.decode()
    assert "không cho phép thao tác này" in page

    # A page older than the dossier: the request is refused, nothing changes.
    old = d.version
    client.post(url(d, "dung-giai-quyet"), {"version": old - 1, "reason": "Không cần nữa"})
    assert not ApplicantRequest.objects.exists()
    assert Dossier.objects.get(pk=d.pk).version == old


def test_wrong_user_is_refused(client, world, waiting, an, binh, media):  # noqa: F811
    data = {"version": waiting.version, "files": [_pdf()]}
    response = client.post(url(waiting, "bo-sung"), data)
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    client.force_login(binh)
    assert client.get(f"/ho-so-cua-toi/{waiting.code}/").status_code == 404
    assert client.post(url(waiting, "bo-sung"), data).status_code == 404
    assert client.post(url(waiting, "dung-giai-quyet"), {"reason": "x"}).status_code == 404
    with pytest.raises(Forbidden):  # the service refuses too, whatever page calls it
        perform(waiting, "receive_supplement", binh)
    with pytest.raises(Forbidden):  # staff hold no applicant action
        perform(waiting, "request_stop", world["officer"], reason="x")
    assert [s.name for s in available_actions(waiting, binh)] == []
    assert Dossier.objects.get(pk=waiting.pk).state == "supplement_requested"


def test_withdraw_before_receipt_is_the_applicants_own_act(client, world, an):  # noqa: F811
    world["version"].online_class = "full"
    world["version"].save()
    data = NewDossier(offering=world["offering"], channel="online", applicant=APPLICANT)
    d, _ = create_dossier(an, data)
    client.force_login(an)
    page = client.get(f"/ho-so-cua-toi/{d.reference}/").content.decode()
    assert "Xác nhận rút hồ sơ" in page and "Đề nghị dừng" not in page
    response = client.post(url(d, "rut-ho-so"), {"version": d.version, "reason": ""})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "withdrawn"
    event = d.events.order_by("-seq").first()
    assert event.actor == an and "tự rút hồ sơ" in event.reason
    assert not ApplicantRequest.objects.exists()


def test_after_receipt_withdrawal_is_a_request_the_officer_records(client, world, intake, an):  # noqa: F811
    d = intake("2026-03-02 09:00")
    client.force_login(an)
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert "Gửi đề nghị rút hồ sơ" in page and "Gửi đề nghị dừng giải quyết" in page
    missing = client.post(url(d, "rut-ho-so"), {"version": d.version, "reason": "  "})
    assert missing.status_code == 400
    assert "Cần ghi rõ lý do." in missing.content.decode()
    response = client.post(url(d, "rut-ho-so"), {"version": d.version, "reason": "Nộp nhầm"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.state == "received"  # nothing decided by the applicant's request alone
    request = ApplicantRequest.objects.get()
    assert request.kind == "withdraw" and request.status == "open" and request.reason == "Nộp nhầm"
    assert "Đề nghị rút hồ sơ gửi lúc" in client.get(response["Location"]).content.decode()
    twice = client.post(url(d, "rut-ho-so"), {"version": d.version, "reason": "Nộp nhầm"})
    assert "Bạn đã gửi đề nghị này" in twice.content.decode()
    assert ApplicantRequest.objects.count() == 1

    # The officer sees the request on the dossier page, then records the withdrawal.
    client.force_login(world["officer"])
    staff = client.get(f"/can-bo/ho-so/{d.code}/").content.decode()
    assert "Người nộp đề nghị rút hồ sơ" in staff and "Nộp nhầm" in staff
    perform(d, "withdraw", world["officer"], reason="Theo đề nghị của người nộp")
    request.refresh_from_db()
    assert request.status == "done" and request.closing_event.action == "withdraw"


def test_stop_request_then_the_stop_notice_is_the_applicants(client, world, intake, an):  # noqa: F811
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "transfer", world["officer"], now=at("2026-03-02 09:10"))
    client.force_login(an)
    response = client.post(url(d, "dung-giai-quyet"), {"version": d.version, "reason": "Đổi ý"})
    assert response.status_code == 302
    assert ApplicantRequest.objects.get().kind == "stop"
    d.refresh_from_db()
    assert d.state == "in_process"
    d, _ = perform(d, "stop", world["officer"], reason="Theo đề nghị ngày 02/03")
    assert ApplicantRequest.objects.get().status == "done"
    page = client.get(f"/ho-so-cua-toi/{d.code}/").content.decode()
    assert reverse("portal:mine_form", args=[d.code, "05"]) in page
    assert "Gửi đề nghị" not in page  # nothing left to ask


def test_open_requests_close_when_the_dossier_ends_otherwise(world, intake, an):  # noqa: F811
    d = intake("2026-03-02 09:00")
    d, _ = perform(d, "request_stop", an, reason="Đổi ý")
    with pytest.raises(NotAllowed):
        perform(d, "request_stop", an, reason="Lần nữa")
    d, _ = perform(d, "request_withdrawal", an, reason="Hoặc rút")
    d, _ = perform(d, "withdraw", world["officer"], reason="Theo đề nghị")
    statuses = dict(ApplicantRequest.objects.values_list("kind", "status"))
    assert statuses == {"withdraw": "done", "stop": "closed"}
