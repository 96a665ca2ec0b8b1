"""Citizen account pages (tài khoản công dân): thin views over ``motcua.accounts.services``.

Sign-up, reset and contact changes share one code page (/tai-khoan/xac-nhan/); what the code
is for, and what was typed, waits in the session (``account_flow``) so nothing typed is lost.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import codes, forms, queries, services
from motcua.accounts.errors import AccountError, LoginThrottled
from motcua.accounts.identity import flows
from motcua.accounts.identity.base import Identity, IdentityError, registry
from motcua.accounts.models import CodePurpose, User
from motcua.accounts.security import Client

FLOW = "account_flow"
BACKEND = "django.contrib.auth.backends.ModelBackend"
T = "portal/account/"
citizen_required = login_required(login_url="portal:account_login")


def _form_error(form, error: AccountError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _safe_next(request: HttpRequest, url: str | None) -> str:
    ok = url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if ok else reverse("portal:account_profile")


def _sign_in(request: HttpRequest, user: User, next_url: str | None = None) -> HttpResponse:
    """Log in (a new session key: no fixation) and go on, in the citizen's language."""
    auth.login(request, user, backend=BACKEND)
    request.session.pop(FLOW, None)
    response = redirect(_safe_next(request, next_url))
    profile = queries.profile_of(user)
    if profile is not None:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, profile.language, samesite="Lax")
    return response


def _start_flow(request: HttpRequest, purpose: str, code, **extra) -> HttpResponse:
    request.session[FLOW] = {
        "purpose": purpose,
        "code_id": code.pk,
        "medium": code.medium,
        "recipient": code.recipient,
        "user_id": code.user_id,
        "verified_at": None,
        **extra,
    }
    return redirect("portal:account_confirm")


# --- sign-up -------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Đăng ký: the details and a phone or e-mail; a code goes there."""
    flow = request.session.get(FLOW) or {}
    if request.method == "GET":
        initial = dict(flow.get("signup") or {})
        initial.setdefault("kind", request.GET.get("loai", "person"))
        return render(request, T + "signup.html", {"form": forms.SignupForm(initial=initial)})
    form = forms.SignupForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        signup_data = services.Signup(
            kind=data["kind"],
            full_name=data["full_name"].strip(),
            id_number=data["id_number"],
            contact_kind=data["contact"].kind,
            contact=data["contact"].value,
            birth_date=data.get("birth_date"),
            organisation_name=data.get("organisation_name", "").strip(),
            tax_code=data.get("tax_code", ""),
            language=request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("vi", "en") else "vi",
        )
        now = timezone.now()
        code = _reusable_code(flow, signup_data, now)
        try:
            if code is None:
                code = services.start_signup(signup_data, client=Client.of(request), now=now)
            else:
                services.check_signup(signup_data)
        except AccountError as error:
            _form_error(form, error)
        else:
            return _start_flow(request, CodePurpose.SIGNUP, code, signup=signup_data.to_session())
    return render(request, T + "signup.html", {"form": form})


def _reusable_code(flow: dict, signup_data, now):
    """Back from the code page with the same phone/e-mail: keep the code already sent."""
    same = (
        flow.get("purpose") == CodePurpose.SIGNUP and flow.get("recipient") == signup_data.contact
    )
    return codes.live(flow.get("code_id"), now=now) if same else None


# --- the code page (sign-up, reset, contact change) ----------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Xác nhận: type the 6-digit code, or ask for a new one."""
    flow = request.session.get(FLOW)
    if not flow:
        messages.info(request, _("Phiên xác nhận đã kết thúc. Vui lòng bắt đầu lại."))
        return redirect("portal:account_signup")
    now, client = timezone.now(), Client.of(request)
    resending = request.POST.get("action") == "resend"
    form = forms.CodeForm(None if resending else (request.POST or None))
    resend_error = ""
    if resending:
        try:
            code = services.resend_code(flow, client=client, now=now)
        except AccountError as error:
            resend_error = error.message
        else:
            request.session[FLOW] = {**flow, "code_id": code.pk}
            messages.success(request, _("Đã gửi mã mới. Mã cũ không còn dùng được."))
            return redirect("portal:account_confirm")
    elif request.method == "POST" and form.is_valid():
        try:
            code = services.confirm_code(flow, form.cleaned_data["code"], client=client, now=now)
        except AccountError as error:
            _form_error(form, error)
        else:
            return _confirmed(request, flow, code, client=client, now=now)
    limits = {
        "ttl": settings.ACCOUNT_CODE_TTL_MINUTES,
        "attempts": settings.ACCOUNT_CODE_MAX_ATTEMPTS,
        "resend": settings.ACCOUNT_CODE_RESEND_SECONDS,
    }
    context = {"form": form, "flow": flow, "limits": limits, "resend_error": resend_error}
    context["masked"] = services.masked_recipient(flow)
    return render(request, T + "confirm.html", context)


def _confirmed(request, flow: dict, code, *, client, now) -> HttpResponse:
    if flow["purpose"] == CodePurpose.CONTACT:
        profile = queries.profile_of(request.user)
        if profile is None or profile.user_id != flow["user_id"]:
            request.session.pop(FLOW, None)
            return redirect("portal:account_login")
        try:
            services.complete_contact_change(profile, code, client=client, now=now)
        except AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Đã đổi thông tin liên hệ."))
        request.session.pop(FLOW, None)
        return redirect("portal:account_profile")
    flow["verified_at"] = time.time()
    request.session[FLOW] = flow
    return redirect("portal:account_set_password")


@never_cache
@require_http_methods(["GET", "POST"])
def set_password(request: HttpRequest) -> HttpResponse:
    """Đặt mật khẩu: after a confirmed sign-up or reset code."""
    flow = request.session.get(FLOW) or {}
    if not services.flow_verified(flow, time.time()):
        messages.info(request, _("Vui lòng xác nhận mã trước khi đặt mật khẩu."))
        return redirect("portal:account_confirm" if flow else "portal:account_signup")
    reset = flow["purpose"] == CodePurpose.RESET
    user = User.objects.filter(pk=flow.get("user_id")).first() if reset else None
    if reset and user is None:
        request.session.pop(FLOW, None)
        return redirect("portal:account_forgot")
    signup_data = None if reset else services.Signup.from_session(flow["signup"])
    probe = user or services.unsaved_user(signup_data)  # for the password similarity check
    form = forms.PasswordForm(request.POST or None, user=probe)
    if request.method == "POST" and form.is_valid():
        now, client, password = timezone.now(), Client.of(request), form.cleaned_data["password1"]
        try:
            if reset:
                user = services.complete_reset(user, password, client=client, now=now)
            else:
                user = services.complete_signup(signup_data, password, client=client, now=now)
        except AccountError as error:
            _form_error(form, error)
        else:
            done = _("Đã đặt lại mật khẩu.") if reset else _("Đăng ký tài khoản thành công.")
            messages.success(request, done)
            return _sign_in(request, user)
    return render(request, T + "set_password.html", {"form": form, "reset": reset})


# --- sign-in, sign-out, reset ---------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Đăng nhập: phone, e-mail or ID number and a password; or an identity provider."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    form = forms.LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.login(
                data["identifier"],
                data["password"],
                client=Client.of(request),
                now=timezone.now(),
                request=request,
            )
        except LoginThrottled as error:
            form.add_error(None, error.message)
            status = 429
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            return _sign_in(request, user, next_url)
    providers = [(p.id, p.display_label()) for p in registry.enabled()]
    context = {"form": form, "next": next_url, "providers": providers}
    return render(request, T + "login.html", context, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """Đăng xuất (POST only: a link cannot sign anyone out)."""
    if request.user.is_authenticated:
        services.logged_out(request.user, client=Client.of(request), now=timezone.now())
    auth.logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("portal:account_login")


@never_cache
@require_http_methods(["GET", "POST"])
def forgot_password(request: HttpRequest) -> HttpResponse:
    """Quên mật khẩu: a code to the account's phone or e-mail, then a new password."""
    form = forms.ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.start_reset(
                form.cleaned_data["identifier"], client=Client.of(request), now=timezone.now()
            )
        except AccountError as error:
            _form_error(form, error)
        else:
            return _start_flow(request, CodePurpose.RESET, code)
    return render(request, T + "forgot.html", {"form": form})


# --- profile ---------------------------------------------------------------------------------


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """Hồ sơ cá nhân: see and edit one's details; phone and e-mail change with a code."""
    account = queries.profile_of(request.user)
    if account is None:
        return render(request, T + "no_profile.html", status=403)
    initial = {
        "full_name": request.user.full_name,
        "id_number": account.id_number,
        "birth_date": account.birth_date,
        "address": account.address,
        "organisation_name": account.organisation_name,
        "language": account.language,
    }
    form = forms.ProfileForm(
        request.POST or None,
        initial=initial,
        identity_verified=account.identity_verified,
        organisation=account.is_organisation,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.ProfileChange(
            full_name=data["full_name"],
            birth_date=data.get("birth_date"),
            address=data.get("address", ""),
            language=data["language"],
            id_number=data.get("id_number"),
            organisation_name=data.get("organisation_name", ""),
        )
        try:
            services.update_profile(account, change)
        except AccountError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin cá nhân."))
            return redirect("portal:account_profile")
    context = {
        "form": form,
        "account": account,
        "links": queries.links_of(request.user),
        "events": queries.recent_events(request.user),
    }
    return render(request, T + "profile.html", context)


@never_cache
@citizen_required
@require_http_methods(["GET", "POST"])
def change_contact(request: HttpRequest) -> HttpResponse:
    """Đổi số điện thoại / thư điện tử: a code goes to the new address first."""
    account = queries.profile_of(request.user)
    if account is None:
        return render(request, T + "no_profile.html", status=403)
    form = forms.ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            code = services.start_contact_change(
                account,
                form.cleaned_data["contact"],
                client=Client.of(request),
                now=timezone.now(),
            )
        except AccountError as error:
            _form_error(form, error)
        else:
            return _start_flow(request, CodePurpose.CONTACT, code)
    return render(request, T + "change_contact.html", {"form": form, "account": account})


# --- identity providers ----------------------------------------------------------------------


@never_cache
def external_login(request: HttpRequest, provider: str) -> HttpResponse:
    """Đăng nhập qua VNeID…: send the browser to the provider with a fresh state and nonce."""
    chosen = registry.get(provider)
    if chosen is None:
        raise Http404(_("Không có nhà cung cấp định danh này."))
    try:
        url = flows.start(request, chosen, request.GET.get("next", ""))
    except IdentityError as error:
        return _external_error(request, error, provider, status=502)
    return redirect(url)


@never_cache
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the provider: check state, let the provider verify, link the account."""
    provider_id = ""
    try:
        flow = flows.take(request)
        provider_id = flow.provider
        provider = registry.get(flow.provider)
        if provider is None:
            raise IdentityError(_("Nhà cung cấp định danh này không còn được bật."), code="off")
        identity = provider.complete(request, flow)
        user = services.login_with_identity(
            flow.provider, identity, client=Client.of(request), now=timezone.now()
        )
    except (IdentityError, AccountError) as error:
        return _external_error(request, error, provider_id)
    return _sign_in(request, user, flow.next_url)


def _external_error(request, error, provider_id: str, status: int = 400) -> HttpResponse:
    services.external_refused(
        provider_id, error.code, client=Client.of(request), now=timezone.now()
    )
    context = {"error": error.message, "code": error.code}
    return render(request, T + "external_error.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def demo_identity(request: HttpRequest) -> HttpResponse:
    """The demo identity provider's page (development only; 404 when it is off)."""
    demo = registry.get("demo")
    if demo is None:
        raise Http404(_("Nhà cung cấp định danh thử nghiệm không được bật."))
    params = request.POST if request.method == "POST" else request.GET
    state, nonce = params.get("state", ""), params.get("nonce", "")
    form = forms.DemoIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = Identity(
            subject=f"demo-{data['id_number']}",
            id_number=data["id_number"],
            full_name=data["full_name"],
            birth_date=data.get("birth_date"),
        )
        return redirect(demo.answer(identity, state=state, nonce=nonce))
    context = {"form": form, "state": state, "nonce": nonce}
    return render(request, T + "demo_identity.html", context)
