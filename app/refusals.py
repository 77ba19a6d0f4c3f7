"""Every refused write leaves an audit event, including those refused before a service is reached
(a form that does not validate, an API body the schema refuses, an expired CSRF token)."""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_login import current_user

from app.services.errors import ServiceError
from app.services.unit_of_work import forget_refusals, record_refusal, refusals_recorded

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class RequestRefused(ServiceError):
    """A refusal the web layer answered itself, described by its status and path."""

    def __init__(self, status: int, path: str) -> None:
        super().__init__(f"{request.method} {path} answered {status}")
        self.code = str(status)


def register(app: Flask) -> None:
    @app.before_request
    def _start_counting() -> None:
        forget_refusals()

    @app.after_request
    def _audit_refused_write(response: Response) -> Response:
        if request.method in WRITE_METHODS and 400 <= response.status_code < 500 and not refusals_recorded():
            actor = g.get("api_user") or (current_user._get_current_object() if current_user.is_authenticated else None)
            refusal = RequestRefused(response.status_code, request.path)
            record_refusal(actor, f"request.{request.endpoint or 'unknown'}", None, refusal)
        return response
