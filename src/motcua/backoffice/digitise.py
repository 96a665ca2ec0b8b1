"""Digitisation at the reception desk (số hóa thành phần hồ sơ khi tiếp nhận).

For each component of the checklist the officer scans the paper and uploads the file with its
metadata, or picks the applicant's document already in their data store. Which components must
be digitised, may be, or must not be is decided by :mod:`motcua.documents.digitisation`
(Circular 01/2023/TT-VPCP; Decree 45/2020 Art. 16); the services in
:mod:`motcua.documents.datastore` repeat every check.

A scanned file is stored as soon as it has been checked (``documents.validation``), before the
whole form is valid, and comes back as a hidden reference: an error elsewhere on the form never
makes the officer scan again. A scan whose dossier is never received (or that another scan
replaced) stays attached to nothing and is deleted after ``ORPHAN_SCAN_HOURS`` by
:mod:`motcua.documents.purge`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.documents import datastore, digitisation, storage, validation
from motcua.documents.models import SENSITIVE_KINDS, DocumentKind, StoredFile

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
#: Kinds that carry a number, an issuer and an issue date.
NUMBERED = frozenset(
    {
        DocumentKind.IDENTITY,
        DocumentKind.CIVIL_STATUS,
        DocumentKind.CERTIFICATE,
        DocumentKind.DIPLOMA,
        DocumentKind.DECISION,
    }
)
KIND_CHOICES = [(k, label) for k, label in DocumentKind.choices if k != DocumentKind.RESULT]
META_FIELDS = ("kind", "number", "issuer", "issued", "valid", "owner", "pages", "sensitive")


def name(field: str, pk: int) -> str:
    return f"dg_{field}_{pk}"


@dataclass(frozen=True)
class Scan:
    """A checked upload, not yet stored."""

    name: str
    checked: validation.CheckedUpload

    @property
    def pages(self) -> int:
        return self.checked.pages or 1


class ScanField(forms.FileField):
    """A scanned file, checked by the one upload validation module."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        checked = validation.validate_upload(upload, name=upload.name)
        return Scan(upload.name, checked)


def add_fields(form: forms.Form, spec, requirement: str, store_choices) -> None:
    """The digitisation inputs of one component."""
    pk = spec.pk
    short = spec.name[:60]
    f = form.fields
    f[name("file", pk)] = ScanField(
        label=_("Tệp quét: %(name)s") % {"name": short},
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    f[name("store", pk)] = forms.ChoiceField(
        label=_("Dùng giấy tờ trong kho dữ liệu: %(name)s") % {"name": short},
        choices=[("", _("— Không dùng —")), *store_choices],
        required=False,
    )
    f[name("kind", pk)] = forms.ChoiceField(
        label=_("Loại giấy tờ"),
        choices=KIND_CHOICES,
        initial=digitisation.guess_kind(spec.name),
        required=False,
    )
    f[name("number", pk)] = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    f[name("issuer", pk)] = forms.CharField(label=_("Cơ quan cấp"), max_length=255, required=False)
    f[name("issued", pk)] = forms.DateField(label=_("Ngày cấp"), required=False, widget=DATE)
    f[name("valid", pk)] = forms.DateField(
        label=_("Có giá trị đến"),
        required=False,
        widget=DATE,
        help_text=_("Để trống nếu không thời hạn."),
    )
    f[name("owner", pk)] = forms.CharField(
        label=_("Số định danh chủ giấy tờ"),
        max_length=20,
        required=False,
        help_text=_("Để trống: người nộp hồ sơ."),
    )
    f[name("pages", pk)] = forms.IntegerField(
        label=_("Số trang bản gốc"), min_value=1, max_value=999, required=False
    )
    f[name("sensitive", pk)] = forms.BooleanField(
        label=_("Tài liệu nhạy cảm (mã hóa khi lưu)"), required=False
    )
    form.requirements[pk] = requirement


def kept_files(user, data) -> dict[int, StoredFile]:
    """Files this officer scanned on an earlier attempt of the same form (one query)."""
    wanted = {}
    for key, value in (data or {}).items():
        if key.startswith("dg_kept_"):
            try:
                wanted[uuid.UUID(str(value))] = int(key.removeprefix("dg_kept_"))
            except ValueError:
                continue
    if not wanted or not getattr(user, "pk", None):
        return {}
    rows = StoredFile.objects.filter(
        uid__in=list(wanted), uploaded_by=user, dossier__isnull=True, digitised__isnull=True
    )
    return {wanted[row.uid]: row for row in rows}


def _message_missing(spec) -> str:
    return str(
        _(
            "“%(name)s” phải được số hóa khi tiếp nhận (Thông tư 01/2023/TT-VPCP): quét và tải "
            "tệp lên kèm thông tin giấy tờ, hoặc chọn bản đã có trong kho dữ liệu của người nộp."
        )
        % {"name": spec.name[:120]}
    )


def clean_component(form, spec, data: dict, *, receiving: bool) -> None:
    """Check the digitisation inputs of one ticked component."""
    pk = spec.pk
    requirement = form.requirements[pk]
    scan = data.get(name("file", pk))
    kept = form.kept.get(pk)
    picked = data.get(name("store", pk))
    has_file = scan is not None or kept is not None
    if has_file and picked:
        form.add_error(
            name("store", pk),
            _("Chọn một cách: tệp quét mới hoặc giấy tờ có sẵn trong kho, không chọn cả hai."),
        )
        return
    if has_file and digitisation.is_exempt(requirement):
        form.add_error(
            name("file", pk),
            _("Giấy tờ này không số hóa (%(why)s). Bỏ tệp đã chọn.")
            % {"why": digitisation.label(requirement)},
        )
        return
    if not has_file:
        if receiving and not picked and requirement == digitisation.Requirement.REQUIRED:
            form.add_error(name("file", pk), _message_missing(spec))
        return
    _clean_metadata(form, spec, data, scan.pages if scan else (kept.pages or 1))


def _clean_metadata(form, spec, data: dict, file_pages: int) -> None:
    pk = spec.pk
    kind = data.get(name("kind", pk))
    if not kind:
        form.add_error(name("kind", pk), _("Chọn loại giấy tờ."))
    if kind in NUMBERED:
        for field, message in (
            ("number", _("Nhập số, ký hiệu của giấy tờ.")),
            ("issuer", _("Nhập cơ quan đã cấp giấy tờ.")),
            ("issued", _("Nhập ngày cấp.")),
        ):
            if not data.get(name(field, pk)):
                form.add_error(name(field, pk), message)
    issued, valid = data.get(name("issued", pk)), data.get(name("valid", pk))
    if issued and valid and valid < issued:
        form.add_error(name("valid", pk), _("Ngày hết hiệu lực phải sau ngày cấp."))
    if issued and issued > timezone.localdate():
        form.add_error(name("issued", pk), _("Ngày cấp không được ở tương lai."))
    pages = data.get(name("pages", pk))
    if not pages:
        form.add_error(name("pages", pk), _("Nhập số trang của bản gốc."))
    elif pages != file_pages:
        form.add_error(
            name("pages", pk),
            ngettext(
                "Tệp quét có %(file)s trang nhưng bản gốc có %(original)s trang: bản số hóa phải "
                "đủ và đúng thứ tự các trang. Hãy quét lại.",
                "Tệp quét có %(file)s trang nhưng bản gốc có %(original)s trang: bản số hóa phải "
                "đủ và đúng thứ tự các trang. Hãy quét lại.",
                file_pages,
            )
            % {"file": file_pages, "original": pages},
        )


def keep_scans(form, user) -> None:
    """Store every scan that passed its checks, so that nothing has to be scanned twice."""
    data = getattr(form, "cleaned_data", {}) or {}
    for pk in form.requirements:
        scan = data.get(name("file", pk))
        if scan is None:
            continue
        kind = data.get(name("kind", pk)) or form[name("kind", pk)].initial
        sensitive = kind in SENSITIVE_KINDS or bool(data.get(name("sensitive", pk)))
        form.kept[pk] = storage.store_bytes(
            scan.checked.data,
            original_name=scan.name,
            content_type=scan.checked.content_type,
            pages=scan.checked.pages,
            encrypt=sensitive,
            uploaded_by=user,
        )


def metadata(form, spec, owner_default: str) -> datastore.Metadata:
    d = form.cleaned_data
    pk = spec.pk
    return datastore.Metadata(
        kind=d.get(name("kind", pk)) or DocumentKind.OTHER,
        title=spec.name,
        owner_identifier=(d.get(name("owner", pk)) or owner_default).replace(" ", ""),
        number=d.get(name("number", pk)) or "",
        issuer=d.get(name("issuer", pk)) or "",
        issued_on=d.get(name("issued", pk)),
        valid_until=d.get(name("valid", pk)),
        pages=d.get(name("pages", pk)),
        sensitive=bool(d.get(name("sensitive", pk))),
    )


def apply(form, dossier, user, *, now) -> None:
    """Record the digitised and reused components of a dossier just received."""
    received = {c.spec_id: c for c in dossier.components.all() if c.spec_id}
    picks = {}
    for spec in form.chosen_specs():
        component = received.get(spec.pk)
        if component is None:
            continue
        uid = form.cleaned_data.get(name("store", spec.pk))
        if uid:
            picks[spec.pk] = (uid, component)
            continue
        kept = form.kept.get(spec.pk)
        if kept is not None:
            _digitise(form, spec, component, kept, user, now)
    if picks:
        documents = {
            str(doc.uid): doc
            for doc in datastore.owner_store(datastore.owners_of(dossier)).filter(
                uid__in=[uid for uid, _c in picks.values()]
            )
        }
        for pk, (uid, component) in picks.items():
            document = documents.get(uid)
            if document is None:
                raise datastore.StoreError(
                    str(_("Giấy tờ đã chọn không có trong kho dữ liệu của người nộp.")),
                    field=name("store", pk),
                )
            try:
                datastore.take_from_store(
                    document, component, actor=user, channel=dossier.channel, now=now
                )
            except datastore.StoreError as exc:
                raise datastore.StoreError(exc.message, field=name("store", pk)) from exc


def _digitise(form, spec, component, kept, user, now) -> None:
    meta = metadata(form, spec, form.cleaned_data["applicant_id_number"])
    try:
        datastore.digitise_component(component, kept, meta, actor=user, now=now)
    except datastore.StoreError as exc:
        field = {"kind": "kind", "owner": "owner", "valid": "valid", "pages": "pages"}.get(
            exc.field, "file"
        )
        raise datastore.StoreError(exc.message, field=name(field, spec.pk)) from exc


def store_choices(documents) -> list[tuple[str, str]]:
    """Choices naming each stored document by its metadata (no file contents)."""
    choices = []
    for doc in documents:
        parts = [doc.title[:80]]
        if doc.number:
            parts.append(str(_("số %(n)s") % {"n": doc.number}))
        if doc.issuer:
            parts.append(doc.issuer[:60])
        if doc.issued_on:
            parts.append(doc.issued_on.strftime("%d/%m/%Y"))
        parts.append(str(doc.get_source_display()))
        choices.append((str(doc.uid), " — ".join(parts)))
    return choices
