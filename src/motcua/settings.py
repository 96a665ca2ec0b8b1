"""The one settings module. Every knob comes from the environment (see docs/configuration.md).

``MOTCUA_ENV=production`` switches on the secure defaults that ``motcua check --deploy``
asks for; development is the default so that ``make demo`` needs no set-up.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from motcua.conf import env_bool, env_int, env_list, env_optional, env_str

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent

ENVIRONMENT = env_str(
    "MOTCUA_ENV", "development", "`development` or `production` (secure defaults on)."
)
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("MOTCUA_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION, "Django debug pages. Never true in production.")

_secret = env_optional("SECRET_KEY", "Signing key for sessions and tokens. Required in production.")
if _secret is None:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when MOTCUA_ENV=production")
    _secret = "django-insecure-development-only-key-do-not-use-in-production"
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    "" if PRODUCTION else "127.0.0.1,localhost,testserver",
    "Comma-separated host names the site answers to.",
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://host) trusted for CSRF."
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.accounts",
    "motcua.org",
    "motcua.worktime",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.supervision",
    "motcua.documents",
    "motcua.notify",
    "motcua.ratings",
    "motcua.postal",
    "motcua.backoffice",
    "motcua.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"), "Folder for the SQLite file, media."))
DATABASES = {
    "default": dj_database_url.parse(
        env_str(
            "DATABASE_URL",
            f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}",
            "Database URL: sqlite:///path or postgres://user:pass@host:5432/name.",
        ),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, "Seconds to keep DB connections."),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "backoffice:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Vietnamese first, English available; instants stored in UTC.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "vi", "Default interface language (vi or en).")
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh", "Time zone for display and working time.")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static"), "collectstatic target."))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media"), "Local file storage folder."))
MEDIA_URL = "media/"

STORAGE_BACKEND = env_str(
    "STORAGE_BACKEND",
    "django.core.files.storage.FileSystemStorage",
    "Storage class for files (S3-compatible: storages.backends.s3.S3Storage).",
)
STORAGES = {
    "default": {"BACKEND": STORAGE_BACKEND},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# S3-compatible object storage through django-storages (STORAGE_BACKEND=
# storages.backends.s3.S3Storage); see docs/documents.md. The bucket stays private: files
# leave only through the permission-checked views, never by a bucket URL.
S3_BUCKET = env_optional("S3_BUCKET", "Bucket of the S3-compatible storage.")
S3_ENDPOINT_URL = env_optional(
    "S3_ENDPOINT_URL", "Endpoint of an S3-compatible service, e.g. https://s3.example.vn."
)
S3_REGION = env_optional("S3_REGION", "Region of the bucket, e.g. us-east-1.")
S3_ACCESS_KEY_ID = env_optional("S3_ACCESS_KEY_ID", "Access key; unset: boto3's usual chain.")
S3_SECRET_ACCESS_KEY = env_optional("S3_SECRET_ACCESS_KEY", "Secret key of S3_ACCESS_KEY_ID.")
S3_ADDRESSING_STYLE = env_str(
    "S3_ADDRESSING_STYLE", "path", "path (most S3-compatible services), virtual or auto."
)
S3_PREFIX = env_str("S3_PREFIX", "", "Key prefix (folder) inside the bucket.")
S3_SIGNATURE_VERSION = env_str("S3_SIGNATURE_VERSION", "s3v4", "Request signing version.")
S3_VERIFY = env_str(
    "S3_VERIFY", "true", "TLS verification: true, false, or the path of a CA bundle file."
)
S3_SERVER_SIDE_ENCRYPTION = env_optional(
    "S3_SERVER_SIDE_ENCRYPTION", "Server-side encryption asked of the store, e.g. AES256."
)
if "storages.backends.s3" in STORAGE_BACKEND:
    if not S3_BUCKET:
        raise ValueError("STORAGE_BACKEND is S3 but S3_BUCKET is not set")
    _verify = {"true": True, "false": False}.get(S3_VERIFY.lower(), S3_VERIFY)
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": S3_ENDPOINT_URL,
        "region_name": S3_REGION,
        "access_key": S3_ACCESS_KEY_ID,
        "secret_key": S3_SECRET_ACCESS_KEY,
        "addressing_style": S3_ADDRESSING_STYLE,
        "location": S3_PREFIX,
        "signature_version": S3_SIGNATURE_VERSION,
        "verify": _verify,
        "default_acl": None,
        "querystring_auth": True,
        "object_parameters": (
            {"ServerSideEncryption": S3_SERVER_SIDE_ENCRYPTION} if S3_SERVER_SIDE_ENCRYPTION else {}
        ),
    }

# E-mail: console in development, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_optional(
    "EMAIL_HOST", "SMTP server; unset means e-mail is printed to the console."
)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25, "SMTP port.")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "", "SMTP user name.")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "", "SMTP password.")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False, "STARTTLS for SMTP.")
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Một Cửa <no-reply@localhost>", "Sender of outgoing e-mail."
)

# Security: secure by default in production (motcua check --deploy passes).
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION, "Cookies only over HTTPS.")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, "Session lifetime in seconds.")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION, "Redirect HTTP to HTTPS.")
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, "HSTS max-age in seconds."
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY", False, "Trust X-Forwarded-Proto from a TLS-terminating proxy."):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logging: readable lines in development, one JSON object a line in production.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO", "Root log level.")
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text", "`json` or `text`.")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT must be 'json' or 'text'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The national procedure data (read, never copied into the repository).
PROCEDURE_DATA_DIR = env_str(
    "PROCEDURE_DATA_DIR",
    str(BASE_DIR.parent / "shared" / "data" / "procedures"),
    "Folder of the national procedure catalogue JSONL files.",
)

# Background work: the Django tasks API; the database backend needs the worker
# (`motcua db_worker`), which `make demo` starts beside the web server.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            "Task backend: django_tasks_db.DatabaseBackend (default) or "
            "django_tasks.backends.immediate.ImmediateBackend (run inline, for tests).",
        ),
        "QUEUES": ["default"],
    }
}

# Dossiers (Decree 118/2025, Circular 03/2025): configurable rules with the legal defaults.
DOSSIER_CODE_PATTERN = env_str(
    "DOSSIER_CODE_PATTERN",
    "{agency}-{date:%y%m%d}-{seq:04d}",
    "Dossier code pattern; fields: agency (identifier), date (receipt day), seq (daily number).",
)
REGISTER_PDF_DIRECT_ROWS = env_int(
    "REGISTER_PDF_DIRECT_ROWS",
    100,
    "Registers (Mẫu 07) up to this many rows print as PDF at once; larger ones as a task.",
)
ONLINE_INTAKE_ANSWER_HOURS = env_int(
    "ONLINE_INTAKE_ANSWER_HOURS", 8, "Working hours to answer an online dossier at intake."
)
APOLOGY_WARNING_DAYS = env_int(
    "APOLOGY_WARNING_DAYS", 2, "Warn staff this many working days before a dossier's due date."
)

KIOSK_IDLE_SECONDS = env_int(
    "KIOSK_IDLE_SECONDS", 120, "Seconds of inactivity before a kiosk returns to its start page."
)

DEMO_PASSWORD = env_str(
    "DEMO_PASSWORD", "motcua-demo-2026", "Password of the demo accounts (`make demo` only)."
)

# Notifications (motcua.notify; docs/notifications.md): outbox delivery through channel plugins.
NOTIFY_CHANNELS = env_list(
    "NOTIFY_CHANNELS",
    "email,sms,zalo",
    "Notification channels switched on, by id (one per medium: email, sms, zalo).",
)
NOTIFY_PLUGIN_MODULES = env_list(
    "NOTIFY_PLUGIN_MODULES",
    "",
    "Comma-separated Python modules imported at start-up that register more channels.",
)
NOTIFY_MAX_ATTEMPTS = env_int(
    "NOTIFY_MAX_ATTEMPTS", 8, "Attempts to send a message before it is marked dead."
)
NOTIFY_RETRY_BASE_SECONDS = env_int(
    "NOTIFY_RETRY_BASE_SECONDS", 60, "Delay before the first retry; doubles after each failure."
)
NOTIFY_RETRY_MAX_SECONDS = env_int(
    "NOTIFY_RETRY_MAX_SECONDS", 3600, "Longest delay between two attempts (the backoff cap)."
)
NOTIFY_SEND_TIMEOUT = env_int(
    "NOTIFY_SEND_TIMEOUT", 30, "Seconds a channel may take to send one message (SMTP timeout)."
)
NOTIFY_SMS_ASCII = env_bool(
    "NOTIFY_SMS_ASCII", False, "Strip Vietnamese diacritics from SMS/Zalo texts (160 characters)."
)
NOTIFY_SITE_URL = env_str(
    "NOTIFY_SITE_URL",
    "http://127.0.0.1:8000",
    "Public address of the portal, for the links in messages.",
)

# Documents (motcua.documents; docs/documents.md): uploads, encryption at rest, signing.
UPLOAD_MAX_FILE_MB = env_int("UPLOAD_MAX_FILE_MB", 10, "Largest accepted upload, in MB (per file).")
UPLOAD_MAX_DOSSIER_MB = env_int(
    "UPLOAD_MAX_DOSSIER_MB", 50, "Largest total size of the files of one dossier, in MB."
)
UPLOAD_MAX_PDF_PAGES = env_int("UPLOAD_MAX_PDF_PAGES", 100, "Most pages accepted in one PDF.")
ORPHAN_SCAN_HOURS = env_int(
    "ORPHAN_SCAN_HOURS",
    24,
    "Hours after which a stored file attached to nothing (a desk scan of a dossier never "
    "received) is purged.",
)
# Postal channel (motcua.postal; Decision 45/2016): receipt at the handover, transit not counted.
POSTAL_RECEIPT_AT_HANDOVER = env_bool(
    "POSTAL_RECEIPT_AT_HANDOVER",
    True,
    "A postal dossier is received at the time the one-stop unit took it from the postal "
    "employee (transit not counted); false: at the time the officer records it.",
)
POSTAL_HANDOVER_MAX_AGE_DAYS = env_int(
    "POSTAL_HANDOVER_MAX_AGE_DAYS", 30, "How many days back a postal handover may be entered."
)
FILE_ENCRYPTION_KEYS = env_optional(
    "FILE_ENCRYPTION_KEYS",
    "Comma-separated Fernet keys for files encrypted at rest (ID images); the first encrypts, "
    "all decrypt. Required in production; development derives one from SECRET_KEY.",
)
PDF_SIGNER_BACKEND = env_str(
    "PDF_SIGNER_BACKEND", "pkcs12", "Signer plugin: `pkcs12` (files, demo) or `pkcs11` (token/HSM)."
)
SIGNING_PKI_DIR = env_str(
    "SIGNING_PKI_DIR", str(DATA_DIR / "pki"), "Folder of the demo CA and the PKCS#12 signers."
)
SIGNING_PKCS12_PASSWORD = env_str(
    "SIGNING_PKCS12_PASSWORD",
    "motcua-demo-pki",
    "Password of the PKCS#12 files written by `motcua demo-ca` and read by the pkcs12 signer.",
)
SIGNING_PKCS11_MODULE = env_optional(
    "SIGNING_PKCS11_MODULE", "Path of the PKCS#11 library of the token or HSM (pkcs11 signer)."
)
SIGNING_PKCS11_TOKEN_LABEL = env_optional(
    "SIGNING_PKCS11_TOKEN_LABEL", "Label of the PKCS#11 token holding the signing keys."
)
SIGNING_PKCS11_KEY_LABEL = env_optional(
    "SIGNING_PKCS11_KEY_LABEL",
    "Key label on the token: one label for every signer, or `signer=label` pairs, comma-separated.",
)
SIGNING_PKCS11_PIN = env_optional("SIGNING_PKCS11_PIN", "User PIN of the PKCS#11 token.")
SIGNING_TSA_URL = env_optional(
    "SIGNING_TSA_URL", "RFC 3161 time-stamping service added to signatures (PAdES-T); unset: none."
)
SIGNING_TRUST_ROOTS = env_list(
    "SIGNING_TRUST_ROOTS",
    "",
    "Comma-separated PEM/DER files of the root certificates trusted when verifying signatures.",
)
SIGNING_TRUST_DEMO_CA = env_bool(
    "SIGNING_TRUST_DEMO_CA",
    not PRODUCTION,
    "Also trust the demo CA of `motcua demo-ca` when verifying. Never in production.",
)
SIGNING_VERIFY_ONLINE = env_bool(
    "SIGNING_VERIFY_ONLINE",
    PRODUCTION,
    "Fetch CRL/OCSP revocation data over the network when verifying signatures.",
)

# Cache: per-process memory by default; Redis (shared by all workers) when CACHE_URL is set,
# which production needs for rate limits to hold across processes.
CACHE_URL = env_optional("CACHE_URL", "Cache server, e.g. redis://127.0.0.1:6379/0.")
CACHES = {
    "default": (
        {"BACKEND": "motcua.core.cache.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Public tracking (tra cứu hồ sơ): attempts allowed per client address per window.
TRACKING_ATTEMPTS = env_int(
    "TRACKING_ATTEMPTS", 10, "Failed tracking look-ups allowed per address in the window."
)
TRACKING_WINDOW_SECONDS = env_int(
    "TRACKING_WINDOW_SECONDS", 900, "Length of the tracking rate-limit window, in seconds."
)
TRACKING_CACHE_SECONDS = env_int(
    "TRACKING_CACHE_SECONDS",
    3600,
    "Seconds a rendered dossier part of the tracking page stays cached (0: not cached).",
)
VERIFY_ATTEMPTS = env_int(
    "VERIFY_ATTEMPTS", 30, "Files one address may check on /xac-thuc/ in the window."
)
VERIFY_WINDOW_SECONDS = env_int(
    "VERIFY_WINDOW_SECONDS", 900, "Length of the verification rate-limit window, in seconds."
)

# Citizen portal (motcua.portal): drafts of online dossiers.
PORTAL_DRAFT_RETENTION_DAYS = env_int(
    "PORTAL_DRAFT_RETENTION_DAYS",
    30,
    "Days an untouched draft is kept before `motcua purge-drafts` deletes it with its files.",
)

# Satisfaction ratings (motcua.ratings): the invitation's link, the counter tablets.
RATING_TOKEN_DAYS = env_int(
    "RATING_TOKEN_DAYS", 30, "Days the rating link sent with the result stays valid."
)
RATING_SATISFIED_MIN = env_int(
    "RATING_SATISFIED_MIN", 4, "Lowest overall score (1–5) that counts as satisfied."
)
if not 1 <= RATING_SATISFIED_MIN <= 5:
    raise ImproperlyConfigured("RATING_SATISFIED_MIN must be between 1 and 5")
RATING_COUNTER_SESSION_MINUTES = env_int(
    "RATING_COUNTER_SESSION_MINUTES",
    15,
    "Minutes a transaction shown on a counter's rating tablet stays open for rating.",
)
RATING_TABLET_POLL_SECONDS = env_int(
    "RATING_TABLET_POLL_SECONDS", 3, "How often a counter's rating tablet asks what to show."
)
RATING_TABLET_RESET_SECONDS = env_int(
    "RATING_TABLET_RESET_SECONDS",
    10,
    "Seconds the tablet shows its thanks before returning to the idle screen.",
)
RATING_TABLET_PAIRING_DAYS = env_int(
    "RATING_TABLET_PAIRING_DAYS", 365, "Days a device stays paired as a counter's rating tablet."
)

# Supervision (motcua.supervision; docs/supervision.md): aggregates, reports, the 766 index.
SUPERVISION_REBUILD_BATCH = env_int(
    "SUPERVISION_REBUILD_BATCH",
    500,
    "Dossiers replayed per transaction by `motcua rebuild-stats`.",
)

# Citizen accounts and identity (motcua.accounts; docs/identity.md).
SESSION_COOKIE_SAMESITE = env_str(
    "SESSION_COOKIE_SAMESITE",
    "Lax",
    "SameSite of the session cookie: Lax (default; identity-provider callbacks need it) or Strict.",
)
ACCOUNT_CODE_TTL_MINUTES = env_int(
    "ACCOUNT_CODE_TTL_MINUTES", 10, "Minutes a one-time code (mã xác nhận) stays valid."
)
ACCOUNT_CODE_MAX_ATTEMPTS = env_int(
    "ACCOUNT_CODE_MAX_ATTEMPTS", 5, "Wrong tries allowed for one code before it is cancelled."
)
ACCOUNT_CODE_RESEND_SECONDS = env_int(
    "ACCOUNT_CODE_RESEND_SECONDS", 60, "Seconds to wait before another code goes to one address."
)
ACCOUNT_CODE_MAX_PER_HOUR = env_int(
    "ACCOUNT_CODE_MAX_PER_HOUR", 5, "Most codes sent to one phone number or e-mail in an hour."
)
ACCOUNT_CODE_IP_LIMIT = env_int(
    "ACCOUNT_CODE_IP_LIMIT", 20, "Most codes one client address may request in an hour."
)
ACCOUNT_LOGIN_MAX_FAILURES = env_int(
    "ACCOUNT_LOGIN_MAX_FAILURES", 5, "Wrong passwords in a row that lock a citizen account."
)
ACCOUNT_LOCKOUT_MINUTES = env_int(
    "ACCOUNT_LOCKOUT_MINUTES", 15, "Minutes a citizen account stays locked after that."
)
ACCOUNT_LOGIN_IP_ATTEMPTS = env_int(
    "ACCOUNT_LOGIN_IP_ATTEMPTS", 20, "Failed citizen logins allowed per client address per window."
)
ACCOUNT_LOGIN_IP_WINDOW_SECONDS = env_int(
    "ACCOUNT_LOGIN_IP_WINDOW_SECONDS", 900, "Length of the citizen-login throttle window (s)."
)
IDENTITY_PROVIDERS = env_list(
    "IDENTITY_PROVIDERS",
    "" if PRODUCTION else "demo",
    "Identity providers switched on, by id (vneid = OpenID Connect; demo = local, not in "
    "production).",
)
IDENTITY_PLUGIN_MODULES = env_list(
    "IDENTITY_PLUGIN_MODULES", "", "Python modules imported at start-up that register providers."
)
IDENTITY_OIDC_LABEL = env_str(
    "IDENTITY_OIDC_LABEL", "VNeID", "Name of the OpenID Connect provider on the sign-in button."
)
IDENTITY_OIDC_ISSUER = env_optional(
    "IDENTITY_OIDC_ISSUER", "Issuer URL of the OpenID Connect provider (discovery is read there)."
)
IDENTITY_OIDC_CLIENT_ID = env_optional(
    "IDENTITY_OIDC_CLIENT_ID", "Client id of the portal at the OpenID Connect provider."
)
IDENTITY_OIDC_CLIENT_SECRET = env_optional(
    "IDENTITY_OIDC_CLIENT_SECRET", "Client secret of the portal at the OpenID Connect provider."
)
IDENTITY_OIDC_SCOPES = env_list(
    "IDENTITY_OIDC_SCOPES", "openid,profile,email,phone", "Scopes asked for (must include openid)."
)
IDENTITY_OIDC_CLAIMS = env_list(
    "IDENTITY_OIDC_CLAIMS",
    "",
    "Claim names differing from the defaults, as field=claim pairs, e.g. id_number=so_dinh_danh.",
)
IDENTITY_OIDC_TOKEN_AUTH = env_str(
    "IDENTITY_OIDC_TOKEN_AUTH",
    "client_secret_basic",
    "Client authentication at the token endpoint: client_secret_basic or client_secret_post.",
)
IDENTITY_OIDC_ALGORITHMS = env_list(
    "IDENTITY_OIDC_ALGORITHMS", "RS256", "ID token signature algorithms accepted (asymmetric)."
)
IDENTITY_OIDC_USERINFO = env_bool(
    "IDENTITY_OIDC_USERINFO", True, "Also read the userinfo endpoint after the ID token."
)
IDENTITY_OIDC_TIMEOUT = env_int(
    "IDENTITY_OIDC_TIMEOUT", 10, "Seconds to wait for the OpenID Connect provider."
)
IDENTITY_OIDC_REDIRECT_URI = env_optional(
    "IDENTITY_OIDC_REDIRECT_URI",
    "Callback URL registered at the provider; unset: <this site>/tai-khoan/oidc/callback/.",
)
