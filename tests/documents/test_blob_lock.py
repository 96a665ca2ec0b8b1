"""A purge never deletes the bytes of a file being stored with the same content: writing and
deleting a blob are serialised by its storage name (PostgreSQL advisory locks; on SQLite the
``IMMEDIATE`` write transactions). Real concurrency, so PostgreSQL only."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from motcua.documents import purge, storage
from motcua.documents.models import StoredFile

pytestmark = pytest.mark.django_db(transaction=True)

CONTENT = b"%PDF-1.7 cung mot ban quet, quet lai"
WAIT = 10.0  # seconds at most for the other connection to reach the lock


def _advisory_waiters() -> int:
    """Connections waiting for an advisory lock (seen from this connection)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0]


def _wait_for(predicate) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _store(when: dt.datetime) -> StoredFile:
    return storage.store_bytes(
        CONTENT, original_name="quet.pdf", content_type="application/pdf", pages=1, now=when
    )


def test_a_purge_waits_for_the_same_content_being_stored(postgres_only, media):
    """The desk stores the same scan again (its row not committed yet) while the purge
    deletes the old orphan: the purge waits, then sees the new row and keeps the blob."""
    now = timezone.now()
    orphan = _store(now - dt.timedelta(hours=30))
    purged = {}

    def run_purge() -> None:
        try:
            purged["summary"] = purge.purge_orphan_scans(before=now - dt.timedelta(hours=24))
        except Exception as exc:  # reported by the assertions below
            purged["error"] = exc
        finally:
            connections.close_all()

    with transaction.atomic():  # the desk's request: its row is committed at the end
        again = _store(now)
        assert storage.read_bytes(again) == CONTENT
        worker = threading.Thread(target=run_purge)
        worker.start()
        reached_lock = _wait_for(lambda: _advisory_waiters() > 0)
        if not reached_lock:
            worker.join(WAIT)
    worker.join(WAIT)
    assert not worker.is_alive()
    assert "error" not in purged, purged.get("error")
    assert reached_lock, "the purge did not wait for the blob being stored"
    assert purged["summary"].rows == 1
    assert not StoredFile.objects.filter(pk=orphan.pk).exists()
    assert storage.read_bytes(StoredFile.objects.get(pk=again.pk)) == CONTENT


def test_a_store_after_the_purge_took_the_lock_writes_the_blob_again(postgres_only, media):
    """The other order: the purge holds the lock and deletes the blob; the desk, waiting on the
    lock, then finds no blob and writes it again."""
    orphan = _store(timezone.now() - dt.timedelta(hours=30))
    StoredFile.objects.filter(pk=orphan.pk).delete()  # the purge's row deletion, committed
    stored = {}

    def desk() -> None:
        try:
            stored["file"] = _store(timezone.now())
        except Exception as exc:
            stored["error"] = exc
        finally:
            connections.close_all()

    with transaction.atomic():  # the purge's blob deletion, holding the lock
        storage.lock_blob(orphan.storage_name, exclusive=True)
        worker = threading.Thread(target=desk)
        worker.start()
        reached_lock = _wait_for(lambda: _advisory_waiters() > 0)
        assert not StoredFile.objects.filter(storage_name=orphan.storage_name).exists()
        storage.delete_blob(orphan.storage_name)
    worker.join(WAIT)
    assert not worker.is_alive()
    assert "error" not in stored, stored.get("error")
    assert reached_lock, "the desk did not wait for the purge"
    assert storage.read_bytes(stored["file"]) == CONTENT


def test_blob_lock_keys_are_stable_and_spread():
    names = [storage.plain_name(f"{i:064x}") for i in range(1000)]
    keys = {storage.blob_lock_key(name) for name in names}
    assert len(keys) > 990
    assert storage.blob_lock_key(names[0]) == storage.blob_lock_key(names[0])
    assert all(-(2**31) <= key < 2**31 for key in keys)
