"""Uploaded import files: checked to be CSV text within the size limit, kept between preview and confirm."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from flask import Request, current_app
from werkzeug.exceptions import RequestEntityTooLarge

from app.services.errors import ValidationFailed

_UPLOAD_ID = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_csv(request: Request, limit: int) -> bytes:
    """The uploaded file's bytes, or a message for the page: no file, not a .csv, too large, or not text."""
    request.max_content_length = limit + 100_000  # the form around the file; stops a huge upload being spooled
    try:
        file = request.files.get("file")
    except RequestEntityTooLarge:
        raise ValidationFailed({"file": f"The file must be {_size(limit)} or smaller"}) from None
    if file is None or not file.filename:
        raise ValidationFailed({"file": "Select a CSV file to import"})
    if not file.filename.lower().endswith(".csv"):
        raise ValidationFailed({"file": "The file must be a CSV file (save it from your spreadsheet as 'CSV UTF-8')"})
    data = file.stream.read(limit + 1)
    if len(data) > limit:
        raise ValidationFailed({"file": f"The file must be {_size(limit)} or smaller"})
    if not data.strip():
        raise ValidationFailed({"file": "The selected file is empty"})
    if b"\x00" in data[:4096] or data.startswith(b"PK\x03\x04"):
        raise ValidationFailed({"file": "The file must be a CSV file, not a spreadsheet workbook"})
    return data


def rows_in(data: bytes) -> int:
    """About how many rows the file has (a quoted cell may hold a line break): enough to choose how to check it."""
    return data.count(b"\n") - (0 if data.endswith(b"\n") else -1) - 1


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{max(1, limit // 1_000)} KB"


def keep(data: bytes) -> str:
    """Store the file until it is confirmed; returns its id."""
    upload_id = uuid.uuid4().hex
    (_folder() / f"{upload_id}.csv").write_bytes(data)
    return upload_id


def load(upload_id: str | None) -> bytes | None:
    if not upload_id or not _UPLOAD_ID.match(upload_id):
        return None
    path = _folder() / f"{upload_id}.csv"
    return path.read_bytes() if path.exists() else None


def discard(upload_id: str) -> None:
    if _UPLOAD_ID.match(upload_id):
        (_folder() / f"{upload_id}.csv").unlink(missing_ok=True)
