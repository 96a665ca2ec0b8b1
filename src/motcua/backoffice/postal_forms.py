"""The postal fields of the staff forms (Decision 45/2016/QĐ-TTg): the desk's channel choice
with the inbound handover, and the return action's outbound handover.

Input checking and shaping only: :mod:`motcua.postal.services` decides and repeats every
check (``check_handover``); its per-field messages land next to these fields, whose names
are the :class:`~motcua.postal.services.Handover` field names.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import ResultDelivery
from motcua.postal.models import TRACKING_MAX, Carrier
from motcua.postal.services import MAX_FEE, Handover, check_handover

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
CHANNELS = [
    (Channel.COUNTER, _("Trực tiếp tại quầy")),
    (Channel.POSTAL, _("Qua dịch vụ bưu chính")),
]
#: The handover fields, named as ``Handover``'s (the service's messages are keyed so).
HANDOVER_FIELDS = (
    "carrier",
    "carrier_other",
    "tracking_number",
    "handed_over_at",
    "fee",
    "postal_employee",
)
REQUIRED = {
    "carrier": _("Chọn doanh nghiệp bưu chính."),
    "tracking_number": _("Nhập mã bưu gửi (số vận đơn)."),
    "handed_over_at": _("Nhập thời điểm giao nhận với nhân viên bưu chính."),
}


def _handover_fields(when_label, when_help) -> dict[str, forms.Field]:
    return {
        "carrier": forms.ChoiceField(
            label=_("Doanh nghiệp bưu chính"),
            choices=[("", _("— Chọn —")), *Carrier.choices],
            required=False,
        ),
        "carrier_other": forms.CharField(
            label=_("Tên doanh nghiệp bưu chính khác"), max_length=120, required=False
        ),
        "tracking_number": forms.CharField(
            label=_("Mã bưu gửi (số vận đơn)"),
            max_length=TRACKING_MAX + 10,  # spaces typed inside are dropped when cleaned
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        ),
        "handed_over_at": forms.DateTimeField(
            label=when_label, help_text=when_help, required=False, widget=DATETIME
        ),
        "fee": forms.IntegerField(
            label=_("Cước bưu chính (đồng)"),
            help_text=_("Tách riêng với phí, lệ phí của thủ tục."),
            min_value=0,
            max_value=MAX_FEE,
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        ),
        "postal_employee": forms.CharField(
            label=_("Nhân viên bưu chính (nếu có)"), max_length=255, required=False
        ),
    }


class PostalFieldsMixin:
    """Adds the handover fields to a form; ``postal_wanted()`` says when they are needed."""

    when_label = _("Thời điểm giao nhận")
    when_help = ""

    def add_postal_fields(self, now) -> None:
        self.now = now or timezone.now()
        self.fields.update(_handover_fields(self.when_label, self.when_help))
        self.fields["fee"].error_messages["min_value"] = _("Cước bưu chính không được âm.")
        self.fields["handed_over_at"].initial = timezone.localtime(self.now).replace(
            second=0, microsecond=0
        )

    def postal_wanted(self) -> bool:
        raise NotImplementedError

    @property
    def postal_fields(self) -> list:
        return [self[name] for name in HANDOVER_FIELDS if name in self.fields]

    def clean_postal(self, data: dict) -> None:
        """Required fields when wanted, then the service's own checks, each message next to
        its field."""
        if not self.postal_wanted():
            for name in HANDOVER_FIELDS:  # fields left over from a change of mind: ignored
                self._errors.pop(name, None)
            return
        missing = False
        for name, message in REQUIRED.items():
            if data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
                missing = True
        if missing or any(name in self.errors for name in HANDOVER_FIELDS):
            return
        try:
            check_handover(self._handover(data), now=self.now)
        except InvalidInput as exc:
            for name, message in exc.details.items():
                self.add_error(name if name in self.fields else None, message)

    def _handover(self, data: dict) -> Handover:
        return Handover(
            carrier=data.get("carrier") or "",
            carrier_other=data.get("carrier_other") or "",
            tracking_number=data.get("tracking_number") or "",
            handed_over_at=data.get("handed_over_at"),
            fee=data.get("fee") or 0,
            postal_employee=data.get("postal_employee") or "",
        )

    def postal_handover(self) -> Handover | None:
        """The handover typed (valid form), or None when the postal channel is not used."""
        if not self.postal_wanted():
            return None
        return self._handover(self.cleaned_data)


class DeskPostalMixin(PostalFieldsMixin):
    """The desk: channel, and for a dossier the post hands over, the inbound handover."""

    when_label = _("Thời điểm nhận hồ sơ từ nhân viên bưu chính")
    when_help = _(
        "Là thời điểm tiếp nhận hồ sơ: thời gian chuyển phát không tính vào thời hạn giải "
        "quyết. Không được ở tương lai."
    )

    def add_desk_postal_fields(self, now) -> None:
        self.fields["channel"] = forms.ChoiceField(
            label=_("Hình thức nộp"),
            choices=CHANNELS,
            initial=Channel.COUNTER,
            required=False,  # not sent: at the counter
            widget=forms.RadioSelect,
        )
        self.add_postal_fields(now)

    def postal_wanted(self) -> bool:
        return getattr(self, "cleaned_data", {}).get("channel") == Channel.POSTAL

    @property
    def postal_open(self) -> bool:
        """Whether the page shows the handover fields open (postal chosen, or in error)."""
        return self["channel"].value() == Channel.POSTAL


class ReturnPostalMixin(PostalFieldsMixin):
    """The return action: for a result sent by post, the outbound handover."""

    when_label = _("Thời điểm giao kết quả cho bưu chính")
    when_help = _("Không được ở tương lai, không trước khi có kết quả.")

    def postal_wanted(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return "carrier" in self.fields and data.get("method") == ResultDelivery.POST

    @property
    def postal_open(self) -> bool:
        return "method" in self.fields and self["method"].value() == ResultDelivery.POST
