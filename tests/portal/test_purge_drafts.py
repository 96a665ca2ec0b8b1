"""``motcua purge-drafts``: drafts untouched for the retention period go, with their files;
bytes shared with a dossier's file and rows used elsewhere stay; recent drafts stay."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.catalog.models import ComponentSpec
from motcua.documents import storage
from motcua.documents.models import StoredFile
from motcua.portal import drafts
from motcua.portal.models import Draft, DraftFile
from tests.dossiers.conftest import intake  # noqa: F401  (fixture)


def _file(data: bytes, user, **kw) -> StoredFile:
    return storage.store_bytes(
        data, original_name="to-khai.pdf", content_type="application/pdf", uploaded_by=user, **kw
    )


def _draft(user, version, key: str, age_days: int, files: list[StoredFile]) -> Draft:
    draft = Draft.objects.create(user=user, version=version, key=key)
    case = version.cases.get()
    for i, stored in enumerate(files, start=1):
        spec = ComponentSpec.objects.filter(case=case, order=i).first()
        if spec is None:
            spec = ComponentSpec.objects.create(case=case, order=i, name=f"Giấy tờ {i}")
        DraftFile.objects.create(draft=draft, spec=spec, stored_file=stored)
    touched = timezone.now() - dt.timedelta(days=age_days)
    Draft.objects.filter(pk=draft.pk).update(updated_at=touched)
    return draft


@pytest.fixture
def stale(world, intake, an, media):  # noqa: F811
    """An old draft with a file of its own and one whose bytes a dossier's file shares; a
    recent draft sharing one file row with an old draft; the blob names of each."""
    version = world["version"]
    dossier = intake("2026-03-02 09:00")
    own = _file(b"%PDF-1.4 own bytes", an)
    shared_bytes = _file(b"%PDF-1.4 shared bytes", an)
    _file(b"%PDF-1.4 shared bytes", an, dossier=dossier)  # the same blob, a dossier's row
    old = _draft(an, version, "old", 45, [own, shared_bytes])
    shared_row = _file(b"%PDF-1.4 row used twice", an)
    older = _draft(an, version, "older", 31, [shared_row])
    recent = _draft(an, version, "recent", 10, [shared_row])
    return {
        "old": old,
        "older": older,
        "recent": recent,
        "own": own.storage_name,
        "shared_bytes": shared_bytes.storage_name,
        "shared_row": shared_row,
    }


def _run(*args) -> str:
    out = io.StringIO()
    call_command("purge_drafts", *args, stdout=out)
    return out.getvalue()


def test_old_drafts_go_with_their_files_shared_bytes_stay(stale, settings):
    settings.PORTAL_DRAFT_RETENTION_DAYS = 30
    out = _run()
    assert "Đã xóa 2 bản nháp" in out and "và 2 tệp" in out and "giữ lại 1 tệp" in out
    assert list(Draft.objects.values_list("key", flat=True)) == ["recent"]
    assert not default_storage.exists(stale["own"])  # nobody else had these bytes
    assert default_storage.exists(stale["shared_bytes"])  # the dossier's file still needs them
    assert StoredFile.objects.filter(storage_name=stale["shared_bytes"]).count() == 1
    assert StoredFile.objects.filter(pk=stale["shared_row"].pk).exists()  # the recent draft's
    assert default_storage.exists(stale["shared_row"].storage_name)

    # Once the recent draft is old too, its file goes as well.
    assert "Đã xóa 1 bản nháp" in _run("--older-than-days", "5")
    assert not Draft.objects.exists() and not DraftFile.objects.exists()
    assert not default_storage.exists(stale["shared_row"].storage_name)
    assert [f.dossier_id is not None for f in StoredFile.objects.all()] == [True]


def test_the_setting_is_the_default_and_dry_run_deletes_nothing(stale, settings):
    settings.PORTAL_DRAFT_RETENTION_DAYS = 60
    assert "Đã xóa 0 bản nháp" in _run()
    out = _run("--older-than-days", "20", "--dry-run")
    assert "Sẽ xóa 2 bản nháp" in out and "(3 tệp đính kèm)" in out
    assert Draft.objects.count() == 3 and default_storage.exists(stale["own"])


def test_zero_days_is_refused(stale):
    with pytest.raises(CommandError, match="từ 1 trở lên"):
        _run("--older-than-days", "0")
    with pytest.raises(ValueError):
        drafts.purge(0)
    assert Draft.objects.count() == 3


def test_a_draft_saved_meanwhile_is_kept(stale, monkeypatch):
    """The draft is checked again under its lock: one saved after the list was read stays."""
    real = drafts._delete_draft

    def saved_first(pk, cutoff):
        if pk == stale["old"].pk:
            Draft.objects.filter(pk=pk).update(updated_at=timezone.now())
        return real(pk, cutoff)

    monkeypatch.setattr(drafts, "_delete_draft", saved_first)
    summary = drafts.purge(30)
    assert (summary.drafts, summary.files, summary.kept) == (1, 0, 1)
    assert sorted(Draft.objects.values_list("key", flat=True)) == ["old", "recent"]
    assert default_storage.exists(stale["own"])
