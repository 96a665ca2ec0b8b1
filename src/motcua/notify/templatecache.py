"""The active message templates, kept per process so that a dossier event reads none.

Every dossier event that concerns the applicant needs the active templates of its keys;
reading them from the database each time cost a query inside the action's transaction.
The whole table is small (a key × kind × language), so each process keeps every active
row and reads them again:

* **at once in the same process** when a template is saved or deleted through the ORM
  (the admin, a shell, a data migration): the ``post_save``/``post_delete`` signals drop the
  kept rows, and drop them again when the transaction commits, so that a reader between
  the save and the commit cannot keep the old text;
* **within** :data:`TTL_SECONDS` **in every other process** (the other server workers, the
  task worker): kept rows are never older than that. A bulk ``QuerySet.update()`` sends no
  signal, so it is seen within the same bound in its own process too.

After ``migrate`` or ``flush`` (``post_migrate``) the kept rows are dropped as well. A load
that raced with a save keeps nothing (a generation counter), so a reader never stores rows
older than the last invalidation it could see.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from motcua.notify.models import MessageTemplate

#: How old the kept templates may be when another process changed them (seconds).
TTL_SECONDS = 5.0

#: The clock of the expiry (tests replace it).
clock = time.monotonic


@dataclass(frozen=True)
class Templates:
    """The active templates by (key, kind, language), and which (key, kind) have any."""

    by_key: dict[tuple[str, str, str], MessageTemplate]
    kinds: frozenset[tuple[str, str]]
    loaded_at: float
    generation: int

    def pick(self, key: str, kind: str, language: str) -> MessageTemplate | None:
        """The template in ``language``, else the Vietnamese one."""
        return self.by_key.get((key, kind, language)) or self.by_key.get((key, kind, "vi"))

    def has(self, key: str, kind: str) -> bool:
        return (key, kind) in self.kinds


_lock = threading.Lock()
_kept: Templates | None = None
_generation = 0


def active() -> Templates:
    """The active templates: the kept ones while fresh, else read again (one query)."""
    kept = _kept
    fresh = kept is not None and clock() - kept.loaded_at < TTL_SECONDS
    if fresh and kept.generation == _generation:
        return kept
    return _load()


def _load() -> Templates:
    global _kept
    generation, started = _generation, clock()
    rows = list(MessageTemplate.objects.filter(is_active=True))
    loaded = Templates(
        by_key={(t.key, t.kind, t.language): t for t in rows},
        kinds=frozenset((t.key, t.kind) for t in rows),
        loaded_at=started,
        generation=generation,
    )
    with _lock:
        if _generation == generation:  # nothing changed while reading: keep it
            _kept = loaded
    return loaded


def forget(**_kwargs) -> None:
    """Drop the kept templates (the next event reads them again)."""
    global _kept, _generation
    with _lock:
        _generation += 1
        _kept = None


def _changed(sender, using=None, **_kwargs) -> None:
    forget()
    transaction.on_commit(forget, using=using)


post_save.connect(_changed, sender=MessageTemplate, dispatch_uid="notify-template-saved")
post_delete.connect(_changed, sender=MessageTemplate, dispatch_uid="notify-template-deleted")
post_migrate.connect(forget, dispatch_uid="notify-templates-after-migrate")
