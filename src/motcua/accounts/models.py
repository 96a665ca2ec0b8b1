"""The user model (tài khoản người dùng) shared by staff and citizens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: an officer (cán bộ) or a citizen (công dân).

    What a staff member may do is decided by ``org.RoleAssignment`` through
    ``motcua.org.permissions``, never by fields on this model.
    """

    full_name = models.CharField(
        _("họ và tên"),
        max_length=200,
        blank=True,
        help_text=_("Họ và tên đầy đủ, có dấu, như trên giấy tờ tùy thân."),
    )
    phone = models.CharField(
        _("số điện thoại"),
        max_length=20,
        blank=True,
        help_text=_("Số điện thoại liên hệ (dữ liệu cá nhân, được che khi hiển thị công khai)."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class ApiToken(models.Model):
    """A bearer token for machine clients of the API (only its SHA-256 is stored)."""

    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("Tài khoản mà ứng dụng gọi API thay mặt; quyền theo tài khoản này."),
    )
    name = models.CharField(_("tên"), max_length=100, help_text=_("Ứng dụng dùng mã này."))
    key_hash = models.CharField(
        _("mã băm"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 của mã; mã gốc chỉ hiện một lần."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, help_text=_("Ngày tạo."))
    revoked = models.BooleanField(
        _("đã thu hồi"), default=False, help_text=_("Mã bị thu hồi không dùng được nữa.")
    )

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"


# --- citizen and organisation accounts (tài khoản công dân, tổ chức) -----------------------


class AccountKind(models.TextChoices):
    PERSON = "person", _("Cá nhân (công dân)")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class CitizenProfile(models.Model):
    """The portal account of a citizen (công dân) or an organisation (tổ chức).

    ``id_number`` is the 12-digit personal identification number (số định danh cá nhân, CCCD):
    the citizen's own, or the legal representative's for an organisation. The name lives on
    ``User.full_name``; the verified phone and e-mail live here (unique: they are login
    names) and are mirrored to ``User.phone`` / ``User.email`` by the services.
    """

    user = models.OneToOneField(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="citizen_profile",
        help_text=_("Tài khoản đăng nhập của công dân hoặc tổ chức."),
    )
    kind = models.CharField(
        _("loại tài khoản"),
        max_length=12,
        choices=AccountKind.choices,
        default=AccountKind.PERSON,
        help_text=_("Cá nhân hoặc tổ chức."),
    )
    id_number = models.CharField(
        _("số định danh cá nhân"),
        max_length=12,
        db_index=True,
        help_text=_(
            "Số định danh cá nhân (CCCD) 12 chữ số; với tổ chức là của người đại diện. "
            "Dữ liệu cá nhân: chỉ hiện 4 số cuối ở nơi công khai."
        ),
    )
    birth_date = models.DateField(
        _("ngày sinh"),
        null=True,
        blank=True,
        help_text=_("Ngày sinh (người đại diện nếu là tổ chức)."),
    )
    address = models.CharField(
        _("địa chỉ"), max_length=300, blank=True, help_text=_("Địa chỉ liên hệ hoặc nơi cư trú.")
    )
    phone = models.CharField(
        _("số điện thoại"),
        max_length=15,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Số di động đã xác nhận bằng mã (dạng 0xxxxxxxxx); dùng để đăng nhập."),
    )
    email = models.EmailField(
        _("thư điện tử"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Địa chỉ thư đã xác nhận bằng mã (chữ thường); dùng để đăng nhập."),
    )
    organisation_name = models.CharField(
        _("tên tổ chức"), max_length=300, blank=True, help_text=_("Tên tổ chức, doanh nghiệp.")
    )
    tax_code = models.CharField(
        _("mã số thuế"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Mã số thuế của tổ chức (10 số, chi nhánh thêm -xxx)."),
    )
    phone_verified = models.BooleanField(
        _("đã xác nhận số điện thoại"), default=False, help_text=_("Đã nhập đúng mã gửi qua SMS.")
    )
    email_verified = models.BooleanField(
        _("đã xác nhận thư điện tử"), default=False, help_text=_("Đã nhập đúng mã gửi qua thư.")
    )
    identity_verified = models.BooleanField(
        _("đã xác thực định danh"),
        default=False,
        help_text=_(
            "Đã đăng nhập qua nhà cung cấp định danh (VNeID…) trả về đúng số định danh; "
            "họ tên, ngày sinh và số định danh khi đó lấy theo định danh quốc gia."
        ),
    )
    language = models.CharField(
        _("ngôn ngữ"),
        max_length=5,
        choices=Language.choices,
        default=Language.VI,
        help_text=_("Ngôn ngữ ưa dùng trên cổng và trong thông báo."),
    )
    failed_logins = models.PositiveSmallIntegerField(
        _("số lần đăng nhập sai liên tiếp"),
        default=0,
        help_text=_("Đếm lại từ 0 khi đăng nhập đúng hoặc khi tài khoản bị tạm khóa."),
    )
    locked_until = models.DateTimeField(
        _("tạm khóa đến"),
        null=True,
        blank=True,
        help_text=_("Đăng nhập bằng mật khẩu bị từ chối đến lúc này (sau quá nhiều lần sai)."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), help_text=_("Lúc đăng ký."))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True, help_text=_("Lần sửa."))

    class Meta:
        verbose_name = _("tài khoản công dân, tổ chức")
        verbose_name_plural = _("tài khoản công dân, tổ chức")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=models.Q(kind="person"),
                name="citizen_person_id_number_unique",
                violation_error_message=_("Số định danh này đã có tài khoản cá nhân."),
            ),
        ]

    def __str__(self) -> str:
        from motcua.accounts.identifiers import mask_id

        name = self.organisation_name if self.is_organisation else self.user.display_name()
        return f"{name} ({mask_id(self.id_number)})"

    @property
    def is_organisation(self) -> bool:
        return self.kind == AccountKind.ORGANISATION

    def masked_id(self) -> str:
        from motcua.accounts.identifiers import mask_id

        return mask_id(self.id_number)


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", _("Đăng ký tài khoản")
    RESET = "reset", _("Đặt lại mật khẩu")
    CONTACT = "contact", _("Đổi số điện thoại hoặc thư điện tử")


class OneTimeCode(models.Model):
    """A 6-digit one-time code (mã xác nhận) sent by SMS or e-mail; only its keyed hash is kept.

    Valid for ``ACCOUNT_CODE_TTL_MINUTES``; at most ``ACCOUNT_CODE_MAX_ATTEMPTS`` wrong tries;
    a new code for the same address and purpose replaces the old one.
    """

    purpose = models.CharField(
        _("mục đích"), max_length=10, choices=CodePurpose.choices, help_text=_("Dùng mã để làm gì.")
    )
    medium = models.CharField(
        _("kênh"), max_length=8, help_text=_("email hoặc sms: loại địa chỉ nhận mã.")
    )
    recipient = models.CharField(
        _("người nhận"),
        max_length=254,
        help_text=_("Số điện thoại hoặc thư điện tử nhận mã (đã chuẩn hóa)."),
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="one_time_codes",
        help_text=_("Tài khoản liên quan (đặt lại mật khẩu, đổi liên hệ); trống khi đăng ký."),
    )
    code_hash = models.CharField(
        _("mã băm"), max_length=64, editable=False, help_text=_("HMAC-SHA256 của mã (khóa bí mật).")
    )
    attempts = models.PositiveSmallIntegerField(
        _("số lần nhập sai"), default=0, help_text=_("Số lần đã nhập sai mã này.")
    )
    created_at = models.DateTimeField(_("gửi lúc"), help_text=_("Lúc tạo và gửi mã."))
    expires_at = models.DateTimeField(_("hết hạn lúc"), help_text=_("Sau lúc này mã vô hiệu."))
    used_at = models.DateTimeField(
        _("dùng lúc"),
        null=True,
        blank=True,
        help_text=_("Lúc nhập đúng mã, hoặc lúc mã bị thay bằng mã mới."),
    )
    message_id = models.PositiveBigIntegerField(
        _("tin nhắn"), null=True, blank=True, help_text=_("Tin trong hộp thư đi mang mã này.")
    )

    class Meta:
        verbose_name = _("mã xác nhận")
        verbose_name_plural = _("mã xác nhận")
        indexes = [models.Index(fields=["recipient", "created_at"], name="otp_recipient_time")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.medium})"


class LoginEvent(models.Model):
    """The security log of citizen accounts (nhật ký an ninh tài khoản): sign-ins, failures,
    lockouts, codes, password and contact changes. Identifiers are stored masked."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Đăng nhập thành công")
        LOGIN_FAILED = "login_failed", _("Đăng nhập sai")
        LOCKED = "locked", _("Tài khoản bị tạm khóa")
        REFUSED_LOCKED = "refused_locked", _("Từ chối: tài khoản đang tạm khóa")
        THROTTLED = "throttled", _("Từ chối: địa chỉ mạng thử quá nhiều lần")
        LOGOUT = "logout", _("Đăng xuất")
        SIGNUP = "signup", _("Đăng ký tài khoản")
        CODE_SENT = "code_sent", _("Gửi mã xác nhận")
        CODE_FAILED = "code_failed", _("Nhập sai mã xác nhận")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
        CONTACT_CHANGED = "contact_changed", _("Đổi số điện thoại / thư điện tử")
        EXTERNAL_LOGIN = "external_login", _("Đăng nhập qua nhà cung cấp định danh")
        EXTERNAL_FAILED = "external_failed", _("Đăng nhập qua nhà cung cấp định danh bị từ chối")

    at = models.DateTimeField(_("lúc"), db_index=True, help_text=_("Thời điểm (UTC)."))
    kind = models.CharField(
        _("sự kiện"), max_length=20, choices=Kind.choices, help_text=_("Loại sự kiện an ninh.")
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="login_events",
        help_text=_("Tài khoản liên quan, nếu xác định được."),
    )
    identifier = models.CharField(
        _("tên đăng nhập (đã che)"),
        max_length=254,
        blank=True,
        help_text=_("Số điện thoại, thư hoặc số định danh đã nhập, được che một phần."),
    )
    ip_address = models.GenericIPAddressField(
        _("địa chỉ mạng"), null=True, blank=True, help_text=_("Địa chỉ IP của máy khách.")
    )
    user_agent = models.CharField(
        _("trình duyệt"), max_length=200, blank=True, help_text=_("User-Agent (rút gọn).")
    )
    detail = models.CharField(
        _("chi tiết"), max_length=255, blank=True, help_text=_("Ghi chú thêm (nhà cung cấp…).")
    )

    class Meta:
        verbose_name = _("sự kiện an ninh tài khoản")
        verbose_name_plural = _("nhật ký an ninh tài khoản")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="loginevent_user_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}"


class IdentityLink(models.Model):
    """An account at an identity provider (VNeID…) linked to a local user: provider + subject."""

    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="identity_links",
        help_text=_("Tài khoản trên cổng."),
    )
    provider = models.CharField(
        _("nhà cung cấp định danh"),
        max_length=40,
        help_text=_("Mã nhà cung cấp (IDENTITY_PROVIDERS)."),
    )
    subject = models.CharField(
        _("mã chủ thể"), max_length=255, help_text=_("Giá trị `sub` do nhà cung cấp cấp.")
    )
    linked_at = models.DateTimeField(_("liên kết lúc"), help_text=_("Lần đầu đăng nhập qua đây."))
    last_login_at = models.DateTimeField(
        _("đăng nhập gần nhất"), help_text=_("Lần gần nhất đăng nhập qua nhà cung cấp này.")
    )

    class Meta:
        verbose_name = _("liên kết định danh")
        verbose_name_plural = _("liên kết định danh")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
