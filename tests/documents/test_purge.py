"""Orphan scans: files the desk kept for dossiers never received are purged once old enough;
anything attached to a dossier or referred to by any row, and any blob another row still
uses, is never touched."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.utils import timezone

from motcua.documents import printjobs, purge, storage
from motcua.documents.models import DigitisedDocument, DocumentKind, RegisterPrint, StoredFile
from tests.dossiers.conftest import at

pytestmark = pytest.mark.django_db

NOW = at("2026-03-10 09:00")
OLD = NOW - dt.timedelta(hours=30)
RECENT = NOW - dt.timedelta(hours=2)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def scan(world, media):
    """``scan(content, when, **kwargs)``: a file stored as the desk keeps a scan."""

    def make(content: bytes, when: dt.datetime = OLD, **kwargs) -> StoredFile:
        kwargs.setdefault("uploaded_by", world["officer"])
        return storage.store_bytes(
            content,
            original_name="quet.pdf",
            content_type="application/pdf",
            pages=1,
            now=when,
            **kwargs,
        )

    return make


def test_old_orphan_goes_recent_one_and_attached_ones_stay(scan, intake, media, commits):
    dossier = intake("2026-03-02 09:00")
    old = scan(b"%PDF-1.7 ho so khong duoc tiep nhan")
    recent = scan(b"%PDF-1.7 vua quet xong", RECENT)
    attached = scan(b"%PDF-1.7 cua ho so", dossier=dossier)
    in_store = scan(b"%PDF-1.7 trong kho du lieu")
    DigitisedDocument.objects.create(
        stored_file=in_store,
        kind=DocumentKind.CIVIL_STATUS,
        title="Giấy khai sinh",
        owner_identifier="079090001234",
        pages=1,
        source=DigitisedDocument.Source.INTAKE,
        created_at=OLD,
    )
    assert len(_files(media)) == 4

    with commits(execute=True):  # blobs go once the deletions are committed
        summary = purge.purge_orphan_scans(before=NOW - dt.timedelta(hours=24))

    assert (summary.rows, summary.blobs, summary.shared) == (1, 1, 0)
    assert summary.bytes == old.size
    assert set(StoredFile.objects.values_list("pk", flat=True)) == {
        recent.pk,
        attached.pk,
        in_store.pk,
    }
    assert not (media / old.storage_name).exists()
    for kept in (recent, attached, in_store):
        assert storage.read_bytes(kept)  # still readable


def test_a_shared_blob_stays_while_another_row_uses_it(scan, intake, media, commits):
    content = b"%PDF-1.7 cung noi dung"
    orphan = scan(content)
    attached = scan(content, dossier=intake("2026-03-02 09:00"))
    assert orphan.storage_name == attached.storage_name

    with commits(execute=True):
        summary = purge.purge_orphan_scans(before=NOW - dt.timedelta(hours=24))

    assert (summary.rows, summary.blobs, summary.shared) == (1, 0, 1)
    assert not StoredFile.objects.filter(pk=orphan.pk).exists()
    assert storage.read_bytes(attached) == content


def test_two_orphans_sharing_a_blob_free_it_once(scan, media, commits):
    first, second = scan(b"%PDF-1.7 quet hai lan"), scan(b"%PDF-1.7 quet hai lan")
    dry = purge.purge_orphan_scans(before=NOW, dry_run=True)
    with commits(execute=True):
        summary = purge.purge_orphan_scans(before=NOW)
    assert (dry.rows, dry.blobs, dry.shared) == (summary.rows, summary.blobs, summary.shared)
    assert (summary.rows, summary.blobs, summary.shared) == (2, 1, 1)
    assert not StoredFile.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert _files(media) == []


def test_files_of_register_prints_and_encrypted_scans(scan, world, media, settings, commits):
    settings.FILE_ENCRYPTION_KEYS = Fernet.generate_key().decode()
    register_file = scan(b"%PDF-1.7 so theo doi", encrypt=True)
    RegisterPrint.objects.create(
        requested_by=world["officer"],
        unit=world["one_stop"],
        day_from=dt.date(2026, 3, 1),
        day_to=dt.date(2026, 3, 31),
        stored_file=register_file,
        created_at=RECENT,
    )
    identity_scan = scan(b"%PDF-1.7 anh can cuoc", encrypt=True)

    with commits(execute=True):
        summary = purge.purge_orphan_scans(before=NOW)

    assert summary.rows == 1 and summary.blobs == 1
    assert StoredFile.objects.filter(pk=register_file.pk).exists()
    assert not StoredFile.objects.filter(pk=identity_scan.pk).exists()
    assert not (media / identity_scan.storage_name).exists()


def test_dry_run_deletes_nothing(scan, media, commits):
    orphans = [scan(b"%PDF-1.7 mot"), scan(b"%PDF-1.7 hai")]
    on_disk = _files(media)
    with commits(execute=True) as callbacks:
        summary = purge.purge_orphan_scans(before=NOW, dry_run=True)
    assert callbacks == []
    assert summary.dry_run and (summary.rows, summary.blobs) == (2, 2)
    assert summary.bytes == sum(f.size for f in orphans)
    assert StoredFile.objects.count() == 2 and _files(media) == on_disk


def test_command_reports_progress_and_a_summary(scan, media, commits):
    now = timezone.now()
    scan(b"%PDF-1.7 cu", now - dt.timedelta(hours=30))
    scan(b"%PDF-1.7 moi", now - dt.timedelta(hours=2))

    out = io.StringIO()
    call_command("purge_orphan_scans", "--dry-run", stdout=out)
    assert "Chạy thử: sẽ xóa 1 tệp" in out.getvalue() and "hơn 24 giờ" in out.getvalue()
    assert StoredFile.objects.count() == 2

    out = io.StringIO()
    with commits(execute=True):
        call_command("purge_orphan_scans", "--older-than", "1", stdout=out)
    text = out.getvalue()
    assert "  2/2 tệp" in text  # progress
    assert "Đã xóa 2 tệp không gắn với hồ sơ nào, lưu cách đây hơn 1 giờ." in text
    assert "Giải phóng 2 nội dung lưu trữ" in text
    assert not StoredFile.objects.exists() and _files(media) == []

    with pytest.raises(CommandError, match="không âm"):
        call_command("purge_orphan_scans", "--older-than", "-1", stdout=io.StringIO())


def test_a_scan_attached_meanwhile_is_left_alone(scan, intake, monkeypatch):
    """The candidates are listed first; each row is checked again (locked) before it goes."""
    orphan = scan(b"%PDF-1.7 vua duoc dung")
    dossier = intake("2026-03-02 09:00")
    delete_one = purge._delete_one

    def attached_meanwhile(pk, before):
        StoredFile.objects.filter(pk=pk).update(dossier=dossier)
        return delete_one(pk, before)

    monkeypatch.setattr(purge, "_delete_one", attached_meanwhile)
    summary = purge.purge_orphan_scans(before=NOW)
    assert summary.rows == 0
    assert storage.read_bytes(StoredFile.objects.get(pk=orphan.pk, dossier=dossier))


def test_the_register_print_request_purges_old_prints_and_some_orphans(
    scan, world, intake, settings, media, monkeypatch
):
    monkeypatch.setattr(printjobs, "ORPHANS_PER_REQUEST", 1)
    settings.ORPHAN_SCAN_HOURS = 24
    first, second = scan(b"%PDF-1.7 a"), scan(b"%PDF-1.7 b")
    recent = scan(b"%PDF-1.7 c", RECENT)
    old_print = RegisterPrint.objects.create(
        requested_by=world["officer"],
        unit=world["one_stop"],
        day_from=dt.date(2026, 2, 1),
        day_to=dt.date(2026, 2, 28),
        created_at=NOW - dt.timedelta(days=8),
    )
    printjobs.request_print(
        world["officer"],
        unit=world["one_stop"],
        day_from=dt.date(2026, 3, 1),
        day_to=dt.date(2026, 3, 31),
        now=NOW,
    )
    assert not RegisterPrint.objects.filter(pk=old_print.pk).exists()
    left = set(StoredFile.objects.values_list("pk", flat=True))
    assert left == {second.pk, recent.pk}  # the oldest orphan first, one per request
    assert first.pk not in left

    result = purge.purge_stale_files(NOW)
    assert result["orphan_files"] == 1
    assert set(StoredFile.objects.values_list("pk", flat=True)) == {recent.pk}


def test_a_blob_stored_again_before_the_commit_is_kept(scan, media, commits):
    content = b"%PDF-1.7 quet lai ngay"
    orphan = scan(content)
    with commits() as callbacks:
        purge.purge_orphan_scans(before=NOW)
    again = scan(content, RECENT)  # the officer scans the same paper before the commit
    for callback in callbacks:
        callback()
    assert not StoredFile.objects.filter(pk=orphan.pk).exists()
    assert storage.read_bytes(again) == content


def test_command_defaults_to_the_orphan_scan_hours_setting(scan, media, commits, settings):
    """Without ``--older-than`` the command keeps scans as long as the purge task does."""
    now = timezone.now()
    old = scan(b"%PDF-1.7 sau gio", now - dt.timedelta(hours=5))
    young = scan(b"%PDF-1.7 con moi", now - dt.timedelta(hours=2))
    settings.ORPHAN_SCAN_HOURS = 3
    out = io.StringIO()
    with commits(execute=True):
        call_command("purge_orphan_scans", stdout=out)
    assert "Đã xóa 1 tệp không gắn với hồ sơ nào, lưu cách đây hơn 3 giờ." in out.getvalue()
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [young.pk]
    assert not (media / old.storage_name).exists()

    settings.ORPHAN_SCAN_HOURS = 48  # longer than the old default of 24 hours
    scan(b"%PDF-1.7 mot ngay ruoi", now - dt.timedelta(hours=36))
    out = io.StringIO()
    call_command("purge_orphan_scans", "--dry-run", stdout=out)
    assert "Chạy thử: sẽ xóa 0 tệp" in out.getvalue() and "hơn 48 giờ" in out.getvalue()
    out = io.StringIO()
    call_command("purge_orphan_scans", "--dry-run", "--older-than", "24", stdout=out)
    assert "Chạy thử: sẽ xóa 1 tệp" in out.getvalue()  # an explicit value still wins
