"""Settings for the place-name registry.

One module for every environment: environment variables switch production
behaviour (SPEC.md "Configuration"). All are optional:

- ``DATABASE_URL``: default an SQLite file inside the project folder; ``postgres://…``
  in production.
- ``DJANGO_SECRET_KEY``, ``DJANGO_DEBUG``, ``DJANGO_ALLOWED_HOSTS``.
- ``REGISTRY_NOTICE_DAYS``: length of the public notice (公示) in days (default 7).
- ``REGISTRY_APPROVING_AUTHORITY``, ``REGISTRY_ANNOUNCING_AUTHORITY``,
  ``REGISTRY_ANNOUNCEMENT_PREFIX``: the approval form's default authority, the issuer of
  announcements (公告) and their number prefix (defaults from ``REGISTRY_CITY_NAME``).
"""
from pathlib import Path
import os

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# --- Core -------------------------------------------------------------------
# The fallback key only ever serves a local development server; production sets
# DJANGO_SECRET_KEY (and DJANGO_DEBUG=false).
SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
)
DEBUG = _env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "simple_history",
    "registry.apps.RegistryConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "registry.middleware.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the acting user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "registry" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers do not wait for a writer (WAL); a commit waits for the OS, not the disk
    # (synchronous=NORMAL is durable in WAL mode but for power loss); a 64 MB page cache
    # keeps a 100k-row import's twelve indexes in memory instead of spilling them.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation ---------------------------------------------------
# The admin speaks Simplified Chinese by default; English through the language
# switch (LocaleMiddleware honours the cookie, Accept-Language and /i18n/).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "registry" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- REST framework ---------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "registry.api.schema.RegistryAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["registry.api.throttling.RegistryAnonThrottle"],
    "EXCEPTION_HANDLER": "registry.api.exceptions.registry_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "registry.api.negotiation.FormatFirstNegotiation",
}
# Requests per anonymous client (by IP); authenticated staff are not throttled.
REGISTRY_ANON_RATE = os.environ.get("REGISTRY_ANON_RATE", "120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Place-name registry API (地名管理与地名文化遗产名录)",
    "DESCRIPTION": "Lookups, search, time travel and name checks for a city's standard place names.",
    "VERSION": "1",
    # Swagger UI from the installed sidecar package: no CDN (the servers have no internet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.format_schemas_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DivisionLevelEnum": "registry.choices.DivisionLevel",
        "HeritageLevelEnum": "registry.choices.HeritageLevel",
        "HeritageStatusEnum": "registry.choices.HeritageStatus",
        "PlaceStatusEnum": "registry.choices.PlaceStatus",
        "VerificationEnum": "registry.choices.Verification",
    },
}

# --- Registry ---------------------------------------------------------------
# Public notice (公示) length in days; 0 ends the notice at once.
REGISTRY_NOTICE_DAYS = int(os.environ.get("REGISTRY_NOTICE_DAYS", "7"))
# The reference city: demo data and the "city name" stripped by the duplicate rule.
REGISTRY_CITY_CODE = "340100"
REGISTRY_CITY_NAME = "合肥"
# Who approves street names by default (条例 Art. 12: the city's people's government),
# who announces approved names (Art. 14: the same-level civil-affairs department), and
# the prefix of the announcements' per-year numbers (合民地公〔2026〕第3号).
REGISTRY_APPROVING_AUTHORITY = os.environ.get("REGISTRY_APPROVING_AUTHORITY", f"{REGISTRY_CITY_NAME}市人民政府")
REGISTRY_ANNOUNCING_AUTHORITY = os.environ.get("REGISTRY_ANNOUNCING_AUTHORITY", f"{REGISTRY_CITY_NAME}市民政局")
REGISTRY_ANNOUNCEMENT_PREFIX = os.environ.get("REGISTRY_ANNOUNCEMENT_PREFIX", f"{REGISTRY_CITY_NAME[:1]}民地公")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- REST API: input guard, parsers (helper "api"; kept apart so it merges cleanly) ----
# NUL characters and oversized bodies under /api/ are refused with JSON before any view
# runs (registry/middleware.py); bodies are parsed with depth and size limits.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                  "registry.middleware.ApiInputGuardMiddleware")
# Outermost: API reads are compressed last, after their ETag and 304 are settled; CORS
# headers go on every API answer, errors from the guard included.
MIDDLEWARE[0:0] = ["registry.middleware.ApiGZipMiddleware", "registry.middleware.ApiConditionalGetMiddleware",
                   "registry.middleware.ReadOnlyCorsMiddleware"]
# Seconds an anonymous API read may be reused without asking again (0: revalidate with
# the ETag each time, which answers 304 at the cost of one small query).
REGISTRY_API_MAX_AGE = int(os.environ.get("REGISTRY_API_MAX_AGE", "0"))
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "registry.api.parsers.SafeJSONParser",
    "registry.api.parsers.SafeFormParser",
    "registry.api.parsers.SafeMultiPartParser",
]

# Cross-origin reads (django-cors-headers, GET/HEAD/OPTIONS under /api/ only):
# REGISTRY_CORS_ORIGINS is a comma-separated list of origins (https://map.example.gov.cn),
# or * for any; empty (the default) allows none.
INSTALLED_APPS.append("corsheaders")
_cors_origins = [o.strip() for o in os.environ.get("REGISTRY_CORS_ORIGINS", "").split(",") if o.strip()]
CORS_ALLOW_ALL_ORIGINS = "*" in _cors_origins
CORS_ALLOWED_ORIGINS = [o for o in _cors_origins if o != "*"]
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = ["accept", "accept-language", "authorization", "content-type", "if-none-match",
                      "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
