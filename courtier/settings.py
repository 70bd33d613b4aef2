"""Settings, read from environment variables.

DATABASE_URL   database (default: SQLite under ./var/)
SECRET_KEY     signing key (default: generated once under ./var/ for local use)
DEBUG          "1"/"true" to enable debug pages (default off)
ALLOWED_HOSTS  comma-separated host names (default: loopback names)
EMAIL_URL      smtp://user:password@host:port?tls=1 | smtps://... | console:// (default console)
SITE_URL       absolute base URL used in emails (default http://127.0.0.1:8000); https:// turns
               on secure cookies, HSTS and the redirect to HTTPS (SECURE_SSL_REDIRECT=0 to keep it
               off; BEHIND_TLS_PROXY=1 to trust X-Forwarded-Proto from the proxy)
COURTIER_VAR_DIR  folder for the local database and secret key (default ./var)
STATIC_ROOT    where collectstatic puts assets in production (default: served from the apps)
S3_BUCKET      keep files in this S3-compatible bucket instead of MEDIA_ROOT (with S3_ENDPOINT_URL,
               S3_REGION, S3_PREFIX, and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
COURTIER_SIGNING_PKCS12  the broker's stamp key and certificate, a PKCS#12 file (default: a
               self-signed one made once under COURTIER_VAR_DIR/signing/, for local use)
COURTIER_SIGNING_PASSPHRASE  that file's passphrase
COURTIER_EXIT_WARNING_MONTHS  months before a solutions contract's end its client is warned to
               plan the exit (default 9, from 1 to 36)
COURTIER_BROKER_NAME, COURTIER_BROKER_ADDRESS, COURTIER_BROKER_GST_NUMBER,
COURTIER_BROKER_QST_NUMBER  the broker as its fee invoices name it
COURTIER_FEE_REPORT_DAYS  days after a quarter's end its acquisition reports are due (default 15)
"""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("COURTIER_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def local_secret_key() -> str:
    """A key kept under var/ so that sessions survive a restart of the demo."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def email_settings(url: str) -> dict[str, object]:
    """Translate EMAIL_URL into Django's EMAIL_* settings."""
    parsed = urlparse(url)
    if parsed.scheme in {"console", ""}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme not in {"smtp", "smtps"}:
        raise ValueError(f"EMAIL_URL: unsupported scheme {parsed.scheme!r}")
    query = parse_qs(parsed.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
        "EMAIL_TIMEOUT": 10,
    }


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # In layer order (docs/architecture.md): what each app builds on comes before it.
    "courtier.core",
    "courtier.audit",
    "courtier.accounts",
    "courtier.files",
    "courtier.calendar",
    "courtier.documents",
    "courtier.catalogue",
    "courtier.acquisitions",
    "courtier.pricerequests",
    "courtier.contracts",
    "courtier.complaints",
    "courtier.evaluations",
    "courtier.exitplans",
    "courtier.publication",
    "courtier.fees",
    "courtier.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "courtier.core.middleware.RequestIdMiddleware",
    "courtier.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "courtier.core.middleware.RestrictedAccessMiddleware",
    "courtier.core.middleware.ApiErrorFormatMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the person, the CSRF secret and the messages are known (courtier.core.replay).
    "courtier.core.replay.FormTokenMiddleware",
    "courtier.core.replay.IdempotencyKeyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "courtier.core.middleware.HtmxVaryMiddleware",
]

ROOT_URLCONF = "courtier.urls"
FORM_RENDERER = "courtier.core.forms.FormRenderer"
WSGI_APPLICATION = "courtier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "courtier.core.context_processors.navigation_entries",
            ],
            # {% csrf_token %} also writes the form's one-time token (courtier.core.replay).
            "builtins": ["courtier.core.templatetags.form_token"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'courtier.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    if DATABASES["default"]["NAME"] and not DATABASES["default"]["NAME"].startswith(":"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # an approved person has three days to choose a password

# French first: source strings are French, English is a translation (locale/en).
LANGUAGE_CODE = "fr-ca"
LANGUAGES = [("fr-ca", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "America/Toronto"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Uploaded files (price files, documents), kept by content hash; never served without a check.
# A million price lines in CSV weigh about 80 MB; beyond this, use `courtier import-prices`.
PRICE_FILE_MAX_BYTES = int(os.environ.get("PRICE_FILE_MAX_BYTES", 200_000_000))
# Uploads (issue 11 §3; files/inspection.py): the size of one file, and for the zip-based
# office files (DOCX, XLSX, ODT, ODS) what their directory may declare before anything inflates.
UPLOAD_MAX_MB = int(os.environ.get("UPLOAD_MAX_MB", 20))
UPLOAD_MAX_UNCOMPRESSED_MB = int(os.environ.get("UPLOAD_MAX_UNCOMPRESSED_MB", 200))
UPLOAD_MAX_RATIO = int(os.environ.get("UPLOAD_MAX_RATIO", 100))  # deflate tops out near 1 000
UPLOAD_MAX_ENTRIES = int(os.environ.get("UPLOAD_MAX_ENTRIES", 10_000))
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 50_000_000))  # Pillow's guard: 89 M
# Price files (catalogue/pricefile): an XLSX sheet may inflate further (its XML is read as a
# stream, never whole), within a row cap (the layout has 12 columns, one row per price tier).
PRICE_FILE_MAX_UNCOMPRESSED_MB = int(os.environ.get("PRICE_FILE_MAX_UNCOMPRESSED_MB", 1024))
PRICE_FILE_MAX_RATIO = int(os.environ.get("PRICE_FILE_MAX_RATIO", 200))
PRICE_FILE_MAX_ROWS = int(os.environ.get("PRICE_FILE_MAX_ROWS", 1_000_000))
PRICE_FILE_MAX_SHARED_STRINGS_MB = int(os.environ.get("PRICE_FILE_MAX_SHARED_STRINGS_MB", 20))
# An import queued or running with no progress for this long ends as failed (its worker died).
PRICE_IMPORT_STALLED_MINUTES = int(os.environ.get("PRICE_IMPORT_STALLED_MINUTES", 15))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
# Kept files: the filesystem under MEDIA_ROOT by default; S3-compatible object storage when
# S3_BUCKET is set (django-storages: pip install -e ".[s3]"; README « Stockage »). Either way
# files leave only through the permission-checked views, streamed by Django (no public URL).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
_FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
_S3 = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,  # MinIO, Ceph, moto...
        "region_name": os.environ.get("S3_REGION") or None,
        "location": os.environ.get("S3_PREFIX", ""),
        "file_overwrite": False,  # a file is kept once by its hash, never replaced
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,
    },
}
STORAGES = {
    "default": _S3 if S3_BUCKET else _FILESYSTEM,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The broker's validation stamp (documents/signing.py; README « Cachet de validation »): its key
# and certificate in a PKCS#12 file; unset, a self-signed certificate is made once under
# VAR_DIR/signing/broker.p12 (protected by the passphrase below, or a fixed local one).
COURTIER_SIGNING_PKCS12 = os.environ.get("COURTIER_SIGNING_PKCS12", "")
COURTIER_SIGNING_PASSPHRASE = os.environ.get("COURTIER_SIGNING_PASSPHRASE", "")
# DOMAIN §5.9 (002 §4.9): warn a client early enough to run a new acquisition and migrate.
COURTIER_EXIT_WARNING_MONTHS = int(os.environ.get("COURTIER_EXIT_WARNING_MONTHS", "9"))
# The broker as its fee invoices name it (DOMAIN §6), and the days after a quarter's end its
# suppliers have to file their quarterly acquisition report (004 §4.3 sets only the periods).
COURTIER_BROKER_NAME = os.environ.get(
    "COURTIER_BROKER_NAME",
    "Ministère de la Cybersécurité et du Numérique — Courtier en infonuagique et en "
    "technologies spécialisées",
)
# Lines of the address separated by « \n » (two characters in an environment variable).
COURTIER_BROKER_ADDRESS = os.environ.get(
    "COURTIER_BROKER_ADDRESS", "875, Grande Allée Est\\nQuébec (Québec)  G1R 5R8"
).replace("\\n", "\n")
COURTIER_BROKER_GST_NUMBER = os.environ.get("COURTIER_BROKER_GST_NUMBER", "123456789 RT0001")
COURTIER_BROKER_QST_NUMBER = os.environ.get("COURTIER_BROKER_QST_NUMBER", "1234567890 TQ0001")
COURTIER_FEE_REPORT_DAYS = int(os.environ.get("COURTIER_FEE_REPORT_DAYS", "15"))
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None  # set it in production, then collectstatic
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if SITE_URL.startswith("https://"):
    # Served over HTTPS: browsers must never come back in clear text.
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_email = email_settings(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)  # EMAIL_HOST, EMAIL_PORT, ... from EMAIL_URL
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Courtier <ne-pas-repondre@courtier.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# A cache shared by every process (counters of courtier.core.throttle); `courtier
# createcachetable` creates its table (the test runner and `courtier demo` do it themselves).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "courtier_cache",
    }
}
# The broker's own control of the audit trail: its auditors check the hash chain from the
# trail's page at least every 30 days; the check appears in what awaits them 7 days before.
AUDIT_VERIFICATION_INTERVAL_DAYS = 30
AUDIT_VERIFICATION_NOTICE_DAYS = 7

# (attempts, window in seconds), for what anonymous people may repeat (courtier.core.throttle):
# "login" counts failed sign-ins only, per account and per address; the others every POST of
# an address. Reaching the limit refuses for one window.
THROTTLE_RATES = {
    "login": (10, 15 * 60),
    "access_request": (5, 60 * 60),
    "password_reset": (5, 60 * 60),
}

# Personal API tokens (accounts): default and maximum lifetime.
API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 365

# OCDS 1.1.5 publication of the concluded contracts (issue 14 §6; courtier/publication/export.py:
# `courtier export-ocds`, GET /api/v1/publication/ocds.json). The ocid prefix is "ocds-" and 6
# lowercase letters or digits; a real publisher registers its own with the OCDS Data Support team
# (https://standard.open-contracting.org/latest/en/guidance/build/#register-an-ocid-prefix): the
# default below is not registered and fits only tests and demonstrations.
OCDS_OCID_PREFIX = os.environ.get("OCDS_OCID_PREFIX", "ocds-crtier")
# On, anyone may download the package without signing in (open data); off, only signed-in people
# and token holders may (401 otherwise, as the rest of the API).
OCDS_PUBLIC_DOWNLOAD = env_bool("OCDS_PUBLIC_DOWNLOAD", False)
