"""Commands of satisfaction ratings: issuing the link, recording a rating, running a
counter's tablet.

One rating per dossier, whichever way it comes in: a second submit, a double click or two
submits at once get a clear "Hồ sơ này đã được đánh giá" (the one-to-one column on
``Rating.dossier`` decides the race; the link or session row is locked first). Everything a
rating changes (answers, staff, units, tallies, the used link or ended session) commits or
rolls back together.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.dossiers.lifecycle import ACTIONS, ScopeAt
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org import permissions
from motcua.org.models import Counter, RoleAssignment
from motcua.ratings import access, queries, tallying
from motcua.ratings.errors import AlreadyRated, InvalidAnswers, NotRateable, SessionGone
from motcua.ratings.models import (
    OVERALL_KEY,
    Answer,
    Channel,
    CounterSession,
    Criterion,
    Rating,
    RatingStaff,
    RatingToken,
    Tablet,
)
from motcua.ratings.tokens import new_tablet_key, rating_token, token_hash

log = logging.getLogger(__name__)
#: Longest comment kept (characters).
COMMENT_MAX = 2000


# --- the link sent with the result ---------------------------------------------------------


def issue_token(dossier: Dossier, *, now: dt.datetime | None = None) -> str:
    """Store the rating link of ``dossier`` (valid ``RATING_TOKEN_DAYS`` days from ``now``)
    and return its token; issuing again renews the expiry and gives the same token."""
    now = now or timezone.now()
    token = rating_token(dossier)
    RatingToken.objects.update_or_create(
        dossier=dossier,
        defaults={
            "token_hash": token_hash(token),
            "issued_at": now,
            "expires_at": now + dt.timedelta(days=settings.RATING_TOKEN_DAYS),
        },
    )
    return token


def on_dossier_event(event) -> None:
    """In-transaction subscriber: the result handed over → the rating link exists, in the
    same transaction as the invitation message that carries it. A savepoint keeps a problem
    here from undoing the return of the result; it is logged, never silent."""
    if event.action != "return_result":
        return
    try:
        with transaction.atomic():
            issue_token(event.dossier, now=event.at)
    except Exception:
        log.exception("ratings: no rating link for dossier event %s", event.pk)


# --- recording a rating ----------------------------------------------------------------------


@dataclass(frozen=True)
class ByLink:
    """A rating through the link of the invitation (or of the tracking page)."""

    code: str
    token: str
    from_tracking: bool = False


@dataclass(frozen=True)
class AtCounter:
    """A rating on the counter's tablet, for the transaction it was showing."""

    counter_id: int
    session_id: int


@dataclass
class _Entry:
    dossier: Dossier
    channel: str
    counter_id: int | None
    officer_id: int | None
    token: RatingToken | None = None
    session: CounterSession | None = None


def check_answers(criteria: list[Criterion], raw: Mapping[str, object]) -> dict[int, int]:
    """{criterion id: value} from the answers given by criterion key; the required ones
    must be there and every value must be one of the criterion's choices."""
    values, errors = {}, {}
    for c in criteria:
        given = raw.get(c.key)
        if given is None or given == "":
            if c.required:
                errors[c.key] = _("Vui lòng chọn một câu trả lời cho câu hỏi này.")
            continue
        try:
            value = int(str(given))
        except ValueError:
            value = None
        if value not in {v for v, _label in c.choices()}:
            errors[c.key] = _("Câu trả lời không hợp lệ, vui lòng chọn lại.")
            continue
        values[c.pk] = value
    if errors:
        raise InvalidAnswers(_("Phiếu đánh giá chưa đầy đủ, vui lòng xem lại."), details=errors)
    return values


def _check_comment(comment: str) -> str:
    text = (comment or "").strip()
    if len(text) > COMMENT_MAX:
        n = {"n": COMMENT_MAX}
        raise InvalidAnswers(
            ngettext(
                "Ý kiến khác dài quá %(n)s ký tự, vui lòng rút gọn.",
                "Ý kiến khác dài quá %(n)s ký tự, vui lòng rút gọn.",
                COMMENT_MAX,
            )
            % n,
            details={
                "comment": ngettext("Tối đa %(n)s ký tự.", "Tối đa %(n)s ký tự.", COMMENT_MAX) % n
            },
        )
    return text


def submit_rating(
    via: ByLink | AtCounter,
    answers: Mapping[str, object],
    comment: str = "",
    *,
    now: dt.datetime | None = None,
) -> Rating:
    """Record the citizen's rating of one dossier, given by link or at the counter."""
    now = now or timezone.now()
    criteria = queries.active_criteria()
    values = check_answers(criteria, answers)
    text = _check_comment(comment)
    overall = next((c.pk for c in criteria if c.key == OVERALL_KEY), None)
    if overall is None or overall not in values:
        raise InvalidAnswers(
            _("Vui lòng cho biết mức độ hài lòng chung."), details={OVERALL_KEY: "required"}
        )
    with transaction.atomic():
        entry = _lock_link(via, now) if isinstance(via, ByLink) else _lock_session(via, now)
        rating = _record(entry, values, values[overall], text, now)
        RatingToken.objects.filter(dossier=entry.dossier, used_at=None).update(used_at=now)
        if entry.session is not None:
            entry.session.ended_at, entry.session.outcome = now, CounterSession.Outcome.RATED
            entry.session.save(update_fields=["ended_at", "outcome"])
    return rating


def _lock_dossier(dossier_id: int | None) -> None:
    """Every way in locks the dossier row first: ratings of one dossier queue up there (a
    link and the tablet at the same moment cannot deadlock on each other's rows)."""
    if dossier_id is not None:
        list(Dossier.objects.select_for_update().filter(pk=dossier_id).values_list("pk"))


def _lock_link(via: ByLink, now: dt.datetime) -> _Entry:
    hashed = token_hash(via.token)
    _lock_dossier(
        RatingToken.objects.filter(token_hash=hashed).values_list("dossier_id", flat=True).first()
    )
    row = (
        RatingToken.objects.select_for_update(of=("self",))
        .select_related("dossier__rating")
        .filter(token_hash=hashed)
        .first()
    )
    queries.check_link(row, via.code, now)
    channel = Channel.TRACKING if via.from_tracking else Channel.ONLINE
    returned_by = (
        DossierEvent.objects.filter(dossier=row.dossier, action="return_result")
        .order_by("-seq")
        .values_list("actor_id", flat=True)
        .first()
    )
    return _Entry(row.dossier, channel, row.dossier.counter_id, returned_by, token=row)


def _lock_session(via: AtCounter, now: dt.datetime) -> _Entry:
    wanted = CounterSession.objects.filter(pk=via.session_id, counter_id=via.counter_id)
    _lock_dossier(wanted.values_list("dossier_id", flat=True).first())
    session = (
        CounterSession.objects.select_for_update(of=("self",))
        .select_related("dossier")
        .filter(pk=via.session_id, counter_id=via.counter_id)
        .first()
    )
    if session is not None and session.outcome == CounterSession.Outcome.RATED:
        raise AlreadyRated()
    if session is None or session.ended_at is not None or session.expires_at <= now:
        raise SessionGone()
    d = session.dossier
    return _Entry(d, Channel.COUNTER, session.counter_id, session.officer_id, session=session)


def _record(entry: _Entry, values: dict[int, int], overall: int, text: str, now) -> Rating:
    dossier = entry.dossier
    if Rating.objects.filter(dossier=dossier).exists():
        raise AlreadyRated()
    queries.check_rateable(dossier)
    satisfied = overall >= settings.RATING_SATISFIED_MIN
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                channel=entry.channel,
                submitted_at=now,
                overall_score=overall,
                satisfied=satisfied,
                comment=text,
                agency_id=dossier.receiving_agency_id,
                unit_id=dossier.receiving_unit_id,
                counter_id=entry.counter_id,
                officer_id=entry.officer_id,
            )
    except IntegrityError:  # the other submit of a double click or a race won
        raise AlreadyRated() from None
    from motcua.supervision.services import on_rating  # the supervision aggregates

    on_rating(dossier.pk, now, satisfied)  # same transaction, dossier row locked: once
    staff = handled_by(dossier, entry.officer_id)
    units = {dossier.receiving_unit_id} | {unit for _user, unit in staff}
    Answer.objects.bulk_create(
        [Answer(rating=rating, criterion_id=c, value=v) for c, v in values.items()]
    )
    RatingStaff.objects.bulk_create(
        [RatingStaff(rating=rating, user_id=u, unit_id=unit) for u, unit in sorted(staff)]
    )
    Rating.units.through.objects.bulk_create(
        [Rating.units.through(rating_id=rating.pk, unit_id=unit) for unit in sorted(units)]
    )
    tallying.add(
        tallying.Facts(
            day=tallying.local_day(now),
            satisfied=satisfied,
            receiving_unit=dossier.receiving_unit_id,
            units=frozenset(units),
            answers=tuple(values.items()),
            staff=frozenset(staff),
        )
    )
    return rating


def handled_by(dossier: Dossier, officer_id: int | None = None) -> set[tuple[int, int]]:
    """(officer, unit) pairs of the staff who acted on ``dossier``, read from its events.

    An event's unit is the receiving unit for the actions taken at reception, else the unit
    owning the step acted on; when the actor holds a role only in another unit that handled
    the dossier (e.g. a supplement brought to the counter), that unit counts instead."""
    receiving = dossier.receiving_unit_id
    events = DossierEvent.objects.filter(dossier=dossier, actor__isnull=False, action__in=ACTIONS)
    rows = list(set(events.values_list("actor_id", "action", "step__owner_unit_id")))
    if officer_id:
        rows.append((officer_id, "return_result", None))
    candidates = {receiving} | {unit for _a, _b, unit in rows if unit}
    held = set(
        RoleAssignment.objects.filter(
            user_id__in={a for a, _b, _c in rows}, unit_id__in=candidates
        ).values_list("user_id", "unit_id")
    )
    pairs = set()
    for actor, action, step_unit in rows:
        natural = receiving if ACTIONS[action].scope == ScopeAt.RECEIVING else step_unit
        natural = natural or receiving
        own = sorted(unit for user, unit in held if user == actor)
        unit = natural if (natural in own or not own) else own[0]
        pairs.add((actor, unit))
    return pairs


# --- the counter's tablet ---------------------------------------------------------------------


def start_session(
    user, counter: Counter, code: str, *, now: dt.datetime | None = None
) -> CounterSession:
    """Show the dossier ``code`` on the counter's tablet for the citizen to rate (replacing
    what it showed). Only the counter's own one-stop staff may do it."""
    permissions.require(user, access.COUNTER_SESSION, counter)
    now = now or timezone.now()
    code = (code or "").strip()
    dossier = Dossier.objects.filter(Q(code=code) | Q(reference=code)).first() if code else None
    if dossier is None or dossier.receiving_unit_id != counter.unit_id:
        raise NotRateable(
            _("Không tìm thấy hồ sơ “%(code)s” tiếp nhận tại bộ phận một cửa của quầy này.")
            % {"code": code}
        )
    queries.check_rateable(dossier)
    if Rating.objects.filter(dossier=dossier).exists():
        raise AlreadyRated(_("Hồ sơ này đã được đánh giá."))
    minutes = dt.timedelta(minutes=settings.RATING_COUNTER_SESSION_MINUTES)
    try:
        with transaction.atomic():
            _end_open(counter, now, CounterSession.Outcome.REPLACED)
            return CounterSession.objects.create(
                counter=counter,
                dossier=dossier,
                officer=user,
                started_at=now,
                expires_at=now + minutes,
            )
    except IntegrityError:  # another officer of the counter did it at the same moment
        raise NotRateable(_("Quầy vừa nhận một giao dịch khác, vui lòng thử lại.")) from None


def end_session(user, counter: Counter, *, now: dt.datetime | None = None) -> int:
    """Take the transaction off the tablet (back to the idle screen)."""
    permissions.require(user, access.COUNTER_SESSION, counter)
    return _end_open(counter, now or timezone.now(), CounterSession.Outcome.ENDED)


def _end_open(counter: Counter, now: dt.datetime, outcome: str) -> int:
    return CounterSession.objects.filter(counter=counter, ended_at__isnull=True).update(
        ended_at=now, outcome=outcome
    )


def pair_tablet(user, counter: Counter, *, now: dt.datetime | None = None) -> str:
    """Make the device the counter's rating tablet; returns the key for its cookie."""
    permissions.require(user, access.COUNTER_SESSION, counter)
    now = now or timezone.now()
    key = new_tablet_key()
    Tablet.objects.create(
        counter=counter,
        key_hash=token_hash(key),
        paired_by=user,
        paired_at=now,
        expires_at=now + dt.timedelta(days=settings.RATING_TABLET_PAIRING_DAYS),
    )
    return key
