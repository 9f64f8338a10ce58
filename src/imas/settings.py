"""IMAS settings: every knob comes from the environment, read here and nowhere else.

The embedded default needs no configuration at all: SQLite, local files, mail written to files
and a SQLite-backed Celery broker, all inside IMAS_DATA_DIR (default ./var). Production is
switched on with IMAS_PRODUCTION=1, which turns on secure cookies, HSTS and the HTTPS redirect,
and refuses to start without a real IMAS_SECRET_KEY. README.md lists every variable.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from imas.core.broker import sqlite_broker_connector
from imas.core.storage_settings import default_storage_from_env


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _leaflet_dir() -> str:
    import xstatic.pkg.leaflet

    return str(xstatic.pkg.leaflet.BASE_DIR)


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Lets classes such as admin.ModelAdmin[Model] be subscripted at run time, as the types say.
django_stubs_ext.monkeypatch()


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("IMAS_DATA_DIR", "./var")).resolve()
PRODUCTION = _env_bool("IMAS_PRODUCTION")
DEBUG = _env_bool("IMAS_DEBUG") and not PRODUCTION


def _secret_key() -> str:
    """The key from the environment; in development a random key kept in the data folder."""
    key = os.environ.get("IMAS_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("IMAS_PRODUCTION=1 needs IMAS_SECRET_KEY (50+ random chars).")
    # A per-installation key so that a development box never shares a well-known secret.
    path = DATA_DIR / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("IMAS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = _env_list("IMAS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "imas.core.admin_config.IMASAdminConfig",  # django.contrib.admin with the second-factor rule
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Our apps come before allauth so that our templates (layout, emails) take precedence.
    "imas.core",
    "imas.accounts",
    "imas.privacy",
    "imas.activities",
    "imas.segments",
    "imas.goals",
    "imas.insights",
    "imas.sharing",
    "imas.tiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",  # serves the API docs from our own static files, never a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "imas.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Outside CommonMiddleware, so that its 400 for a Host not in ALLOWED_HOSTS is JSON too.
    "imas.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "imas.privacy.middleware.PolicyAcceptanceMiddleware",
]

ROOT_URLCONF = "imas.urls"
WSGI_APPLICATION = "imas.wsgi.application"

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
                "imas.core.context_processors.site",
            ]
        },
    }
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "imas.sqlite3"),
            # WAL (set in imas.core.apps on connect) lets the worker write while pages read;
            # the timeout makes a writer wait for another instead of failing at once.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (login throttling lives here, so several web machines must share it) -------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "imas.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "imas.accounts.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_DISPLAY = "imas.accounts.models.user_display"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old only once it is confirmed
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IMAS] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Failed sign-ins: 10 a minute per address, 5 per 5 minutes per account (allauth's keys).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "IMAS"

# --- email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("IMAS_EMAIL_FROM", "IMAS <imas@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("IMAS_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("IMAS_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("IMAS_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("IMAS_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_bool("IMAS_EMAIL_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = _env_bool("IMAS_EMAIL_SSL", default=EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 20
else:
    # Development default: every message is a file in <data dir>/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")

# --- files ----------------------------------------------------------------------------------
MEDIA_ROOT = str(Path(os.environ.get("IMAS_MEDIA_ROOT", str(DATA_DIR / "media"))).resolve())
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = str(Path(os.environ.get("IMAS_STATIC_ROOT", str(DATA_DIR / "static"))).resolve())
with contextlib.suppress(OSError):  # whitenoise expects the folder collectstatic fills
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STORAGES = {
    # Originals, archives and exports: MEDIA_ROOT, or S3-compatible storage once IMAS_S3_BUCKET
    # is set (IMAS_S3_ENDPOINT_URL, _REGION, _PREFIX, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY, ...).
    "default": default_storage_from_env(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Leaflet comes from the xstatic-leaflet package and is served as our own /static/leaflet/...
STATICFILES_DIRS = [("leaflet", _leaflet_dir())]
# Whitenoise serves straight from the apps' static folders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Request bodies: a JSON body above this is refused (413); uploads set their own cap.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# Per file; issue 5 asks for 50 MB by default, in decimal megabytes (50 * 1000 * 1000 bytes).
IMAS_UPLOAD_MAX_BYTES = int(os.environ.get("IMAS_UPLOAD_MAX_BYTES", str(50 * 1000 * 1000)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [str(BASE_DIR / "locale")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Over plain http on 127.0.0.1 (make run) secure cookies would never be sent back, so these
# follow IMAS_PRODUCTION instead of being always on.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and not _env_bool("IMAS_BEHIND_HTTP_ONLY_PROXY")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers probe over plain http
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
if _env_bool("IMAS_TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The content security policy sent with every page: our own origin only, never a third party.
IMAS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- background work (Celery) ---------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{DATA_DIR / 'broker.sqlite3'}"
if not REDIS_URL:  # the embedded broker: WAL mode, see imas.core.broker for why
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "creator": sqlite_broker_connector(DATA_DIR / "broker.sqlite3")
    }
CELERY_TASK_IGNORE_RESULT = True  # job state lives in our own rows, not in a result backend
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = _env_bool("IMAS_CELERY_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"

# --- logging: no tracks, heart rates, tokens or passwords in here ---------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("IMAS_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

IMAS_SITE_NAME = os.environ.get("IMAS_SITE_NAME", "IMAS")
# The address people reach IMAS at, for links in mail (export ready, policy changes).
IMAS_BASE_URL = os.environ.get("IMAS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- map tiles: fetched through IMAS (imas.tiles) so that browsers never contact a tile host ---
IMAS_TILES_ENABLED = _env_bool("IMAS_TILES_ENABLED", default=True)
IMAS_TILE_URL = os.environ.get("IMAS_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
IMAS_TILE_ATTRIBUTION = os.environ.get(
    "IMAS_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# Tile hosts ask for a user agent that names the application (OSM tile usage policy).
IMAS_TILE_USER_AGENT = os.environ.get(
    "IMAS_TILE_USER_AGENT", "IMAS/0.1 (self-hosted activity platform; tile proxy)"
)
IMAS_TILE_TIMEOUT_S = float(os.environ.get("IMAS_TILE_TIMEOUT_S", "5"))
IMAS_TILE_MAX_ZOOM = int(os.environ.get("IMAS_TILE_MAX_ZOOM", "19"))
# Cached tiles are refreshed after this many days (never under 7: OSM tile usage policy).
IMAS_TILE_MAX_AGE_DAYS = float(os.environ.get("IMAS_TILE_MAX_AGE_DAYS", "30"))
