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
import threading
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from motcua.dossiers.intake import insert
from motcua.notify import queries, templatecache
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
    "decline_request": (TemplateKey.REQUEST_DECLINED,),
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

    Nothing is read for an event that sends nothing, or whose templates are all switched
    off (the templates are kept per process: :mod:`motcua.notify.templatecache`). A
    notification problem (a broken template, a bug) never rolls back the dossier action:
    it is logged, never silent. The writes take no savepoint (this runs while the dossier's
    daily number is locked): what could fail is prepared in Python first, and a database
    error, which would abort the whole transaction anyway, is not hidden."""
    keys = keys_for(event)
    if keys:
        write_messages(event, keys)


def read_ahead(dossier, action: str) -> None:
    """Read the citizen's preference before a new dossier's daily number is taken, when the
    intake's events will send something (``dossiers.services`` calls it; the daily number's
    row stays locked until commit). The subscriber then finds it on the dossier."""
    keys = KEYS_BY_ACTION.get(action, ())
    if dossier.channel == "online":
        keys += (TemplateKey.SUBMITTED_ONLINE,)
    try:
        templates = templatecache.active()
        kinds = {channel.template_kind for channel in registry.enabled()}
        if any(templates.has(key, kind) for key in keys for kind in kinds):
            id_number = dossier.applicant_id_number
            dossier._notify_preference = (id_number, _preference(id_number))
    except DatabaseError:  # the transaction is lost anyway: say so
        raise
    except Exception:  # the subscriber reads it again
        log.exception("notify: the preference was not read ahead")


on_dossier_event.read_ahead = read_ahead


def write_messages(
    event, keys: Iterable[str], *, channels: Registry | None = None
) -> list[OutboxMessage]:
    """Write one message per template key, channel and recipient; schedule delivery on commit.

    Writing the same event twice adds nothing (the dedup key is unique)."""
    try:
        rows = _prepare(event, tuple(keys), channels or registry)
    except Exception:
        log.exception("notify: no message written for dossier event %s", event.pk)
        return []
    if rows:
        insert(rows, ignore_conflicts=True)
        transaction.on_commit(schedule_soon, robust=True)
    return rows


def _prepare(event, keys: tuple[str, ...], channels: Registry) -> list[OutboxMessage]:
    """The messages of ``event`` for ``keys``, rendered, not yet saved."""
    templates = templatecache.active()
    enabled = [
        channel
        for channel in channels.enabled()
        if any(templates.has(key, channel.template_kind) for key in keys)
    ]
    if not enabled:  # no active template for this event on any switched-on channel
        return []
    targets = _recipients(event.dossier, enabled)
    rows, contexts = [], {}
    for key in keys:
        for channel, address, language in targets:
            template = templates.pick(key, channel.template_kind, language)
            if template is None:
                if templates.has(key, channel.template_kind):
                    log.warning("notify: no %s template %r in vi", channel.template_kind, key)
                continue
            rows.append(_message(event, key, channel, address, template, contexts))
    return rows


def recipients(dossier, channels: Registry) -> list[tuple[Channel, str, str]]:
    """(channel, address, language) for each switched-on channel the applicant can be
    reached on: their ``ChannelPreference`` when there is one, else e-mail and SMS."""
    return _recipients(dossier, channels.enabled())


#: Fields longer than their column would abort the dossier's transaction: left out.
_ADDRESS_MAX = OutboxMessage._meta.get_field("recipient").max_length


def _recipients(dossier, enabled: Iterable[Channel]) -> list[tuple[Channel, str, str]]:
    read = getattr(dossier, "_notify_preference", None)  # by read_ahead, this transaction
    if read is not None and read[0] == dossier.applicant_id_number:
        preference = read[1]
    else:
        preference = _preference(dossier.applicant_id_number)
    media, language = preference or ({"email", "sms"}, settings.LANGUAGE_CODE)
    targets = []
    for channel in enabled:
        address = channel.address_of(dossier)
        if channel.medium in media and address and len(address) <= _ADDRESS_MAX:
            targets.append((channel, address, language))
    return targets


_PREFERENCE_SQL = "SELECT {email}, {sms}, {zalo}, {language} FROM {table} WHERE {id_number} = %s"


def _preference(id_number: str) -> tuple[set[str], str] | None:
    """The citizen's media and language (one short query, no ORM compiling), or None."""
    if not id_number:
        return None
    qn = connection.ops.quote_name
    names = ("email", "sms", "zalo", "language", "id_number")
    sql = _PREFERENCE_SQL.format(
        table=qn(ChannelPreference._meta.db_table), **{n: qn(n) for n in names}
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [id_number])
        row = cursor.fetchone()
    if row is None:
        return None
    email, sms, zalo, language = row
    media = {medium for medium, on in (("email", email), ("sms", sms), ("zalo", zalo)) if on}
    return media, language


def dedup_key(event_id: int, key: str, channel_id: str, recipient: str) -> str:
    """One message per (event, template, channel, recipient); the address is hashed."""
    digest = hashlib.sha256(recipient.strip().lower().encode()).hexdigest()[:24]
    return f"{event_id}:{key}:{channel_id}:{digest}"


def _message(
    event, key: str, channel: Channel, address: str, template, contexts: dict
) -> OutboxMessage:
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
        context = contexts.get(template.language)
        if context is None:
            context = contexts[template.language] = dossier_context(
                dossier, event, template.language
            )
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


#: Messages committed by one process within this many seconds share one delivery pass.
DELIVERY_BATCH_SECONDS = 1.0
#: A pass due to start sooner than this is not relied on (clocks of other machines differ).
_PASS_MARGIN = dt.timedelta(milliseconds=250)
_pass_lock = threading.Lock()
_pass_at: dt.datetime | None = None  # when the last pass this process enqueued starts


def schedule_soon() -> None:
    """After a commit that wrote messages: make sure a delivery pass starts after it.

    A pass this process enqueued to start later than now already covers the messages just
    committed (a pass sends every message due when it starts; one due within
    ``_PASS_MARGIN`` is not relied on), so nothing is written; otherwise a pass is
    enqueued for :data:`DELIVERY_BATCH_SECONDS` from now. A busy
    process thus writes one task row a second instead of one per dossier event, and a
    message waits at most that long plus the worker's polling interval. A backend that
    cannot defer gets a pass at every call, as :func:`schedule_delivery` does."""
    global _pass_at
    from motcua.notify.tasks import deliver_due_messages

    try:
        deferrable = deliver_due_messages.get_backend().supports_defer
    except Exception:
        deferrable = False
    if not deferrable:
        schedule_delivery()
        return
    now = timezone.now()
    with _pass_lock:
        if _pass_at is not None and now + _PASS_MARGIN < _pass_at:
            return
        _pass_at = now + dt.timedelta(seconds=DELIVERY_BATCH_SECONDS)
        run_after = _pass_at
    try:
        deliver_due_messages.using(run_after=run_after).enqueue()
    except Exception:  # the messages stay in the outbox; the next pass sends them
        log.exception("notify: could not enqueue a delivery pass")
        with _pass_lock:
            _pass_at = None


def forget_scheduled() -> None:
    """Forget the pass this process enqueued (tests; never needed for correctness)."""
    global _pass_at
    with _pass_lock:
        _pass_at = None


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
