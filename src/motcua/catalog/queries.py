"""The read side of the catalogue (tra cứu thủ tục hành chính) for public pages and the API.

Only published, unflagged versions are ever shown to the public. Reads return plain frozen
dataclasses so the portal templates and the JSON API show the same facts, computed once here:

* :func:`find_procedures` — filtered (field, level, agency, online class) and, with a query,
  ranked by :func:`motcua.catalog.search.search`; slice the result to load one page
  (3 queries per page without a query: count, rows, channels).
* :func:`get_procedure` — everything a citizen needs to prepare a dossier, loaded in a fixed
  number of queries (:data:`DETAIL_QUERIES`) however many cases, components or forms there are.
* :func:`fields_with_counts` and :func:`offering_agencies` — the filter choices.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from motcua.catalog.models import (
    Channel,
    ChannelOption,
    ComponentSpec,
    Fee,
    Field,
    FormTemplate,
    Level,
    Offering,
    OnlineClass,
    ProcedureCase,
    ProcedureVersion,
    TimeUnit,
)
from motcua.catalog.search import search
from motcua.core.text import fold
from motcua.org.models import Agency

#: Queries :func:`get_procedure` makes: the version (with procedure and field), channels,
#: fees, cases, components, forms, offerings (with agency).
DETAIL_QUERIES = 7

_PUBLISHED = {"status": ProcedureVersion.Status.PUBLISHED, "flagged": False}


def published_versions() -> QuerySet[ProcedureVersion]:
    """Versions the public may see: published (đã công bố) and not flagged as suspicious."""
    return ProcedureVersion.objects.filter(**_PUBLISHED)


# --- Filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueFilters:
    """What a citizen asked for. Unknown level or online-class values are ignored.

    ``field`` is a field id or code; ``agency`` an agency identifier (mã định danh) with an
    active offering of the procedure.
    """

    q: str = ""
    field: str = ""
    level: str = ""
    agency: str = ""
    online_class: str = ""

    @classmethod
    def from_params(cls, params) -> CatalogueFilters:
        """Read the filters from a query dict (``request.GET``), trimming blanks."""
        names = [f.name for f in fields(cls)]
        values = {name: (params.get(name) or "").strip()[:200] for name in names}
        if values["level"] not in Level.values:
            values["level"] = ""
        if values["online_class"] not in OnlineClass.values:
            values["online_class"] = ""
        return cls(**values)

    @property
    def active(self) -> bool:
        return any((self.q, self.field, self.level, self.agency, self.online_class))


def filter_versions(filters: CatalogueFilters) -> QuerySet[ProcedureVersion]:
    """Published versions narrowed by every filter except the search words."""
    qs = published_versions()
    if filters.field:
        by_field = Q(field__code=filters.field)
        if filters.field.isdecimal() and len(filters.field) <= 18:
            by_field |= Q(field_id=int(filters.field))
        qs = qs.filter(by_field)
    if filters.level:
        qs = qs.filter(levels__contains=f",{filters.level},")
    if filters.online_class:
        qs = qs.filter(online_class=filters.online_class)
    if filters.agency:
        offered = Offering.objects.filter(
            version=OuterRef("pk"), agency__identifier=filters.agency, is_active=True
        )
        qs = qs.filter(Exists(offered))
    return qs


# --- Summaries (list rows) -----------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    id: int
    code: str
    name: str
    procedure_count: int | None = None


@dataclass(frozen=True)
class LevelInfo:
    code: str
    label: str


@dataclass(frozen=True)
class ProcedureSummary:
    """One row of the catalogue: enough to recognise and choose a procedure."""

    code: str
    name: str
    field: FieldInfo | None
    levels: list[LevelInfo]
    online_class: str
    online_class_label: str
    processing_time: str


def _levels(version: ProcedureVersion) -> list[LevelInfo]:
    return [
        LevelInfo(code, str(Level(code).label))
        for code in version.level_list
        if code in Level.values
    ]


def _field(version: ProcedureVersion) -> FieldInfo | None:
    f = version.field
    return FieldInfo(f.pk, f.code, f.name) if f else None


def _time_of(option: ChannelOption) -> str:
    """The limit in words, the number written the local way (“2,5 ngày làm việc” in Vietnamese),
    else the published text."""
    if option.time_value is None or option.time_unit == TimeUnit.WITHIN_DAY:
        return option.limit_text() or option.time_text
    value = formats.number_format(option.time_value.normalize())
    return f"{value} {TimeUnit(option.time_unit).label}" if option.time_unit else value


def processing_time(channels: list[ChannelOption]) -> str:
    """The headline processing time: the counter's, else the first channel that has one."""
    ordered = sorted(channels, key=lambda o: o.channel != Channel.COUNTER)
    return next((t for t in map(_time_of, ordered) if t), "")


def summarise(version: ProcedureVersion) -> ProcedureSummary:
    """The list row of a version loaded with procedure, field and channels."""
    return ProcedureSummary(
        code=version.procedure.code,
        name=version.name,
        field=_field(version),
        levels=_levels(version),
        online_class=version.online_class,
        online_class_label=str(version.get_online_class_display()),
        processing_time=processing_time(list(version.channels.all())),
    )


#: The columns a list row shows: never the raw import, warnings or long texts.
_SUMMARY_FIELDS = (
    "id",
    "name",
    "levels",
    "online_class",
    "procedure__code",
    "field__id",
    "field__code",
    "field__name",
)


def _with_summary_relations(qs: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    channels = ChannelOption.objects.order_by("channel", "order")
    return (
        qs.select_related("procedure", "field")
        .only(*_SUMMARY_FIELDS)
        .prefetch_related(Prefetch("channels", queryset=channels))
    )


class ProcedureResults:
    """Matching procedures, best first when searching; slice it to load one page.

    Works with :class:`django.core.paginator.Paginator` (``count()`` and slicing). Searching
    ranks every candidate once (``catalog.search``), then a page loads only its own rows.
    """

    def __init__(self, qs: QuerySet[ProcedureVersion], query: str = "") -> None:
        self._qs = qs
        self.query = query.strip()
        self._ranked: list[int] | None = None
        self._count: int | None = None

    def _ranked_pks(self) -> list[int]:
        if self._ranked is None:
            self._ranked = [hit.pk for hit in search(self._qs, self.query)]
        return self._ranked

    def count(self) -> int:
        if self._count is None:
            self._count = len(self._ranked_pks()) if self.query else self._qs.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[ProcedureSummary]:
        if not isinstance(item, slice):
            raise TypeError("ProcedureResults supports slices only")
        if not self.query:
            rows = list(_with_summary_relations(self._qs.order_by("procedure__code"))[item])
        else:
            pks = self._ranked_pks()[item]
            by_pk = _with_summary_relations(published_versions()).in_bulk(pks)
            rows = [by_pk[pk] for pk in pks if pk in by_pk]
        return [summarise(v) for v in rows]


def find_procedures(filters: CatalogueFilters) -> ProcedureResults:
    """Published procedures matching ``filters``; ranked by relevance when ``filters.q``."""
    return ProcedureResults(filter_versions(filters), filters.q)


def fields_with_counts() -> list[FieldInfo]:
    """Fields (lĩnh vực) that have published procedures, with how many (1 query).

    Sorted by the folded name, so ``Đăng ký…`` sits among the D's on every database collation.
    """
    published = Q(versions__status=ProcedureVersion.Status.PUBLISHED, versions__flagged=False)
    rows = (
        Field.objects.annotate(n=Count("versions", filter=published))
        .filter(n__gt=0)
        .values_list("pk", "code", "name", "n")
    )
    return sorted((FieldInfo(*row) for row in rows), key=lambda f: (fold(f.name), f.name))


@dataclass(frozen=True)
class AgencyInfo:
    identifier: str
    name: str


def offering_agencies() -> list[AgencyInfo]:
    """Agencies with an active offering of a published procedure, by folded name (1 query)."""
    offers = Offering.objects.filter(
        agency=OuterRef("pk"),
        is_active=True,
        version__status=ProcedureVersion.Status.PUBLISHED,
        version__flagged=False,
    )
    rows = Agency.objects.filter(Exists(offers)).values_list("identifier", "name")
    return sorted((AgencyInfo(*row) for row in rows), key=lambda a: (fold(a.name), a.name))


# --- Detail --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeeInfo:
    kind: str
    kind_label: str
    amount: int | None
    text: str
    display: str


@dataclass(frozen=True)
class ChannelInfo:
    channel: str
    label: str
    time_value: Decimal | None
    time_unit: str
    time_display: str
    description: str
    fees: list[FeeInfo]


@dataclass(frozen=True)
class FormInfo:
    file_name: str
    url: str | None


@dataclass(frozen=True)
class ComponentInfo:
    name: str
    originals: int
    copies: int
    required: bool
    forms: list[FormInfo]


@dataclass(frozen=True)
class CaseInfo:
    name: str
    components: list[ComponentInfo]


@dataclass(frozen=True)
class PlaceInfo:
    """Where to submit: an agency offering the procedure and its receiving address."""

    agency_identifier: str
    agency_name: str
    address: str
    phone: str


@dataclass(frozen=True)
class LegalRefInfo:
    number: str
    title: str
    issued_on: str
    issuer: str


@dataclass(frozen=True)
class ResultInfo:
    name: str
    code: str


@dataclass(frozen=True)
class ProcedureDetail(ProcedureSummary):
    """Everything a citizen needs to prepare a dossier for one procedure."""

    version_number: int
    decision_number: str
    valid_from: dt.date | None
    procedure_type: str
    applicant_types: list[str]
    competent_agency: str
    implementing_agency: str
    receiving_address_text: str
    steps: str
    conditions: str
    legal_basis: list[LegalRefInfo]
    legal_basis_text: str
    results: list[ResultInfo]
    channels: list[ChannelInfo]
    cases: list[CaseInfo]
    places: list[PlaceInfo]
    online_submission: bool
    source_url: str


def _fee(fee: Fee) -> FeeInfo:
    return FeeInfo(fee.kind, str(fee.get_kind_display()), fee.amount, fee.text, str(fee))


def _channel(option: ChannelOption) -> ChannelInfo:
    return ChannelInfo(
        channel=option.channel,
        label=str(option.get_channel_display()),
        time_value=option.time_value,
        time_unit=option.time_unit,
        time_display=_time_of(option),
        description=option.description,
        fees=[_fee(f) for f in option.fees.all()],
    )


def _case(case: ProcedureCase) -> CaseInfo:
    def component(spec: ComponentSpec) -> ComponentInfo:
        forms = [
            FormInfo(f.file_name, reverse("portal:form_file", args=[f.pk]) if f.file else None)
            for f in spec.forms.all()
        ]
        return ComponentInfo(spec.name, spec.originals, spec.copies, spec.required, forms)

    return CaseInfo(case.name, [component(c) for c in case.components.all()])


def _place(offering: Offering) -> PlaceInfo:
    agency = offering.agency
    address = offering.receiving_address or agency.address
    return PlaceInfo(agency.identifier, agency.name, address, agency.phone)


def _text(item, *keys: str) -> list[str]:
    """Values of ``keys`` from a JSON item that is a dict, or the item itself for a string."""
    if isinstance(item, dict):
        return [str(item.get(k) or "").strip() for k in keys]
    return [str(item or "").strip()] + [""] * (len(keys) - 1)


def _legal_basis(items) -> list[LegalRefInfo]:
    refs = [LegalRefInfo(*_text(i, "number", "title", "issued_on", "issuer")) for i in items or []]
    return [r for r in refs if r.number or r.title]


def _results(items) -> list[ResultInfo]:
    found = [ResultInfo(*_text(i, "name", "code")) for i in items or []]
    return [r for r in found if r.name or r.code]


def _detail_queryset() -> QuerySet[ProcedureVersion]:
    forms = Prefetch("cases__components__forms", queryset=FormTemplate.objects.order_by("pk"))
    offerings = Offering.objects.filter(is_active=True).select_related("agency")
    return (
        published_versions()
        .select_related("procedure", "field")
        .prefetch_related(
            "channels__fees",
            "cases__components",
            forms,
            Prefetch("offerings", queryset=offerings),
        )
    )


def get_procedure(code: str) -> ProcedureDetail | None:
    """The published procedure ``code`` with all it says, or ``None`` (:data:`DETAIL_QUERIES`)."""
    version = _detail_queryset().filter(procedure__code=code).order_by("-number").first()
    if version is None:
        return None
    channels = list(version.channels.all())
    return ProcedureDetail(
        **summarise(version).__dict__,
        version_number=version.number,
        decision_number=version.decision_number,
        valid_from=version.valid_from,
        procedure_type=version.procedure_type,
        applicant_types=[str(a) for a in version.applicant_types or [] if str(a).strip()],
        competent_agency=version.competent_agency_text,
        implementing_agency=version.implementing_agency_text,
        receiving_address_text=version.receiving_address_text,
        steps=version.steps_text,
        conditions=version.conditions_text,
        legal_basis=_legal_basis(version.legal_basis),
        legal_basis_text=version.legal_basis_text,
        results=_results(version.results),
        channels=[_channel(o) for o in channels],
        cases=[_case(c) for c in version.cases.all()],
        places=sorted(map(_place, version.offerings.all()), key=lambda p: fold(p.agency_name)),
        online_submission=version.online_class in (OnlineClass.FULL, OnlineClass.PARTIAL),
        source_url=version.source_url,
    )


def not_found_message(code: str) -> str:
    """What to tell a person who asked for a procedure that is not published."""
    return _("Không tìm thấy thủ tục hành chính có mã “%(code)s” trong danh mục đã công bố.") % {
        "code": code
    }
