"""Forms of the staff pages: input checking and shaping only.

What an action needs is read from the lifecycle (``ActionSpec.reason_required``) and the
handlers' parameters; the services stay the authority and repeat every check.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.backoffice import digitise
from motcua.backoffice.postal_forms import HANDOVER_FIELDS, DeskPostalMixin, ReturnPostalMixin
from motcua.catalog.models import Channel
from motcua.core.validators import validate_cccd, validate_tax_code
from motcua.documents import digitisation
from motcua.dossiers.lifecycle import ACTIONS, ActionSpec, State
from motcua.dossiers.models import ApplicantKind, Dossier, ResultDelivery
from motcua.dossiers.queries import QueueFilters
from motcua.dossiers.services import Applicant

REASON_REQUIRED = _("Cần ghi rõ lý do (theo quy định).")
DEFICIENCIES_REQUIRED = _(
    "Liệt kê đầy đủ các nội dung cần bổ sung, hoàn thiện trong một lần (mỗi dòng một nội dung)."
)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _count_field(initial: int, label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=99,
        initial=initial,
        required=False,
        widget=forms.NumberInput(attrs={"class": "count"}),
    )


OUTCOMES = ("receive", "request_completion", "refuse")
DELIVERY = [
    (ResultDelivery.COUNTER, _("Tại Bộ phận Một cửa")),
    (ResultDelivery.POST, _("Qua dịch vụ bưu chính")),
]


class DeskForm(DeskPostalMixin, forms.Form):
    """The reception desk (tiếp nhận hồ sơ tại quầy hoặc qua bưu chính): checklist,
    applicant, outcome; the channel and the post's handover (``postal_forms``)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    case = forms.TypedChoiceField(label=_("Trường hợp"), coerce=int, widget=forms.RadioSelect)
    extra_name = forms.CharField(label=_("Giấy tờ khác (nếu có)"), max_length=500, required=False)
    extra_originals = _count_field(0, _("Bản chính"))
    extra_copies = _count_field(0, _("Bản sao"))
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(label=_("Họ và tên (hoặc tên tổ chức)"), max_length=255)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=20,
        help_text=_("12 chữ số. Tổ chức: mã số thuế."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_birth_date = forms.DateField(label=_("Ngày sinh"), required=False, widget=DATE)
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=255, required=False)
    representative_name = forms.CharField(
        label=_("Người nộp thay (được ủy quyền)"), max_length=255, required=False
    )
    representative_id_number = forms.CharField(
        label=_("Số định danh người nộp thay"), max_length=20, required=False
    )
    representative_phone = forms.CharField(
        label=_("Điện thoại người nộp thay"), max_length=20, required=False
    )
    result_delivery = forms.ChoiceField(
        label=_("Nơi nhận kết quả"),
        choices=DELIVERY,
        initial=ResultDelivery.COUNTER,
        widget=forms.RadioSelect,
    )
    sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=50, initial=1)
    deficiencies = forms.CharField(
        label=_("Nội dung cần bổ sung, hoàn thiện (Mẫu 02), mỗi dòng một nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi yêu cầu bổ sung hoặc từ chối)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    outcome = forms.ChoiceField(choices=[(o, o) for o in OUTCOMES], required=False)

    def __init__(
        self, cases, *args, requirements=None, store=(), user=None, now=None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.add_desk_postal_fields(now)
        self.cases = list(cases)
        self.fields["case"].choices = [(c.pk, c.name) for c in self.cases]
        if self.cases:
            self.fields["case"].initial = self.cases[0].pk
        else:
            self.fields["case"].required = False
        #: Digitisation (Circular 01/2023): the rule per component, the applicant's stored
        #: documents, and the files scanned on an earlier attempt of this form.
        self.requirements: dict[int, str] = {}
        self.kept = digitise.kept_files(user, self.data)
        specs = [spec for case in self.cases for spec in case.components.all()]
        rules = requirements if requirements is not None else digitisation.requirements(specs)
        choices = digitise.store_choices(store)
        for spec in specs:
            self.fields[f"got_{spec.pk}"] = forms.BooleanField(label=spec.name, required=False)
            self.fields[f"orig_{spec.pk}"] = _count_field(spec.originals, _("Bản chính"))
            self.fields[f"copy_{spec.pk}"] = _count_field(spec.copies, _("Bản sao"))
            digitise.add_fields(self, spec, rules[spec.pk], choices)

    def checklist(self) -> list[tuple]:
        """(case, [(spec, ticked, originals, copies, digitisation row)]) for the template."""
        return [
            (
                case,
                [
                    (
                        spec,
                        self[f"got_{spec.pk}"],
                        self[f"orig_{spec.pk}"],
                        self[f"copy_{spec.pk}"],
                        self._digitisation_row(spec),
                    )
                    for spec in case.components.all()
                ],
            )
            for case in self.cases
        ]

    def _digitisation_row(self, spec) -> dict:
        requirement = self.requirements[spec.pk]
        return {
            "requirement": requirement,
            "label": digitisation.label(requirement),
            "required": requirement == digitisation.Requirement.REQUIRED,
            "exempt": digitisation.is_exempt(requirement),
            "file": self[digitise.name("file", spec.pk)],
            "store": self[digitise.name("store", spec.pk)],
            "meta": [self[digitise.name(f, spec.pk)] for f in digitise.META_FIELDS],
            "kept": self.kept.get(spec.pk),
            "kept_name": digitise.name("kept", spec.pk),
            "has_store": len(self.fields[digitise.name("store", spec.pk)].choices) > 1,
            "errors": any(
                self[digitise.name(f, spec.pk)].errors
                for f in ("file", "store", *digitise.META_FIELDS)
            ),
        }

    def chosen_specs(self) -> list:
        """The ticked components of the chosen case."""
        data = self.cleaned_data
        chosen = next((c for c in self.cases if c.pk == data.get("case")), None)
        return [s for s in (chosen.components.all() if chosen else ()) if data.get(f"got_{s.pk}")]

    def clean(self) -> dict:
        data = super().clean()
        self._clean_identity(data)
        self.clean_postal(data)
        outcome = data.get("outcome")
        if not outcome:
            raise ValidationError(_("Chọn một kết quả: tiếp nhận, yêu cầu bổ sung hoặc từ chối."))
        if ACTIONS[outcome].reason_required and not (data.get("reason") or "").strip():
            self.add_error("reason", REASON_REQUIRED)
        if outcome == "request_completion" and not lines(data.get("deficiencies")):
            self.add_error("deficiencies", DEFICIENCIES_REQUIRED)
        if outcome == "receive" and not self.components():
            raise ValidationError(
                _("Đánh dấu các giấy tờ đã nhận trong danh mục thành phần hồ sơ."),
                code="no_components",
            )
        for spec in self.chosen_specs():
            digitise.clean_component(self, spec, data, receiving=outcome == "receive")
        return data

    def _clean_identity(self, data: dict) -> None:
        number = data.get("applicant_id_number")
        if number:
            try:
                if data.get("applicant_kind") == ApplicantKind.ORGANISATION:
                    data["applicant_id_number"] = validate_tax_code(number)
                else:
                    birth = data.get("applicant_birth_date")
                    data["applicant_id_number"] = validate_cccd(number, birth)
            except ValidationError as exc:
                self.add_error("applicant_id_number", exc)
        representative = data.get("representative_id_number")
        if representative:
            try:
                data["representative_id_number"] = validate_cccd(representative)
            except ValidationError as exc:
                self.add_error("representative_id_number", exc)

    def components(self) -> tuple[tuple[int | None, str, int, int], ...]:
        """The ticked components of the chosen case, and the extra one if named."""
        data = self.cleaned_data
        chosen = next((c for c in self.cases if c.pk == data.get("case")), None)
        rows = []
        for spec in chosen.components.all() if chosen else ():
            if data.get(f"got_{spec.pk}"):
                rows.append(
                    (
                        spec.pk,
                        spec.name,
                        data.get(f"orig_{spec.pk}") or 0,
                        data.get(f"copy_{spec.pk}") or 0,
                    )
                )
        if (data.get("extra_name") or "").strip():
            rows.append(
                (
                    None,
                    data["extra_name"].strip(),
                    data.get("extra_originals") or 0,
                    data.get("extra_copies") or 0,
                )
            )
        return tuple(rows)

    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(
            name=d["applicant_name"],
            id_number=d["applicant_id_number"],
            kind=d["applicant_kind"],
            birth_date=d.get("applicant_birth_date"),
            phone=d.get("applicant_phone", ""),
            email=d.get("applicant_email", ""),
            address=d.get("applicant_address", ""),
            representative_name=d.get("representative_name", ""),
            representative_id_number=d.get("representative_id_number", ""),
            representative_phone=d.get("representative_phone", ""),
        )

    def outcome_params(self) -> dict:
        d = self.cleaned_data
        params = {"reason": d.get("reason", "")}
        if d["outcome"] == "request_completion":
            params["deficiencies"] = lines(d.get("deficiencies"))
        return params


#: Applicant fields a previous dossier can prefill at the desk.
PREFILL = {
    "applicant_kind": "applicant_kind",
    "applicant_name": "applicant_name",
    "applicant_birth_date": "applicant_birth_date",
    "applicant_phone": "applicant_phone",
    "applicant_email": "applicant_email",
    "applicant_address": "applicant_address",
}


def prefilled(data, previous: Dossier | None) -> dict:
    """The typed values (nothing lost), with the blank applicant fields taken from the
    applicant's previous dossier."""
    values = {key: data.get(key) for key in data}
    values.pop("csrfmiddlewaretoken", None)
    if previous is not None:
        for field, attr in PREFILL.items():
            if not (values.get(field) or "").strip():
                value = getattr(previous, attr)
                values[field] = value.isoformat() if isinstance(value, dt.date) else value or ""
    return values


class ActionForm(ReturnPostalMixin, forms.Form):
    """One lifecycle action on the dossier page: only the inputs that action takes (a return
    by post also takes the handover to the post, ``postal_forms``)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Lý do, nội dung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    assignee_id = forms.TypedChoiceField(label=_("Giao cho cán bộ"), coerce=int)
    new_due_at = forms.DateTimeField(
        label=_("Ngày giờ hẹn trả mới"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    deficiencies = forms.CharField(
        label=_("Nội dung cần bổ sung, hoàn thiện (mỗi dòng một nội dung)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    override = forms.BooleanField(
        label=_("Xác nhận yêu cầu bổ sung lần hai (hồ sơ sẽ bị tính là trễ hạn)"), required=True
    )
    returned_to = forms.CharField(label=_("Người nhận kết quả"), max_length=255)
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=ResultDelivery.choices)

    #: The inputs each action takes besides the version and, where required, the reason.
    INPUTS = {
        "assign": ("assignee_id",),
        "apologise": ("new_due_at",),
        "request_completion": ("deficiencies",),
        "request_supplement": ("override",),
        "return_result": ("returned_to", "method"),
    }

    def __init__(
        self, spec: ActionSpec, dossier: Dossier, *args, assignees=(), now=None, **kwargs
    ) -> None:
        kwargs.setdefault("prefix", spec.name)
        super().__init__(*args, **kwargs)
        self.spec = spec
        keep = {"expected_version", *self.INPUTS.get(spec.name, ())}
        if spec.reason_required:
            keep.add("reason")
        if spec.name == "request_supplement" and dossier.supplement_requests < 1:
            keep.discard("override")  # only a second request needs the explicit override
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["expected_version"].initial = dossier.version
        if "reason" in self.fields:
            self.fields["reason"].error_messages["required"] = REASON_REQUIRED
        if "deficiencies" in self.fields:
            self.fields["deficiencies"].error_messages["required"] = DEFICIENCIES_REQUIRED
        if "new_due_at" in self.fields:
            self.fields["new_due_at"].error_messages["required"] = _("Nhập ngày giờ hẹn trả mới.")
        if "assignee_id" in self.fields:
            self.fields["assignee_id"].error_messages["required"] = _("Chọn cán bộ được giao.")
            choices = [(u.pk, u.display_name()) for u in assignees]
            self.fields["assignee_id"].choices = [("", _("— Chọn cán bộ —")), *choices]
        if "returned_to" in self.fields:
            self.fields["returned_to"].initial = dossier.applicant_name
            self.fields["method"].initial = dossier.result_delivery
            self.add_postal_fields(now)

    def clean(self) -> dict:
        data = super().clean()
        self.clean_postal(data)
        return data

    @property
    def main_fields(self) -> list:
        """The visible inputs other than the handover to the post."""
        return [f for f in self.visible_fields() if f.name not in HANDOVER_FIELDS]

    @property
    def has_inputs(self) -> bool:
        return len(self.fields) > 1

    def params(self) -> dict:
        """Keyword arguments for ``services.perform``."""
        data = dict(self.cleaned_data)
        data.pop("expected_version", None)
        for name in HANDOVER_FIELDS:  # the handover goes to the postal service, not the action
            data.pop(name, None)
        if "deficiencies" in data:
            data["deficiencies"] = lines(data["deficiencies"])
        return data


class QueueFilterForm(forms.Form):
    procedure = forms.CharField(label=_("Mã thủ tục"), max_length=40, required=False)
    state = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả"))] + list(State.choices), required=False
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[("", _("Tất cả"))] + list(Channel.choices),
        required=False,
    )
    received_from = forms.DateField(label=_("Tiếp nhận từ ngày"), required=False, widget=DATE)
    received_to = forms.DateField(label=_("đến ngày"), required=False, widget=DATE)

    def filters(self) -> QueueFilters:
        """The valid filters (an invalid one is shown as an error and ignored)."""
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            procedure_code=(data.get("procedure") or "").strip(),
            state=data.get("state") or "",
            channel=data.get("channel") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
        )


class RegisterForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("Bộ phận tiếp nhận"), coerce=int, required=False, empty_value=None
    )
    day_from = forms.DateField(label=_("Từ ngày"), widget=DATE)
    day_to = forms.DateField(label=_("Đến ngày"), widget=DATE)

    def __init__(self, units, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(u.pk, f"{u.name} — {u.agency.name}") for u in units]
        if len(units) != 1:
            choices.insert(0, ("", _("Tất cả bộ phận")))
        self.fields["unit"].choices = choices

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("day_from"), data.get("day_to")
        if start and end and end < start:
            self.add_error("day_to", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data
