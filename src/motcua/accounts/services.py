"""Commands of citizen and organisation accounts (tài khoản công dân, tổ chức).

Sign-up with a one-time code, password sign-in with lockout, password reset, profile edits,
contact changes and sign-in through an identity provider. Views call these and nothing else
changes accounts. Every command takes ``now`` (the caller's clock) and a ``Client`` (address
and browser) for the security log; refusals are ``AccountError`` with a message for people.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import uuid
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.accounts import codes, messaging, queries
from motcua.accounts.errors import AccountError, LoginThrottled
from motcua.accounts.identifiers import (
    EMAIL,
    PHONE,
    Identifier,
    classify,
    mask_id,
    mask_recipient,
    normalize_contact,
)
from motcua.accounts.models import (
    AccountKind,
    CitizenProfile,
    CodePurpose,
    IdentityLink,
    OneTimeCode,
    User,
)
from motcua.accounts.security import Client, Kind, record
from motcua.core import ratelimit
from motcua.core.validators import validate_cccd


@dataclass
class Signup:
    """What a person typed on the sign-up page (kept in their session until the code)."""

    kind: str
    full_name: str
    id_number: str
    contact_kind: str
    contact: str
    birth_date: dt.date | None = None
    address: str = ""
    organisation_name: str = ""
    tax_code: str = ""
    language: str = "vi"

    @property
    def identifier(self) -> Identifier:
        return Identifier(self.contact_kind, self.contact)

    def to_session(self) -> dict:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return data

    @classmethod
    def from_session(cls, data: dict) -> Signup:
        data = dict(data)
        if data.get("birth_date"):
            data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
        return cls(**data)


# --- sign-up -------------------------------------------------------------------------------


def check_signup(signup: Signup) -> None:
    """Refuse an ID number, tax code, phone or e-mail that already has an account."""
    if signup.kind == AccountKind.PERSON and queries.person_with_id(signup.id_number):
        raise AccountError(
            _(
                "Số định danh này đã có tài khoản. Hãy đăng nhập, hoặc dùng “Quên mật khẩu” "
                "nếu không nhớ mật khẩu."
            ),
            code="duplicate_id",
            field="id_number",
        )
    if signup.tax_code and CitizenProfile.objects.filter(tax_code=signup.tax_code).exists():
        raise AccountError(
            _("Mã số thuế này đã có tài khoản tổ chức. Hãy đăng nhập bằng tài khoản đó."),
            code="duplicate_tax_code",
            field="tax_code",
        )
    if queries.contact_taken(signup.contact_kind, signup.contact):
        if signup.contact_kind == PHONE:
            message = _(
                "Số điện thoại này đã dùng cho một tài khoản khác. Hãy đăng nhập hoặc dùng "
                "cách khác."
            )
        else:
            message = _(
                "Địa chỉ thư điện tử này đã dùng cho một tài khoản khác. Hãy đăng nhập hoặc "
                "dùng cách khác."
            )
        raise AccountError(
            message,
            code="duplicate_contact",
            field="contact",
        )


def start_signup(signup: Signup, *, client: Client, now: dt.datetime) -> OneTimeCode:
    """Check the details and send a code to the phone or e-mail typed."""
    check_signup(signup)
    ident = signup.identifier
    code = codes.issue(CodePurpose.SIGNUP, ident.medium, ident.value, ip=client.ip, now=now)
    record(Kind.CODE_SENT, client=client, now=now, identifier=ident.masked(), detail="signup")
    return code


def complete_signup(signup: Signup, password: str, *, client: Client, now: dt.datetime) -> User:
    """Create the account once the code is confirmed and a password chosen."""
    check_signup(signup)
    try:
        with transaction.atomic():
            user = _create_user(signup.full_name, password, now=now)
            profile = CitizenProfile(user=user, created_at=now, **_profile_fields(signup))
            _set_contact(profile, signup.identifier)
            profile.save()
    except IntegrityError as exc:  # a concurrent sign-up took the ID, tax code or contact
        raise AccountError(
            _("Thông tin này vừa được dùng cho một tài khoản khác. Hãy đăng nhập."),
            code="duplicate",
        ) from exc
    record(Kind.SIGNUP, client=client, now=now, user=user, identifier=signup.identifier.masked())
    return user


def unsaved_user(signup: Signup) -> User:
    """A user not saved, to check a new password against the name and e-mail typed."""
    email = signup.contact if signup.contact_kind == EMAIL else ""
    return User(full_name=signup.full_name, email=email)


def _profile_fields(signup: Signup) -> dict:
    organisation = signup.kind == AccountKind.ORGANISATION
    return {
        "kind": signup.kind,
        "id_number": signup.id_number,
        "birth_date": signup.birth_date,
        "address": signup.address,
        "organisation_name": signup.organisation_name if organisation else "",
        "tax_code": (signup.tax_code or None) if organisation else None,
        "language": signup.language,
    }


def _create_user(full_name: str, password: str | None, *, now: dt.datetime) -> User:
    user = User(username=f"cd-{uuid.uuid4().hex[:16]}", full_name=full_name, date_joined=now)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _set_contact(profile: CitizenProfile, ident: Identifier) -> None:
    """Put a verified phone or e-mail on the profile and mirror it on the user."""
    if ident.kind == PHONE:
        profile.phone, profile.phone_verified = ident.value, True
        profile.user.phone = ident.value
        profile.user.save(update_fields=["phone"])
    else:
        profile.email, profile.email_verified = ident.value, True
        profile.user.email = ident.value
        profile.user.save(update_fields=["email"])


# --- codes in a flow (sign-up, reset, contact change) ---------------------------------------


def resend_code(flow: dict, *, client: Client, now: dt.datetime) -> OneTimeCode:
    """A new code to the same address for the same purpose (throttled)."""
    user = User.objects.filter(pk=flow["user_id"]).first() if flow.get("user_id") else None
    code = codes.issue(
        flow["purpose"], flow["medium"], flow["recipient"], user=user, ip=client.ip, now=now
    )
    record(
        Kind.CODE_SENT,
        client=client,
        now=now,
        user=user,
        identifier=masked_recipient(flow),
        detail=f"{flow['purpose']} (resend)",
    )
    return code


def confirm_code(flow: dict, typed: str, *, client: Client, now: dt.datetime) -> OneTimeCode:
    """Check the code of ``flow``; a wrong one is counted and logged."""
    try:
        return codes.verify(flow.get("code_id"), typed, now=now)
    except AccountError as error:
        user = User.objects.filter(pk=flow["user_id"]).first() if flow.get("user_id") else None
        record(
            Kind.CODE_FAILED,
            client=client,
            now=now,
            user=user,
            identifier=masked_recipient(flow),
            detail=error.code,
        )
        raise


def masked_recipient(flow: dict) -> str:
    return mask_recipient(flow.get("recipient", ""))


def flow_verified(flow: dict, now_ts: float) -> bool:
    """A confirmed code is good for setting a password for ``ACCOUNT_CODE_TTL_MINUTES``."""
    verified = flow.get("verified_at")
    ttl = settings.ACCOUNT_CODE_TTL_MINUTES * 60
    return (
        bool(verified)
        and flow.get("purpose") in (CodePurpose.SIGNUP, CodePurpose.RESET)
        and (now_ts - verified < ttl)
    )


# --- password sign-in, lockout -------------------------------------------------------------


def login(
    identifier: str, password: str, *, client: Client, now: dt.datetime, request=None
) -> User:
    """Sign in with a phone number, e-mail or ID number and a password.

    ``ACCOUNT_LOGIN_MAX_FAILURES`` wrong passwords in a row lock the account for
    ``ACCOUNT_LOCKOUT_MINUTES``; failures from one client address are throttled too."""
    ip_key = f"account-login:{client.ip}"
    if ratelimit.blocked(ip_key, limit=settings.ACCOUNT_LOGIN_IP_ATTEMPTS - 1):
        record(Kind.THROTTLED, client=client, now=now)
        minutes = max(settings.ACCOUNT_LOGIN_IP_WINDOW_SECONDS // 60, 1)
        raise LoginThrottled(
            ngettext(
                "Có quá nhiều lần đăng nhập sai từ máy của bạn. Vui lòng thử lại sau "
                "%(minutes)s phút.",
                "Có quá nhiều lần đăng nhập sai từ máy của bạn. Vui lòng thử lại sau "
                "%(minutes)s phút.",
                minutes,
            )
            % {"minutes": minutes},
            code="throttled",
        )
    ident = classify(identifier)
    profile = queries.profile_for(ident)
    if profile is not None and profile.locked_until and profile.locked_until > now:
        record(
            Kind.REFUSED_LOCKED,
            client=client,
            now=now,
            user=profile.user,
            identifier=ident.masked(),
        )
        raise AccountError(locked_message(profile.locked_until, now), code="locked")
    user = None
    if profile is not None:
        user = authenticate(request, username=profile.user.get_username(), password=password)
    if user is None:
        ratelimit.hit(
            ip_key,
            limit=settings.ACCOUNT_LOGIN_IP_ATTEMPTS,
            window=settings.ACCOUNT_LOGIN_IP_WINDOW_SECONDS,
        )
        _login_failed(profile, ident, client=client, now=now)
    CitizenProfile.objects.filter(pk=profile.pk).update(failed_logins=0, locked_until=None)
    record(Kind.LOGIN, client=client, now=now, user=user, identifier=ident.masked())
    return user


def _login_failed(profile, ident: Identifier, *, client: Client, now: dt.datetime):
    """Count the failure (locking the account at the limit) and raise the refusal."""
    user = profile.user if profile else None
    record(Kind.LOGIN_FAILED, client=client, now=now, user=user, identifier=ident.masked())
    limit = settings.ACCOUNT_LOGIN_MAX_FAILURES
    if profile is not None:
        CitizenProfile.objects.filter(pk=profile.pk).update(failed_logins=F("failed_logins") + 1)
        profile.refresh_from_db(fields=["failed_logins"])
        if profile.failed_logins >= limit:
            until = now + dt.timedelta(minutes=settings.ACCOUNT_LOCKOUT_MINUTES)
            CitizenProfile.objects.filter(pk=profile.pk).update(failed_logins=0, locked_until=until)
            record(Kind.LOCKED, client=client, now=now, user=user, identifier=ident.masked())
            raise AccountError(locked_message(until, now), code="locked")
    minutes = settings.ACCOUNT_LOCKOUT_MINUTES
    raise AccountError(
        ngettext(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ "
            "thường; sau %(limit)s lần sai liên tiếp, tài khoản bị tạm khóa %(minutes)s phút.",
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ "
            "thường; sau %(limit)s lần sai liên tiếp, tài khoản bị tạm khóa %(minutes)s phút.",
            minutes,
        )
        % {"limit": limit, "minutes": minutes},
        code="bad_credentials",
    )


def locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(math.ceil((until - now).total_seconds() / 60), 1)
    return ngettext(
        "Tài khoản đang tạm khóa vì nhập sai mật khẩu %(limit)s lần liên tiếp. Bạn có thể "
        "đăng nhập lại sau %(time)s (khoảng %(minutes)s phút nữa), hoặc đặt lại mật khẩu ngay "
        "bằng mã xác nhận (“Quên mật khẩu”).",
        "Tài khoản đang tạm khóa vì nhập sai mật khẩu %(limit)s lần liên tiếp. Bạn có thể "
        "đăng nhập lại sau %(time)s (khoảng %(minutes)s phút nữa), hoặc đặt lại mật khẩu ngay "
        "bằng mã xác nhận (“Quên mật khẩu”).",
        minutes,
    ) % {
        "limit": settings.ACCOUNT_LOGIN_MAX_FAILURES,
        "time": f"{timezone.localtime(until):%H:%M}",
        "minutes": minutes,
    }


def logged_out(user, *, client: Client, now: dt.datetime) -> None:
    record(Kind.LOGOUT, client=client, now=now, user=user)


# --- password reset ------------------------------------------------------------------------


def start_reset(identifier: str, *, client: Client, now: dt.datetime) -> OneTimeCode:
    """Send a reset code to the account's phone (or e-mail) matching ``identifier``."""
    ident = classify(identifier)
    profile = queries.profile_for(ident)
    if profile is None:
        raise AccountError(
            _("Không tìm thấy tài khoản với thông tin này. Kiểm tra lại, hoặc đăng ký tài khoản."),
            code="unknown_account",
            field="identifier",
        )
    target = _reset_target(profile, ident)
    if target is None:
        raise AccountError(
            _(
                "Tài khoản này chưa có số điện thoại hay thư điện tử để nhận mã. Hãy đăng nhập "
                "qua nhà cung cấp định danh, hoặc liên hệ bộ phận một cửa."
            ),
            code="no_contact",
            field="identifier",
        )
    code = codes.issue(
        CodePurpose.RESET, target.medium, target.value, user=profile.user, ip=client.ip, now=now
    )
    record(
        Kind.CODE_SENT,
        client=client,
        now=now,
        user=profile.user,
        identifier=target.masked(),
        detail="reset",
    )
    return code


def _reset_target(profile: CitizenProfile, ident: Identifier) -> Identifier | None:
    if ident.kind in (PHONE, EMAIL):
        return ident
    if profile.phone:
        return Identifier(PHONE, profile.phone)
    return Identifier(EMAIL, profile.email) if profile.email else None


def complete_reset(user: User, password: str, *, client: Client, now: dt.datetime) -> User:
    """Set the new password; this also lifts a lockout (the code proved who they are)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    CitizenProfile.objects.filter(user=user).update(failed_logins=0, locked_until=None)
    record(Kind.PASSWORD_RESET, client=client, now=now, user=user)
    return user


# --- profile and contact changes -----------------------------------------------------------


@dataclass
class ProfileChange:
    full_name: str
    birth_date: dt.date | None
    address: str
    language: str
    id_number: str | None = None
    organisation_name: str = ""
    changed: list[str] = field(default_factory=list)


#: Fields that come from the national identity once it is verified (read-only then).
IDENTITY_FIELDS = ("full_name", "birth_date", "id_number")


@transaction.atomic
def update_profile(profile: CitizenProfile, change: ProfileChange) -> CitizenProfile:
    """Save the editable details; identity fields stay as verified by the provider."""
    locked = profile.identity_verified
    if not locked and change.id_number and change.id_number != profile.id_number:
        other = queries.person_with_id(change.id_number)
        if profile.kind == AccountKind.PERSON and other and other.pk != profile.pk:
            raise AccountError(
                _("Số định danh này đã có tài khoản khác."), code="duplicate_id", field="id_number"
            )
        profile.id_number = change.id_number
    if not locked:
        profile.user.full_name = change.full_name
        profile.user.save(update_fields=["full_name"])
        profile.birth_date = change.birth_date
    profile.address, profile.language = change.address, change.language
    if profile.is_organisation:
        profile.organisation_name = change.organisation_name
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        raise AccountError(
            _("Số định danh này đã có tài khoản khác."), code="duplicate_id", field="id_number"
        ) from exc
    return profile


def start_contact_change(
    profile: CitizenProfile, contact: Identifier, *, client: Client, now: dt.datetime
) -> OneTimeCode:
    """Send a code to a new phone number or e-mail address before it replaces the old one."""
    current = profile.phone if contact.kind == PHONE else profile.email
    if contact.value == current:
        raise AccountError(
            _("Đây đã là liên hệ hiện tại của bạn."), code="same_contact", field="contact"
        )
    if queries.contact_taken(contact.kind, contact.value, exclude_user=profile.user):
        raise AccountError(
            _("Số điện thoại hoặc thư điện tử này đã dùng cho một tài khoản khác."),
            code="duplicate_contact",
            field="contact",
        )
    code = codes.issue(
        CodePurpose.CONTACT,
        contact.medium,
        contact.value,
        user=profile.user,
        ip=client.ip,
        now=now,
    )
    record(
        Kind.CODE_SENT,
        client=client,
        now=now,
        user=profile.user,
        identifier=contact.masked(),
        detail="contact",
    )
    return code


def complete_contact_change(
    profile: CitizenProfile, code: OneTimeCode, *, client: Client, now: dt.datetime
) -> CitizenProfile:
    """Apply the confirmed address; the old one (if any) is told about the change."""
    kind = EMAIL if code.medium == EMAIL else PHONE
    new = Identifier(kind, code.recipient)
    old = profile.phone if kind == PHONE else profile.email
    if queries.contact_taken(kind, new.value, exclude_user=profile.user):
        raise AccountError(
            _("Số điện thoại hoặc thư điện tử này vừa được dùng cho một tài khoản khác."),
            code="duplicate_contact",
        )
    with transaction.atomic():
        _set_contact(profile, new)
        profile.save()
        if old:
            _notify_old_contact(kind, old, new, now=now)
    record(Kind.CONTACT_CHANGED, client=client, now=now, user=profile.user, identifier=new.masked())
    return profile


def _notify_old_contact(kind: str, old: str, new: Identifier, *, now: dt.datetime) -> None:
    medium = "email" if kind == EMAIL else "sms"
    body = _(
        "Liên hệ của tài khoản Một Cửa đã đổi thành %(contact)s. Nếu không phải bạn đổi, hãy "
        "liên hệ ngay bộ phận một cửa."
    ) % {"contact": mask_recipient(new.value)}
    subject = _("Tài khoản Một Cửa: đổi liên hệ")
    with contextlib.suppress(messaging.NoChannel):  # the change stands; the log has it
        messaging.send_notice(medium, old, subject, body, now=now)


# --- sign-in through an identity provider (VNeID…) -----------------------------------------


def login_with_identity(provider: str, identity, *, client: Client, now: dt.datetime) -> User:
    """The account of a citizen proven by ``provider``: linked by (provider, subject), else
    by ID number, else created. The national identity then fills name, birth date and ID."""
    try:
        id_number = validate_cccd(identity.id_number)
    except ValidationError as exc:
        record(Kind.EXTERNAL_FAILED, client=client, now=now, detail=f"{provider}: bad id")
        raise AccountError(
            _(
                "Nhà cung cấp định danh không trả về số định danh cá nhân hợp lệ, nên không "
                "thể đăng nhập. Hãy đăng nhập bằng mật khẩu hoặc liên hệ bộ phận một cửa."
            ),
            code="bad_identity",
        ) from exc
    with transaction.atomic():
        profile = _linked_profile(provider, identity.subject, id_number)
        if profile is None:
            profile = _new_profile_from(identity, id_number, now=now)
        if not profile.user.is_active:
            raise AccountError(
                _("Tài khoản này đã bị khóa. Hãy liên hệ bộ phận một cửa."), code="inactive"
            )
        _apply_identity(profile, identity, id_number)
        IdentityLink.objects.update_or_create(
            provider=provider,
            subject=identity.subject,
            defaults={"user": profile.user, "last_login_at": now},
            create_defaults={"user": profile.user, "last_login_at": now, "linked_at": now},
        )
    record(
        Kind.EXTERNAL_LOGIN,
        client=client,
        now=now,
        user=profile.user,
        identifier=mask_id(id_number),
        detail=provider,
    )
    return profile.user


def _linked_profile(provider: str, subject: str, id_number: str) -> CitizenProfile | None:
    link = IdentityLink.objects.filter(provider=provider, subject=subject).first()
    if link is not None:
        profile = queries.profile_of(link.user)
        if profile is not None and profile.id_number == id_number:
            return profile
    return queries.person_with_id(id_number)


def _new_profile_from(identity, id_number: str, *, now: dt.datetime) -> CitizenProfile:
    user = _create_user(identity.full_name, None, now=now)
    profile = CitizenProfile(
        user=user, kind=AccountKind.PERSON, id_number=id_number, created_at=now
    )
    for kind, raw in ((PHONE, identity.phone), (EMAIL, identity.email)):
        try:
            ident = normalize_contact(raw) if raw else None
        except ValidationError:
            ident = None
        if ident and ident.kind == kind and not queries.contact_taken(kind, ident.value):
            setattr(profile, kind, ident.value)  # unverified until a code confirms it
            setattr(user, kind, ident.value)
    user.save(update_fields=["phone", "email"])
    profile.save()
    return profile


def _apply_identity(profile: CitizenProfile, identity, id_number: str) -> None:
    user = profile.user
    if identity.full_name and identity.full_name != user.full_name:
        user.full_name = identity.full_name
        user.save(update_fields=["full_name"])
    profile.id_number = id_number
    profile.birth_date = identity.birth_date or profile.birth_date
    profile.identity_verified = True
    profile.failed_logins, profile.locked_until = 0, None
    profile.save()


def external_refused(provider: str, code: str, *, client: Client, now: dt.datetime) -> None:
    """Log a refused answer of an identity provider (bad state, nonce, signature…)."""
    record(Kind.EXTERNAL_FAILED, client=client, now=now, detail=f"{provider}: {code}")
