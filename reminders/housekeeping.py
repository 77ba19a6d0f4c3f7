"""The scheduler's daily retention jobs: forget old failed sign-ins, anonymise people past their period."""

from __future__ import annotations

import logging

from app.services import anonymise, retention
from app.services.clock import today

log = logging.getLogger("reminders")


def forget_failed_sign_ins_job() -> None:
    log.info("failed sign-in records deleted: %s", retention.forget_failed_sign_ins())


def anonymise_job() -> None:
    log.info("people anonymised past their retention period: %s", len(anonymise.anonymise_due(today())))
