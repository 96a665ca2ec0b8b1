"""File storage (lưu trữ tệp): content-addressed blobs in Django's default storage.

Every file goes through :func:`store_bytes` (or :func:`store_upload`, which validates first)
and comes back through :func:`read_bytes`. The default storage is a ``FileSystemStorage``
under ``MEDIA_ROOT``; ``STORAGE_BACKEND`` switches to any Django storage (S3-compatible with
django-storages). Plain content is named ``documents/ab/cd/<sha256>``; encrypted content
``documents/enc/ab/cd/<keyed hash>`` (see :mod:`motcua.documents.crypto`). The same bytes are
written once; rows are per use (owner, dossier, original name) and share the blob.

Never serve ``MEDIA_ROOT`` (or the bucket) publicly: files leave only through the
permission-checked download view.

Writing a blob and deleting one are serialised by storage name (:func:`lock_blob`): a writer
holds a shared lock on the name from before it looks for the blob until its row is committed,
and :func:`delete_blob_if_unused` holds the exclusive lock while it checks that no row uses the
blob and deletes it. So a purge can never delete the bytes of a file being stored with the same
content (the same scan uploaded again) whose row is not committed yet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.utils import timezone

from motcua.documents import crypto
from motcua.documents.models import StoredFile

log = logging.getLogger(__name__)

PREFIX = "documents"


class StoredFileDamaged(Exception):
    """The stored bytes no longer match the recorded SHA-256 (or are missing)."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def plain_name(sha256: str) -> str:
    """``documents/ab/cd/<sha256>``: the name of unencrypted content."""
    return f"{PREFIX}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def encrypted_name(blob: str) -> str:
    return f"{PREFIX}/enc/{blob[:2]}/{blob[2:4]}/{blob}"


def _storage() -> Storage:
    return default_storage


#: First key of the PostgreSQL advisory locks on blob names (the second is the name's hash).
BLOB_LOCK_CLASS = 0x6D63_6266  # "mcbf"


def blob_lock_key(name: str) -> int:
    """A 32-bit signed key for ``name`` (a collision only makes two names wait for each other)."""
    digest = hashlib.blake2b(name.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_blob(name: str, *, exclusive: bool) -> None:
    """Lock the blob ``name`` until the current transaction ends (call inside one).

    On PostgreSQL a transaction-level advisory lock: shared for writers (equal content may be
    stored concurrently; :func:`_write_blob` copes), exclusive for deletion. On SQLite the
    transaction itself is the lock: it begins ``IMMEDIATE`` (settings), so write transactions
    never overlap. Other databases: no lock (not supported for production)."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [BLOB_LOCK_CLASS, blob_lock_key(name)])


def _write_blob(name: str, data: bytes) -> None:
    """Write ``data`` under ``name`` unless it is already there (content addressing)."""
    storage = _storage()
    if storage.exists(name):
        return
    saved = storage.save(name, ContentFile(data))
    if saved != name:  # written concurrently by another request: same content, keep one
        storage.delete(saved)


def _prepare(data: bytes, sha256: str, encrypt: bool) -> tuple[str, bytes, str]:
    if not encrypt:
        return plain_name(sha256), data, ""
    ring = crypto.keyring()
    return encrypted_name(ring.blob_name(sha256)), ring.encrypt(data), ring.current_id


def store_bytes(
    data: bytes,
    *,
    original_name: str,
    content_type: str,
    encrypt: bool = False,
    owner_identifier: str | None = None,
    dossier=None,
    uploaded_by=None,
    pages: int | None = None,
    now: dt.datetime | None = None,
) -> StoredFile:
    """Store ``data`` (already validated) and record it; the blob is shared by equal content.

    ``encrypt`` for sensitive files (ID-card images, personal records): encrypted with the
    current key of ``FILE_ENCRYPTION_KEYS`` and decrypted transparently by :func:`read_bytes`.

    The blob's name stays locked (shared, :func:`lock_blob`) until the row is committed — the
    end of the caller's transaction when there is one — so it cannot be purged meanwhile.
    """
    sha256 = sha256_hex(data)
    name, blob, key = _prepare(data, sha256, encrypt)
    with transaction.atomic(savepoint=False):  # a failure here dooms the caller's anyway
        lock_blob(name, exclusive=False)
        _write_blob(name, blob)
        return StoredFile.objects.create(
            sha256=sha256,
            size=len(data),
            content_type=content_type,
            pages=pages,
            original_name=(original_name or "tep")[:255],
            storage_name=name,
            encrypted=encrypt,
            key_id=key,
            owner_identifier=owner_identifier or "",
            dossier=dossier,
            uploaded_by=uploaded_by,
            created_at=now or timezone.now(),
        )


def store_upload(upload, *, dossier_total: int = 0, **kwargs) -> StoredFile:
    """Validate an uploaded file (:mod:`~motcua.documents.validation`) and store it.

    ``dossier_total`` is the size in bytes already stored for the same dossier; raises
    :class:`~motcua.documents.validation.UploadRejected` with a Vietnamese message.
    """
    from motcua.documents import validation

    name = getattr(upload, "name", "") or ""
    checked = validation.validate_upload(upload, name=name, dossier_total=dossier_total)
    return store_bytes(
        checked.data,
        original_name=name,
        content_type=checked.content_type,
        pages=checked.pages,
        **kwargs,
    )


def read_bytes(stored: StoredFile) -> bytes:
    """The original content of ``stored``, decrypted if needed and checked against its hash."""
    try:
        with _storage().open(stored.storage_name, "rb") as handle:
            blob = handle.read()
    except FileNotFoundError as exc:
        raise StoredFileDamaged(f"missing blob {stored.storage_name}") from exc
    data = crypto.keyring().decrypt(blob) if stored.encrypted else blob
    if sha256_hex(data) != stored.sha256:
        raise StoredFileDamaged(f"content of {stored.storage_name} does not match its SHA-256")
    return data


def dossier_total(dossier) -> int:
    """Bytes already stored for ``dossier`` (for the per-dossier limit)."""
    from django.db.models import Sum

    return StoredFile.objects.filter(dossier=dossier).aggregate(t=Sum("size"))["t"] or 0


def delete_stored_file(stored: StoredFile) -> None:
    """Delete the row, and the blob once no other row uses it."""
    name = stored.storage_name
    with transaction.atomic():
        stored.delete()
    delete_blob_if_unused(name)


def delete_blob_if_unused(name: str) -> bool:
    """Delete the blob ``name`` unless a row uses it; ``True`` when deleted.

    The check and the deletion hold the name's exclusive lock (:func:`lock_blob`), so a file
    with the same content being stored meanwhile either finds the blob gone and writes it
    again, or has its row committed before the check, which then keeps the blob."""
    with transaction.atomic():
        lock_blob(name, exclusive=True)
        if StoredFile.objects.filter(storage_name=name).exists():
            return False
        delete_blob(name)
    return True


def delete_blob(name: str) -> None:
    """Delete the blob ``name`` from the storage (callers check that no row uses it, under
    the lock: :func:`delete_blob_if_unused`)."""
    _storage().delete(name)


@dataclass
class RotationSummary:
    rotated: int = 0
    rows: int = 0
    current: int = 0
    failed: list[str] = field(default_factory=list)


def rotate_keys(progress: Callable[[int, int], None] | None = None) -> RotationSummary:
    """Re-encrypt every encrypted blob not under the current key (idempotent, crash-safe).

    The new ciphertext is written under its new name first, then the rows are repointed,
    then the old blob is deleted: a crash at any point loses nothing, and a second run
    finishes the work.
    """
    ring = crypto.keyring()
    summary = RotationSummary()
    stale = (
        StoredFile.objects.filter(encrypted=True)
        .exclude(key_id=ring.current_id)
        .values_list("storage_name", "sha256")
        .distinct()
        .order_by("storage_name")
    )
    todo = list(stale)
    summary.current = (
        StoredFile.objects.filter(encrypted=True, key_id=ring.current_id)
        .values("storage_name")
        .distinct()
        .count()
    )
    for done, (old_name, sha256) in enumerate(todo, start=1):
        try:
            summary.rows += _rotate_one(ring, old_name, sha256)
            summary.rotated += 1
        except (crypto.DecryptionFailed, StoredFileDamaged, OSError) as exc:
            log.error("rotate-file-keys: %s: %s", old_name, exc)
            summary.failed.append(old_name)
        if progress is not None:
            progress(done, len(todo))
    return summary


def _rotate_one(ring: crypto.Keyring, old_name: str, sha256: str) -> int:
    storage = _storage()
    try:
        with storage.open(old_name, "rb") as handle:
            plain = ring.decrypt(handle.read())
    except FileNotFoundError as exc:
        raise StoredFileDamaged(f"missing blob {old_name}") from exc
    if sha256_hex(plain) != sha256:
        raise StoredFileDamaged(f"content of {old_name} does not match its SHA-256")
    new_name = encrypted_name(ring.blob_name(sha256))
    with transaction.atomic():
        lock_blob(new_name, exclusive=False)
        _write_blob(new_name, ring.encrypt(plain))
        rows = StoredFile.objects.filter(storage_name=old_name, encrypted=True).update(
            storage_name=new_name, key_id=ring.current_id
        )
    if old_name != new_name:
        delete_blob_if_unused(old_name)
    return rows
