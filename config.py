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


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'waymark.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("WAYMARK_BASE_URL", "http://127.0.0.1:5000")
    TIMEZONE = "Europe/London"

    # Sessions: shared ward computers, so no remember-me and short idle time-outs.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_ABSOLUTE_HOURS = int(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    FRESH_LOGIN_MINUTES = int(os.environ.get("FRESH_LOGIN_MINUTES", "15"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    HTTPS = _bool("WAYMARK_HTTPS", False)
    WTF_CSRF_TIME_LIMIT = None

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "10 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "50 per 15 minutes")

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

    # Evidence files (app/services/evidence.py): each file at most EVIDENCE_MAX_BYTES, images at most
    # EVIDENCE_MAX_PIXELS (a 48-megapixel phone photo fits), a few files per request; kept outside the
    # web root, in instance/evidence unless EVIDENCE_DIR names another folder.
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR", "")
    EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(20_000_000)))
    EVIDENCE_MAX_PIXELS = int(os.environ.get("EVIDENCE_MAX_PIXELS", str(50_000_000)))
    EVIDENCE_FILES_PER_REQUEST = int(os.environ.get("EVIDENCE_FILES_PER_REQUEST", "3"))
    MAX_CONTENT_LENGTH = EVIDENCE_MAX_BYTES * EVIDENCE_FILES_PER_REQUEST + 1_000_000
    # Days a review's emailed signing link works (once) for a party without an account.
    REVIEW_LINK_DAYS = int(os.environ.get("REVIEW_LINK_DAYS", "14"))

    # Every date a person enters must fall in this range (forms, API, import and CLI alike).
    DATE_EARLIEST = os.environ.get("DATE_EARLIEST", "1950-01-01")
    DATE_YEARS_AHEAD = int(os.environ.get("DATE_YEARS_AHEAD", "5"))
