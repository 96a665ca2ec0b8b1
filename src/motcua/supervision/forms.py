"""Filters of the supervision pages: which agency, which period, which grouping."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Level
from motcua.supervision.dimensions import Period
from motcua.supervision.queries import METRICS, Selection
from motcua.supervision.report import GROUP_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SelectionForm(forms.Form):
    """An agency the user supervises (one query loaded by the view), and a period."""

    agency = forms.TypedChoiceField(label=_("Cơ quan"), coerce=int)
    subordinates = forms.BooleanField(
        label=_("Gồm các cơ quan trực thuộc"), required=False, initial=False
    )
    day_from = forms.DateField(label=_("Từ ngày"), widget=DATE)
    day_to = forms.DateField(label=_("Đến ngày"), widget=DATE)

    def __init__(self, agencies, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {a.pk: a for a in agencies}
        self.fields["agency"].choices = [(a.pk, a.name) for a in agencies]

    def clean(self):
        data = super().clean()
        first, last = data.get("day_from"), data.get("day_to")
        if first and last and last < first:
            raise forms.ValidationError(_("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(self.agencies[data["agency"]], bool(data.get("subordinates")))

    def period(self) -> Period:
        return Period(self.cleaned_data["day_from"], self.cleaned_data["day_to"])

    @classmethod
    def defaults(cls, agencies, today: dt.date, *, year: bool = False) -> dict:
        first = today.replace(month=1, day=1) if year else today.replace(day=1)
        return {
            "agency": agencies[0].pk if agencies else "",
            "day_from": first.isoformat(),
            "day_to": today.isoformat(),
            "group_by": "field",
        }


class ReportForm(SelectionForm):
    group_by = forms.ChoiceField(
        label=_("Thống kê theo"), choices=list(GROUP_LABELS.items()), initial="field"
    )


class DrillDownForm(ReportForm):
    """A number of the report: its metric, row (group) and level."""

    metric = forms.ChoiceField(choices=list(METRICS.items()))
    group = forms.CharField(required=False)  # a group id, "none" (unclassified) or empty (all)
    level = forms.ChoiceField(choices=[("", "")] + list(Level.choices), required=False)
    group_by = forms.ChoiceField(choices=list(GROUP_LABELS.items()), required=False)

    def clean_group(self) -> str:
        value = self.cleaned_data.get("group") or ""
        if value not in ("", "none") and not value.isdigit():
            raise forms.ValidationError(_("Nhóm không hợp lệ."))
        return value
