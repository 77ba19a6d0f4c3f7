"""Sending an evidence file: always as a download, never sniffed, never cached, never run as a page."""

from __future__ import annotations

from flask import Response, send_file

from app.services.evidence import Opened

SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'none'"


def send_evidence(opened: Opened, *, inline: bool = False) -> Response:
    response = send_file(
        opened.stream,
        mimetype=opened.content_type,
        as_attachment=not inline,
        download_name=opened.evidence.file_name if not inline else "thumbnail.jpg",
        max_age=0,
        etag=opened.evidence.sha256 if not inline else False,
        conditional=False,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX
    response.headers["Cache-Control"] = "private, no-store"
    return response
