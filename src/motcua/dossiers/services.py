"""Commands on dossiers: creating one, and the single entry point for every action.

``perform`` locks the dossier row, checks the expected version (concurrent edits), the state
against the lifecycle table, the user's permission in the right scope and the reason the law
requires; runs the action's handler; bumps the version; appends the event; and dispatches it
(in-transaction subscribers now, the others after commit).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Channel, Offering, ProcedureVersion
from motcua.core.validators import validate_cccd, validate_tax_code
from motcua.dossiers import events
from motcua.dossiers.errors import Conflict, DossierError, Forbidden, InvalidInput, NotAllowed
from motcua.dossiers.intake import IntakeFacts, insert, intake_facts
from motcua.dossiers.lifecycle import ACTIONS, ActionSpec, ScopeAt, State, applicant_may
from motcua.dossiers.models import (
    ApplicantKind,
    Dossier,
    DossierEvent,
    ReceivedComponent,
    StepInstance,
)
from motcua.org import permissions


@dataclass
class Context:
    """What a handler gets: the locked dossier and the action's inputs; it fills the rest."""

    dossier: Dossier
    actor: object
    now: dt.datetime
    params: dict
    spec: ActionSpec
    to_state: str | None = None
    step: StepInstance | None = None
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    kind: str = ApplicantKind.PERSON
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_phone: str = ""


@dataclass(frozen=True)
class NewDossier:
    offering: Offering
    channel: str
    applicant: Applicant
    case_id: int | None = None
    components: tuple[tuple[int | None, str, int, int], ...] = ()  # spec id, name, orig, copies
    result_delivery: str = "counter"
    sets: int = 1
    counter_id: int | None = None


HANDLERS: dict = {}


def handler(name: str):
    def register(func):
        HANDLERS[name] = func
        return func

    return register


def _validate_applicant(a: Applicant) -> None:
    errors = {}
    if not a.name.strip():
        errors["applicant_name"] = _("Cần ghi họ tên người nộp.")
    try:
        if a.kind == ApplicantKind.ORGANISATION:
            validate_tax_code(a.id_number)
        else:
            validate_cccd(a.id_number, a.birth_date)
    except ValidationError as exc:
        errors["applicant_id_number"] = " ".join(exc.messages)
    if a.representative_id_number:
        try:
            validate_cccd(a.representative_id_number)
        except ValidationError as exc:
            errors["representative_id_number"] = " ".join(exc.messages)
    if errors:
        raise InvalidInput(_("Thông tin người nộp chưa hợp lệ."), details=errors)


def create_dossier(
    actor,
    data: NewDossier,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
    action: str | None = None,
    **params,
) -> tuple[Dossier, bool]:
    """Create a dossier awaiting the intake check (``submitted``).

    With ``action`` (one of the intake answers allowed from ``submitted``: ``receive``,
    ``request_completion``, ``refuse``), the dossier is created and answered in one
    transaction and one ``INSERT``: two events (``submit``, then the action), checked and
    handled exactly as :func:`perform` does.

    With an ``idempotency_key``, a repeated request returns the dossier the first one made
    (``created`` is False), also when two arrive at once: the unique key decides, so the
    first attempt costs no look-up.
    """
    now = now or timezone.now()
    spec = None
    if action is not None:
        spec = ACTIONS.get(action)
        if spec is None:
            raise InvalidInput(_("Thao tác không tồn tại: %(action)s.") % {"action": action})
    try:
        facts = _validate_new(actor, data)
        with transaction.atomic():
            dossier = _insert(actor, data, idempotency_key, now, facts, spec, params)
    except (IntegrityError, DossierError):
        existing = _replayed(idempotency_key)
        if existing is not None:
            return existing, False
        raise
    return dossier, True


def _replayed(key: str | None) -> Dossier | None:
    if not key:
        return None
    return Dossier.objects.filter(idempotency_key=key).first()


def _validate_new(actor, data: NewDossier) -> IntakeFacts:
    _validate_applicant(data.applicant)
    if data.channel not in Channel.values:
        raise InvalidInput(_("Hình thức nộp không hợp lệ."))
    version = data.offering.version
    if version.status != ProcedureVersion.Status.PUBLISHED or not data.offering.is_active:
        raise InvalidInput(_("Thủ tục này không còn được tiếp nhận tại cơ quan."))
    facts = intake_facts(data.offering, data.channel, data.case_id)
    if data.case_id and not facts.case_ok:
        raise InvalidInput(_("Trường hợp không thuộc thủ tục đã chọn."))
    if facts.unit is None:
        agency = data.offering.agency
        raise InvalidInput(
            _("%(agency)s chưa có bộ phận một cửa để tiếp nhận hồ sơ.") % {"agency": agency.name}
        )
    _check_creator(actor, data, facts.unit.pk)
    return facts


def _check_creator(actor, data: NewDossier, unit_id: int) -> None:
    """Counter and postal dossiers are entered by the receiving one-stop unit's officers;
    online ones by anyone, for procedures that have an online service."""
    if data.channel == Channel.ONLINE:
        if data.offering.version.online_class == "none":
            raise InvalidInput(_("Thủ tục này chưa có dịch vụ công trực tuyến."))
        return
    agency = data.offering.agency
    scope = permissions.Scope(agency.path, unit_id)
    if not permissions.can(actor, "dossier.receive", scope):
        raise Forbidden(_("Chỉ cán bộ một cửa của cơ quan tiếp nhận mới nhập được hồ sơ này."))


def _insert(
    actor, data: NewDossier, key: str | None, now: dt.datetime, facts: IntakeFacts, spec, params
) -> Dossier:
    """One ``INSERT`` of the dossier as it stands after ``spec`` (if any), its components,
    and its events in one statement, dispatched in order."""
    agency = data.offering.agency
    a = data.applicant
    dossier = Dossier(
        reference=f"HS{secrets.token_hex(5).upper()}",
        idempotency_key=key,
        procedure_version=data.offering.version,
        case_id=data.case_id,
        offering=data.offering,
        channel=data.channel,
        receiving_agency=agency,
        receiving_unit=facts.unit,
        counter_id=data.counter_id,
        competent_agency=agency,
        applicant_kind=a.kind,
        applicant_name=a.name.strip(),
        applicant_id_number=a.id_number.replace(" ", ""),
        applicant_birth_date=a.birth_date,
        applicant_phone=a.phone,
        applicant_email=a.email,
        applicant_address=a.address,
        representative_name=a.representative_name,
        representative_id_number=a.representative_id_number,
        representative_phone=a.representative_phone,
        result_delivery=data.result_delivery,
        sets=data.sets,
        limit_value=facts.limit_value,
        limit_unit=facts.limit_unit,
        submitted_at=now,
        state=State.SUBMITTED,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    submitted = {"channel": data.channel}
    pending = [_event(dossier, "submit", actor, "", State.SUBMITTED, now, payload=submitted)]
    if spec is not None:
        # the daily number stays locked until commit: subscribers read what they need first
        events.read_ahead(dossier, spec.name)
        pending.append(_apply(dossier, spec, actor, now, None, params))
    insert([dossier])
    insert(
        [
            ReceivedComponent(dossier=dossier, spec_id=spec_id, name=name, originals=o, copies=c)
            for spec_id, name, o, c in data.components
        ]
    )
    _record(pending)
    return dossier


def _event(
    dossier, action, actor, from_state, to_state, now, *, step=None, reason="", payload=None
) -> DossierEvent:
    # Every change bumps the dossier's version and appends exactly one event, so the event's
    # sequence number is the version it produced (no query needed).
    return DossierEvent(
        dossier=dossier,
        seq=dossier.version,
        at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_name(actor),
        action=action,
        from_state=from_state,
        to_state=to_state,
        step=step,
        reason=reason,
        payload=payload or {},
    )


def _record(pending: list[DossierEvent]) -> None:
    """Append the events (one statement) and dispatch each, in order."""
    insert(pending)
    for event in pending:
        events.dispatch(event)


def _name(actor) -> str:
    if actor is None or not getattr(actor, "pk", None):
        return ""
    display = getattr(actor, "display_name", None)
    return display() if callable(display) else str(actor)


_LOCKED = (
    "receiving_agency",
    "current_agency",
    "competent_agency",
    "procedure_version",
    "offering",
    "current_step",
)


def perform(
    dossier: Dossier | int,
    action: str,
    actor,
    *,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
    **params,
) -> tuple[Dossier, DossierEvent]:
    """Take ``action`` on a dossier as ``actor``: the one way any dossier changes."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise InvalidInput(_("Thao tác không tồn tại: %(action)s.") % {"action": action})
    now = now or timezone.now()
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related(*_LOCKED)
            .filter(pk=pk)
            .first()
        )
        if locked is None:
            raise InvalidInput(_("Không tìm thấy hồ sơ."))
        before = _values(locked)
        event = _apply(locked, spec, actor, now, expected_version, params)
        locked.save(update_fields=_changed(locked, before))
        _record([event])
    return locked, event


def _apply(dossier: Dossier, spec: ActionSpec, actor, now, expected_version, params):
    """Check and handle ``spec`` on ``dossier`` (locked, or not yet inserted); bump the
    version; return the event, not yet saved."""
    _check(dossier, spec, actor, expected_version, params)
    ctx = Context(dossier, actor, now, params, spec)
    from_state = dossier.state
    HANDLERS[spec.name](ctx)
    dossier.state = ctx.to_state or spec.target
    dossier.version += 1
    return _event(
        dossier,
        spec.name,
        actor,
        from_state,
        dossier.state,
        now,
        step=ctx.step,
        reason=(params.get("reason") or "").strip(),
        payload=ctx.payload,
    )


_COLUMNS = tuple(f.attname for f in Dossier._meta.concrete_fields if not f.primary_key)


def _values(dossier: Dossier) -> tuple:
    return tuple(getattr(dossier, name) for name in _COLUMNS)


def _changed(dossier: Dossier, before: tuple) -> list[str]:
    """The columns an action changed (``updated_at`` always): a short ``UPDATE``."""
    after = _values(dossier)
    changed = [n for n, old, new in zip(_COLUMNS, before, after, strict=True) if old != new]
    return [*changed, "updated_at"] if "updated_at" not in changed else changed


def _check(dossier: Dossier, spec: ActionSpec, actor, expected_version, params) -> None:
    if expected_version is not None and int(expected_version) != dossier.version:
        raise Conflict(
            _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang rồi thao tác.")
        )
    if dossier.state not in spec.sources:
        raise NotAllowed(
            _(
                "Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(state)s”. Vui lòng tải "
                "lại trang."
            )
            % {"action": spec.label, "state": State(dossier.state).label}
        )
    if not _may(actor, spec, dossier):
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này với hồ sơ này."))
    if spec.reason_required and not (params.get("reason") or "").strip():
        raise InvalidInput(_("Cần ghi rõ lý do (theo quy định)."), details={"reason": "required"})


def _may(user, spec: ActionSpec, dossier: Dossier) -> bool:
    scopes = {
        ScopeAt.RECEIVING: (dossier.receiving_scope(),),
        ScopeAt.CURRENT: (dossier.permission_scope(),),
        ScopeAt.EITHER: (dossier.receiving_scope(), dossier.permission_scope()),
    }[spec.scope]
    if spec.roles and any(permissions.can(user, spec.permission, scope) for scope in scopes):
        return True
    return applicant_may(user, spec, dossier)  # the applicant's own actions (lifecycle)


def available_actions(dossier: Dossier, user) -> list[ActionSpec]:
    """The actions ``user`` may take on ``dossier`` now (no query beyond the grants); one on
    the applicant's request only when the dossier was loaded with its request flags
    (``queries.dossier_detail`` or a queue) and one is open."""
    from motcua.dossiers.lifecycle import allowed_in
    from motcua.dossiers.queries import offered

    result = []
    for spec in allowed_in(dossier.state):
        if _may(user, spec, dossier) and offered(spec, dossier):
            result.append(spec)
    return result


__all__ = [
    "Applicant",
    "Context",
    "DossierError",
    "NewDossier",
    "available_actions",
    "create_dossier",
    "handler",
    "perform",
]

from motcua.dossiers import handlers  # noqa: E402, F401  (registers the handlers)
