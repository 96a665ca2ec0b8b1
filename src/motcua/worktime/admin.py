"""Admin screens for calendars and overrides; access decided by ``org.permissions``.

Staff with ``worktime.view`` see the national calendar and the calendars of agencies in
their scope; ``worktime.manage`` edits the calendars in scope. The national calendar and the
national overrides (government decisions) are edited by superusers only.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from motcua.org import permissions
from motcua.org.models import Agency
from motcua.worktime.library import library_days
from motcua.worktime.models import WEEKDAY_NAMES, CalendarOverride, WorkCalendar
from motcua.worktime.queries import library_differences


class WeekdayPatternField(forms.MultipleChoiceField):
    """Seven check boxes (Monday … Sunday) stored as the ``1111100`` pattern."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(choices=[(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)], **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [str(i) for i, flag in enumerate(value) if flag == "1"]
        return value

    def clean(self, value):
        chosen = set(super().clean(value))
        return "".join("1" if str(i) in chosen else "0" for i in range(7))

    def has_changed(self, initial, data):
        chosen = set(data or ())
        return (initial or "") != "".join("1" if str(i) in chosen else "0" for i in range(7))


class _WorktimeAdmin(admin.ModelAdmin):
    """Access through the permission service; national rows (scope "/") need a superuser."""

    scope_field: str = "agency__path"
    national_q = Q()

    def has_module_permission(self, request):
        return permissions.can(request.user, "worktime.view")

    def has_view_permission(self, request, obj=None):
        if obj is not None and obj.permission_scope().agency_path == "/":
            obj = None  # the national calendar is visible to all staff
        return permissions.can(request.user, "worktime.view", obj)

    def has_add_permission(self, request):
        return permissions.can(request.user, "worktime.manage")

    def has_change_permission(self, request, obj=None):
        return permissions.can(request.user, "worktime.manage", obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.can(request.user, "worktime.manage", obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        scope = permissions.scope_q(
            request.user, "worktime.view", agency_path_field=self.scope_field
        )
        return qs.filter(self.national_q | scope)

    def _in_manage_scope(self, request, queryset, path_field):
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            permissions.scope_q(request.user, "worktime.manage", agency_path_field=path_field)
        )


@admin.register(WorkCalendar)
class WorkCalendarAdmin(_WorktimeAdmin):
    national_q = Q(agency__isnull=True)
    list_display = (
        "name",
        "agency",
        "weekday_names",
        "hours",
        "cutoff",
        "saturday_reception",
        "differences_link",
    )
    list_filter = ("saturday_reception", "country")
    search_fields = ("name", "agency__identifier", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("name", "agency", "country")}),
        (
            _("Ngày và giờ làm việc"),
            {
                "fields": (
                    "working_weekdays",
                    ("morning_start", "morning_end"),
                    ("afternoon_start", "afternoon_end"),
                    "cutoff",
                )
            },
        ),
        (
            _("Tiếp nhận ngày thứ Bảy"),
            {
                "fields": (
                    "saturday_reception",
                    ("saturday_reception_start", "saturday_reception_end"),
                )
            },
        ),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "working_weekdays":
            return WeekdayPatternField(
                label=db_field.verbose_name, help_text=db_field.help_text, required=True
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = self._in_manage_scope(request, Agency.objects.all(), "path")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.required = True  # only superusers edit the national calendar
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("ngày làm việc"))
    def weekday_names(self, obj):
        return obj.weekday_names()

    @admin.display(description=_("giờ làm việc"))
    def hours(self, obj):
        return (
            f"{obj.morning_start:%H:%M}–{obj.morning_end:%H:%M}, "
            f"{obj.afternoon_start:%H:%M}–{obj.afternoon_end:%H:%M}"
        )

    @admin.display(description=_("so với thư viện holidays"))
    def differences_link(self, obj):
        url = reverse("admin:worktime_workcalendar_differences", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Ngày khác thư viện"))

    def get_urls(self):
        view = self.admin_site.admin_view(self.differences_view)
        return [
            path("<int:pk>/differences/", view, name="worktime_workcalendar_differences"),
            *super().get_urls(),
        ]

    def differences_view(self, request, pk):
        """The days of a year the override table adds or removes versus the library."""
        row = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, row):
            raise PermissionDenied
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = dt.date.today().year
        year = min(max(year, 2000), 2100)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": row,
            "title": _("Ngày khác thư viện holidays — %(name)s, năm %(year)s")
            % {"name": row, "year": year},
            "year": year,
            "years": [year - 1, year + 1],
            "rows": library_differences(row, year),
            "weekday_names": WEEKDAY_NAMES,
        }
        return TemplateResponse(request, "admin/worktime/workcalendar/differences.html", context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(_WorktimeAdmin):
    scope_field = "calendar__agency__path"
    national_q = Q(calendar__isnull=True) | Q(calendar__agency__isnull=True)
    list_display = ("date", "weekday", "kind", "scope", "legal_reference", "library_says")
    list_filter = ("kind", ("calendar", admin.EmptyFieldListFilter), "country")
    search_fields = ("legal_reference", "note", "calendar__name")
    date_hierarchy = "date"
    list_select_related = ("calendar",)
    fields = ("date", "kind", "calendar", "country", "legal_reference", "note")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "calendar" and not request.user.is_superuser:
            calendars = WorkCalendar.objects.filter(agency__isnull=False)
            kwargs["queryset"] = self._in_manage_scope(request, calendars, "agency__path")
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.required = True  # national overrides are the government's: superusers only
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return WEEKDAY_NAMES[obj.date.weekday()]

    @admin.display(description=_("phạm vi"))
    def scope(self, obj):
        return obj.calendar or _("Toàn quốc")

    @admin.display(description=_("thư viện holidays"))
    def library_says(self, obj):
        """What the library says of the day, and whether this row changes it."""
        days = library_days(obj.date.year, obj.date.year, obj.country)
        if obj.date in days.days_off:
            said, working = _("nghỉ: %s") % days.days_off[obj.date], False
        elif obj.date in days.working_days:
            said, working = _("làm bù"), True
        else:
            weekdays = obj.calendar.weekdays if obj.calendar_id else range(5)
            working = obj.date.weekday() in weekdays
            said = _("ngày làm việc") if working else _("ngày nghỉ cuối tuần")
        changes = working != (obj.kind == CalendarOverride.Kind.WORKING_DAY)
        mark = _("khác thư viện") if changes else _("trùng thư viện")
        return format_html("{} — <strong>{}</strong>" if changes else "{} — {}", said, mark)
