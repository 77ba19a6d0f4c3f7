"""Files as a form or the API received them, read up to one byte past the limit so a larger one is named."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from werkzeug.datastructures import FileStorage

from app.services.evidence import Upload
from app.services.evidence_checks import KINDS_IN_WORDS, size_in_words


def received(files: Iterable[FileStorage | str | None] | None) -> list[Upload]:
    """The files chosen; the empty part a browser sends when none was chosen is left out."""
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    return [
        Upload(file.filename or "", file.stream.read(limit + 1))
        for file in files or ()
        if isinstance(file, FileStorage) and (file.filename or file.content_length)
    ]


def file_hint() -> str:
    config = current_app.config
    return (
        f"{KINDS_IN_WORDS}; up to {config['EVIDENCE_FILES_PER_REQUEST']} files, "
        f"each {size_in_words(config['EVIDENCE_MAX_BYTES'])} or smaller"
    )
