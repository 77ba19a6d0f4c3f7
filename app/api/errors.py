"""The API's one error shape: {"error": {"code", "message", "fields"}} (CONTRACT.md)."""

from __future__ import annotations

import time
from typing import Any

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

from app.extensions import limiter
from app.services.errors import ServiceError

CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    401: "Send a valid API token as 'Authorization: Bearer TOKEN'",
    404: "There is no such resource",
    422: "Check the details you sent",
    429: "Too many requests; wait and try again",
}


def is_api_request() -> bool:
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")


def error_response(
    status: int, message: str, *, code: str | None = None, fields: dict[str, str] | None = None, **extra: Any
) -> Response:
    response = jsonify(
        {"error": {"code": code or CODES.get(status, "error"), "message": message, "fields": fields or {}, **extra}}
    )
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="waymark"'
    if status == 429:
        current = limiter.current_limit
        wait = int(current.reset_at - time.time()) if current else 60
        response.headers["Retry-After"] = str(max(1, wait))
    return response


def service_error(error: ServiceError) -> Response:
    extra = {"reasons": error.reasons} if hasattr(error, "reasons") else {}
    return error_response(error.status, error.message, code=error.code, fields=getattr(error, "fields", {}), **extra)


def _flatten(messages: Any, prefix: str = "") -> dict[str, str]:
    """webargs' nested messages ({"json": {"name": ["..."]}}) as one problem per field."""
    if isinstance(messages, dict):
        out: dict[str, str] = {}
        for key, value in messages.items():
            name = key if key not in ("json", "query", "querystring", "path", "form", "files", "_schema") else ""
            out.update(_flatten(value, f"{prefix}.{name}".strip(".") if name else prefix))
        return out
    if isinstance(messages, list | tuple) and messages and all(isinstance(m, str) for m in messages):
        return {prefix or "body": " ".join(messages)}
    if isinstance(messages, list | tuple):
        out = {}
        for index, value in enumerate(messages):
            out.update(_flatten(value, f"{prefix}.{index}".strip(".")))
        return out
    return {prefix or "body": str(messages)}


def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    messages = (getattr(error, "data", None) or {}).get("messages")
    fields = _flatten(messages) if messages else {}
    if status == 422 and not fields:
        status = 400
    if status == 400 and fields and all(k == "body" for k in fields):
        return error_response(400, fields["body"])
    message = MESSAGES.get(status) or error.description or CODES.get(status, "Error")
    return error_response(status, message, fields=fields)
