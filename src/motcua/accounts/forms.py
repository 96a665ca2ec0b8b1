"""Forms of the citizen account pages: field formats and messages next to each field.

Formats only (ID number, tax code, phone, e-mail, password strength); whether an ID number
or a phone is already taken is decided by :mod:`motcua.accounts.services`.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from motcua.accounts.identifiers import Identifier, classify, normalize_contact
from motcua.accounts.models import AccountKind, Language, User
from motcua.core.validators import validate_cccd, validate_tax_code

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

ENTER_IDENTIFIER = _("Vui lòng nhập số điện thoại, thư điện tử hoặc số định danh.")


def _required(what) -> str:
    """The "please enter …" message, translated lazily with the field's own words."""
    return format_lazy(_("Vui lòng nhập {what}."), what=what)


def _date_field(label: str, *, required: bool, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        error_messages={
            "required": _required(_("ngày sinh")),
            "invalid": _("Ngày sinh không hợp lệ (ngày/tháng/năm, ví dụ 17/05/1990)."),
        },
    )


class SignupForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bạn đăng ký cho"),
        choices=AccountKind.choices,
        initial=AccountKind.PERSON,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        help_text=_("Có dấu, như trên căn cước. Tổ chức: họ tên người đại diện."),
        error_messages={"required": _required(_("họ và tên"))},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước. Tổ chức: của người đại diện."),
        error_messages={"required": _required(_("số định danh cá nhân"))},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = _date_field(
        _("Ngày sinh"),
        required=False,
        help_text=_("Bắt buộc với cá nhân; phải khớp các chữ số 4–6 của số định danh."),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức"),
        max_length=300,
        required=False,
        help_text=_("Chỉ điền khi đăng ký cho tổ chức, doanh nghiệp."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=14,
        required=False,
        help_text=_("Chỉ với tổ chức: 10 chữ số (chi nhánh: thêm -xxx)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contact = forms.CharField(
        label=_("Số điện thoại di động hoặc thư điện tử"),
        max_length=254,
        help_text=_("Chúng tôi gửi mã xác nhận 6 chữ số tới đây; bạn dùng nó để đăng nhập."),
        error_messages={"required": _("Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    def clean_contact(self) -> Identifier:
        return normalize_contact(self.cleaned_data["contact"])

    def clean_tax_code(self) -> str:
        value = self.cleaned_data.get("tax_code", "").strip()
        return validate_tax_code(value) if value else ""

    def clean(self):
        data = super().clean()
        organisation = data.get("kind") == AccountKind.ORGANISATION
        if not organisation and not data.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", _required(_("ngày sinh")))
        if organisation and not data.get("organisation_name"):
            self.add_error("organisation_name", _required(_("tên tổ chức")))
        if organisation and not data.get("tax_code") and "tax_code" not in self.errors:
            self.add_error("tax_code", _required(_("mã số thuế của tổ chức")))
        _clean_id_number(self, data)
        return data


def _clean_id_number(form: forms.Form, data: dict) -> None:
    """CCCD format, and its 4th–6th digits against the birth year when both are given."""
    if "id_number" not in data:
        return
    try:
        data["id_number"] = validate_cccd(data["id_number"], data.get("birth_date"))
    except ValidationError as exc:
        form.add_error("id_number", exc)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác nhận"),
        max_length=12,
        help_text=_("6 chữ số trong tin nhắn hoặc thư chúng tôi vừa gửi."),
        error_messages={"required": _required(_("mã xác nhận"))},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if len(code) != 6 or not code.isdigit():
            raise ValidationError(_("Mã xác nhận gồm đúng 6 chữ số."), code="code_format")
        return code


class PasswordForm(forms.Form):
    """A new password, typed twice, checked by ``AUTH_PASSWORD_VALIDATORS``."""

    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        help_text=password_validation.password_validators_help_text_html,
        error_messages={"required": _required(_("mật khẩu"))},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        error_messages={"required": _("Vui lòng nhập lại mật khẩu.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user: User | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class LoginForm(forms.Form):
    identifier = forms.CharField(
        label=_("Số điện thoại, thư điện tử hoặc số định danh"),
        max_length=254,
        error_messages={"required": ENTER_IDENTIFIER},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        error_messages={"required": _required(_("mật khẩu"))},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_identifier(self) -> str:
        classify(self.cleaned_data["identifier"])  # a clear message for a malformed name
        return self.cleaned_data["identifier"]


class ForgotForm(forms.Form):
    identifier = forms.CharField(
        label=_("Số điện thoại, thư điện tử hoặc số định danh"),
        max_length=254,
        help_text=_("Chúng tôi gửi mã xác nhận tới số điện thoại (hoặc thư) của tài khoản."),
        error_messages={"required": ENTER_IDENTIFIER},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    def clean_identifier(self) -> str:
        classify(self.cleaned_data["identifier"])
        return self.cleaned_data["identifier"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={"required": _required(_("họ và tên"))},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (CCCD)"),
        max_length=20,
        error_messages={"required": _required(_("số định danh cá nhân"))},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = _date_field(_("Ngày sinh"), required=False)
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    organisation_name = forms.CharField(label=_("Tên tổ chức"), max_length=300, required=False)
    language = forms.ChoiceField(label=_("Ngôn ngữ ưa dùng"), choices=Language.choices)

    def __init__(
        self, *args, identity_verified: bool = False, organisation: bool = False, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if identity_verified:  # from the national identity: shown, not edited
            for name in ("full_name", "id_number", "birth_date"):
                self.fields[name].disabled = True
        if not organisation:
            del self.fields["organisation_name"]

    def clean(self):
        data = super().clean()
        if self.organisation and not data.get("organisation_name"):
            self.add_error("organisation_name", _required(_("tên tổ chức")))
        if not self.fields["id_number"].disabled:
            _clean_id_number(self, data)
        return data


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Số điện thoại di động hoặc thư điện tử mới"),
        max_length=254,
        help_text=_("Chúng tôi gửi mã xác nhận tới địa chỉ mới; chỉ khi nhập đúng mã mới đổi."),
        error_messages={"required": _("Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử mới.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def clean_contact(self) -> Identifier:
        return normalize_contact(self.cleaned_data["contact"])


class DemoIdentityForm(forms.Form):
    """The page of the demo identity provider (development only)."""

    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    birth_date = _date_field(_("Ngày sinh"), required=False)

    def clean(self):
        data = super().clean()
        _clean_id_number(self, data)
        return data
