"""Commands of the notification outbox: writing messages for dossier events, delivering them.

Writing happens inside the dossier action's transaction (:func:`on_dossier_event` is an
in-transaction subscriber of :mod:`motcua.dossiers.events`): if the action rolls back, no
message exists. Delivery happens later, in a task, through the channel plugins: a message is
claimed with a short lease, sent, and marked ``sent``; a failure schedules a retry with
exponential backoff, and after ``NOTIFY_MAX_ATTEMPTS`` the message is ``dead`` and listed for
administrators. A provider that is down delays messages; it never loses one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from motcua.notify import queries
from motcua.notify.base import Channel, ChannelError, Registry, registry
from motcua.notify.models import ChannelPreference, MessageTemplate, OutboxMessage, TemplateKey
from motcua.notify.rendering import Rendered, dossier_context, render, sample_context

log = logging.getLogger(__name__)
Status = OutboxMessage.Status

#: Which messages each dossier action sends (Decree 118/2025 Art. 15–21; Mẫu 01–04).
KEYS_BY_ACTION: dict[str, tuple[str, ...]] = {
    "receive": (TemplateKey.RECEIVED,),
    "request_completion": (TemplateKey.COMPLETION_REQUESTED,),
    "refuse": (TemplateKey.REFUSED,),
    "request_supplement": (TemplateKey.SUPPLEMENT_REQUESTED,),
    "apologise": (TemplateKey.APOLOGY,),
    "reject": (TemplateKey.NOT_ELIGIBLE,),
    "return_result": (TemplateKey.RETURNED, TemplateKey.RATING_INVITATION),
}
#: Actions that announce the result only when they reach ``resolved`` (the last step).
RESULT_ACTIONS = frozenset({"complete_step", "approve"})


def keys_for(event) -> tuple[str, ...]:
    """The template keys an event produces (none for most internal hand-offs)."""
    if event.action in RESULT_ACTIONS:
        return (TemplateKey.RESULT_READY,) if event.to_state == "resolved" else ()
    if event.action == "submit":  # the confirmation of an online submission, with its reference
        online = (event.payload or {}).get("channel") == "online"
        return (TemplateKey.SUBMITTED_ONLINE,) if online else ()
    return KEYS_BY_ACTION.get(event.action, ())


# --- writing (inside the dossier transaction) ---------------------------------------------


def on_dossier_event(event) -> None:
    """In-transaction subscriber: write the event's messages next to the event.

    A savepoint keeps a notification problem (a broken template, a bug) from rolling back
    the dossier action; it is logged, never silent."""
    keys = keys_for(event)
    if not keys:
        return
    try:
        with transaction.atomic():
            write_messages(event, keys)
    except Exception:
        log.exception("notify: no message written for dossier event %s", event.pk)


def write_messages(
    event, keys: Iterable[str], *, channels: Registry | None = None
) -> list[OutboxMessage]:
    """Write one message per template key, channel and recipient; schedule delivery on commit.

    Writing the same event twice adds nothing (the dedup key is unique)."""
    dossier = event.dossier
    targets = recipients(dossier, channels or registry)
    if not targets:
        return []
    templates = _templates(keys)
    rows = []
    for key in keys:
        for channel, address, language in targets:
            template = _pick(templates, key, channel.template_kind, language)
            if template is None:
                log.warning("notify: no active %s template %r", channel.template_kind, key)
                continue
            rows.append(_message(event, key, channel, address, template))
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(schedule_delivery, robust=True)
    return rows


def recipients(dossier, channels: Registry) -> list[tuple[Channel, str, str]]:
    """(channel, address, language) for each switched-on channel the applicant can be
    reached on: their ``ChannelPreference`` when there is one, else e-mail and SMS."""
    preference = None
    if dossier.applicant_id_number:
        preference = ChannelPreference.objects.filter(id_number=dossier.applicant_id_number).first()
    media = preference.media() if preference else {"email", "sms"}
    language = preference.language if preference else settings.LANGUAGE_CODE
    targets = []
    for channel in channels.enabled():
        address = channel.address_of(dossier)
        if channel.medium in media and address:
            targets.append((channel, address, language))
    return targets


def _templates(keys: Iterable[str]) -> dict[tuple[str, str, str], MessageTemplate]:
    rows = MessageTemplate.objects.filter(key__in=list(keys), is_active=True)
    return {(t.key, t.kind, t.language): t for t in rows}


def _pick(templates: dict, key: str, kind: str, language: str) -> MessageTemplate | None:
    return templates.get((key, kind, language)) or templates.get((key, kind, "vi"))


def dedup_key(event_id: int, key: str, channel_id: str, recipient: str) -> str:
    """One message per (event, template, channel, recipient); the address is hashed."""
    digest = hashlib.sha256(recipient.strip().lower().encode()).hexdigest()[:24]
    return f"{event_id}:{key}:{channel_id}:{digest}"


def _message(event, key: str, channel: Channel, address: str, template) -> OutboxMessage:
    dossier = event.dossier
    message = OutboxMessage(
        channel=channel.id,
        recipient=address,
        language=template.language,
        template_key=key,
        event=event,
        dossier=dossier,
        dedup_key=dedup_key(event.pk, key, channel.id, address),
        next_attempt_at=event.at,
        created_at=event.at,
    )
    ids = (dossier.applicant_id_number, dossier.representative_id_number)
    try:
        context = dossier_context(dossier, event, template.language)
        rendered = render(template, context, id_numbers=ids)
    except Exception as exc:  # an administrator's template broke: keep the row, visibly dead
        log.exception("notify: template %s failed for event %s", template.pk, event.pk)
        message.status, message.last_error = Status.DEAD, f"Lỗi mẫu thông báo: {exc}"
        rendered = Rendered("", "")
    message.subject, message.body = rendered.subject, rendered.body
    return message


# --- delivery (in a task, outside any dossier transaction) ----------------------------------


def schedule_delivery(run_after: dt.datetime | None = None) -> None:
    """Enqueue a delivery pass now, or at ``run_after`` when the task backend can defer.

    Without deferral (the immediate backend), retries wait for the next pass: the next
    message written, or ``motcua deliver-messages`` from cron."""
    from motcua.notify.tasks import deliver_due_messages

    task = deliver_due_messages
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=run_after)
        task.enqueue()
    except Exception:  # the messages stay in the outbox; the next pass sends them
        log.exception("notify: could not enqueue a delivery pass")


def retry_delay(attempts: int) -> dt.timedelta:
    """1 min, 2, 4, 8 … after the 1st, 2nd, 3rd … failed attempt, capped."""
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def lease() -> dt.timedelta:
    """How long a claimed message is left alone (a worker that dies mid-send frees it)."""
    return dt.timedelta(seconds=max(300, 4 * settings.NOTIFY_SEND_TIMEOUT))


def deliver(
    message_id: int, *, now: dt.datetime | None = None, channels: Registry | None = None
) -> str:
    """Try to send one due message; returns its status afterwards (or ``"skipped"`` when it
    is not due or another worker holds it)."""
    now = now or timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return "skipped"
    channel = (channels or registry).get(message.channel)
    try:
        if channel is None:
            raise ChannelError(f"Kênh “{message.channel}” chưa được bật (NOTIFY_CHANNELS).")
        channel.send(message)
    except ChannelError as exc:
        return _failed(message, exc, now)
    except Exception as exc:  # a plugin bug: treat as temporary, keep the message
        log.exception("notify: channel %s crashed on message %s", message.channel, message.pk)
        return _failed(message, ChannelError(f"Lỗi kênh gửi: {exc!r}"), now)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENT, sent_at=now, last_error=""
    )
    return Status.SENT


def _claim(message_id: int, now: dt.datetime) -> OutboxMessage | None:
    """Take the message for this worker: one conditional UPDATE (no lock held while sending)."""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status__in=queries.RETRYABLE, next_attempt_at__lte=now
    ).update(next_attempt_at=now + lease(), attempts=F("attempts") + 1)
    if not claimed:
        return None
    return OutboxMessage.objects.select_related("dossier").get(pk=message_id)


def _failed(message: OutboxMessage, error: ChannelError, now: dt.datetime) -> str:
    final = error.permanent or message.attempts >= settings.NOTIFY_MAX_ATTEMPTS
    status = Status.DEAD if final else Status.FAILED
    retry_at = now if final else now + retry_delay(message.attempts)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=status, next_attempt_at=retry_at, last_error=error.message[:2000]
    )
    log_method = log.error if final else log.warning
    log_method(
        "notify: message %s via %s failed (attempt %s): %s",
        message.pk,
        message.channel,
        message.attempts,
        error.message,
    )
    if not final:
        transaction.on_commit(lambda: schedule_delivery(retry_at), robust=True)
    return status


def deliver_due(
    *, now: dt.datetime | None = None, limit: int = 100, channels: Registry | None = None
) -> dict[str, int]:
    """One delivery pass over the messages due at ``now`` (oldest first); counts by status."""
    due = queries.due_ids(now or timezone.now(), limit)
    counts = Counter(deliver(pk, now=now, channels=channels) for pk in due)
    if len(due) == limit:  # more may be waiting: keep going in another pass
        transaction.on_commit(schedule_delivery, robust=True)
    return dict(counts)


def requeue(messages: Iterable[OutboxMessage], *, now: dt.datetime | None = None) -> int:
    """Send failed or dead messages again from scratch (an administrator's decision)."""
    now = now or timezone.now()
    ids = [m.pk for m in messages if m.status != Status.SENT]
    count = OutboxMessage.objects.filter(pk__in=ids).update(
        status=Status.PENDING, attempts=0, next_attempt_at=now
    )
    if count:
        transaction.on_commit(schedule_delivery, robust=True)
    return count


def preview(template: MessageTemplate) -> Rendered:
    """The template filled with a sample dossier (for the admin preview)."""
    return render(template, sample_context(template.language))
