"""Versioned form templates and each agency's letterhead and numbering (mẫu in theo phiên bản).

DOMAIN "Forms": templates are versioned and a dossier keeps the versions in force when it was
received; Circular 03/2025 Annex I fixes the forms, the agency fills in its own heading.

* :func:`in_force` — the published version of a form in force at an instant for an agency:
  the agency's own version first, then that of the nearest agency above it (a province-wide
  version reaches every commune below the province that has none), then the general one;
  ``None`` means the template shipped with the software. One query, as is
  :func:`in_force_all` (every form at once, with the agency each version comes from).
* :func:`numbering_in_force` — the number format an agency uses: its own, else the nearest
  ancestor's; an agency that sets ``own_numbering`` stops the inheritance (its own format,
  or the dossier code when it has none). The heading lines and the place are never
  inherited: they name the issuing agency itself (Decree 30/2020, Appendix I).
* :func:`issue` — the :class:`IssuedForm` of a form issued by a dossier event: created once,
  when the event happens (:func:`on_dossier_event`, in the event's transaction) or, for older
  dossiers, at the first print. It freezes the template version, the letterhead lines, the
  place and the number, so a reprint is the same document however the templates and the
  agency's settings change afterwards.
* :func:`publish` — make a draft version read-only and in force from a time not in the past.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import string

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, Q, Subquery, Value
from django.db.models.functions import Length
from django.template import engines
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.documents.print_models import (
    AgencyLetterhead,
    DocumentTemplate,
    FormNumber,
    FormNumberCounter,
    IssuedForm,
)

log = logging.getLogger(__name__)

#: The lifecycle actions that issue each dossier form (the latest one is printed). Must match
#: ``motcua.backoffice.presenters.PRINT_FORMS`` (a test checks it).
ISSUING_ACTIONS: dict[str, tuple[str, ...]] = {
    "01": ("receive",),
    "02": ("request_completion", "request_supplement"),
    "03": ("refuse",),
    "04": ("apologise",),
    "05": ("stop",),
    "06": ("receive",),
}
#: The same, by action: the forms each action issues.
FORMS_BY_ACTION: dict[str, tuple[str, ...]] = {
    action: tuple(f for f, actions in ISSUING_ACTIONS.items() if action in actions)
    for action in {a for actions in ISSUING_ACTIONS.values() for a in actions}
}
#: Forms issued in the competent agency's name (the apology letter, Mẫu 04); the others are
#: issued by the receiving one-stop unit.
COMPETENT_AGENCY_FORMS = frozenset({"04"})
#: The fields an agency's number format may use.
NUMBER_FIELDS = frozenset({"seq", "year", "form", "code"})
#: The longest number a record keeps.
NUMBER_LENGTH = IssuedForm._meta.get_field("number").max_length


def builtin_template_name(form: str) -> str:
    """The template shipped with the software for ``form``."""
    if form == "07":
        return "documents/pdf/mau07.html"
    return f"backoffice/print/mau{form}.html"


# --- versions ---------------------------------------------------------------------------


def _versions_in_force(agency, at: dt.datetime, forms):
    """Published versions of ``forms`` in force at ``at`` that may apply to ``agency`` (its
    own, its ancestors', the general ones), best first for each form: the nearest agency
    (the longest path), then the general versions; within one owner, the latest."""
    from motcua.org.models import Agency

    rows = DocumentTemplate.objects.filter(
        form__in=list(forms), status=DocumentTemplate.Status.PUBLISHED, valid_from__lte=at
    )
    agency_id = getattr(agency, "pk", agency)
    if agency_id is None:
        rows = rows.filter(agency__isnull=True)
    else:
        path = getattr(agency, "path", None)
        target = (
            Value(path)
            if path
            else Subquery(Agency.objects.filter(pk=agency_id).values("path")[:1])
        )
        rows = rows.annotate(_target_path=target).filter(
            Q(agency__isnull=True) | Q(_target_path__startswith=F("agency__path"))
        )
    nearest = Length("agency__path").desc(nulls_last=True)
    return rows.select_related("agency").order_by(nearest, "-valid_from", "-version")


def in_force(form: str, agency, at: dt.datetime) -> DocumentTemplate | None:
    """The published version of ``form`` in force at ``at`` for ``agency``: its own version,
    else the nearest ancestor agency's (``Agency.path``), else the general one; ``None`` for
    the built-in template. One query."""
    return _versions_in_force(agency, at, (form,)).first()


def in_force_all(agency, at: dt.datetime, forms=None) -> dict[str, DocumentTemplate | None]:
    """The version in force of each of ``forms`` (default: all) for ``agency``, in one query.
    ``version.agency`` tells whose it is: ``agency`` itself, an ancestor, or ``None`` (every
    agency)."""
    forms = tuple(forms or FormNumber.values)
    found: dict[str, DocumentTemplate | None] = dict.fromkeys(forms)
    for version in _versions_in_force(agency, at, forms):
        if found[version.form] is None:
            found[version.form] = version
    return found


def numbering_in_force(agency) -> AgencyLetterhead | None:
    """The letterhead whose number format ``agency`` uses: its own when it sets a format or
    ``own_numbering``, else the nearest ancestor's that does (``None``, or a letterhead with
    an empty format: the dossier code). One query."""
    path = agency.path
    rows = (
        AgencyLetterhead.objects.filter(~Q(number_format="") | Q(own_numbering=True))
        .annotate(_target_path=Value(path))
        .filter(_target_path__startswith=F("agency__path"))
        .select_related("agency")
        .order_by(Length("agency__path").desc())
    )
    return rows.first()


def check_source(source: str) -> None:
    """Raise ``ValidationError`` (Vietnamese) when ``source`` is not a valid template."""
    from django.template import TemplateSyntaxError

    try:
        engines["django"].from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("Nội dung mẫu có lỗi cú pháp: %(error)s"), params={"error": exc}, code="syntax"
        ) from exc


def new_draft(form: str, *, agency=None, source: str | None = None, **fields) -> DocumentTemplate:
    """A draft version numbered after the last one of the same form and agency; its text
    starts from ``source`` or the version in force now (else the built-in template)."""
    if source is None:
        current = in_force(form, agency, timezone.now())
        source = current.source if current else builtin_source(form)
    last = DocumentTemplate.objects.filter(form=form, agency=agency).order_by("-version").first()
    return DocumentTemplate.objects.create(
        form=form,
        agency=agency,
        version=(last.version if last else 0) + 1,
        source=source,
        valid_from=fields.pop("valid_from", None) or timezone.now(),
        **fields,
    )


def builtin_source(form: str) -> str:
    """The text of the built-in template (the starting point of a first version)."""
    template = get_template(builtin_template_name(form))
    origin = getattr(getattr(template, "template", None), "origin", None)
    with open(origin.name, encoding="utf-8") as handle:
        return handle.read()


def publish(version: DocumentTemplate, *, by=None, now: dt.datetime | None = None) -> None:
    """Publish a draft: read-only from now on, in force from ``valid_from`` or now if that
    is in the past (a version never reaches back to documents already issued)."""
    now = now or timezone.now()
    if not version.is_editable:
        raise ValidationError(_("Phiên bản này đã được ban hành."), code="published")
    check_source(version.source)
    version.valid_from = max(version.valid_from or now, now)
    version.status = DocumentTemplate.Status.PUBLISHED
    version.published_at = now
    version.published_by = by
    version.save(update_fields=["valid_from", "status", "published_at", "published_by"])


@functools.lru_cache(maxsize=64)
def _compiled(version_pk: int, source: str):
    return engines["django"].from_string(source)


def template_for(form: str, version: DocumentTemplate | None):
    """The compiled template of ``version`` (published versions never change, so they are
    compiled once per process), or the built-in template when ``version`` is ``None``."""
    if version is None:
        return get_template(builtin_template_name(form))
    return _compiled(version.pk, version.source)


# --- letterhead and numbering -----------------------------------------------------------


def letterhead_of(agency) -> AgencyLetterhead | None:
    try:
        return agency.letterhead
    except AgencyLetterhead.DoesNotExist:
        return None


def letterhead_lines(agency, unit_name: str = "", *, default: list[str] | None = None) -> dict:
    """``{"lines": [parent, issuing body], "place": …}`` for documents of ``agency``: its
    override when it has one, else ``default`` (the agency's and the unit's names) and its
    division. Lines and place are the agency's own, never an ancestor's: they name it."""
    override = letterhead_of(agency)
    lines = [line for line in default if line] if default is not None else []
    lines = lines or [agency.name] + ([unit_name] if unit_name else [])
    if override is not None and (override.parent_line or override.name_line):
        lines = [line for line in (override.parent_line, override.name_line) if line]
    return {"lines": lines, "place": place_of(agency, override)}


def place_of(agency, override: AgencyLetterhead | None) -> str:
    """The place name of the date line: the letterhead's, else the agency's division."""
    division = getattr(agency, "division", None)
    return (override.place if override is not None else "") or (division.name if division else "")


def check_number_format(pattern: str) -> None:
    """Raise ``ValidationError`` unless ``pattern`` is a usable number format."""
    try:
        names = {f for _t, f, _s, _c in string.Formatter().parse(pattern) if f is not None}
        unknown = {n.split(".")[0].split("[")[0] for n in names} - NUMBER_FIELDS
        if unknown or "" in names:
            raise ValueError(", ".join(sorted(unknown)) or "{}")
        pattern.format(seq=1, year=2026, form="01", code="000.00.00.H00-260101-0001")
    except (ValueError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError(
            _(
                "Cách ghi số không hợp lệ (%(error)s). Chỉ dùng {seq}, {year}, {form}, {code}, "
                "ví dụ {seq:04d}/{year}/PTN."
            ),
            params={"error": exc},
            code="number_format",
        ) from exc


def next_seq(agency, form: str, year: int) -> int:
    """The next number of ``form`` at ``agency`` in ``year``: one row locked per counter, so
    concurrent issues never share a number. Call inside a transaction.
    (The fallback of :func:`take_numbers` on other databases.)"""
    agency_id = getattr(agency, "pk", agency)
    FormNumberCounter.objects.get_or_create(agency_id=agency_id, form=form, year=year)
    counter = FormNumberCounter.objects.select_for_update().get(
        agency_id=agency_id, form=form, year=year
    )
    FormNumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


# --- issuing ----------------------------------------------------------------------------


def issue_records(dossier, event, forms, *, strict: bool = False) -> list[dict]:
    """The fields of the :class:`IssuedForm` records of ``forms`` issued by ``event``: one
    read per issuing agency, plus one counter upsert when its format uses ``{seq}``.

    A form whose number format cannot be used is left out and logged, unless ``strict``
    (then the error is raised); its counter is not advanced."""
    by_agency: dict[tuple[int, int | None], list[str]] = {}
    for form in forms:
        if form in COMPETENT_AGENCY_FORMS:
            by_agency.setdefault((dossier.competent_agency_id, None), []).append(form)
        else:
            key = (dossier.receiving_agency_id, dossier.receiving_unit_id)
            by_agency.setdefault(key, []).append(form)
    records = []
    for (agency_id, unit_id), agency_forms in by_agency.items():
        facts = issuing_facts(agency_id, unit_id, agency_forms, event.at)
        pattern = facts["number_format"]
        code = dossier.display_code
        year = timezone.localtime(event.at).year
        numbered = []
        for form in agency_forms:
            try:
                _number(pattern, form, 0, year, code)  # an unusable format: no number taken
            except Exception:
                if strict:
                    raise
                log.exception("form %s not recorded for event %s", form, event.pk)
                continue
            numbered.append(form)
        seqs = take_numbers(agency_id, numbered, year) if "{seq" in pattern else {}
        for form in numbered:
            records.append(
                {
                    "dossier": dossier,
                    "form": form,
                    "event": event,
                    "agency_id": agency_id,
                    "template_id": facts["templates"][form],
                    "letterhead": facts["letterhead"],
                    "number": _number(pattern, form, seqs.get(form, 0), year, code),
                    "issued_at": event.at,
                }
            )
    return records


def _number(pattern: str, form: str, seq: int, year: int, code: str) -> str:
    """The number printed on ``form``: the agency's format when set, else the dossier code (the
    apology letter, Mẫu 04, leaves it to be filled in by hand); refused when it does not fit."""
    if not pattern:
        return "" if form in COMPETENT_AGENCY_FORMS else code
    number = pattern.format(seq=seq, year=year, form=form, code=code)
    if len(number) > NUMBER_LENGTH:
        raise ValueError(f"number longer than {NUMBER_LENGTH} characters: {number!r}")
    return number


def issuing_facts(agency_id: int, unit_id: int | None, forms, at: dt.datetime) -> dict:
    """What the forms of one issuing agency print, read in one statement: the letterhead
    (as :func:`letterhead_lines`), the number format (as :func:`numbering_in_force`) and, per
    form, the id of the version in force at ``at`` (as :func:`in_force`; ``None`` for the
    built-in template)."""
    sql = _facts_sql(len(forms), connection.vendor)
    at_value = connection.ops.adapt_datetimefield_value(at)
    params = [unit_id]
    for form in forms:
        params += [form, DocumentTemplate.Status.PUBLISHED, at_value]
    params.append(agency_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"agency {agency_id} not found")
    name, division, override, parent_line, name_line, place, number_format, unit = row[:8]
    lines = [name] + ([unit] if unit else [])
    if override is not None and (parent_line or name_line):
        lines = [line for line in (parent_line, name_line) if line]
    return {
        "letterhead": {
            "lines": lines,
            "place": (place if override is not None else "") or (division or ""),
        },
        "number_format": number_format or "",
        "templates": dict(zip(forms, row[8:], strict=True)),
    }


@functools.lru_cache(maxsize=16)
def _facts_sql(form_count: int, vendor: str) -> str:
    """The statement of :func:`issuing_facts` for ``form_count`` forms (built once)."""
    from motcua.org.models import Agency, Division, Unit

    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    # ``owner`` is the agency itself or one above it: its path starts the agency's path
    above = "SUBSTR(a.path, 1, LENGTH({o}.path)) = {o}.path"
    version = (
        f"(SELECT t.id FROM {table(DocumentTemplate)} t"
        f" LEFT JOIN {table(Agency)} ta ON ta.id = t.agency_id"
        " WHERE t.form = %s AND t.status = %s AND t.valid_from <= %s"
        f" AND (t.agency_id IS NULL OR {above.format(o='ta')})"
        # the nearest agency's version first (the general ones last), then the latest
        " ORDER BY t.agency_id IS NULL, LENGTH(ta.path) DESC, t.valid_from DESC,"
        " t.version DESC LIMIT 1)"
    )
    numbering = (
        f"(SELECT n.number_format FROM {table(AgencyLetterhead)} n"
        f" JOIN {table(Agency)} na ON na.id = n.agency_id"
        f" WHERE (n.number_format <> '' OR n.own_numbering) AND {above.format(o='na')}"
        " ORDER BY LENGTH(na.path) DESC LIMIT 1)"
    )
    return (
        f"SELECT a.name, d.name, l.id, l.parent_line, l.name_line, l.place, {numbering},"
        f" (SELECT u.name FROM {table(Unit)} u WHERE u.id = %s)"
        + "".join(", " + version for _ in range(form_count))
        + f" FROM {table(Agency)} a"
        f" LEFT JOIN {table(Division)} d ON d.id = a.division_id"
        f" LEFT JOIN {table(AgencyLetterhead)} l ON l.agency_id = a.id"
        " WHERE a.id = %s"
    )


def take_numbers(agency_id: int, forms, year: int) -> dict[str, int]:
    """The next ``{seq}`` of each of ``forms`` at the agency in ``year``, in one statement:
    an upsert that locks each counter row until the transaction ends, so concurrent issues
    never share a number. Call inside a transaction."""
    if not forms:
        return {}
    if connection.vendor not in ("postgresql", "sqlite"):
        return {form: next_seq(agency_id, form, year) for form in forms}
    table = connection.ops.quote_name(FormNumberCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (agency_id, form, year, last) VALUES "
        + ", ".join(["(%s, %s, %s, 1)"] * len(forms))
        + f" ON CONFLICT (agency_id, form, year) DO UPDATE SET last = {table}.last + 1"
        " RETURNING form, last"
    )
    params = [value for form in forms for value in (agency_id, form, year)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def issue(dossier, form: str, event) -> IssuedForm:
    """The record of ``form`` issued by ``event`` (created on first call, never changed)."""
    found = IssuedForm.objects.filter(event=event, form=form).select_related("template").first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            (record,) = issue_records(dossier, event, (form,), strict=True)
            return IssuedForm.objects.create(**record)
    except IntegrityError:  # issued concurrently by another request: keep that one
        return IssuedForm.objects.select_related("template").get(event=event, form=form)


def on_dossier_event(event) -> None:
    """Subscriber (in the event's transaction): record the forms the event issues, so that
    they keep the template, letterhead and number of this moment.

    Cheap, as it runs while the dossier's daily number is locked: nothing for an event that
    issues no form; otherwise one read per issuing agency (its names, letterhead and the
    versions in force), one upsert of the number counters when the agency's format uses
    ``{seq}``, and one insert of all the records, without savepoints. A form whose record
    cannot be made (an unusable number format) is logged and left out, and then recorded at
    its first print: that never blocks the dossier action. A database error, which would
    abort the whole transaction anyway, is not hidden."""
    forms = FORMS_BY_ACTION.get(event.action)
    if not forms:
        return
    try:
        records = issue_records(event.dossier, event, forms)
    except DatabaseError:
        raise
    except Exception:
        log.exception("forms %s not recorded for event %s", ",".join(forms), event.pk)
        return
    if records:
        IssuedForm.objects.bulk_create(
            [IssuedForm(**record) for record in records], ignore_conflicts=True
        )
