"""danvan settings: one file, every knob from a DANVAN_* environment variable.

Secrets may also come from a file named by DANVAN_<NAME>_FILE.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    key = f"DANVAN_{name}"
    file_path = os.environ.get(f"{key}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(key, default)


def envbool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"DANVAN_{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANVAN_{name} must be a whole number, not {value!r}") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in (env(name) or default).split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR") or PROJECT_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = env("SECRET_KEY")
    if configured:
        return configured
    # First run without a configured key: generate one and keep it, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _keys_in(key_file: Path) -> list[str]:
    """One key per line or comma-separated, newest first (a restored backup may hold the
    retired keys after the current one)."""
    return [k.strip() for k in key_file.read_text().replace("\n", ",").split(",") if k.strip()]


def _field_keys() -> list[str]:
    """Keys for confidential fields; comma-separated, newest first (rotation)."""
    configured = env("FIELD_KEYS")
    if configured:
        return [k.strip() for k in configured.split(",") if k.strip()]
    key_file = VAR_DIR / "field_key"
    if not key_file.exists():
        from cryptography.fernet import Fernet

        key_file.write_text(Fernet.generate_key().decode())
        key_file.chmod(0o600)
    return _keys_in(key_file)


FIELD_ENCRYPTION_KEYS = _field_keys()


def _audit_keys() -> list[str]:
    """Keys that seal the audit chain (HMAC-SHA256); comma-separated, newest first. Kept
    outside the database, so whoever can write to it cannot re-seal a rewritten history."""
    configured = env("AUDIT_KEYS")
    if configured:
        return [k.strip() for k in configured.split(",") if k.strip()]
    key_file = VAR_DIR / "audit_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(32))
        key_file.chmod(0o600)
    return _keys_in(key_file)


AUDIT_KEYS = _audit_keys()
# Checkpoints of the chain's head, appended outside the database (`audit_checkpoint`).
AUDIT_CHECKPOINT_FILE = Path(env("AUDIT_CHECKPOINT_FILE") or VAR_DIR / "audit_checkpoints.jsonl")
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # the widget templates, for FORM_RENDERER
    "danvan.core",  # one Unicode form for stored text (core/apps.py)
    "treebeard",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "axes",
    "django_otp",  # two-step sign-in: authenticator apps and recovery codes
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
    "danvan.audit",
    "danvan.org",
    "danvan.accounts",
    "danvan.emulation",
    "danvan.voices",
    "danvan.plans",
    "danvan.democracy",
    "danvan.situation",
    "danvan.reports",
    "danvan.datagen",
    "danvan.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "danvan.core.middleware.TextInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "danvan.accounts.middleware.TwoFactorMiddleware",
    "danvan.core.middleware.NoStoreMiddleware",
    "danvan.web.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "danvan.audit.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "danvan.web.context.shell",
            ],
            "builtins": ["danvan.web.templatetags.ui"],
        },
    },
]

# Forms render through one template set (web/templates/web/forms/): the error summary at
# the top, then each field with its label, hint and error above the input.
FORM_RENDERER = "danvan.web.forms.FormRenderer"

# Database: SQLite in WAL mode under var/ unless DANVAN_DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'danvan.sqlite3'}",
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
            " PRAGMA foreign_keys=ON;"
        ),
        # A writer waits for the write lock rather than failing with "database is locked":
        # the longest single transaction (a 5,000-row import, all or nothing) takes ~10 s.
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = env("TOTP_ISSUER") or "danvan"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Behind a reverse proxy (nginx) that sets X-Forwarded-For and X-Forwarded-Proto: how many
# proxies stand in front, so HTTPS is recognized and login throttling sees the real address.
PROXY_COUNT = envint("PROXY_COUNT", 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    NINJA_NUM_PROXIES = PROXY_COUNT

SESSION_COOKIE_AGE = envint("SESSION_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Under HTTPS in production (docs/operations.md): HSTS for as many seconds as set, and
# plain HTTP redirected. Off by default so the demo on http://127.0.0.1 keeps working.
SECURE_HSTS_SECONDS = envint("HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HSTS_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = envbool("SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# No inline script or style anywhere: everything comes from our own static files (app.js
# reads data attributes where templates once had inline code). Data blocks
# (<script type="application/json">) are not executed and need no exception.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Vietnamese is the default UI language; English is complete; the others are wired up.
LANGUAGE_CODE = "vi"
# Our Vietnamese date input formats (day first) over Django's locale, which has none.
FORMAT_MODULE_PATH = ["danvan.formats"]
LANGUAGES = [
    ("vi", "Tiếng Việt"),
    ("en", "English"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("cs", "Čeština"),
    ("el", "Ελληνικά"),
    ("id", "Bahasa Indonesia"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task running longer than this is taken as lost by a dead worker (core/jobs.py).
TASK_LEASE_MINUTES = envint("TASK_LEASE_MINUTES", 15)
# A checked import of more rows than this is written by the task worker (core/import_jobs.py).
IMPORT_IN_BACKGROUND_ROWS = envint("IMPORT_IN_BACKGROUND_ROWS", 1000)

# Local memory by default; "database" shares counters (tracking-code throttles, API
# throttles) between processes — run `python -m danvan createcachetable` once.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "danvan_cache"}
        if env("CACHE", "locmem") == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "danvan"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = envint("UPLOAD_MAX_MB", 20) * 1024 * 1024
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
