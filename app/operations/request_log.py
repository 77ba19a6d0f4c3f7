"""Each request's id, and one log line per request (formatted by ``logs``).

A request's id is the ``X-Request-ID`` it came with, when that is a sensible token (a proxy or a
balancer set it), or a new one; it is sent back in the response header and written on every log
line of the request, so one person's trouble can be followed across proxy, app and database logs.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from logs import request_id

HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
log = logging.getLogger("waymark.request")


def register(app: Flask) -> None:
    @app.before_request
    def _take_request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "endpoint": request.endpoint or "",
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response
