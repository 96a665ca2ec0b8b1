"""Storage: content addressing, encryption at rest, key rotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from motcua.documents import crypto, storage
from motcua.documents.checks import check_documents
from motcua.documents.models import StoredFile

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
ID_IMAGE = b"\x89PNG\r\n\x1a\n" + b"anh-can-cuoc-079301001234" * 40


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_same_bytes_are_stored_once(media):
    first = storage.store_bytes(
        b"%PDF-1.7 a", original_name="a.pdf", content_type="application/pdf"
    )
    second = storage.store_bytes(
        b"%PDF-1.7 a", original_name="khac-ten.pdf", content_type="application/pdf"
    )
    assert first.pk != second.pk
    assert first.storage_name == second.storage_name
    sha = storage.sha256_hex(b"%PDF-1.7 a")
    assert first.storage_name == f"documents/{sha[:2]}/{sha[2:4]}/{sha}"
    assert len(_files(media)) == 1
    assert storage.read_bytes(second) == b"%PDF-1.7 a"


def test_deleting_a_row_keeps_a_shared_blob(media):
    first = storage.store_bytes(b"x" * 10, original_name="a", content_type="application/pdf")
    second = storage.store_bytes(b"x" * 10, original_name="b", content_type="application/pdf")
    storage.delete_stored_file(first)
    assert len(_files(media)) == 1
    storage.delete_stored_file(second)
    assert _files(media) == []


def test_damaged_blob_is_detected(media):
    stored = storage.store_bytes(b"noi dung", original_name="a", content_type="application/pdf")
    (media / stored.storage_name).write_bytes(b"noi dunG")
    with pytest.raises(storage.StoredFileDamaged):
        storage.read_bytes(stored)


def test_encrypted_round_trip(media, settings):
    settings.FILE_ENCRYPTION_KEYS = KEY_A
    stored = storage.store_bytes(
        ID_IMAGE,
        original_name="cccd.png",
        content_type="image/png",
        encrypt=True,
        owner_identifier="079301001234",
    )
    assert stored.encrypted and stored.key_id == crypto.key_id(KEY_A.encode())
    assert stored.sha256 not in stored.storage_name  # the name reveals nothing
    blob = (media / stored.storage_name).read_bytes()
    assert b"079301001234" not in blob and blob != ID_IMAGE
    assert storage.read_bytes(stored) == ID_IMAGE
    again = storage.store_bytes(
        ID_IMAGE, original_name="x.png", content_type="image/png", encrypt=True
    )
    assert again.storage_name == stored.storage_name and len(_files(media)) == 1


def test_key_rotation_re_encrypts_and_is_idempotent(media, settings):
    settings.FILE_ENCRYPTION_KEYS = KEY_A
    a = storage.store_bytes(ID_IMAGE, original_name="a.png", content_type="image/png", encrypt=True)
    b = storage.store_bytes(
        b"second", original_name="b.png", content_type="image/png", encrypt=True
    )
    plain = storage.store_bytes(b"plain", original_name="c.pdf", content_type="application/pdf")
    old_names = {a.storage_name, b.storage_name}

    settings.FILE_ENCRYPTION_KEYS = f"{KEY_B},{KEY_A}"
    summary = storage.rotate_keys()
    assert (summary.rotated, summary.rows, summary.failed) == (2, 2, [])
    for row in StoredFile.objects.filter(encrypted=True):
        assert row.key_id == crypto.key_id(KEY_B.encode())
        assert row.storage_name not in old_names
    assert not any((media / name).exists() for name in old_names)
    assert storage.rotate_keys().rotated == 0  # second run: nothing left to do

    settings.FILE_ENCRYPTION_KEYS = KEY_B  # the old key can go now
    assert storage.read_bytes(StoredFile.objects.get(pk=a.pk)) == ID_IMAGE
    assert storage.read_bytes(StoredFile.objects.get(pk=b.pk)) == b"second"
    assert StoredFile.objects.get(pk=plain.pk).storage_name == plain.storage_name


def test_rotate_command_reports_progress_and_summary(media, settings, capsys):
    settings.FILE_ENCRYPTION_KEYS = KEY_A
    storage.store_bytes(ID_IMAGE, original_name="a.png", content_type="image/png", encrypt=True)
    settings.FILE_ENCRYPTION_KEYS = f"{KEY_B},{KEY_A}"
    call_command("rotate_file_keys")
    out = capsys.readouterr().out
    assert "1/1 tệp" in out and "Đã mã hóa lại 1 tệp" in out
    call_command("rotate_file_keys")
    assert "Đã mã hóa lại 0 tệp" in capsys.readouterr().out


def test_rotation_without_the_old_key_fails_loudly(media, settings):
    settings.FILE_ENCRYPTION_KEYS = KEY_A
    stored = storage.store_bytes(
        ID_IMAGE, original_name="a", content_type="image/png", encrypt=True
    )
    settings.FILE_ENCRYPTION_KEYS = KEY_B
    with pytest.raises(CommandError, match="không giải mã được"):
        call_command("rotate_file_keys")
    assert (media / stored.storage_name).exists()  # nothing was lost
    with pytest.raises(crypto.DecryptionFailed):
        storage.read_bytes(stored)


def test_production_refuses_to_encrypt_without_keys(settings, media):
    settings.FILE_ENCRYPTION_KEYS = None
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="FILE_ENCRYPTION_KEYS"):
        storage.store_bytes(b"x", original_name="a", content_type="image/png", encrypt=True)


def test_development_derives_a_stable_key(settings, media):
    settings.FILE_ENCRYPTION_KEYS = None
    stored = storage.store_bytes(b"x", original_name="a", content_type="image/png", encrypt=True)
    assert storage.read_bytes(stored) == b"x"


def test_malformed_keys_fail_the_system_check(settings):
    settings.FILE_ENCRYPTION_KEYS = f"{KEY_A},not-a-key"
    errors = [e for e in check_documents() if e.id == "documents.E003"]
    assert errors and "entry 2" in errors[0].msg


def test_store_upload_validates_first(media):
    from motcua.documents.validation import UploadRejected

    with pytest.raises(UploadRejected):
        storage.store_upload(_Upload("a.pdf", b"not a pdf"))
    assert StoredFile.objects.count() == 0


class _Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data, self.size = name, data, len(data)

    def read(self, n: int = -1) -> bytes:
        return self._data
