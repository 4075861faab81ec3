"""Settings of the portal: one file, read from the environment.

With nothing configured it runs embedded: SQLite in ``var/`` and Celery tasks
run eagerly in-process. ``DATABASE_URL`` and ``CELERY_BROKER_URL`` switch it to
the production shape (PostgreSQL, Redis, separate Celery workers).
Every variable is listed in ``.env.example``.
"""

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; absent is fine

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """The configured key, or one generated once per installation and kept in var/."""
    configured = env.str("SECRET_KEY", default="")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "treebeard",
    "guardian",
    "axes",
    "pgtrigger",
    "csp",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "audit",
    "jobs",
    "regulations",
    "organizations",
    "governance",
    "assessments",
    "personnel",
    "reports",
    "portal",  # last: its admin module wraps the admin pages of the apps above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "portal.middleware.CspNonceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChosenLanguageMiddleware",
    # A NUL character in the path or a submitted value: 400, before any view or the database sees it.
    "portal.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless marked @login_not_required (see tests/test_urls_protected.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # axes must be last: it turns a locked-out login into a refusal page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "organizations.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and an eager task read while a seed writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
    # A transaction takes the write lock when it begins and waits for it (the timeout above), instead of
    # failing with "database is locked" at its first write when two processes (workers) write at once.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: after AXES_FAILURE_LIMIT failures an account is locked, from every address (the failures
# counted over all addresses: an attacker spreading guesses over many addresses is stopped too), and so
# is the pair (account, address). A user whose account is locked by someone else's guesses waits for the
# cool-off or is unlocked by an administrator (``manage.py axes_reset_username``).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
# The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
# outermost one appended to X-Forwarded-For (portal.middleware.client_ip). BEHIND_PROXY=1 (the documented
# set-up: one reverse proxy in front of gunicorn) makes it 1 unless set.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The username axes records, cut to its column (a longer one was a 500 on PostgreSQL).
AXES_USERNAME_CALLABLE = "portal.middleware.axes_username"

# guardian: anonymous users get nothing; no anonymous user row is needed.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/: the portal's strings (Vietnamese source, English catalog); locale_django/: Vietnamese for
# the messages of Django itself that its own Vietnamese catalog leaves untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even when serving from finders
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm at set-up and are served from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

# Celery: a broker URL means real workers; without one tasks run in-process.
# Mail: reminders go by email too when a relay is configured; without EMAIL_HOST they stay in the portal.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cong-thong-tin@localhost")
# Days before a step's deadline when the organizations still in it are reminded.
ASSESSMENT_REMIND_DAYS = env.int("ASSESSMENT_REMIND_DAYS", default=3)

# Personnel work (Regulation 142, pilot). The levels where heads may use the pilot power: RULES.md says the
# provincial level and its directly subordinate committees; no text extends it to the commune-level
# committees, so "commune" is off until the province adds it (the values: provincial, subordinate, commune,
# grassroots). Shown on the nomination pages.
PERSONNEL_PILOT_SCOPE = env.list("PERSONNEL_PILOT_SCOPE", default=["provincial", "subordinate"])
# A vote of exactly 50% at step 3 or the final step: "head_decides" (Decree 170; the Party text: medium) or
# "not_passed". Shown with every step's result.
PERSONNEL_HALF_VOTE = env.str("PERSONNEL_HALF_VOTE", default="head_decides")
# The standards check of a nominee (personnel.standards): the months after a discipline before an appointment
# or a nomination (Regulation 80, now 377: 24 after a reprimand, 36 after a warning, 60 after removal from
# office), and whether a failed item blocks ("block") or warns and goes on with a written explanation ("warn"),
# as "item:severity" pairs over the defaults (planning, discipline, action_program block; classification and
# ethics warn). Both are shown on every nomination's page.
PERSONNEL_DISCIPLINE_WAIT_MONTHS = {
    "reprimand": env.int("PERSONNEL_WAIT_AFTER_REPRIMAND", default=24),
    "warning": env.int("PERSONNEL_WAIT_AFTER_WARNING", default=36),
    "removal": env.int("PERSONNEL_WAIT_AFTER_REMOVAL", default=60),
}
# The base of a confidence vote's fractions (Regulation 96; not confirmed): "returned" (the ballots returned,
# default), "issued" or "convened". Kept with each vote and shown on its results.
PERSONNEL_CONFIDENCE_BASE = env.str("PERSONNEL_CONFIDENCE_BASE", default="returned")
# A nomination in progress whose last step (or introduction) is older than this many days is overdue on the
# organization board's personnel view (no text sets a time: the province's value).
PERSONNEL_STEP_DUE_DAYS = env.int("PERSONNEL_STEP_DUE_DAYS", default=30)
PERSONNEL_STANDARDS_SEVERITY = dict(
    pair.split(":", 1) for pair in env.list("PERSONNEL_STANDARDS_SEVERITY", default=[]) if ":" in pair)
# The Ed25519 key that signs the responsibility ledger's checkpoints (``manage.py ledger_keygen`` writes one),
# a PEM file the deployment holds outside the database.
LEDGER_SIGNING_KEY_FILE = env.str("LEDGER_SIGNING_KEY_FILE", default=str(BASE_DIR / "var" / "ledger-signing.pem"))

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_IMPORTS = ["portal.tasks", "organizations.tasks", "jobs.tasks", "assessments.tasks", "personnel.tasks",
                  "reports.tasks"]
# Long tasks acknowledged at their end: one message at a time per worker process.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child past this resident memory (KiB) is replaced after its task (WeasyPrint holds on to memory).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1_000_000)
# Jobs (``jobs.services``): the lease a worker renews with each step, the runs a job gets when its
# worker dies, and the time a job's task may run before it is stopped (then killed a minute later).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=120)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=2)
JOB_SOFT_TIME_LIMIT = env.int("JOB_SOFT_TIME_LIMIT", default=1800)
# Batch printing: forms per chunk (one task, one written PDF part), and the most forms one PDF may hold
# (above that, a ZIP with one PDF per organization).
REPORT_BATCH_CHUNK = env.int("REPORT_BATCH_CHUNK", default=50)
REPORT_BATCH_PDF_MAX_FORMS = env.int("REPORT_BATCH_PDF_MAX_FORMS", default=3000)
# The register of decisions: the longest date range one printed register may cover (days, both ends included).
REPORT_REGISTER_MAX_DAYS = env.int("REPORT_REGISTER_MAX_DAYS", default=3660)
# The schedule below is kept in the database (django-celery-beat), where the admin can see it.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Celery beat (``celery -A portal beat``): the daily chores. Without a broker, run the commands from cron.
CELERY_BEAT_SCHEDULE = {
    "assessment-reminders": {"task": "assessments.remind", "schedule": crontab(hour=7, minute=0)},  # 07:00 daily
    "purge-member-imports": {"task": "organizations.purge_imports",
                             "schedule": crontab(hour=2, minute=30)},  # 02:30 Asia/Ho_Chi_Minh
    "reap-jobs": {"task": "jobs.reap", "schedule": crontab(minute="*/5")},  # jobs whose worker died
    "ledger-checkpoint": {"task": "personnel.ledger_checkpoint",
                          "schedule": crontab(hour=23, minute=55)},  # the day's ledger, signed
}

# Security headers. With DEBUG off they default to the strict values that
# ``manage.py check --deploy`` expects; behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER via the environment flag below.
_https = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, stylesheets, fonts and images only from the portal itself,
# no inline script, no eval, no <style> element but a chart's, which carries the response's nonce
# (common.csp; htmx is told not to inject its own <style>: base.html), no plugin,
# no framing, forms sent only to the portal. A style attribute is allowed (style-src-attr): it cannot run
# code, and the pages set computed widths with it (a progress bar). Images may be data: URLs (Bootstrap's
# icons in its stylesheet).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)

# Member import: the largest accepted upload and row count.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# The full text of a regulation (.txt or .docx); refused while the request is read (common/uploads.py).
REGULATION_IMPORT_MAX_BYTES = env.int("REGULATION_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# What any uploaded file may hold, checked while it is read, before a library parses it (common.uploads):
# the unzipped size and members of an .xlsx/.docx (from the zip's directory), a sheet's highest row (blank
# rows included) and column, its cells, XML nesting and elements, characters of text, lines of a text and
# characters of one line (or paragraph).
UPLOAD_MAX_UNZIPPED_BYTES = env.int("UPLOAD_MAX_UNZIPPED_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_ZIP_PARTS = env.int("UPLOAD_MAX_ZIP_PARTS", default=1000)
UPLOAD_MAX_ROWS = env.int("UPLOAD_MAX_ROWS", default=2 * IMPORT_MAX_ROWS)
UPLOAD_MAX_COLUMNS = env.int("UPLOAD_MAX_COLUMNS", default=200)
UPLOAD_MAX_CELLS = env.int("UPLOAD_MAX_CELLS", default=500_000)
UPLOAD_MAX_XML_DEPTH = env.int("UPLOAD_MAX_XML_DEPTH", default=100)
UPLOAD_MAX_XML_ELEMENTS = env.int("UPLOAD_MAX_XML_ELEMENTS", default=1_000_000)
UPLOAD_MAX_TEXT_CHARS = env.int("UPLOAD_MAX_TEXT_CHARS", default=10_000_000)
UPLOAD_MAX_LINES = env.int("UPLOAD_MAX_LINES", default=100_000)
UPLOAD_MAX_LINE_CHARS = env.int("UPLOAD_MAX_LINE_CHARS", default=50_000)
# Rejected and never-confirmed imports are deleted, and the files of written ones emptied,
# after this many days (``manage.py purge_imports``).
IMPORT_KEEP_DAYS = env.int("IMPORT_KEEP_DAYS", default=30)
# The first handler stops an upload past its view's limit while it is read (common.uploads).
FILE_UPLOAD_HANDLERS = [
    "common.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
PAGE_SIZE = 50
# A search is read from the top (exact matches first): a shorter page answers sooner.
SEARCH_PAGE_SIZE = 20
DJANGO_TABLES2_TEMPLATE = "_table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
