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
- Production and security (README "Deploying"): ``DJANGO_SECURE_SSL_REDIRECT``,
  ``DJANGO_SECURE_COOKIES``, ``DJANGO_SECURE_HSTS_SECONDS`` (+ ``…_INCLUDE_SUBDOMAINS``,
  ``…_PRELOAD``), ``DJANGO_CSRF_TRUSTED_ORIGINS``, ``DJANGO_STATIC_ROOT``,
  ``REGISTRY_TRUSTED_PROXIES``, ``REDIS_URL``, ``REGISTRY_LOGIN_FAILURE_LIMIT``,
  ``REGISTRY_LOCKOUT_MINUTES``, ``REGISTRY_TOKEN_DAYS``.
- Limits on imported files (the block at the end): ``REGISTRY_IMPORT_MAX_UNCOMPRESSED``,
  ``REGISTRY_IMPORT_MAX_RATIO``, ``REGISTRY_IMPORT_MAX_COLUMNS``, ``REGISTRY_IMPORT_MAX_ROWS``,
  ``REGISTRY_IMPORT_MAX_JSON_RECORD``, ``REGISTRY_IMPORT_MAX_PROBLEMS``.
"""

from datetime import timedelta
from pathlib import Path
import os

import dj_database_url
from config.csp import policy as csp_policy
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


# --- Core -------------------------------------------------------------------
# The fallback key only ever serves a local development server. Without DEBUG the
# application refuses to start on it: a known key lets anyone forge session cookies,
# password-reset links and signed values, i.e. log in as any administrator.
DEV_SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
DEBUG = _env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip() or DEV_SECRET_KEY
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set but DJANGO_DEBUG is false: set DJANGO_SECRET_KEY to a long random "
        'value (for example the output of `python -c "import secrets; print(secrets.token_urlsafe(50))"`) '
        'before starting the registry in production. See README.md, "Deploying".'
    )
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()
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
    "simple_history",
    "csp",
    # Only for its static files: Leaflet and Leaflet.draw for the admin's maps (registry/admin/maps.py).
    "leaflet",
    "axes",
    "registry.apps.RegistryConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight after the HTTPS redirect: no session, no database (README "Deploying").
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # A database outage answers 503 (JSON under /api/, a Chinese page elsewhere), not an HTML 500.
    "registry.db_errors.DatabaseUnavailableMiddleware",
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
    # Last, as django-axes requires: turns a lock-out flagged during login into its answer.
    "axes.middleware.AxesMiddleware",
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
# WhiteNoise serves them from the application itself (no web-server set-up): in
# production from STATIC_ROOT, filled by `manage.py collectstatic --noinput`, with
# content-hashed names (cached for a year) and gzip copies. The manifest storage is
# chosen only without DEBUG, as read from the environment: the development server and
# the test suite (pytest turns DEBUG off at run time, not here) need no collectstatic.
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# django-axes counts failed logins (admin login form and POST /api/v1/auth/token/) and
# locks out a user name, and separately a client address, after
# REGISTRY_LOGIN_FAILURE_LIMIT failures for REGISTRY_LOCKOUT_MINUTES; the lock-out is
# logged (logger "axes", WARNING) and listed in the admin. The test suite turns axes off
# (tests/conftest.py: Django's test client logs in without a request, which axes
# refuses); the lock-out tests turn it back on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("REGISTRY_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("REGISTRY_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The lock-out runs from the last failure before it, not from the latest attempt: a
# client hammering a locked account does not keep its owner out for ever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The same client address as the throttle: REMOTE_ADDR behind REGISTRY_TRUSTED_PROXIES proxies.
AXES_CLIENT_IP_CALLABLE = "registry.api.throttling.client_address"
AXES_LOCKOUT_CALLABLE = "registry.api.auth.locked_out_response"
AXES_VERBOSE = False
# django-axes' own admin pages are English only and lift a lock-out without an audit entry:
# registry/admin/lockouts.py (登录锁定) lists lock-outs and lifts them, audited (README "Deploying").
AXES_ENABLE_ADMIN = False
# The log names the user name and address locked out (passwords are always masked).
AXES_SENSITIVE_PARAMETERS = []
# API tokens (registry.models.tokens): a new one per login, stored as a SHA-256 hash,
# valid for REGISTRY_TOKEN_DAYS days, revocable in the admin.
REGISTRY_TOKEN_DAYS = _env_int("REGISTRY_TOKEN_DAYS", 30)

# --- REST framework ---------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "registry.api.schema.RegistryAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a refused or missing token is a 401 naming the scheme (WWW-Authenticate: Token).
        "registry.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["registry.api.throttling.RegistryAnonThrottle"],
    "EXCEPTION_HANDLER": "registry.api.exceptions.registry_exception_handler",
    "URL_FORMAT_OVERRIDE": "format",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "registry.api.negotiation.FormatFirstNegotiation",
    # The client address is REMOTE_ADDR, or the address the nearest trusted proxy saw:
    # X-Forwarded-For is only believed for the proxies the operator declared (security block).
    "NUM_PROXIES": _env_int("REGISTRY_TRUSTED_PROXIES", 0),
}
# Requests per anonymous client (by IP; staff are not throttled), written in batches of SLACK × rate.
REGISTRY_ANON_RATE = os.environ.get("REGISTRY_ANON_RATE", "120/min")
REGISTRY_THROTTLE_SLACK = float(os.environ.get("REGISTRY_THROTTLE_SLACK", "0.05"))
# Permanent URI base of the registry's records (Linked Places "@id": <base>places/<code>,
# divisions <base>divisions/<code>). Set it to the bureau's published address; the default
# is a reserved .invalid domain (RFC 2606), so an unconfigured server never mints URIs
# that look real, and the request's host and port are never used.
REGISTRY_URI_BASE = os.environ.get("REGISTRY_URI_BASE", "https://example.invalid/placenames/")
SPECTACULAR_SETTINGS = {
    "TITLE": "Place-name registry API (地名管理与地名文化遗产名录)",
    "DESCRIPTION": "Lookups, search, time travel and name checks for a city's standard place names.",
    "VERSION": "1",
    # Swagger UI from the installed sidecar package: no CDN (the servers have no internet).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from validator.swagger.io: it would send the schema's address abroad and break the CSP.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "registry.api.schema.format_schemas_hook",
        "registry.api.preconditions.document_preconditions_hook",
        "registry.api.round_preconditions.document_round_preconditions_hook",
        "registry.api.schema.query_parameters_hook",
        "registry.api.schema.links_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProposalActionEnum": "registry.choices.ProposalAction",
        "RoundItemActionEnum": "registry.models.rounds.ItemAction",
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
# The admin's base map (registry/admin/maps.py): a tile URL template such as 天地图's
# "https://t0.tianditu.gov.cn/vec_w/wmts?...&tk=<key>" or the bureau's own tile server.
# Empty: the maps draw the registry's own features on a plain background (works offline).
REGISTRY_TILE_URL = os.environ.get("REGISTRY_TILE_URL", "").strip()
REGISTRY_TILE_ATTRIBUTION = os.environ.get("REGISTRY_TILE_ATTRIBUTION", "").strip()

REGISTRY_CITY_CODE = "340100"
REGISTRY_CITY_NAME = "合肥"
# Who approves street names by default (条例 Art. 12: the city's people's government),
# who announces approved names (Art. 14: the same-level civil-affairs department), and
# the prefix of the announcements' per-year numbers (合民地公〔2026〕第3号).
REGISTRY_APPROVING_AUTHORITY = os.environ.get("REGISTRY_APPROVING_AUTHORITY", f"{REGISTRY_CITY_NAME}市人民政府")
REGISTRY_ANNOUNCING_AUTHORITY = os.environ.get("REGISTRY_ANNOUNCING_AUTHORITY", f"{REGISTRY_CITY_NAME}市民政局")
REGISTRY_ANNOUNCEMENT_PREFIX = os.environ.get("REGISTRY_ANNOUNCEMENT_PREFIX", f"{REGISTRY_CITY_NAME[:1]}民地公")

# --- Security (production) ---------------------------------------------------
# Every value is read from the environment; the defaults are safe for production
# (DJANGO_DEBUG=false) and stay out of the way of the development server. README
# "Deploying" lists the variables and what each protects against; CI runs
# `manage.py check --deploy --fail-level WARNING` with the documented values.
_PRODUCTION = not DEBUG
# Proxies in front of the application (nginx, a load balancer) that set
# X-Forwarded-For and X-Forwarded-Proto; 0 = clients connect directly.
REGISTRY_TRUSTED_PROXIES = _env_int("REGISTRY_TRUSTED_PROXIES", 0)
if REGISTRY_TRUSTED_PROXIES > 0:
    # The proxy terminates HTTPS and says so; it must overwrite a client's own header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _env_bool("DJANGO_SECURE_SSL_REDIRECT", _PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("DJANGO_SECURE_COOKIES", _PRODUCTION)
SECURE_HSTS_SECONDS = _env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): config/csp.py says what it allows and why.
CONTENT_SECURITY_POLICY = csp_policy(REGISTRY_TILE_URL)

# --- Cache (throttle counts) -------------------------------------------------
# Shared by every worker process, so a rate is a rate however many workers serve: Redis
# where REDIS_URL is set (pip install redis), else a database table (migration 0016).
if os.environ.get("REDIS_URL", "").strip():
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"].strip(),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "registry_cache",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- REST API: input guard, parsers (helper "api"; kept apart so it merges cleanly) ----
# NUL characters and oversized bodies under /api/ are refused with JSON before any view
# runs (registry/middleware.py); bodies are parsed with depth and size limits.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), "registry.middleware.ApiInputGuardMiddleware"
)
# Outermost: API reads are compressed last, after their ETag and 304 are settled; CORS
# headers go on every API answer, errors from the guard included.
MIDDLEWARE[0:0] = [
    "registry.middleware.ApiGZipMiddleware",
    "registry.middleware.ApiConditionalGetMiddleware",
    "registry.middleware.ReadOnlyCorsMiddleware",
]
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
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "if-none-match",
    "if-modified-since",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]

# Limits on imported files (issue #12, "crafted files"): what a file may claim before it
# is read, so that a small crafted upload cannot hold a core or the memory for minutes.
# A file beyond a limit is refused with a clear problem and nothing is written.
REGISTRY_IMPORT_MAX_UNCOMPRESSED = _env_int("REGISTRY_IMPORT_MAX_UNCOMPRESSED", 512 * 1024 * 1024)  # XLSX, bytes
REGISTRY_IMPORT_MAX_RATIO = _env_int("REGISTRY_IMPORT_MAX_RATIO", 100)  # XLSX members over 1 MB
REGISTRY_IMPORT_MAX_COLUMNS = _env_int("REGISTRY_IMPORT_MAX_COLUMNS", 200)
REGISTRY_IMPORT_MAX_ROWS = _env_int("REGISTRY_IMPORT_MAX_ROWS", 2_000_000)
REGISTRY_IMPORT_MAX_JSON_RECORD = _env_int("REGISTRY_IMPORT_MAX_JSON_RECORD", 16 * 1024 * 1024)  # one value, chars
REGISTRY_IMPORT_MAX_PROBLEMS = _env_int("REGISTRY_IMPORT_MAX_PROBLEMS", 200)  # listed; the rest are counted

# --- Read replica (optional; README "Scaling out") ----------------------------------
# DATABASE_REPLICA_URL: a PostgreSQL streaming replica of DATABASE_URL for public reads;
# registry/db_routers.py says what goes where. Unset (default, test suite): no router.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    # Tests (if ever run with it set) read the replica alias from the test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if {DATABASES["default"]["ENGINE"], DATABASES["replica"]["ENGINE"]} != {"django.db.backends.postgresql"}:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for both DATABASE_URL and the replica.")
    DATABASE_ROUTERS = ["registry.db_routers.ReplicaRouter"]
    MIDDLEWARE.append("registry.db_routers.ReplicaRoutingMiddleware")
    # Seconds a client's write pins its reads to the primary at most (until replayed).
    REGISTRY_REPLICA_PIN_SECONDS = _env_int("REGISTRY_REPLICA_PIN_SECONDS", 300)
    # Benchmarks only: X-Registry-Read-From names the servers each answer read from.
    REGISTRY_REPLICA_HEADER = _env_bool("REGISTRY_REPLICA_HEADER", False)
