"""Dossier events as the spine: subscribers hear every appended event.

Handlers registered with ``in_transaction=True`` run inside the action's transaction (for
writing outbox rows or aggregates that must commit or roll back with the event); the others
run after commit (for work that must never undo a dossier change).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)
Handler = Callable[[object], None]
_IN_TX: list[Handler] = []
_AFTER: list[Handler] = []


def subscribe(handler: Handler, *, in_transaction: bool = False) -> Handler:
    target = _IN_TX if in_transaction else _AFTER
    if handler not in target:
        target.append(handler)
    return handler


def unsubscribe(handler: Handler) -> None:
    for target in (_IN_TX, _AFTER):
        if handler in target:
            target.remove(handler)


def dispatch(event) -> None:
    """Run in-transaction handlers now and schedule the others after commit."""
    for handler in list(_IN_TX):
        handler(event)
    for handler in list(_AFTER):
        transaction.on_commit(lambda h=handler: _safe(h, event))


def read_ahead(dossier, action: str) -> None:
    """Before an action that will lock a hot row (a receipt takes the daily number), let each
    in-transaction handler read what it needs: a handler offers this as a
    ``read_ahead(dossier, action)`` attribute and keeps what it read on the dossier."""
    for handler in list(_IN_TX):
        read = getattr(handler, "read_ahead", None)
        if read is not None:
            read(dossier, action)


def _safe(handler: Handler, event) -> None:
    try:
        handler(event)
    except Exception:  # a failing subscriber must not break the caller after commit
        log.exception("dossier event handler %s failed for event %s", handler, event.pk)
