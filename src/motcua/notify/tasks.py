"""Background work of the outbox (the Django tasks API; ``motcua db_worker`` runs it)."""

from __future__ import annotations

from django_tasks import task

from motcua.notify import services


@task()
def deliver_due_messages() -> dict[str, int]:
    """One delivery pass over the due messages; enqueued after each commit that writes
    messages and, deferred, for each retry."""
    return services.deliver_due()
