"""How every serving process writes its logs: one JSON object a line (``LOG_FORMAT=json``) or plain text.

Beside config.py because both the web workers (gunicorn.conf.py) and the scheduler process
(``flask reminders run``) set themselves up with it. Each line carries the id of the request it
belongs to (``app.operations.request_log`` sets ``g.request_id``), empty outside a request.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from flask import g, has_request_context


def request_id() -> str:
    return g.get("request_id", "") if has_request_context() else ""


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id, any ``extra=`` fields, and the traceback if any."""

    STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in self.STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure_logging(log_format: str, level: str) -> None:
    """One handler on the root logger, to stderr, once a process.

    Called by the processes that serve (gunicorn.conf.py, ``flask reminders run``), not by
    ``create_app``: one-off commands keep their plain output, and tests their captured logs.
    """
    root = logging.getLogger()
    if any(getattr(handler, "waymark", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.waymark = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(level.upper())
