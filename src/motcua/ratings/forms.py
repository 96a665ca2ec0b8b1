"""Forms of the staff pages: the period of a report and the dossier put on a tablet."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.ratings.queries import Period


class PeriodForm(forms.Form):
    tu = forms.DateField(
        label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    den = forms.DateField(
        label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        if data.get("tu") and data.get("den") and data["tu"] > data["den"]:
            self.add_error("den", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data


def default_period(today: dt.date) -> Period:
    """From the first of January to today."""
    return Period(today.replace(month=1, day=1), today)


def period_from(params, today: dt.date) -> tuple[PeriodForm, Period]:
    """The period asked for in the query string (this year so far when none or invalid)."""
    fallback = default_period(today)
    if "tu" not in params and "den" not in params:
        return PeriodForm(initial={"tu": fallback.start, "den": fallback.end}), fallback
    form = PeriodForm(params)
    if form.is_valid():
        return form, Period(form.cleaned_data["tu"], form.cleaned_data["den"])
    return form, fallback


class SessionForm(forms.Form):
    ma_ho_so = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=60,
        help_text=_("Mã trên giấy tiếp nhận, ví dụ 000.21.26.H29-260302-0001."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
