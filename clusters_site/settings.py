"""Settings of the Guide des clusters français.

Every value that changes between machines comes from the environment, parsed
strictly (clusters_site/env.py): a malformed value stops the start-up with a
message naming it. The README lists every variable. Importing the settings
starts nothing and connects to nothing.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clusters_site.env import env_bool, env_date, env_email, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (bin/serve makes one for local use)."
        )
    SECRET_KEY = "insecure-key-for-local-debugging-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
if "*" in ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("ALLOWED_HOSTS may not contain '*' outside DEBUG: list the hosts.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS: on unless DEBUG. bin/serve and bin/test turn it off for plain HTTP on
# the loopback interface.
HTTPS = env_bool("HTTPS", not DEBUG)
# A proxy that redirects plain HTTP itself may turn Django's redirect off.
# /healthz answers on plain HTTP too, for a load balancer's health checks.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after SESSION_COOKIE_AGE seconds from the login, and when
# the browser is closed.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
# Browser features no page uses, refused to any code the pages might load
# (clusters_site.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}
# Content-Security-Policy (django-csp 4): everything from this origin only; no
# inline script or style anywhere, the admin included (see docs/deploy.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Staff login: after LOGIN_FAILURE_LIMIT failed attempts for one user name from
# one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES (django-axes;
# `manage.py axes_reset_username NAME` unlocks). Attempts during the lock-out
# are refused, even with the right password, and start the wait again.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse
# proxies the address the outermost one saw (from X-Forwarded-For).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "staff.security.client_ip"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Request size limits (Django's defaults, written down as a decision): a form
# body over 2.5 MB, or a query string or form with more than 1,000 fields, is
# refused with 400 before any view reads it. No public page takes more than a
# few dozen parameters, and the admin's largest forms stay far below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000

INSTALLED_APPS = [
    # modeltranslation patches the admin: it must come before it.
    "modeltranslation",
    # Before the admin and the apps whose templates it overrides (admin,
    # import_export, simple_history): the guide's own come first.
    "staff",
    "editing",
    "staff.apps.GuideAdminConfig",  # django.contrib.admin with the guide's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_countries",
    "mailer",
    "directory",
    "outbox",
    "inbox",
    "guide",
    "alerts",
    "api",
    "opendata",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Security headers on every response, those refused early or cached included.
    "csp.middleware.CSPMiddleware",
    "clusters_site.middleware.PermissionsPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Pages are compressed for slow links (CSRF tokens are masked per request,
    # which defeats BREACH-style guessing); WhiteNoise serves static files
    # already compressed.
    "django.middleware.gzip.GZipMiddleware",
    # The read API and the catalogue may be read from any site's scripts (GET only).
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clusters_site.middleware.RejectNulBytesMiddleware",
    "clusters_site.db_router.PublicReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The history of an admin change records who made it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "guide.cache.PageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its page.
    "axes.middleware.AxesMiddleware",
]

if env_bool("BENCH_QUERY_COUNT", False):  # bench/run: count each request's SQL queries
    MIDDLEWARE.insert(0, "clusters_site.middleware.QueryCountHeaderMiddleware")

ROOT_URLCONF = "clusters_site.urls"
WSGI_APPLICATION = "clusters_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# Database: DATABASE_URL. The bin/ scripts and manage.py set it to the embedded
# PostgreSQL server (clusters_site/embedded_db.py) when it is not set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL is None:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Set it to a PostgreSQL database (postgres://...), or run "
        "the guide through bin/ or manage.py, which start the embedded server and set it."
    )
_database = dj_database_url.parse(DATABASE_URL)
if _database["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
_database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
# The planner's cost of reading a page at random: PostgreSQL's default (4)
# assumes spinning disks and then reads every cluster for a broad search
# rather than its GIN index (at 100,000 clusters, "fishing": 595 ms instead of
# 34 ms). 1.1 suits SSDs and memory, where the guide's database lives.
DATABASE_RANDOM_PAGE_COST = env_str("DATABASE_RANDOM_PAGE_COST", "1.1")
try:
    float(DATABASE_RANDOM_PAGE_COST)
except ValueError:
    raise ImproperlyConfigured("DATABASE_RANDOM_PAGE_COST must be a number, e.g. 1.1") from None
_database.setdefault("OPTIONS", {})["options"] = f"-c random_page_cost={DATABASE_RANDOM_PAGE_COST}"
_database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
# A streaming replica for the public pages' reads (see clusters_site/db_router.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": _database["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["clusters_site.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first and the fallback of every translated field.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
MODELTRANSLATION_REQUIRED_LANGUAGES = ("fr",)
# The tabbed translation admin loads jQuery UI from a CDN unless told otherwise.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

FORMAT_MODULE_PATH = ["clusters_site.formats"]

# Bulk import and export for staff: importing needs the right to change
# clusters, exporting the right to view them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Cache: Redis when REDIS_URL is set (shared by every worker and server),
# otherwise each process's memory. Pages are cached for anonymous visitors
# and keyed by the content version, so an edit is never served stale.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The pages have a cache of their own, so that a crawl of many addresses never
# pushes out the rate limits and facet options of "default" (guide/cache.py).
# With Redis: the same database (restore_guide's clear empties both), their own
# key prefix, and every page expires; docs/deploy.md gives Redis's memory limit
# and eviction policy. Without it: at most PAGE_CACHE_MAX_BYTES of pages
# (stored compressed) and PAGE_CACHE_MAX_ENTRIES in each process, the least
# recently used evicted first (guide/page_cache_backend.py).
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 32 * 1024 * 1024, minimum=1)
PAGE_CACHE_MAX_ENTRIES = env_int("PAGE_CACHE_MAX_ENTRIES", 2000, minimum=1)
CACHES["pages"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "pages",
        "TIMEOUT": PAGE_CACHE_SECONDS,
    }
    if REDIS_URL
    else {
        "BACKEND": "guide.page_cache_backend.ByteBoundedLocMemCache",
        "LOCATION": "pages",  # LocMemCache's store per name: not the default's
        "TIMEOUT": PAGE_CACHE_SECONDS,
        "OPTIONS": {"MAX_BYTES": PAGE_CACHE_MAX_BYTES, "MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES},
    }
)

# Outgoing mail. Every message is queued in PostgreSQL (django-mailer), in the
# same transaction as what caused it, and sent by the worker
# (`manage.py mail_worker`, started by bin/serve beside gunicorn) through
# SMTP when EMAIL_HOST is set, else written to MAIL_FOLDER as .eml files.
EMAIL_BACKEND = "mailer.backend.DbBackend"
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
MAIL_FOLDER = Path(env_str("MAIL_FOLDER", str(BASE_DIR / ".data" / "mail")))
MAILER_EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "outbox.backends.MailFolderBackend"
)
MAILER_USE_FILE_LOCK = False  # each message is locked in the database instead
MAILER_EMAIL_LOG_MESSAGE_DATA = False  # the log keeps dates and results, not the mail
MAILER_ERROR_HANDLER = "outbox.worker.defer_on_error"
MAIL_POLL_SECONDS = env_int("MAIL_POLL_SECONDS", 2, minimum=1)
MAIL_RETRY_MIN_SECONDS = env_int("MAIL_RETRY_MIN_SECONDS", 10, minimum=1)
MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 900, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Guide des clusters français <guide@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The public address of the guide, for the links of the mail the worker sends
# (the email alerts' digests), where no request says it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# Jobs the mail worker runs besides the queue, at most every WORKER_JOBS_SECONDS:
# each decides itself whether something is due, and may run again safely.
WORKER_JOBS = ["alerts.jobs.run_due"]
WORKER_JOBS_SECONDS = env_int("WORKER_JOBS_SECONDS", 60, minimum=1)
# The hour (local time) from which the day's digests, and on Mondays the
# week's, are sent.
ALERTS_HOUR = env_int("ALERTS_HOUR", 7, minimum=0)
# Where new introduction requests and error reports are announced.
STAFF_INBOX_EMAIL = env_str("STAFF_INBOX_EMAIL", "" if EMAIL_HOST else "inbox@localhost")
if not STAFF_INBOX_EMAIL:
    raise ImproperlyConfigured(
        "STAFF_INBOX_EMAIL is not set: with a real SMTP server (EMAIL_HOST), name the address "
        "that receives new introduction requests and error reports."
    )

# The public forms: per-address limits (django-ratelimit, on the cache above:
# Redis in production, shared by every worker), the client's address as the
# staff login sees it, and the least time a person takes to fill a form.
RATELIMIT_IP_META_KEY = "staff.security.client_ip"
FORM_RATE = env_str("FORM_RATE", "5/h")
FORM_MIN_SECONDS = env_int("FORM_MIN_SECONDS", 3)
FORM_MAX_LINKS = env_int("FORM_MAX_LINKS", 3)
# Requests and reports are erased this many days after they are closed
# (`manage.py purge_inbox`, from cron); spam after SPAM_KEPT_DAYS.
INBOX_KEPT_DAYS = env_int("INBOX_KEPT_DAYS", 730, minimum=1)
SPAM_KEPT_DAYS = env_int("SPAM_KEPT_DAYS", 30, minimum=1)
MAIL_LOG_KEPT_DAYS = env_int("MAIL_LOG_KEPT_DAYS", 90, minimum=1)

# The read API (api/, Django REST framework): JSON only, no session or login (so no
# CSRF), a per-address rate limit (the client's address as above), errors as
# application/problem+json (api/problems.py), its OpenAPI document by drf-spectacular.
API_RATE = env_str("API_RATE", "120/min")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50, minimum=1)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": API_RATE},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "PAGE_SIZE": API_PAGE_SIZE,
    "UNICODE_JSON": True,
    "COMPACT_JSON": True,
    "STRICT_JSON": True,
    "URL_FORMAT_OVERRIDE": None,  # JSON only: ?format= is not a switch here
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Guide des clusters français / Guide to French clusters: read API",
    "DESCRIPTION": (
        "The guide's clusters, cluster types, sectors, regions, calls for proposals, "
        "events and support organisations, in French and English, under the Licence "
        "Ouverte 2.0 (Etalab). Read-only; lists are paged; every answer carries an ETag "
        "and Last-Modified, and a conditional request gets 304 when nothing changed."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",  # served by the guide itself: the CSP allows nothing else
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {
        "name": "Licence Ouverte 2.0 (Etalab)",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": False,
    # One name for the choices several fields share.
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "directory.models.DatePrecision"},
}
CORS_URLS_REGEX = r"^/(api/|catalog\.)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]
CORS_PREFLIGHT_MAX_AGE = 86400

# manage.py check_links: how it introduces itself, and whether it may connect
# to loopback and private addresses (off: only the tests' local server needs it).
LINK_CHECK_USER_AGENT = env_str(
    "LINK_CHECK_USER_AGENT",
    "GuideClustersLinkCheck/1.0 (Guide des clusters francais, CACIMA; one request per address)",
)
LINK_CHECK_ALLOW_PRIVATE = env_bool("LINK_CHECK_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The trust pages (accessibility statement, legal notice, personal data): who
# publishes and hosts the guide, where to write, and when each statement was
# last reviewed. The defaults describe the CACIMA, which hosts the guide itself
# unless LEGAL_HOST names another host (then LEGAL_HOST_ADDRESS is required).
LEGAL_PUBLISHER = env_str(
    "LEGAL_PUBLISHER",
    "CACIMA – Chambre d'agriculture, de commerce, d'industrie, de métiers et de l'artisanat "
    "de Saint-Pierre-et-Miquelon",
)
LEGAL_PUBLISHER_ADDRESS = env_str(
    "LEGAL_PUBLISHER_ADDRESS", "4 boulevard Constant Colmay, BP 4207, 97500 Saint-Pierre"
)
LEGAL_DIRECTOR = env_str("LEGAL_DIRECTOR", "Le président de la CACIMA")
LEGAL_HOST = env_str("LEGAL_HOST", LEGAL_PUBLISHER)
LEGAL_HOST_ADDRESS = env_str(
    "LEGAL_HOST_ADDRESS", LEGAL_PUBLISHER_ADDRESS if LEGAL_HOST == LEGAL_PUBLISHER else None
)
if LEGAL_HOST_ADDRESS is None:
    raise ImproperlyConfigured("LEGAL_HOST_ADDRESS must be set when LEGAL_HOST names the host.")
CONTACT_EMAIL = env_email("CONTACT_EMAIL", "contact@cacima.fr")
PRIVACY_EMAIL = env_email("PRIVACY_EMAIL", CONTACT_EMAIL)
ACCESSIBILITY_STATEMENT_DATE = env_date("ACCESSIBILITY_STATEMENT_DATE", "2026-12-04")
PRIVACY_POLICY_DATE = env_date("PRIVACY_POLICY_DATE", "2026-12-04")
