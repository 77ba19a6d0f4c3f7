"""Settings, all read from environment variables with safe local defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise a random key kept in instance/ so sessions survive restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    INSTANCE_DIR.mkdir(exist_ok=True)
    key_file = INSTANCE_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _engine_options(url: str) -> dict:
    """Check connections before use; on PostgreSQL give up connecting after a few seconds (503, not a hang)."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))}
    return options


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'waymark.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = _engine_options(SQLALCHEMY_DATABASE_URI)
    # The address the web app listens on (make run / make serve); links in emails follow it
    # unless WAYMARK_BASE_URL names the public address (behind a proxy or TLS).
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = int(os.environ.get("PORT", "5000"))
    BASE_URL = (os.environ.get("WAYMARK_BASE_URL") or f"http://{HOST}:{PORT}").rstrip("/")
    TIMEZONE = "Europe/London"

    # Sessions: shared ward computers, so no remember-me and short idle time-outs.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    FRESH_LOGIN_MINUTES = int(os.environ.get("FRESH_LOGIN_MINUTES", "15"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    HTTPS = _bool("WAYMARK_HTTPS", False)
    WTF_CSRF_TIME_LIMIT = None

    # Proxies in front of the app that set X-Forwarded-For/-Proto/-Host (the TLS proxy: 1); 0 trusts none.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Limits live in Redis (redis://host:6379) when several processes serve; memory:// counts per process.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Redis down: the limits count in each process's memory meanwhile (logged), never refuse everyone.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Only wrong passwords count. Reaching the account limit locks the account for ACCOUNT_LOCK_MINUTES
    # and emails its owner a reset link; an NHS network's whole trust can share one address.
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "200 per 15 minutes")
    ACCOUNT_LOCK_MINUTES = int(os.environ.get("ACCOUNT_LOCK_MINUTES", "15"))
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
    RESET_LINK_HOURS = int(os.environ.get("RESET_LINK_HOURS", "24"))
    RESET_REQUEST_LIMIT = os.environ.get("RESET_REQUEST_LIMIT", "10 per hour")  # per address: no email bombing
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
    # Encrypts two-factor secrets and keys the recovery codes' hashes. Unset, a key derived from SECRET_KEY
    # serves; set it in production so that rotating SECRET_KEY does not switch everyone's two-factor off.
    TWO_FACTOR_KEY = os.environ.get("TWO_FACTOR_KEY", "")
    # Failed sign-in records (they hold the address typed) are deleted by the scheduler after this many days.
    FAILED_SIGN_IN_DAYS = int(os.environ.get("FAILED_SIGN_IN_DAYS", "30"))
    # Years after their leaving date that people are kept before the scheduler anonymises them, until an
    # organisation's administrator sets its own period (the anchor e-portfolios keep 6 years).
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "6"))
    # The organisation whose accessibility, privacy and contact pages signed-out visitors read (a slug);
    # empty: the only organisation when there is one, otherwise the pages' default text.
    FOOTER_ORGANISATION = os.environ.get("FOOTER_ORGANISATION", "")

    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "1025"))
    SMTP_STARTTLS = _bool("SMTP_STARTTLS", False)
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Waymark <noreply@waymark.localhost>")

    # Reminders (reminders/): thresholds in days unless named otherwise; see reminders/rules.py.
    REMINDER_REVIEW_SOON_DAYS = int(os.environ.get("REMINDER_REVIEW_SOON_DAYS", "7"))
    REMINDER_REVIEW_ESCALATE_DAYS = int(os.environ.get("REMINDER_REVIEW_ESCALATE_DAYS", "14"))
    REMINDER_SIGNOFF_WAIT_DAYS = int(os.environ.get("REMINDER_SIGNOFF_WAIT_DAYS", "7"))
    REMINDER_HOURS_BEHIND = float(os.environ.get("REMINDER_HOURS_BEHIND", "0.2"))
    REMINDER_STAGE_DEADLINE_DAYS = int(os.environ.get("REMINDER_STAGE_DEADLINE_DAYS", "14"))
    # Forked processes that evaluate enrolments during a scan (this process alone writes).
    REMINDER_SCAN_WORKERS = int(os.environ.get("REMINDER_SCAN_WORKERS", "1"))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "60"))
    SMTP_TIMEOUT = float(os.environ.get("SMTP_TIMEOUT", "10"))
    # How long a sender holds the rows it took before another sender may take them (it died).
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "600"))

    # Evidence files (app/services/evidence.py): each file at most EVIDENCE_MAX_BYTES, images at most
    # EVIDENCE_MAX_PIXELS (a 48-megapixel phone photo fits), a few files per request; kept outside the
    # web root, in instance/evidence unless EVIDENCE_DIR names another folder.
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", "")
    # Or an S3-compatible bucket (AWS S3, MinIO, Ceph) when EVIDENCE_S3_BUCKET is set. The endpoint is
    # for a store other than AWS; without the key settings boto3 finds credentials itself (AWS_* or a role).
    EVIDENCE_S3_BUCKET = os.environ.get("EVIDENCE_S3_BUCKET", "")
    EVIDENCE_S3_PREFIX = os.environ.get("EVIDENCE_S3_PREFIX", "evidence/")
    EVIDENCE_S3_ENDPOINT_URL = os.environ.get("EVIDENCE_S3_ENDPOINT_URL", "")
    EVIDENCE_S3_REGION = os.environ.get("EVIDENCE_S3_REGION", "")
    EVIDENCE_S3_ACCESS_KEY_ID = os.environ.get("EVIDENCE_S3_ACCESS_KEY_ID", "")
    EVIDENCE_S3_SECRET_ACCESS_KEY = os.environ.get("EVIDENCE_S3_SECRET_ACCESS_KEY", "")
    EVIDENCE_S3_ADDRESSING = os.environ.get("EVIDENCE_S3_ADDRESSING", "auto")  # "path" for most MinIO set-ups
    EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20_000_000)))
    EVIDENCE_MAX_PIXELS = int(os.environ.get("EVIDENCE_MAX_PIXELS", str(50_000_000)))
    EVIDENCE_FILES_PER_REQUEST = int(os.environ.get("EVIDENCE_FILES_PER_REQUEST", "3"))
    MAX_CONTENT_LENGTH = EVIDENCE_MAX_BYTES * EVIDENCE_FILES_PER_REQUEST + 1_000_000
    # Days a review's emailed signing link works (once) for a party without an account.
    REVIEW_LINK_DAYS = int(os.environ.get("REVIEW_LINK_DAYS", "14"))

    # Every date a person enters must fall in this range (forms, API, import and CLI alike).
    DATE_EARLIEST = os.environ.get("DATE_EARLIEST", "1950-01-01")
    DATE_YEARS_AHEAD = int(os.environ.get("DATE_YEARS_AHEAD", "5"))

    # Operations (app/operations/): logs, metrics, readiness.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")  # "json" for one JSON object a line (make serve)
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # /metrics answers only a request with "Authorization: Bearer <METRICS_TOKEN>"; unset, it is off (404).
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
    # The scheduler process serves its own metrics (scan duration, deliveries) on this loopback port.
    SCHEDULER_METRICS_PORT = int(os.environ.get("SCHEDULER_METRICS_PORT", "0"))
    METRICS_BIND = os.environ.get("METRICS_BIND", "127.0.0.1")
    # Redis, where configured, is checked by /readyz (as is RATELIMIT_STORAGE_URI when it is redis://).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # The scheduler scans and delivers at once on start only when asked (make serve asks; make run does not).
    REMINDERS_RUN_ON_START = _bool("REMINDERS_RUN_ON_START", False)

    # Background jobs (app/services/jobs.py), run by `flask jobs work`: imports of more rows than
    # IMPORT_BACKGROUND_ROWS and report downloads over more enrolments than REPORT_BACKGROUND_ENROLMENTS.
    IMPORT_BACKGROUND_ROWS = int(os.environ.get("IMPORT_BACKGROUND_ROWS", "2000"))
    REPORT_BACKGROUND_ENROLMENTS = int(os.environ.get("REPORT_BACKGROUND_ENROLMENTS", "1000"))
    # The report page's figures are shared by every worker (report_page_cache) and worked out again when
    # the data has changed and they are older than this: the most a lead's page lags behind the data.
    REPORT_PAGE_MAX_AGE_SECONDS = int(os.environ.get("REPORT_PAGE_MAX_AGE_SECONDS", "300"))
    # A worker renews its lease as it reports progress; a job whose lease runs out lost its worker and
    # is run again, up to JOBS_MAX_ATTEMPTS times in all. On SQLite an import's write reports nothing,
    # so the lease must outlast the longest write.
    JOBS_LEASE_SECONDS = int(os.environ.get("JOBS_LEASE_SECONDS", "600"))
    JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "2"))
    JOBS_POLL_SECONDS = float(os.environ.get("JOBS_POLL_SECONDS", "2"))
    # Uploaded files and prepared downloads are dropped this many days after their job ended.
    JOBS_KEEP_DAYS = int(os.environ.get("JOBS_KEEP_DAYS", "7"))
